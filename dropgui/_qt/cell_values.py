"""The value printed in each heatmap cell that is large enough on screen to hold it.

One item per heatmap paints the values of the visible cells only, so a (512, 768) slice
costs nothing until it is zoomed in far enough to read, and labels never outnumber what
fits. The font follows the cell size (up to `MAX_FONT_PX`); when the longest visible
value does not fit at `MIN_FONT_PX`, the panel prints none, and its hover line still
tells every value. Text is dark on light cells and white on dark or dropped ones.

`label_rects()` returns the rectangles `paint` draws into, in scene coordinates, so the
tests check the drawing itself for overlaps.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QTransform
from PySide6.QtWidgets import QGraphicsItem

MAX_FONT_PX = 13.0
MIN_FONT_PX = 7.0
CELL_PADDING = 3.0
"""Scene pixels kept free on each side of a printed value."""
SIGNIFICANT = 3
MAX_LABELS = 20_000
"""More visible cells than this cannot each hold a legible value on any screen."""
DARK_TEXT = QColor(20, 20, 20)
LIGHT_TEXT = QColor(255, 255, 255)


def format_value(value: float) -> str:
    """Plain notation, never 1.4e+02: 3 significant digits, but never fewer digits than
    the whole part has (1831 stays 1831, 140.23 becomes 140, 0.031234 becomes 0.0312)."""
    if not np.isfinite(value):
        return str(value)
    if abs(value) < 1:
        return np.format_float_positional(
            value, precision=SIGNIFICANT, unique=False, fractional=False, trim="-"
        )
    whole_digits = len(str(int(abs(value))))
    text = f"{value:.{max(0, SIGNIFICANT - whole_digits)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_values(values: np.ndarray, integral: bool) -> list[str]:
    """Whole numbers as such, else each value by `format_value`."""
    if integral:
        return [f"{value:.0f}" for value in values.ravel().tolist()]
    return [format_value(value) for value in values.ravel().tolist()]


def is_integral(*arrays: np.ndarray) -> bool:
    """Whether every value is a whole number small enough to print in full."""
    for array in arrays:
        finite = array[np.isfinite(array)]
        if finite.size and (np.abs(finite).max() >= 1e6 or np.any(finite != np.round(finite))):
            return False
    return True


class CellValues(QGraphicsItem):
    """Values of a (rows, columns) heatmap whose cell (r, c) is centred on (c, r)."""

    def __init__(self) -> None:
        super().__init__()
        self.values = np.zeros((0, 0), dtype=np.float32)
        self.dropped: np.ndarray | None = None
        self.integral = True
        self.chars = 1
        self.lut = np.zeros((256, 3))
        self.levels = (0.0, 1.0)
        self.setZValue(3)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresParentOpacity)

    def set_values(
        self,
        values: np.ndarray,
        dropped: np.ndarray | None,
        levels: tuple[float, float],
        color_map: pg.ColorMap,
        integral: bool,
        chars: int = 1,
    ) -> None:
        """Show `values`; `dropped` cells (filled in the dropped colour) get white text.

        `chars`: the longest value of the whole figure, so neighbouring panels decide
        alike whether their values fit."""
        if values.shape != self.values.shape:
            self.prepareGeometryChange()
        self.values, self.dropped, self.levels = values, dropped, levels
        self.integral, self.chars = integral, chars
        self.lut = color_map.getLookupTable(nPts=256, mode="byte")[:, :3]
        self.update()

    def boundingRect(self) -> QRectF:
        rows, columns = self.values.shape
        return QRectF(-0.5, -0.5, columns, rows)

    def _visible_cells(self) -> tuple[slice, slice] | None:
        """Rows and columns of the cells inside the view box, or None."""
        box = self.getViewBox()
        if box is None or self.values.size == 0:
            return None
        (x0, x1), (y0, y1) = box.viewRange()
        rows, columns = self.values.shape
        r0, r1 = max(0, int(np.floor(y0 + 0.5))), min(rows, int(np.ceil(y1 + 0.5)))
        c0, c1 = max(0, int(np.floor(x0 + 0.5))), min(columns, int(np.ceil(x1 + 0.5)))
        if r0 >= r1 or c0 >= c1:
            return None
        return slice(r0, r1), slice(c0, c1)

    def getViewBox(self):
        parent = self.parentItem()
        while parent is not None and not isinstance(parent, pg.ViewBox):
            parent = parent.parentItem()
        return parent

    def layout(self, to_scene: QTransform | None = None):
        """What `paint` draws: the font, then (rect in scene units, text, colour) per cell.

        Empty when no value fits. `to_scene` maps this item's coordinates to the scene
        (its sceneTransform by default).
        """
        cells = self._visible_cells()
        if cells is None:
            return None, []
        to_scene = self.sceneTransform() if to_scene is None else to_scene
        cell_w = abs(to_scene.m11()) + abs(to_scene.m21())
        cell_h = abs(to_scene.m22()) + abs(to_scene.m12())
        rows, columns = cells
        font = QFont()
        font.setPixelSize(100)
        metrics = QFontMetricsF(font)
        digit = metrics.horizontalAdvance("0") / 100
        count = (rows.stop - rows.start) * (columns.stop - columns.start)
        if (
            0.55 * cell_h < MIN_FONT_PX
            or cell_w - 2 * CELL_PADDING < MIN_FONT_PX * digit * self.chars
            or count > MAX_LABELS
        ):  # too small to read: decided before a single value is formatted
            return None, []
        shown = self.values[rows, columns]
        # whole numbers only where every shown value is one (the figure's flag is a hint
        # from a sample)
        texts = format_values(shown, self.integral and is_integral(shown))
        longest = (
            max(
                max(metrics.horizontalAdvance(text) for text in texts),
                self.chars * metrics.horizontalAdvance("0"),
            )
            / 100
        )
        size = min(MAX_FONT_PX, 0.55 * cell_h, (cell_w - 2 * CELL_PADDING) / max(longest, 1e-6))
        if size < MIN_FONT_PX:
            return None, []
        font.setPixelSize(int(size))
        low, high = self.levels
        # in float64: values near float32's largest would overflow on the way
        index = np.clip((shown.astype(np.float64) - low) / ((high - low) or 1.0) * 255, 0, 255)
        rgb = self.lut[np.nan_to_num(index).astype(int)]
        dark = (rgb @ np.array([0.299, 0.587, 0.114])) > 140
        if self.dropped is not None:
            dark &= ~self.dropped[rows, columns]
        # Only values whole inside the view box: one cut at its edge would spill over
        # the next panel.
        inside = self.getViewBox().sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5)
        text_metrics = QFontMetricsF(font)
        labels = []
        for (r, c), text, is_dark in zip(
            np.ndindex(shown.shape), texts, dark.ravel().tolist(), strict=True
        ):
            centre = to_scene.map(QPointF(columns.start + c, rows.start + r))
            rect = QRectF(centre.x() - cell_w / 2, centre.y() - cell_h / 2, cell_w, cell_h)
            if inside.contains(text_metrics.boundingRect(rect, Qt.AlignmentFlag.AlignCenter, text)):
                labels.append((rect, text, DARK_TEXT if is_dark else LIGHT_TEXT))
        return font, labels

    def label_rects(self) -> list[QRectF]:
        """The scene rectangles the printed values take (their text's bounds)."""
        font, labels = self.layout()
        if font is None:
            return []
        metrics = QFontMetricsF(font)
        rects = []
        for cell, text, _ in labels:
            bounds = metrics.boundingRect(cell, Qt.AlignmentFlag.AlignCenter, text)
            rects.append(bounds)
        return rects

    def paint(self, painter: QPainter, option, widget=None) -> None:
        to_scene = self.sceneTransform()
        font, labels = self.layout(to_scene)
        if font is None:
            return
        # Draw in scene units: text keeps its size whatever the data's scale, and an
        # export at 2x (which scales the painter) scales the text with everything else.
        scene_to_device = to_scene.inverted()[0] * painter.transform()
        painter.save()
        painter.setTransform(scene_to_device)
        painter.setFont(font)
        for rect, text, colour in labels:
            painter.setPen(colour)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


__all__ = ["CellValues", "format_values", "is_integral"]
