"""Statistics figures: `compute_stats` over 1,000 and 10,000 draws against as many
separate Keras `Dropout` calls (issue 5: the batched statistics at least 10x faster).

All at (32, 20, 16), Dropout(0.5), arange input, keras3, wall-clock seconds. The
separate calls are what a user stepping seeds would run: for each s,
`keras.layers.Dropout(0.5, seed=s)(x, training=True)` on one prebuilt tf tensor `x`,
the layer built inside the timed loop; both counts are measured, none extrapolated.
`compute_stats` times include everything it does: the spec's own `compute()`, the
batched draws, the self-check and the accumulation of every figure. The batched runs
are medians of three, interleaved with the call loops so that machine load hits both.
The tf-keras figure is for reference: it replays the global seed one op per draw.
"""

from __future__ import annotations

import statistics
import time

SHAPE = (32, 20, 16)
TARGET_SPEEDUP = 10.0


def _seconds(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def run() -> dict[str, float]:
    import numpy as np

    import dropgui
    from dropgui.engine import load_tensorflow
    from dropgui.stats import compute_stats

    mods = load_tensorflow()
    keras, tf = mods.keras, mods.tf
    spec = dropgui.Spec(shape=SHAPE, mode="dropout", rate=0.5)
    x = tf.constant(np.arange(1, np.prod(SHAPE) + 1, dtype=np.float32).reshape(SHAPE))

    def layer_calls(count: int) -> None:
        for seed in range(count):
            keras.layers.Dropout(0.5, seed=seed)(x, training=True)

    # Warm-up: TensorFlow's first ops, the traced sampler, Keras layer machinery.
    compute_stats(spec, 100)
    layer_calls(20)

    figures: dict[str, float] = {}
    for count in (1000, 10_000):
        batched, separate = [], []
        batched.append(_seconds(lambda count=count: compute_stats(spec, count)))
        separate.append(_seconds(lambda count=count: layer_calls(count)))
        batched.append(_seconds(lambda count=count: compute_stats(spec, count)))
        if count == 1000:  # cheap enough to repeat
            separate.append(_seconds(lambda count=count: layer_calls(count)))
            separate.append(_seconds(lambda count=count: layer_calls(count)))
        batched.append(_seconds(lambda count=count: compute_stats(spec, count)))
        batched_s, separate_s = statistics.median(batched), statistics.median(separate)
        figures[f"stats_batched_{count}_draws_s"] = batched_s
        figures[f"stats_keras_dropout_{count}_calls_s"] = separate_s
        figures[f"stats_speedup_{count}"] = separate_s / batched_s
    figures["stats_target_speedup"] = TARGET_SPEEDUP
    figures["stats_tf_keras_replay_1000_draws_s"] = _seconds(
        lambda: compute_stats(spec.replace(engine="tf-keras"), 1000)
    )
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
