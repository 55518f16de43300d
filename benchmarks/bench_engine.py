"""Engine figures: TensorFlow's import, the `print --json` command, and `compute()`
against one raw Keras `Dropout` call on the same tensor.

All times are wall-clock seconds, medians over repeats. `compute()` runs the default
spec (Dropout 0.5, arange input, keras3) with a new seed each time, as stepping the seed
in the window does. The raw call is `keras.layers.Dropout(0.5, seed=s)(x, training=True)`
on a prebuilt tf tensor `x`: `raw_dropout_s` builds the layer inside the timed region,
as `compute()` does; `raw_dropout_call_s` times further calls of one built layer only.
The in-process timings are interleaved (compute, raw, call, compute, ...) so that a
change in machine load during the run hits them alike.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

SHAPES = {(32, 20, 16): 60, (8, 512, 768): 15}
"""Shape -> number of timed repeats (after one untimed warm-up)."""

SUBPROCESS_REPEATS = 3
TARGET_RATIO = 2.5
"""Issue 2: compute() at most 2.5x the raw call at (8, 512, 768)."""


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, cwd=REPO_ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def _median_wall(command: list[str]) -> float:
    return statistics.median(_wall(command) for _ in range(SUBPROCESS_REPEATS))


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

    load_tensorflow()  # silences TensorFlow's start-up noise on the way
    import keras
    import tensorflow as tf

    spec = dropgui.Spec(shape=shape)
    x = tf.constant(np.arange(1, np.prod(shape) + 1, dtype=np.float32).reshape(shape))

    def compute(seed: int) -> None:
        dropgui.compute(spec.replace(seed=seed))

    def raw(seed: int) -> None:
        keras.layers.Dropout(0.5, seed=seed)(x, training=True)

    built = keras.layers.Dropout(0.5, seed=0)

    def raw_call(seed: int) -> None:
        built(x, training=True)  # the layer's next draw; built on the warm-up call

    name = "x".join(str(n) for n in shape)
    medians = _interleaved_medians({"compute": compute, "raw": raw, "call": raw_call}, repeats)
    compute_s, raw_s, call_s = medians["compute"], medians["raw"], medians["call"]
    return {
        f"compute_s_{name}": compute_s,
        f"raw_dropout_s_{name}": raw_s,
        f"raw_dropout_call_s_{name}": call_s,
        f"compute_over_raw_{name}": compute_s / raw_s,
        f"compute_over_raw_call_{name}": compute_s / call_s,
    }


def run() -> dict[str, float | bool]:
    figures: dict[str, float | bool] = {
        "import_tensorflow_s": _median_wall([sys.executable, "-c", "import tensorflow"]),
        "cli_print_json_s": _median_wall(
            [sys.executable, "-m", "dropgui", "print", "--json", "--shape", "3,3,4"]
        ),
    }
    for shape, repeats in SHAPES.items():
        figures.update(_shape_figures(shape, repeats))
    figures["compute_over_raw_target"] = TARGET_RATIO
    figures["compute_over_raw_meets_target"] = figures["compute_over_raw_8x512x768"] <= TARGET_RATIO
    return figures
