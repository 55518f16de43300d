"""Before/after heatmaps of each batch slice, drawn with pyqtgraph.

One `GridFigure` draws a page of batch slices: for each, the input ("before"), the
output ("after"), Gaussian noise factors when there are any, and the compared mode's
output. Dropped cells are filled with a colour the colour map never uses, the same cells
are outlined in that colour in the before grid (tinted when a slice has too many cells
to outline), whole dropped tokens (rows) and channels (columns) get one band across the
slice, and bars beside each output count the dropped cells per row and per column. The
window and the image exporter both draw with this class.

Layout follows pyqtgraph's MatrixDisplayExample: row-major ImageItems with cells centred
on integer coordinates, y inverted so token 0 is on top, one shared ColorBarItem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import QGraphicsPathItem

from ..result import Result
from .style import BACKGROUND, BAND, COLOR_MAP, DROPPED, FOREGROUND, NOISE_MAP, cell_at, hex_colour

LABELLED_CELLS = 16 * 16
"""Slices up to this many cells print each cell's value, like the arrays people post."""
OUTLINED_CELLS = 64 * 64
"""Up to this many cells a slice's before grid outlines dropped cells; above, it tints."""
BEFORE_TINT = 90
AXIS_HEIGHT = 38
CELLS_PER_PAGE = 4096
MAX_SLICES_PER_PAGE = 4


def describe(result: Result) -> str:
    """A title line: the layer (mode, rate, noise_shape), seed, draw and engine."""
    spec = result.spec
    parts = [result.caption, f"seed {spec.seed}", f"draw {spec.draw}", spec.engine]
    if not spec.training:
        parts.append("inference")
    return " · ".join(parts)


def slices_per_page(shape: tuple[int, int, int]) -> int:
    """Few enough slices that a page stays readable and repaints within a frame."""
    batch, seq_len, dim = shape
    return max(1, min(MAX_SLICES_PER_PAGE, batch, CELLS_PER_PAGE // (seq_len * dim)))


class DroppedCell(QGraphicsPathItem):
    """The highlight of one dropped cell of a small slice (named so in SVG exports).

    A path rather than a rect item: pyqtgraph's SVG exporter maps paths into scene
    coordinates, so their outlines keep their width in viewers without SVG 1.2's
    non-scaling strokes (librsvg, ImageMagick).
    """

    def __init__(self, left: float, top: float, size: float) -> None:
        path = QPainterPath()
        path.addRect(QRectF(left, top, size, size))
        super().__init__(path)


@dataclass(frozen=True)
class _PanelRole:
    kind: str  # "before", "after" or "noise"
    result: Result
    title: str

    @property
    def counts_drops(self) -> bool:
        """An output grid of a result that can drop cells gets count bars."""
        return self.kind == "after" and self.result.drops_cells


def _outline_stamp(pixels: int) -> np.ndarray:
    """A (pixels, pixels) cell whose border pixels are True: one dropped-cell outline."""
    stamp = np.zeros((pixels, pixels), dtype=bool)
    stamp[[0, -1], :] = stamp[:, [0, -1]] = True
    return stamp


class GridPanel:
    """One heatmap of one slice: values, dropped-cell marks, bands, labels, margins."""

    def __init__(self, kind: str, with_margins: bool) -> None:
        self.kind = kind
        self.title = ""
        self.plot = pg.PlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.invertY(True)
        self.plot.setDefaultPadding(0.0)
        self.plot.setMouseEnabled(False, False)
        # Left and bottom axes only: each axis costs a repaint per step.
        self.plot.showAxes((True, False, False, True))
        self.plot.getAxis("left").setLabel("token")
        self.plot.getAxis("bottom").setLabel("channel")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.marks = pg.ImageItem(axisOrder="row-major")
        for item, z in ((self.image, 0), (self.marks, 1)):
            item.setTransform(QTransform().translate(-0.5, -0.5))
            item.setZValue(z)
            self.plot.addItem(item)
        self.bands = QGraphicsPathItem()
        pen = QPen(QColor(*BAND), 3)
        pen.setCosmetic(True)
        self.bands.setPen(pen)
        self.bands.setZValue(2)
        self.plot.addItem(self.bands)
        self.labels: list[pg.TextItem] = []
        self._label_state: list[tuple[str, bool]] = []
        self._ticks_key: tuple | None = None
        self._extent: tuple[int, int] | None = None
        self._color_map: pg.ColorMap | None = None
        self._marks: np.ndarray | None = None
        self._stamp: np.ndarray | None = None
        self._cell_items: list[DroppedCell] = []
        self._label_width = 0  # pixels the widest label needs
        self.plot.vb.sigResized.connect(self._fit_labels)
        self.row_bars = self.col_bars = None
        if with_margins:
            self.row_bars = _margin_plot(horizontal=True, link=self.plot)
            self.col_bars = _margin_plot(horizontal=False, link=self.plot)

    def show(
        self,
        values: np.ndarray,
        dropped: np.ndarray | None,
        levels: tuple[float, float],
        *,
        filled: bool,
        color_map: pg.ColorMap,
        label_format: str | None,
    ) -> None:
        """Draw `values` (S, D); `dropped` cells are filled, or else outlined."""
        seq_len, dim = values.shape
        if color_map is not self._color_map:
            self.image.setColorMap(color_map)
            self._color_map = color_map
        self.image.setImage(values, levels=levels, autoLevels=False)
        path = QPainterPath()
        if dropped is None:
            self.marks.clear()
            self._hide_cell_items()
        else:
            self._show_marks(dropped, filled)
            for row in np.flatnonzero(dropped.all(axis=1)):
                path.addRect(QRectF(-0.5, row - 0.5, dim, 1))
            for column in np.flatnonzero(dropped.all(axis=0)):
                path.addRect(QRectF(column - 0.5, -0.5, 1, seq_len))
        self.bands.setPath(path)
        self.plot.setRange(xRange=(-0.5, dim - 0.5), yRange=(-0.5, seq_len - 0.5), padding=0)
        self._show_labels(values, dropped, levels, color_map, label_format)
        if self.row_bars is not None:
            counts = np.zeros((seq_len, dim)) if dropped is None else dropped
            _set_bars(self.row_bars, counts.sum(axis=1), dim, horizontal=True)
            _set_bars(self.col_bars, counts.sum(axis=0), seq_len, horizontal=False)

    def _show_marks(self, dropped: np.ndarray, filled: bool) -> None:
        """Fill dropped cells, or outline them.

        A small slice gets one rectangle item per cell, shown where the cell is dropped:
        exported as SVG, each highlight is an element of its own. Larger slices use one
        RGBA image whose alpha changes from draw to draw; outlines are rings of
        sub-pixels in an image `pixels` times finer than the grid.
        """
        seq_len, dim = dropped.shape
        cells = seq_len * dim
        if cells <= LABELLED_CELLS:
            self.marks.clear()
            self._show_cell_items(dropped, filled)
            return
        self._hide_cell_items()
        pixels = 1
        if not filled:
            pixels = 6 if cells <= OUTLINED_CELLS else 1
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
        elif self._stamp is None:  # too many cells to outline: tint them
            np.multiply(dropped, BEFORE_TINT, out=alpha, casting="unsafe")
        else:
            np.multiply(np.kron(dropped, self._stamp), 255, out=alpha, casting="unsafe")
        self.marks.setImage(self._marks, levels=(0, 255), autoLevels=False)

    def _show_cell_items(self, dropped: np.ndarray, filled: bool) -> None:
        seq_len, dim = dropped.shape
        if len(self._cell_items) != dropped.size:
            self._hide_cell_items()
            for item in self._cell_items:
                self.plot.removeItem(item)
            pen = QPen(QColor(*DROPPED), 3)
            pen.setCosmetic(True)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            self._cell_items = []
            for row in range(seq_len):
                for column in range(dim):
                    if filled:  # a cell exactly; outlines sit just inside it
                        item = DroppedCell(column - 0.5, row - 0.5, 1)
                        item.setBrush(QColor(*DROPPED))
                        item.setPen(QPen(Qt.PenStyle.NoPen))
                    else:
                        item = DroppedCell(column - 0.44, row - 0.44, 0.88)
                        item.setPen(pen)
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

    def _show_labels(self, values, dropped, levels, color_map, label_format) -> None:
        if label_format is None:
            for label in self.labels:
                self.plot.removeItem(label)
            self.labels = []
            self._label_state = []
            return
        seq_len, dim = values.shape
        if len(self.labels) != values.size:
            for label in self.labels:
                self.plot.removeItem(label)
            self.labels = []
            font = QFont()
            font.setPointSize(9 if values.size <= 64 else 7)
            for row in range(seq_len):
                for column in range(dim):
                    label = pg.TextItem(anchor=(0.5, 0.5))
                    label.setFont(font)
                    label.setPos(column, row)
                    label.setZValue(3)
                    self.plot.addItem(label)
                    self.labels.append(label)
            self._label_state = [("", False)] * values.size
        low, high = levels
        spread = (high - low) or 1.0
        colours = color_map.map((values.ravel() - low) / spread, mode="byte")
        filled = np.zeros(values.size, dtype=bool)
        if dropped is not None and self.kind == "after":
            filled = dropped.ravel()
        luminance = colours[:, :3] @ np.array([0.299, 0.587, 0.114])
        dark_text = (luminance > 140) & ~filled
        for index, (label, value, dark) in enumerate(
            zip(self.labels, values.ravel(), dark_text.tolist(), strict=True)
        ):
            state = (label_format.format(value), dark)
            if state != self._label_state[index]:  # re-rendering text is the costly part
                label.setText(state[0], color=(20, 20, 20) if dark else (255, 255, 255))
                self._label_state[index] = state
        width = max(len(text) for text, _ in self._label_state) * 7 + 4
        if width != self._label_width:
            self._label_width = width
            self._fit_labels()

    def _fit_labels(self, *_) -> None:
        """Show the values only where they fit in a cell; hovering still tells them."""
        if not self.labels or self.image.image is None:
            return
        cell_width = self.plot.vb.width() / self.image.image.shape[1]
        visible = cell_width >= self._label_width
        if self.labels[0].isVisible() != visible:
            for label in self.labels:
                label.setVisible(visible)

    def set_ticks(self, seq_len: int, dim: int, token_ids: np.ndarray | None) -> None:
        """Per-cell tick labels when there are few enough to read."""
        key = (seq_len, dim, None if token_ids is None else token_ids.tobytes())
        if key == self._ticks_key:  # new ticks invalidate the axes' cached drawing
            return
        self._ticks_key = key
        left, bottom = self.plot.getAxis("left"), self.plot.getAxis("bottom")
        if seq_len <= 32:
            rows = [
                (s, f"{s}" if token_ids is None else f"{s}·{int(token_ids[s])}")
                for s in range(seq_len)
            ]
            left.setTicks([rows, []])
            widest = max(len(text) for _, text in rows)
        else:
            left.setTicks(None)
            widest = len(str(seq_len))
        # A fixed width from the widest tick: auto-sized axes would shift the grids
        # between frames of an animation, and squeeze the label into the ticks.
        left.setWidth(7 * widest + 30)
        bottom.setHeight(AXIS_HEIGHT)
        if self.col_bars is not None:  # the bars line up with the grid's columns and rows
            self.col_bars.getAxis("left").setWidth(7 * widest + 30)
            self.row_bars.getAxis("bottom").setHeight(AXIS_HEIGHT)
        bottom.setTicks([[(d, str(d)) for d in range(dim)], []] if dim <= 32 else None)
        left.setLabel("token" if token_ids is None else "token · id")

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """(token, channel) under a scene position, or None."""
        if self.image.image is None:
            return None
        return cell_at(self.plot, scene_pos, *self.image.image.shape[:2])


def _margin_plot(horizontal: bool, link: pg.PlotItem) -> pg.PlotItem:
    plot = pg.PlotItem()
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMouseEnabled(False, False)
    plot.setDefaultPadding(0.0)
    bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush=pg.mkBrush(*DROPPED), pen=None)
    plot.addItem(bars)
    plot.bars = bars
    if horizontal:
        plot.invertY(True)
        plot.setYLink(link)
        plot.setMaximumWidth(60)
        plot.showAxes((False, False, False, True))
    else:
        plot.setXLink(link)
        plot.setMaximumHeight(45)
        plot.invertY(True)  # bars hang down from the grid above
        plot.showAxes((True, False, False, False))
    return plot


def _set_bars(plot: pg.PlotItem, counts: np.ndarray, full: int, horizontal: bool) -> None:
    positions = np.arange(len(counts))
    if horizontal:
        plot.bars.setOpts(x0=0, y=positions, height=0.8, width=counts, x=None)
    else:
        plot.bars.setOpts(x=positions, y0=0, width=0.8, height=counts, y=None)
    if getattr(plot, "full", None) != full:  # the scale: 0 to every cell of the line
        plot.full = full
        axis = plot.getAxis("bottom" if horizontal else "left")
        axis.setTicks([[(0, "0"), (full, str(full))], []])
        axis.setStyle(hideOverlappingLabels=False)  # the end labels are the point
        if horizontal:
            plot.setXRange(0, full, padding=0.05)
        else:
            plot.setYRange(0, full, padding=0.05)


class GridFigure(pg.GraphicsLayoutWidget):
    """A page of batch slices, before and after, with one shared colour bar."""

    sigHover = Signal(str)
    sigCellClicked = Signal(object)  # (batch, token, channel)

    def __init__(self, parent=None) -> None:
        super().__init__(parent, show=False)
        self.setBackground(BACKGROUND)
        self.ci.setSpacing(6)
        self.ci.setContentsMargins(8, 8, 8, 8)
        self.title = pg.LabelItem("", size="12pt", color=FOREGROUND)
        red, band = hex_colour(DROPPED), hex_colour(BAND)
        self.legend = pg.LabelItem(
            f"<span style='color:{red}'>■</span> dropped (outlined in <i>before</i>)"
            f" &nbsp; <span style='color:{band}'>▢</span> whole token or channel dropped"
            " &nbsp; bars: dropped per token / channel",
            size="9pt",
            color=FOREGROUND,
        )
        self.color_bar = pg.ColorBarItem(
            values=(0, 1), colorMap=COLOR_MAP, interactive=False, width=16
        )
        self._layout_key: tuple | None = None
        self._levels: tuple[float, float] | None = None
        self._panels: list[tuple[int, _PanelRole, GridPanel]] = []
        self.result: Result | None = None
        self.compare: Result | None = None
        self.page = 0
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    # ------------------------------------------------------------------ drawing
    def page_count(self, result: Result | None = None) -> int:
        result = result or self.result
        if result is None:
            return 1
        per_page = slices_per_page(result.shape)
        return -(-result.shape[0] // per_page)

    def show_results(
        self,
        result: Result,
        compare: Result | None = None,
        page: int = 0,
        slices: Sequence[int] | None = None,
    ) -> None:
        """Draw `page` of `result` (and of `compare`, the same input in another mode).

        `slices`, when given, are drawn on one page instead (exports choose them).
        """
        self.result, self.compare = result, compare
        self.page = page = min(max(page, 0), self.page_count(result) - 1)
        if slices is None:
            per_page = slices_per_page(result.shape)
            slices = range(page * per_page, min(result.shape[0], (page + 1) * per_page))
        roles = self._roles(result, compare)
        key = (
            result.shape,
            tuple((r.kind, r.counts_drops) for r in roles),
            tuple(slices),
        )
        if key != self._layout_key:
            self._build(roles, slices)
            self._layout_key = key
            self._levels = None
        self.title.setText(
            describe(result) + (f"   vs   {describe(compare)}" if compare is not None else "")
        )
        levels = _shared_levels([result] + ([compare] if compare is not None else []))
        if levels != self._levels:  # new levels redraw the colour bar's axis
            self.color_bar.setLevels(levels)
            self._levels = levels
        seq_len, dim = result.shape[1:]
        labelled = seq_len * dim <= LABELLED_CELLS
        for index, (batch, _, panel) in enumerate(self._panels):
            role = roles[index % len(roles)]
            self._panels[index] = (batch, role, panel)
            title = f"slice {batch} · {role.title}"
            if panel.title != title:
                panel.plot.setTitle(title, color=FOREGROUND, size="10pt")
                panel.title = title
            self._draw_panel(batch, role, panel, levels, labelled)

    def _roles(self, result: Result, compare: Result | None) -> list[_PanelRole]:
        roles = [_PanelRole("before", result, "before")]
        if result.noise is not None:
            roles.append(_PanelRole("noise", result, "noise factors (blue < 1 < red)"))
        roles.append(_PanelRole("after", result, f"after · {result.spec.mode}"))
        if compare is not None:
            if compare.noise is not None:
                roles.append(_PanelRole("noise", compare, "compared noise (blue < 1 < red)"))
            roles.append(_PanelRole("after", compare, f"after · {compare.spec.mode} (compared)"))
        return roles

    def _build(self, roles: list[_PanelRole], slices: Sequence[int]) -> None:
        self.ci.clear()
        self._panels = []
        self.ci.addItem(self.title, row=0, col=0, colspan=2 * len(roles) + 1)
        images = []
        for index, batch in enumerate(slices):
            row = 1 + 2 * index
            for position, role in enumerate(roles):
                panel = GridPanel(role.kind, with_margins=role.counts_drops)
                panel.plot.setTitle(f"slice {batch} · {role.title}", color=FOREGROUND, size="10pt")
                self.ci.addItem(panel.plot, row=row, col=2 * position)
                if panel.row_bars is not None:
                    self.ci.addItem(panel.row_bars, row=row, col=2 * position + 1)
                    self.ci.addItem(panel.col_bars, row=row + 1, col=2 * position)
                if role.kind != "noise":
                    images.append(panel.image)
                self._panels.append((batch, role, panel))
        self.color_bar.setImageItem(images)
        self.ci.addItem(self.color_bar, row=1, col=2 * len(roles), rowspan=2 * len(slices))
        self.ci.addItem(self.legend, row=1 + 2 * len(slices), col=0, colspan=2 * len(roles) + 1)

    def _draw_panel(self, batch, role, panel, levels, labelled) -> None:
        result = role.result
        seq_len, dim = result.shape[1:]
        panel.set_ticks(seq_len, dim, None if result.token_ids is None else result.token_ids[batch])
        dropped = ~result.keep_mask[batch] if result.drops_cells else None
        fmt = _label_format(result) if labelled else None
        if role.kind in ("before", "after"):
            values = result.input[batch] if role.kind == "before" else result.output[batch]
            panel.show(
                values,
                dropped,
                levels,
                filled=role.kind == "after",
                color_map=COLOR_MAP,
                label_format=fmt,
            )
        else:
            noise = result.noise[batch]
            reach = max(float(np.abs(result.noise - 1).max()), 1e-6)
            panel.show(
                noise,
                None,
                (1 - reach, 1 + reach),
                filled=True,
                color_map=NOISE_MAP,
                label_format="×{:.2f}" if labelled else None,
            )

    # ------------------------------------------------------------------ asking
    def _panel_at(self, scene_pos):
        for batch, role, panel in self._panels:
            cell = panel.cell_at(scene_pos)
            if cell is not None:
                return batch, role, cell
        return None

    def _on_mouse_moved(self, scene_pos) -> None:
        hit = self._panel_at(scene_pos)
        self.sigHover.emit("" if hit is None else hover_text(hit[1].result, hit[0], *hit[2]))

    def _on_mouse_clicked(self, event) -> None:
        hit = self._panel_at(event.scenePos())
        if hit is not None:
            self.sigCellClicked.emit((hit[0], *hit[2]))


def hover_text(result: Result, batch: int, token: int, channel: int) -> str:
    """Batch, token, channel, value before and after, and the cell's fate."""
    ids = result.token_ids
    token_text = f"token {token}" + ("" if ids is None else f" (id {int(ids[batch, token])})")
    before = float(result.input[batch, token, channel])
    after = float(result.output[batch, token, channel])
    if result.noise is not None:
        fate = f"noise ×{float(result.noise[batch, token, channel]):.4g}"
    else:
        fate = "kept" if result.keep_mask[batch, token, channel] else "dropped"
    return (
        f"{result.spec.mode}: slice {batch}, {token_text}, channel {channel}: "
        f"before {before:.4g}, after {after:.4g}, {fate}"
    )


def _label_format(result: Result) -> str:
    values = np.concatenate([result.input.ravel(), result.output.ravel()])
    integral = np.all(values == np.round(values)) and np.abs(values).max() < 1e5
    return "{:.0f}" if integral else "{:.2g}"


def _shared_levels(results: list[Result]) -> tuple[float, float]:
    low = min(r.value_range[0] for r in results)
    high = max(r.value_range[1] for r in results)
    if high <= low:
        high = low + 1.0
    return low, high


__all__ = ["GridFigure", "describe", "hover_text", "slices_per_page"]
