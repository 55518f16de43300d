"""One heatmap of one batch slice: values, dropped cells, structural bands, margins.

A panel is a pyqtgraph PlotItem laid out like pyqtgraph's MatrixDisplayExample
(row-major ImageItem, cells centred on whole numbers, token 0 on top) with square cells
(the view box keeps its aspect ratio), `CellAxis` ticks that never overlap, the values
of cells large enough to print them (`CellValues`), and on top:

- dropped cells, taken from the keep mask (never from zeros in the output): filled in
  the dropped colour in an after grid, outlined in the before grid; small slices get one
  path item per cell (an element of its own in SVG), larger ones one overlay image. A
  dropped cell of an after grid also gets a light ring (`DroppedRings`) wherever its
  cells are large enough on screen, so it is marked by a shape too, never by colour
  alone;
- a band around each token (row) or channel (column) dropped whole where the mode or
  the noise_shape makes that one decision, and a faint dashed outline where element
  dropout emptied one by chance;
- count bars of dropped cells per token and per channel, in a neutral colour, beside
  after grids;
- the hovered cell, and every position of a hovered word id.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QTextDocumentFragment, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsRectItem, QSizePolicy

from .cell_axis import CellAxis
from .cell_values import CellValues
from .style import (
    DROPPED,
    DROPPED_RING,
    NEUTRAL,
    OCCURRENCE,
    cell_at,
)
from .theme import LIGHT, Theme

translate = QCoreApplication.translate

CELL_ITEMS = 16 * 16
"""Slices up to this many cells draw each dropped cell as an item of its own."""
OUTLINED_CELLS = 32 * 32
"""Up to this many cells the before grid outlines dropped cells; above, it tints them."""
BEFORE_TINT = 110
OUTLINE_PIXELS = 6
"""Sub-pixels per cell of the before grid's outline image: a ring one sub-pixel wide."""
HUGE = 1e30
"""Beyond this magnitude a slice is drawn from a float64 copy (float32 near 3.4e38
overflows inside pyqtgraph's rescaling)."""
MIN_LINE_CELL_PX = 4.0
"""Cells narrower than this many pixels get no band or chance outline."""
DOWNSAMPLED_SIDE = 8_192
"""Slices longer than this on a side are painted at screen resolution (a slice 16
million channels wide is never painted whole); shorter ones at full resolution, which
keeps zooming and panning cheap."""
MAX_LINES = 2_000
"""More whole rows and columns than this get no outline each (the count bars show them)."""
MAX_BARS = 4_096
"""Above this many tokens or channels the count bars are binned."""
COLUMN_GAP = 4
"""Pixels between two columns of the figure's layout."""
BAR_SIZE = 44
"""Pixels across a marginal count-bar plot: never more than the grid it counts."""
MIN_RING_CELL_PX = 6.0
"""Dropped cells of an after grid get their ring from this many pixels a cell on: a ring
in a smaller cell would cover most of its colour."""
MAX_RING_CELLS = 20_000
"""More visible cells than this get no rings (cells are a few pixels then, whatever the
screen); the cost of a paint stays bounded at any zoom."""


def _pen(rgb: tuple[int, int, int], width: float, style=Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QColor(*rgb), width)
    pen.setCosmetic(True)
    pen.setStyle(style)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return pen


class DroppedCell(QGraphicsPathItem):
    """The mark of one dropped cell of a small slice (named so in SVG exports).

    A path rather than a rect item: pyqtgraph's SVG exporter maps paths into scene
    coordinates, so their outlines keep their width in viewers without SVG 1.2's
    non-scaling strokes (librsvg, ImageMagick).
    """

    def __init__(self, left: float, top: float, size: float) -> None:
        path = QPainterPath()
        path.addRect(QRectF(left, top, size, size))
        super().__init__(path)


class FreeLabel(pg.LabelItem):
    """A LabelItem that may be narrower than its text: a long title or legend line never
    widens the figure past its window (pyqtgraph pins a label's minimum to its text).
    Text beyond its width is cut at its edge, never drawn over a neighbour's, and the
    whole text is its tooltip."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape)

    def setText(self, text: str, **args) -> None:
        super().setText(text, **args)
        self.setToolTip(QTextDocumentFragment.fromHtml(text).toPlainText())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.item.pos().x() < 0:  # wider than the label: its start stays in view
            self.item.setPos(0, self.item.pos().y())

    def updateMin(self) -> None:
        super().updateMin()
        self.setMinimumWidth(0)
        for hint in (Qt.SizeHint.MinimumSize, Qt.SizeHint.PreferredSize):
            self._sizeHint[hint] = (0, self._sizeHint[hint][1])
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.updateGeometry()


class DroppedRings(pg.GraphicsObject):
    """A light ring just inside each visible dropped cell of an after grid.

    The fill says "dropped" by colour; the ring says it by shape, for readers who cannot
    tell the colours apart (and on a grey-scale print): adjacent dropped cells stay
    separate tiles, and no value cell of the colour map has a ring. One item serves the
    per-cell fills of small slices and the overlay image of large ones; like the printed
    values (`CellValues`) it paints only the cells in view, and only when they are at
    least MIN_RING_CELL_PX on screen.

    Drawn in scene units, so the ring keeps its look at any zoom and an export at 2x
    (which scales the painter) draws it at twice the device pixels, not upscaled.
    """

    def __init__(self) -> None:
        super().__init__()
        self.dropped: np.ndarray | None = None
        self._cache: tuple[tuple, float, list[QRectF]] | None = None
        self.setZValue(1.5)  # above the fills, below bands, values and hover

    def set_dropped(self, dropped: np.ndarray | None) -> None:
        """Ring the True cells of a (S, D) dropped mask; None for none."""
        old = None if self.dropped is None else self.dropped.shape
        if old != (None if dropped is None else dropped.shape):
            self.prepareGeometryChange()
        self.dropped = dropped
        self._cache = None
        self.update()

    def boundingRect(self) -> QRectF:
        if self.dropped is None:
            return QRectF()
        rows, columns = self.dropped.shape
        return QRectF(-0.5, -0.5, columns, rows)

    def rings(self, to_scene: QTransform | None = None) -> tuple[float, list[QRectF]]:
        """What `paint` draws: the pen width and one rectangle per ring, in scene units;
        (0, []) when the cells are too small or too many, or none is dropped."""
        box = self.getViewBox()
        if self.dropped is None or box is None or not self.dropped.any():
            return 0.0, []
        to_scene = self.sceneTransform() if to_scene is None else to_scene
        cell_w = abs(to_scene.m11()) + abs(to_scene.m21())
        cell_h = abs(to_scene.m22()) + abs(to_scene.m12())
        cell_px = min(cell_w, cell_h)
        (x0, x1), (y0, y1) = box.viewRange()
        rows, columns = self.dropped.shape
        r0, r1 = max(0, int(np.floor(y0 + 0.5))), min(rows, int(np.ceil(y1 + 0.5)))
        c0, c1 = max(0, int(np.floor(x0 + 0.5))), min(columns, int(np.ceil(x1 + 0.5)))
        if cell_px < MIN_RING_CELL_PX or r0 >= r1 or c0 >= c1:
            return 0.0, []
        if (r1 - r0) * (c1 - c0) > MAX_RING_CELLS:
            return 0.0, []
        key = (r0, r1, c0, c1, to_scene.m11(), to_scene.m22(), to_scene.dx(), to_scene.dy())
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1], self._cache[2]
        # A thin ring a little inside the cell: 1 px in small cells, 2.5 px in the
        # largest; the gap keeps the cell's edge in the fill colour.
        width = min(2.0, max(1.0, cell_px / 20))
        inset = (0.0 if cell_px < 16 else min(4.0, cell_px / 14)) + width / 2
        r, c = np.nonzero(self.dropped[r0:r1, c0:c1])
        left = to_scene.m11() * (c + c0 - 0.5) + to_scene.dx()
        top = to_scene.m22() * (r + r0 - 0.5) + to_scene.dy()
        # m11, m22 may be negative (an inverted axis): take each cell's top-left corner
        left = np.minimum(left, left + to_scene.m11()) + inset
        top = np.minimum(top, top + to_scene.m22()) + inset
        side_w, side_h = cell_w - 2 * inset, cell_h - 2 * inset
        rects = [
            QRectF(x, y, side_w, side_h) for x, y in zip(left.tolist(), top.tolist(), strict=True)
        ]
        self._cache = (key, width, rects)
        return width, rects

    def paint(self, painter: QPainter, option, widget=None) -> None:
        to_scene = self.sceneTransform()
        width, rects = self.rings(to_scene)
        if not rects:
            return
        painter.save()
        painter.setTransform(to_scene.inverted()[0] * painter.transform())
        pen = QPen(QColor(*DROPPED_RING), width)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRects(rects)
        painter.restore()


def _outline_stamp(pixels: int) -> np.ndarray:
    """A (pixels, pixels) cell whose border sub-pixels are True: one dropped outline."""
    stamp = np.zeros((pixels, pixels), dtype=bool)
    stamp[[0, -1], :] = stamp[:, [0, -1]] = True
    return stamp


def whole_lines(dropped: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of a (S, D) dropped mask whose every cell is dropped."""
    return np.flatnonzero(dropped.all(axis=1)), np.flatnonzero(dropped.all(axis=0))


def lines_path(rows, columns, shape: tuple[int, int]) -> QPainterPath:
    """One rectangle around each listed row and column of a (S, D) grid; none when
    there are more than MAX_LINES (the count bars show them then)."""
    seq_len, dim = shape
    path = QPainterPath()
    if len(rows) + len(columns) > MAX_LINES:
        return path
    for row in rows:
        path.addRect(QRectF(-0.5, row - 0.5, dim, 1))
    for column in columns:
        path.addRect(QRectF(column - 0.5, -0.5, 1, seq_len))
    return path


class GridPanel:
    """One heatmap (before, after, compared or noise factors) of one slice."""

    def __init__(
        self, kind: str, with_margins: bool, theme: Theme = LIGHT, pen_scale: float = 1.0
    ) -> None:
        self.kind = kind
        self.theme = theme
        self.pen_scale = pen_scale
        """Device pixels per logical pixel of the outlines: cosmetic pens are drawn in
        device pixels, so on a 2x screen a 3 px band needs a 6 px pen to look the same."""
        self.title = ""
        self.title_label = FreeLabel("", size="9pt")
        """The panel's title, laid out above it by the figure (over its bars too)."""
        self.left_axis, self.bottom_axis = CellAxis("left", theme), CellAxis("bottom", theme)
        self.plot = pg.PlotItem(axisItems={"left": self.left_axis, "bottom": self.bottom_axis})
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.invertY(True)
        self.plot.setDefaultPadding(0.0)
        self.plot.vb.setAspectLocked(True)  # square cells
        self.plot.showAxes((True, False, False, True))
        self.bottom_axis.setLabel(translate("GridPanel", "channel"))
        self.image = self._image(0)
        self.marks = self._image(1)
        self.rings = DroppedRings()
        self.plot.addItem(self.rings)
        scale = pen_scale
        self.bands = self._path(_pen(theme.band, 3 * scale), 2)
        self.chance = self._path(_pen(theme.chance, 1.5 * scale, Qt.PenStyle.DashLine), 2)
        self.occurrences = self._path(_pen(OCCURRENCE, 2.5 * scale), 4)
        self.hover = QGraphicsRectItem()
        self.hover.setPen(_pen(theme.hover, 2 * scale))
        self.hover.setZValue(5)
        self.hover.setVisible(False)
        self.plot.addItem(self.hover)
        self.values = CellValues()
        self.plot.addItem(self.values)
        self.dropped: np.ndarray | None = None
        """The (S, D) dropped cells drawn, from the keep mask; None when none can drop."""
        self._marks: np.ndarray | None = None
        self._stamp: np.ndarray | None = None
        self._cell_items: list[DroppedCell] = []
        self._cell_items_filled: bool | None = None
        self._color_map: pg.ColorMap | None = None
        self._axis_key: tuple | None = None
        self.row_bars = self.col_bars = None
        if with_margins:
            self.row_bars = _margin_plot(True, theme)
            self.col_bars = _margin_plot(False, theme)

    def _image(self, z: float) -> pg.ImageItem:
        image = pg.ImageItem(axisOrder="row-major")
        image.setTransform(QTransform().translate(-0.5, -0.5))
        image.setZValue(z)
        self.plot.addItem(image)
        return image

    def _path(self, pen: QPen, z: float) -> QGraphicsPathItem:
        item = QGraphicsPathItem()
        item.setPen(pen)
        item.setZValue(z)
        self.plot.addItem(item)
        return item

    # ------------------------------------------------------------------ drawing
    def show(
        self,
        values: np.ndarray,
        dropped: np.ndarray | None,
        levels: tuple[float, float],
        color_map: pg.ColorMap,
        *,
        integral: bool,
        chars: int,
        structural: tuple[bool, bool] = (False, False),
    ) -> None:
        """Draw `values` (S, D) at fixed `levels`; `dropped` cells (from the keep mask)
        are filled in an after grid and outlined in a before grid.

        `chars` is the longest printed value of the figure, so every panel decides
        alike whether its values fit. `structural` says whether whole rows / whole
        columns are single decisions: those that are dropped get a band; rows or columns
        emptied by chance get a dashed line.
        """
        if color_map is not self._color_map:
            self.image.setColorMap(color_map)
            self._color_map = color_map
        downsample = max(values.shape) > DOWNSAMPLED_SIDE
        if self.image.autoDownsample != downsample:
            for image in (self.image, self.marks):
                image.setAutoDownsample(downsample)
        if max(abs(levels[0]), abs(levels[1])) > HUGE:  # pyqtgraph rescales in the
            values = values.astype(np.float64)  # data's type: float32 would overflow
        self.image.setImage(values, levels=levels, autoLevels=False)
        self.dropped = dropped
        filled = self.kind == "after"
        band, chance = QPainterPath(), QPainterPath()
        self.rings.set_dropped(dropped if filled else None)
        if dropped is None:
            self.marks.clear()
            self._hide_cell_items()
        else:
            self._show_marks(dropped, filled)
            rows, columns = whole_lines(dropped)
            structural_rows, structural_columns = structural
            band = lines_path(
                rows if structural_rows else [],
                columns if structural_columns else [],
                dropped.shape,
            )
            # Under a structural drop an empty line across it is its consequence (every
            # channel dropped empties every token), not chance; a line of one cell is
            # just a dropped cell.
            by_chance = not (structural_rows or structural_columns)
            seq_len, dim = dropped.shape
            chance = lines_path(
                rows if by_chance and dim > 1 else [],
                columns if by_chance and seq_len > 1 else [],
                dropped.shape,
            )
        self.bands.setPath(band)
        self.chance.setPath(chance)
        self.values.set_values(
            values, dropped if filled else None, levels, color_map, integral, chars
        )
        if self.row_bars is not None:
            counts = np.zeros(values.shape) if dropped is None else dropped
            _set_bars(self.row_bars, counts.sum(axis=1), values.shape[1], horizontal=True)
            _set_bars(self.col_bars, counts.sum(axis=0), values.shape[0], horizontal=False)

    def _show_marks(self, dropped: np.ndarray, filled: bool) -> None:
        """Fill dropped cells, or outline them (tint them above OUTLINED_CELLS)."""
        seq_len, dim = dropped.shape
        cells = seq_len * dim
        if cells <= CELL_ITEMS:
            self.marks.clear()
            self._show_cell_items(dropped, filled)
            return
        self._hide_cell_items()
        pixels = OUTLINE_PIXELS if not filled and cells <= OUTLINED_CELLS else 1
        shape = (seq_len * pixels, dim * pixels)
        if self._marks is None or self._marks.shape[:2] != shape:
            self._marks = np.empty((*shape, 4), dtype=np.ubyte)
            self._marks[..., :3] = DROPPED
            self._stamp = _outline_stamp(pixels) if pixels > 1 else None
            self.marks.setTransform(
                QTransform().translate(-0.5, -0.5).scale(1 / pixels, 1 / pixels)
            )
        alpha = self._marks[..., 3]
        if filled:
            np.multiply(dropped, 255, out=alpha, casting="unsafe")
        elif self._stamp is None:
            np.multiply(dropped, BEFORE_TINT, out=alpha, casting="unsafe")
        else:
            np.multiply(np.kron(dropped, self._stamp), 255, out=alpha, casting="unsafe")
        self.marks.setImage(self._marks, levels=(0, 255), autoLevels=False)

    def _show_cell_items(self, dropped: np.ndarray, filled: bool) -> None:
        seq_len, dim = dropped.shape
        if len(self._cell_items) != dropped.size or self._cell_items_filled != filled:
            for item in self._cell_items:
                self.plot.removeItem(item)
            self._cell_items = []
            self._cell_items_filled = filled
            for row in range(seq_len):
                for column in range(dim):
                    if filled:  # the cell exactly; an outline sits just inside it
                        item = DroppedCell(column - 0.5, row - 0.5, 1)
                        item.setBrush(QColor(*DROPPED))
                        item.setPen(QPen(Qt.PenStyle.NoPen))
                    else:
                        item = DroppedCell(column - 0.44, row - 0.44, 0.88)
                        item.setPen(_pen(DROPPED, 3 * self.pen_scale))
                    item.setZValue(1)
                    item.setVisible(False)
                    self.plot.addItem(item)
                    self._cell_items.append(item)
        for item, show in zip(self._cell_items, dropped.ravel().tolist(), strict=True):
            if item.isVisible() != show:
                item.setVisible(show)

    def _hide_cell_items(self) -> None:
        for item in self._cell_items:
            item.setVisible(False)

    def set_axes(self, shape: tuple[int, int], row_label, row_title: str, key) -> None:
        """Tick labels for a (S, D) grid: rows labelled `row_label(s)`, thinned to fit.

        `key` identifies the labels (the title and token ids): same key, no redraw."""
        key = (shape, key)
        if key == self._axis_key:  # new ticks invalidate the axes' cached drawing
            return
        self._axis_key = key
        self.left_axis.set_cells(shape[0], row_label)
        self.bottom_axis.set_cells(shape[1])
        self.left_axis.setLabel(row_title)
        widest = max(len(row_label(s)) for s in range(0, shape[0], max(1, shape[0] // 50)))
        widest = max(widest, len(row_label(shape[0] - 1)))
        # A fixed width from the widest label: auto-sized axes would shift the grids
        # between frames of an animation.
        self.left_axis.setWidth(7 * widest + 28)

    def set_title(self, title: str) -> None:
        """An HTML title ("" for none); it never widens the panel's column."""
        if title != self.title:
            self.title_label.setText(title or "&nbsp;", color=self.theme.foreground, size="9pt")
            self.title = title

    def align_bars(self, cell_px: float) -> None:
        """Line the count bars up with the grid's rows and columns on screen: their
        view boxes show the grid's range, shifted by how far they sit from it."""
        if self.row_bars is None:
            return
        grid = self.plot.vb.sceneBoundingRect()
        (x0, _), (y0, _) = self.plot.vb.viewRange()
        rows = self.row_bars.vb.sceneBoundingRect()
        top = y0 + (rows.top() - grid.top()) / cell_px
        self.row_bars.vb.setYRange(top, top + rows.height() / cell_px, padding=0)
        columns = self.col_bars.vb.sceneBoundingRect()
        left = x0 + (columns.left() - grid.left()) / cell_px
        self.col_bars.vb.setXRange(left, left + columns.width() / cell_px, padding=0)

    def size_bars(self, across: float, gap: float) -> None:
        """Count-bar plots `across` pixels wide (row bars) and high (column bars)."""
        if self.row_bars.minimumWidth() != across:
            self.row_bars.setFixedWidth(across)
            self.col_bars.setFixedHeight(min(BAR_SIZE, across))
            self.col_bars.getAxis("right").setWidth(across + gap)

    def scale_lines(self, cell_px: float) -> None:
        """Bands and chance lines as wide as cells allow; hidden below MIN_LINE_CELL_PX,
        where outlines would cover the cells they mark (the count bars still show the
        whole rows and columns)."""
        visible = cell_px >= MIN_LINE_CELL_PX
        for item, widest in ((self.bands, 3.0), (self.chance, 1.5)):
            item.setVisible(visible)
            pen = item.pen()
            width = min(widest, max(1.0, cell_px / 5)) * self.pen_scale
            if pen.widthF() != width:
                pen.setWidthF(width)
                item.setPen(pen)

    # ------------------------------------------------------------------ marks on hover
    def mark_cell(self, cell: tuple[int, int] | None) -> None:
        """Outline the hovered (token, channel), or nothing."""
        self.hover.setVisible(cell is not None)
        if cell is not None:
            self.hover.setRect(QRectF(cell[1] - 0.5, cell[0] - 0.5, 1, 1))

    def mark_rows(self, rows) -> None:
        """Outline whole rows (the positions of a hovered word id)."""
        shape = self.image.image.shape if self.image.image is not None else (0, 0)
        self.occurrences.setPath(lines_path(rows, [], shape[:2]))

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """(token, channel) under a scene position, or None."""
        if self.image.image is None:
            return None
        return cell_at(self.plot, scene_pos, *self.image.image.shape[:2])


def _margin_plot(horizontal: bool, theme: Theme) -> pg.PlotItem:
    """A count-bar plot beside (per token) or below (per channel) a grid."""
    plot = pg.PlotItem()
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMouseEnabled(False, False)
    plot.setDefaultPadding(0.0)
    bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush=pg.mkBrush(*NEUTRAL), pen=None)
    plot.addItem(bars)
    plot.bars = bars
    plot.full = None
    plot.invertY(True)
    if horizontal:
        plot.setFixedWidth(BAR_SIZE + 6)
        plot.showAxes((False, False, False, True))
        plot.getAxis("bottom").setLabel(" ", **{"font-size": "8pt"})  # "dropped of N" (_set_bars)
    else:  # bars hang down from the grid above; the scale sits under the row bars
        plot.setFixedHeight(BAR_SIZE)
        plot.showAxes((False, False, True, False))
        plot.getAxis("right").setLabel(" ", **{"font-size": "7pt"})  # "of N" (_set_bars)
        plot.getAxis("right").setWidth(BAR_SIZE + 6 + COLUMN_GAP)
    for axis in (plot.getAxis("bottom"), plot.getAxis("right")):
        axis.setPen(theme.foreground)
        axis.setTextPen(theme.foreground)
        # The scale is in the axis title ("dropped, of 64"): a tick value at the end of
        # so narrow a plot would print over the next panel's axis.
        axis.setStyle(showValues=False)
    return plot


def _set_bars(plot: pg.PlotItem, counts: np.ndarray, full: int, horizontal: bool) -> None:
    """One bar per token (channel); above MAX_BARS lines, one bar per bin of lines,
    as high as their mean (a bar per line would cost a rectangle each)."""
    positions, size = np.arange(len(counts), dtype=float), 0.8
    if len(counts) > MAX_BARS:
        per_bin = -(-len(counts) // MAX_BARS)
        padded = np.zeros(per_bin * -(-len(counts) // per_bin))
        padded[: len(counts)] = counts
        counts = padded.reshape(-1, per_bin).mean(axis=1)
        positions = np.arange(len(counts)) * per_bin + (per_bin - 1) / 2
        size = per_bin
    if horizontal:
        plot.bars.setOpts(x0=0, y=positions, height=size, width=counts, x=None)
    else:
        plot.bars.setOpts(x=positions, y0=0, width=size, height=counts, y=None)
    if plot.full != full:  # the scale: 0 to every cell of the line
        plot.full = full
        axis = plot.getAxis("bottom" if horizontal else "right")
        axis.setTicks([[(0, ""), (full, "")], []])
        scale = (
            translate("GridPanel", "dropped<br>of {full}")
            if horizontal
            else translate("GridPanel", "of {full}")
        )
        axis.setLabel(scale.format(full=full), **axis.labelStyle)
        if horizontal:
            plot.setXRange(0, full, padding=0.08)
        else:
            plot.setYRange(0, full, padding=0.08)


__all__ = ["CELL_ITEMS", "DroppedCell", "DroppedRings", "GridPanel", "lines_path", "whole_lines"]
