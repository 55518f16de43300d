"""Statistics figures: `compute_stats` over N draws against ONE Keras `Dropout` layer
called N times, N = 1,000 and 10,000 (issue 5: the batched statistics at least 10x
faster).

All at (32, 20, 16), Dropout(0.5), arange input, keras3, wall-clock seconds. "Draws
1..N" of a spec are the N successive calls of one seeded layer, so the baseline is
exactly that: one `keras.layers.Dropout(0.5, seed=0)`, built and called once before any
timing, then called N times in a timed loop on one prebuilt tf tensor `x`, each output
materialised as `compute()` materialises its own (`np.asarray(layer(x,
training=True))`). `compute_stats` times include everything it does: the spec's own
`compute()`, the batched draws, the self-check and the accumulation of every figure.
Both sides are medians of three runs, interleaved (batched, calls, batched, ...) so that
machine load hits both alike. `stats_speedup_over_one_layer_<N>` divides the two medians;
the targets are in run.py. The tf-keras figure is for reference (one run): it replays
the global seed one op per draw.
"""

from __future__ import annotations

import statistics
import time

SHAPE = (32, 20, 16)
COUNTS = (1000, 10_000)
REPEATS = 3


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
    layer = keras.layers.Dropout(0.5, seed=0)

    def layer_calls(count: int) -> None:
        for _ in range(count):
            np.asarray(layer(x, training=True))

    # Warm-up: TensorFlow's first ops, the traced sampler, the layer built and called.
    compute_stats(spec, 100)
    layer_calls(20)

    figures: dict[str, float] = {}
    for count in COUNTS:
        batched, calls = [], []
        for _ in range(REPEATS):
            batched.append(_seconds(lambda count=count: compute_stats(spec, count)))
            calls.append(_seconds(lambda count=count: layer_calls(count)))
        batched_s, calls_s = statistics.median(batched), statistics.median(calls)
        figures[f"stats_batched_{count}_draws_s"] = batched_s
        figures[f"stats_one_layer_{count}_calls_s"] = calls_s
        figures[f"stats_speedup_over_one_layer_{count}"] = calls_s / batched_s
    figures["stats_tf_keras_replay_1000_draws_s"] = _seconds(
        lambda: compute_stats(spec.replace(engine="tf-keras"), 1000)
    )
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
