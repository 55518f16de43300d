"""Engine figures: the `print --json` command, and `compute()` against one call of an
already built Keras `Dropout` layer on the same tensor.

Wall-clock seconds, medians over repeats. `cli_print_json_s` is a whole
`python -m dropgui print --json --shape 3,3,4` process, start to exit, as a user of the
command waits for it (three runs). `compute_s_<shape>` is `dropgui.compute()` of the
default spec (Dropout 0.5, arange input, keras3) with a new seed each time, as stepping
the seed in the window does: it reuses its built layer, reads its own input and returns
NumPy arrays. `raw_dropout_call_s_<shape>` is the baseline: a
`keras.layers.Dropout(0.5, seed=0)` built, and called once, outside the timed region;
each timed repeat is only its next call on a prebuilt tf tensor `x` of the same values,
materialised as `compute()` materialises its output:
`np.asarray(layer(x, training=True))`. `compute_over_raw_<shape>` divides the two
medians (target, run.py: at most 2.5x at (8, 512, 768)). The timings are interleaved
(compute, call, compute, call, ...) after one untimed warm-up of each, so that a change
in machine load hits both alike. TensorFlow's import is in bench_startup.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from _common import REPO_ROOT, child_env

SHAPES = {(32, 20, 16): 60, (8, 512, 768): 15}
"""Shape -> number of timed repeats (after one untimed warm-up)."""

SUBPROCESS_REPEATS = 3


def _wall(command: list[str]) -> float:
    env = child_env()
    start = time.perf_counter()
    subprocess.run(
        command,
        cwd=REPO_ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def _interleaved_medians(functions: dict[str, object], repeats: int) -> dict[str, float]:
    """Median time of each function, called in turn within every repeat, so that a
    change in machine load during the run affects all of them alike."""
    for function in functions.values():
        function(0)  # warm-up: first-call tracing and allocation
    times: dict[str, list[float]] = {name: [] for name in functions}
    for i in range(1, repeats + 1):
        for name, function in functions.items():
            start = time.perf_counter()
            function(i)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def _shape_figures(shape: tuple[int, int, int], repeats: int) -> dict[str, float]:
    import numpy as np

    import dropgui
    from dropgui.engine import load_tensorflow

    mods = load_tensorflow()  # silences TensorFlow's start-up noise on the way
    keras, tf = mods.keras, mods.tf

    spec = dropgui.Spec(shape=shape)
    x = tf.constant(np.arange(1, np.prod(shape) + 1, dtype=np.float32).reshape(shape))
    layer = keras.layers.Dropout(0.5, seed=0)
    np.asarray(layer(x, training=True))  # built, and its first call made, untimed

    def compute(seed: int) -> None:
        dropgui.compute(spec.replace(seed=seed))

    def layer_call(_: int) -> None:
        np.asarray(layer(x, training=True))  # the built layer's next draw

    name = "x".join(str(n) for n in shape)
    medians = _interleaved_medians({"compute": compute, "call": layer_call}, repeats)
    return {
        f"compute_s_{name}": medians["compute"],
        f"raw_dropout_call_s_{name}": medians["call"],
        f"compute_over_raw_{name}": medians["compute"] / medians["call"],
    }


def run() -> dict[str, float]:
    cli = [sys.executable, "-m", "dropgui", "print", "--json", "--shape", "3,3,4"]
    figures = {"cli_print_json_s": statistics.median(_wall(cli) for _ in range(SUBPROCESS_REPEATS))}
    for shape, repeats in SHAPES.items():
        figures.update(_shape_figures(shape, repeats))
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
