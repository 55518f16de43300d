"""View figures: one zoom or pan frame of the grids at (1, 512, 768), in process, offscreen.

The window (opened as on first launch, with empty temporary settings) is set to
`Spec(shape=(1, 512, 768))` (arange input, Dropout(0.5)) and its grids are drawn. Then
each frame changes the view of the first grid panel's ViewBox
(`window.figure.panels[0].plot.vb`), cycling through: zoom in (`scaleBy((0.8, 0.8))`),
pan (`translateBy` by a tenth of the visible width and height), zoom out
(`scaleBy((1.25, 1.25))`), pan back; and then paints. A frame is timed from the view
change to the end of the paint, so it includes whatever the change sets off in linked
panels, axes and labels. Two ways to paint, alternating by cycle of four frames:

* `zoom_pan_frame_ms_*` (the target's figure): `QApplication.processEvents()`, which
  delivers the one paint of the changed region that the event loop delivers on screen.
  Were no paint event delivered to the figure's viewport, `viewport().repaint()` would
  force one; the section counts paint events and fails if a frame painted nothing.
* `zoom_pan_repaint_ms_*` (an upper bound): `processEvents()`, then
  `window.figure.viewport().repaint()` as well, which synchronously (checked, offscreen)
  repaints the whole figure a second time.

44 frames of each way (fewer when the frames have taken more than 20 s in all, but at
least two cycles of each), the first cycle of each way dropped as warm-up; median and
95th percentile in milliseconds. Target (run.py): `zoom_pan_frame_ms_median_1x512x768` within
one 60 Hz frame, 16.7 ms.
"""

from __future__ import annotations

import time

import numpy as np
from _common import open_window

SHAPE = (1, 512, 768)
CYCLES = 22
"""Cycles of four frames (zoom in, pan, zoom out, pan back), half of them per paint way."""
MIN_CYCLES = 4
BUDGET_S = 20.0
"""After this many seconds of frames, stop once MIN_CYCLES are done: a slow view must
not stretch the run by minutes (its figures are then medians of fewer frames)."""


def _paint_counter(widget):
    """An event filter counting the paint events `widget` receives."""
    from PySide6.QtCore import QEvent, QObject

    class PaintCounter(QObject):
        count = 0

        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    counter = PaintCounter()
    widget.installEventFilter(counter)
    return counter


def run() -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from dropgui import Spec

    window, _ = open_window(Spec(shape=SHAPE))
    try:
        figure = window.figure
        vb = figure.panels[0].plot.vb
        viewport = figure.viewport()
        painted = _paint_counter(viewport)

        def pan(sign: float) -> None:
            rect = vb.viewRect()
            vb.translateBy(x=sign * rect.width() / 10, y=sign * rect.height() / 10)

        cycle = (
            lambda: vb.scaleBy((0.8, 0.8)),
            lambda: pan(1.0),
            lambda: vb.scaleBy((1.25, 1.25)),
            lambda: pan(-1.0),
        )
        QApplication.processEvents()
        frames: dict[str, list[float]] = {"frame": [], "repaint": []}
        began = time.perf_counter()
        for i in range(CYCLES):
            if i >= MIN_CYCLES and time.perf_counter() - began > BUDGET_S:
                break
            way = "frame" if i % 2 == 0 else "repaint"
            for change in cycle:
                before = painted.count
                start = time.perf_counter()
                change()
                QApplication.processEvents()  # the paint the event loop delivers
                if way == "repaint" or painted.count == before:
                    viewport.repaint()  # a synchronous paint of the whole figure
                frames[way].append(time.perf_counter() - start)
                if painted.count == before:
                    raise RuntimeError("a zoom/pan frame painted nothing in the figure")
        viewport.removeEventFilter(painted)
    finally:
        window.close()
    key = "x".join(map(str, SHAPE))
    figures = {}
    for way, seconds in frames.items():
        ms = np.array(seconds[len(cycle) :]) * 1000  # the first cycle warms up
        figures[f"zoom_pan_{way}_ms_median_{key}"] = float(np.median(ms))
        figures[f"zoom_pan_{way}_ms_p95_{key}"] = float(np.percentile(ms, 95))
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
