"""A filmstrip of every batch slice's keep mask: small, clickable, the focused one marked.

The slices stack down a narrow strip at the right of the grids.

When the slices cannot all be shown at a legible size, the grids show one slice large
and this strip shows all of them side by side (napari's dims slider and a filmstrip are
the models): kept cells light, dropped cells in the dropped colour, GaussianDropout's
factors in their own map. A click on a slice focuses it. Hovering a word id marks the
rows where it occurs in every slice.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, QRectF
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsRectItem

from ..result import Result
from .style import DROPPED, NOISE_MAP, OCCURRENCE
from .theme import LIGHT, Theme

KEPT_GREY = 225
MASK_COLOURS = np.array([[255, 255, 255], [KEPT_GREY] * 3, DROPPED], dtype=np.ubyte)
"""Gap, kept, dropped: the strip's colours, by index."""
GAP = 0.25
"""White space between two slices of the strip, as a share of a slice's width."""
STRIP_WIDTH = 90
"""Pixels across the strip, at the right of the grids."""


class Overview(pg.PlotItem):
    """All B slices' keep masks in one row; `slice_at` tells which one a point is in."""

    def __init__(self, theme: Theme = LIGHT, pen_scale: float = 1.0) -> None:
        super().__init__()
        self.theme = theme
        self.setMenuEnabled(False)
        self.hideButtons()
        self.hideAxis("left")
        self.hideAxis("bottom")
        self.setMouseEnabled(False, False)
        self.invertY(True)
        self.setDefaultPadding(0.02)
        self.vb.setAspectLocked(True)
        self.setMaximumWidth(STRIP_WIDTH)
        self.setTitle("", size="9pt")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.addItem(self.image)
        self.focus_box = QGraphicsRectItem()
        pen = QPen(QColor(*theme.foreground), 3 * pen_scale)
        pen.setCosmetic(True)
        self.focus_box.setPen(pen)
        self.focus_box.setZValue(3)
        self.addItem(self.focus_box)
        self.occurrences = QGraphicsPathItem()
        pen = QPen(QColor(*OCCURRENCE), 2 * pen_scale)
        pen.setCosmetic(True)
        self.occurrences.setPen(pen)
        self.occurrences.setZValue(2)
        self.addItem(self.occurrences)
        self.shape: tuple[int, int, int] | None = None
        self._strip: np.ndarray | None = None

    @property
    def pitch(self) -> float:
        """Distance from one slice's top edge to the next one's (slices stack down)."""
        return self.shape[1] + max(1.0, GAP * self.shape[1])

    def _top(self, index: int) -> int:
        return round(index * self.pitch)

    def show_result(self, result: Result, focus: int) -> None:
        """Draw every slice of `result` and mark slice `focus`.

        The strip is one image of indices into a small colour table: 0 the gap between
        slices, 1 a kept cell, 2 a dropped one; Gaussian factors index a 256-colour map
        instead. Writing indices costs a fraction of writing colours."""
        batch, seq_len, dim = result.shape
        if self.shape != result.shape:
            self.shape = result.shape
            height = self._top(batch - 1) + seq_len
            self._strip = np.zeros((height, dim), dtype=np.ubyte)
            self.vb.setRange(QRectF(-0.5, -0.5, dim, height), padding=0.06)
        strip = self._strip
        if result.noise is not None:
            low, high = result.noise_levels
            for index in range(batch):
                tile = strip[self._top(index) : self._top(index) + seq_len]
                scaled = (result.noise[index] - low) * (254 / (high - low)) + 1
                np.clip(np.nan_to_num(scaled), 1, 255, out=scaled)
                tile[:] = scaled
            factors = NOISE_MAP.getLookupTable(nPts=255, mode="byte")[:, :3]
            lut = np.vstack([[255, 255, 255], factors]).astype(np.ubyte)
        else:
            for index in range(batch):
                tile = strip[self._top(index) : self._top(index) + seq_len]
                np.subtract(2, result.keep_mask[index], out=tile, casting="unsafe")
            lut = MASK_COLOURS
        self.image.setImage(
            strip, lut=lut, levels=(0, 255 if lut is not MASK_COLOURS else 2), autoLevels=False
        )
        self.image.setRect(QRectF(-0.5, -0.5, strip.shape[1], strip.shape[0]))
        self.set_focus(focus)
        title = QCoreApplication.translate("Overview", "all {batch} slices").format(batch=batch)
        self.setTitle(title, color=self.theme.foreground, size="9pt")

    def set_focus(self, focus: int) -> None:
        """Frame slice `focus`."""
        self.focus_box.setRect(QRectF(-0.5, self._top(focus) - 0.5, self.shape[2], self.shape[1]))

    def slice_at(self, scene_pos: QPointF) -> int | None:
        """The slice under a scene position, or None."""
        if self.shape is None or not self.vb.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.vb.mapSceneToView(scene_pos)
        y = point.y() + 0.5
        index = int(y // self.pitch)
        inside = 0 <= y - self._top(index) <= self.shape[1]
        if 0 <= index < self.shape[0] and inside and -0.5 <= point.x() <= self.shape[2] - 0.5:
            return index
        return None

    def mark_rows(self, rows: list[tuple[int, int]]) -> None:
        """Outline the (slice, token) rows given: where a hovered word id occurs."""
        path = QPainterPath()
        for index, row in rows:
            path.addRect(QRectF(-0.5, self._top(index) + row - 0.5, self.shape[2], 1))
        self.occurrences.setPath(path)


__all__ = ["Overview"]
