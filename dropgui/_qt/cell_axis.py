"""An axis of heatmap cells: one tick per cell centre, thinned so no two labels overlap.

pyqtgraph's own tick spacing is made for continuous data; a heatmap wants whole cells,
and labels such as "t12 · id 905" that must never print on top of each other however
far the grid is zoomed out. `CellAxis.tickValues` picks the smallest step of 1, 2, 5,
10, 20, 50, ... cells whose spacing on screen holds the longest (bottom) or tallest
(left) label of the visible range, so labels are thinned exactly when they would touch.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

from .theme import LIGHT, Theme

LABEL_GAP = 6
"""Pixels kept free between two neighbouring tick labels side by side (bottom axis)."""
LINE_GAP = 1
"""Pixels between two row labels one above the other (left axis): lines of text, so
every row of a 20 px grid keeps its word."""


def cell_steps():
    """1, 2, 5, 10, 20, 50, ... : the steps tick labels are thinned by."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            yield step * factor
        step *= 10


class CellAxis(pg.AxisItem):
    """Ticks at whole cells 0..count-1, labelled by `label(index)`, thinned to fit."""

    def __init__(self, orientation: str, theme: Theme = LIGHT) -> None:
        super().__init__(orientation, pen=theme.foreground, textPen=theme.foreground)
        self.cell_count = 0
        self.cell_label: Callable[[int], str] = str
        self.setStyle(hideOverlappingLabels=False, autoExpandTextSpace=False)

    def set_cells(self, count: int, label: Callable[[int], str] = str) -> None:
        """`count` cells, cell i labelled `label(i)`; redraws the axis."""
        self.cell_count, self.cell_label = count, label
        self.picture = None
        self.update()

    def _label_extent(self, first: int, last: int) -> float:
        """Pixels one label takes along the axis: the widest (bottom) or the height
        (left) of the labels between cells `first` and `last`."""
        metrics = QFontMetricsF(self.style.get("tickFont") or self.font())
        if self.orientation in ("left", "right"):
            return metrics.height()
        # Sample the range: ids and numbers grow with the index, so the widest is near
        # the end; a few hundred samples bound the cost at any zoom.
        stride = max(1, (last - first) // 200)
        indices = [*list(range(first, last + 1, stride)), last]
        return max(metrics.horizontalAdvance(self.cell_label(i)) for i in indices)

    def tick_step(self, low: float, high: float, pixels: float) -> int:
        """Cells between two labelled ticks when the axis shows [low, high] in `pixels`."""
        if self.cell_count == 0 or pixels <= 0 or high <= low:
            return 1
        first = max(0, math.ceil(low))
        last = min(self.cell_count - 1, math.floor(high))
        if last < first:
            return 1
        per_cell = pixels / (high - low)
        gap = LINE_GAP if self.orientation in ("left", "right") else LABEL_GAP
        extent = self._label_extent(first, last) + gap
        return next(step for step in cell_steps() if step * per_cell >= extent)

    def tickValues(self, minVal, maxVal, size):
        if self.cell_count == 0:
            return []
        low, high = sorted((minVal, maxVal))  # an inverted axis passes them reversed
        step = self.tick_step(low, high, size)
        first = math.ceil(max(low, 0) / step) * step
        last = min(self.cell_count - 1, math.floor(high))
        return [(step, list(range(first, last + 1, step)))]

    def tickStrings(self, values, scale, spacing):
        return [self.cell_label(round(value)) for value in values]


__all__ = ["CellAxis", "cell_steps"]
