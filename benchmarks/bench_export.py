"""Export figures: a PNG of the classic (3, 3, 4) and a 20-frame GIF of it, against compute().

Each export is the whole job `dropgui export` does after its checks, in process:
`run_export(plan)` computes every frame with `dropgui.compute()` (the core), hands it to
the image writer registered by `dropgui/_qt/image_export.py`, which draws it on an
offscreen GridFigure and encodes it, and writes the file atomically. The ratio divides
that by the time of `compute()` alone over the same seeds (1 seed for the PNG, 20 for
the GIF), so it says what drawing and encoding cost on top of the computation.
`export_gif20_draw_s_3x3x4` is the same GIF from frames already computed, as the export
dialog gets them from the worker: the work the GUI thread does for it.

Wall-clock seconds, medians over repeats after one untimed warm-up (TensorFlow loaded,
QApplication created, first-call tracing done). Qt runs offscreen, with empty temporary
settings.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import isolate_settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHAPE = (3, 3, 4)
GIF_FRAMES = 20
REPEATS = {"png": 15, "gif": 5}


def _median(function: Callable[[int], object], repeats: int) -> float:
    function(0)  # warm-up
    times = []
    for i in range(1, repeats + 1):
        start = time.perf_counter()
        function(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run() -> dict[str, float]:
    isolate_settings()
    import dropgui
    from dropgui._qt import image_export  # noqa: F401  registers the image writers
    from dropgui._qt.app import get_qapp
    from dropgui.export import compute_frames, plan_export, run_export

    get_qapp()
    spec = dropgui.Spec(shape=SHAPE)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)

        def png(i: int) -> None:
            run_export(plan_export(spec.replace(seed=i), out / f"grids_{i}.png"))

        def gif(i: int) -> None:
            seeds = range(i * GIF_FRAMES, (i + 1) * GIF_FRAMES)
            run_export(plan_export(spec, out / f"seeds_{i}.gif", seeds=seeds))

        gif_plan = plan_export(spec, out / "drawn.gif", seeds=range(GIF_FRAMES))
        computed = list(compute_frames(gif_plan.frames))

        def gif_drawn(i: int) -> None:
            run_export(gif_plan, frames=computed)

        def compute_one(i: int) -> None:
            dropgui.compute(spec.replace(seed=i))

        def compute_many(i: int) -> None:
            for seed in range(i * GIF_FRAMES, (i + 1) * GIF_FRAMES):
                dropgui.compute(spec.replace(seed=seed))

        png_s = _median(png, REPEATS["png"])
        compute_png_s = _median(compute_one, REPEATS["png"])
        gif_s = _median(gif, REPEATS["gif"])
        compute_gif_s = _median(compute_many, REPEATS["gif"])
        gif_drawn_s = _median(gif_drawn, REPEATS["gif"])
        gif_bytes = (out / "seeds_1.gif").stat().st_size
    return {
        "export_png_s_3x3x4": png_s,
        "export_png_over_compute_3x3x4": png_s / compute_png_s,
        "export_gif20_s_3x3x4": gif_s,
        "export_gif20_over_compute_3x3x4": gif_s / compute_gif_s,
        "export_gif20_draw_s_3x3x4": gif_drawn_s,
        "export_gif20_kb_3x3x4": gif_bytes / 1024,
    }


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name:<34} {value:.4g}")
