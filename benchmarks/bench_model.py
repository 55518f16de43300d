"""Opening a saved Keras model: File -> Open model… to its first grids, next to
`keras.saving.load_model` on the same file, in the same process and run.

The model is the README's (resources/readme/make_model.py): TextVectorization ->
Embedding(1000, 16) -> SpatialDropout1D(0.2) -> GRU(8, dropout=0.3) -> Dense, saved as
.keras. One window (first launch, empty settings, TensorFlow loaded) opens it; the time
runs from `controls.open_model(path)` (what the menu calls once a file is chosen) to the
grids painted: the file's configuration read and checked, the model loaded with
`safe_mode=True`, the Embedding and the layer computed, the grids drawn and painted.
The baseline is what a user's script does to get that far: `keras.saving.load_model(path,
safe_mode=True)` in the same warm process, timed the same way (call to return), doing
nothing else. Each round uses fresh copies of the file (nothing is cached by path or by
file identity); one warm-up round of each is not counted; the median of the rest.
"""

from __future__ import annotations

import importlib.util
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from _common import REPO_ROOT, open_window

ROUNDS = 6
WARM_UP = 1


def _build_model(folder: Path) -> Path:
    spec = importlib.util.spec_from_file_location(
        "make_model", REPO_ROOT / "resources" / "readme" / "make_model.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Path(module.build(str(folder / "review.keras")))


def run() -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from dropgui import Spec
    from dropgui.tf_loader import load_tensorflow

    window, wait_for_grids = open_window(Spec())
    keras = load_tensorflow().keras
    folder = Path(tempfile.mkdtemp(prefix="dropgui-bench-model-"))
    try:
        original = _build_model(folder)
        ours, theirs = [], []
        for i in range(WARM_UP + ROUNDS):
            baseline_copy = shutil.copyfile(original, folder / f"load_{i}.keras")
            window_copy = shutil.copyfile(original, folder / f"open_{i}.keras")

            start = time.perf_counter()
            keras.saving.load_model(baseline_copy, safe_mode=True)
            theirs.append(time.perf_counter() - start)

            start = time.perf_counter()
            if not window.controls.open_model(str(window_copy)):
                raise RuntimeError(window.controls.input_error.text())
            wait_for_grids()
            QApplication.processEvents()  # the grids paint once, as on screen
            ours.append(time.perf_counter() - start)
            if window.result.spec.model != str(window_copy):
                raise RuntimeError("the grids drawn are not the opened model's")
    finally:
        window.close()
        shutil.rmtree(folder, ignore_errors=True)
    open_s = statistics.median(ours[WARM_UP:])
    load_s = statistics.median(theirs[WARM_UP:])
    return {
        "model_open_to_first_grids_s": open_s,
        "keras_load_model_s": load_s,
        "model_open_over_load_model": open_s / load_s,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
