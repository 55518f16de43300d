"""The grids: before/after heatmaps of batch slices, legible at every shape and size.

`GridFigure` lays out one row of panels per slice shown: the input ("before"),
GaussianDropout's factors when there are any, the output ("after"), and the compared
mode's output. When every slice fits at a legible size (small batches of small slices)
all are shown; otherwise one focused slice is shown large beside an `Overview` strip of
every slice's keep mask (click, PgUp/PgDown or the window's slice box move the focus).

- Cells are square; the wheel zooms and a drag pans, and every panel follows (same
  centre, same cell size in pixels); `fit()` returns to the whole slice.
- Colours are fixed for an input and a mode: before grids span the input's range,
  after grids where the law puts kept cells of that range (`Result.output_levels`), so
  they never move while seeds and draws step, and a kept cell keeps its colour.
- Each after panel's title says what happened to it ("5 of 12 dropped · kept ×2").
- Titles, axis labels, the legend and the overview's title are said again in the new
  language when Qt sends LanguageChange (`dropgui/_qt/i18n.py`); the result stays.
- Hovering marks the cell in every panel of its slice and, with token ids, every
  position of the same id; the hover line is recomputed after each redraw.

The window and the image exporter both draw with this class.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QTimer, Signal

from ..result import Result
from . import theme as themes
from .cell_values import format_values, is_integral
from .grid_panel import BAR_SIZE, COLUMN_GAP, FreeLabel, GridPanel
from .overview import Overview
from .style import COLOR_MAP, DROPPED, NEUTRAL, NOISE_MAP, hex_colour
from .theme import Theme

translate = QCoreApplication.translate

LEGIBLE_CELL_PX = 24
"""All slices are shown at once only if their cells get at least this many pixels (a
value such as "-0.78" fits); else one slice is focused, beside the overview."""
FIGURE_CHROME_PX = (60, 150)
"""Width and height the title, legend, colour bars and axes take from the figure."""
ROW_CHROME_PX = 70
"""Height each slice row takes besides its cells: titles, count bars, spacing."""
BARS_PX = 56
LABEL_SAMPLE = 4096
"""Values sampled per panel to size the printed values (the visible ones are measured
exactly when drawn)."""
MIN_ZOOM, MAX_CELL_PX = 0.5, 400.0
"""Zooming out stops at half the fitted size; in, at cells this many pixels wide."""


def describe(result: Result, compare: Result | None = None) -> str:
    """A title line: the layer (and the compared one), seed, draw and engine."""
    spec = result.spec
    layers = result.caption
    if compare is not None:
        layers = translate("GridFigure", "{layer} vs {other}").format(
            layer=layers, other=compare.caption
        )
    parts = [
        layers,
        translate("GridFigure", "seed {seed}").format(seed=spec.seed),
        translate("GridFigure", "draw {draw}").format(draw=spec.draw),
        spec.engine,
    ]
    if not spec.training:
        parts.append(translate("GridFigure", "inference"))
    return " · ".join(parts)


def shows_all_slices(
    shape: tuple[int, int, int], roles: list[PanelRole], size: tuple[float, float]
) -> bool:
    """Whether every slice fits at LEGIBLE_CELL_PX in a figure of `size` (w, h)."""
    batch, seq_len, dim = shape
    if batch == 1:
        return True
    width = size[0] - FIGURE_CHROME_PX[0] - BARS_PX * sum(r.counts_drops for r in roles)
    height = size[1] - FIGURE_CHROME_PX[1]
    cell = min(width / len(roles) / dim, (height / batch - ROW_CHROME_PX) / seq_len)
    return cell >= LEGIBLE_CELL_PX


def row_labels(token_ids: np.ndarray | None, words: Sequence[str] | None = None):
    """Row label of token s: "3", "t3 · id 905" when the tokens have ids, or the word
    itself, "t3 · movie", when a model's TextVectorization made the ids from text."""
    if words is not None:
        return lambda s: f"t{s} · {words[s]}"
    if token_ids is None:
        return str
    return lambda s: f"t{s} · id {int(token_ids[s])}"


@dataclass(frozen=True)
class PanelRole:
    """What one column of panels shows: the input, factors or output of a result."""

    kind: str  # "before", "noise" or "after"
    result: Result
    compared: bool = False

    @property
    def counts_drops(self) -> bool:
        """An output grid of a result that can drop cells gets count bars."""
        return self.kind == "after" and self.result.drops_cells

    @property
    def levels(self) -> tuple[float, float]:
        if self.kind == "before":
            return self.result.input_levels
        if self.kind == "noise":
            return self.result.noise_levels
        return self.result.output_levels

    @property
    def color_map(self) -> pg.ColorMap:
        return NOISE_MAP if self.kind == "noise" else COLOR_MAP

    def title_lines(self, batch: int, heading: bool) -> list[str]:
        """The panel's title; `heading` (the first row) names the column's layer."""
        if self.kind == "before":
            return [translate("GridFigure", "before (the input)")] if heading else []
        layer = self.result.caption
        if self.kind == "noise":
            if not heading:
                return []
            return [
                translate("GridFigure", "factors of {layer}").format(layer=layer),
                translate("GridFigure", "centred on 1"),
            ]
        lines = [translate("GridFigure", "after · {layer}").format(layer=layer)] if heading else []
        return [*lines, self.result.after_caption(batch)]

    def values(self, batch: int) -> np.ndarray:
        source = {"before": self.result.input, "noise": self.result.noise}
        return source.get(self.kind, self.result.output)[batch]


def roles_for(result: Result, compare: Result | None) -> list[PanelRole]:
    roles = [PanelRole("before", result)]
    for other, compared in ((result, False), (compare, True)):
        if other is None:
            continue
        if other.noise is not None:
            roles.append(PanelRole("noise", other, compared))
        roles.append(PanelRole("after", other, compared))
    return roles


def _sample(values: np.ndarray, slices: list[int]) -> np.ndarray:
    """At most about LABEL_SAMPLE values of the slices shown, evenly spread."""
    shown = values[slices]
    return shown.ravel()[:: max(1, shown.size // LABEL_SAMPLE)]


def _label_chars(values: np.ndarray, integral: bool) -> int:
    """Characters of the longest printed value of `values`: its extremes and its
    smallest non-zero magnitude make the longest strings."""
    sample = values.ravel()[:: max(1, values.size // LABEL_SAMPLE)]
    finite = sample[np.isfinite(sample)]
    if finite.size == 0:
        return 1
    magnitudes = np.abs(finite)
    nonzero = magnitudes[magnitudes > 0]
    probes = [finite.min(), finite.max()]
    if nonzero.size:
        probes.append(-nonzero.min())
    return max(len(text) for text in format_values(np.array(probes), integral))


class GridFigure(pg.GraphicsLayoutWidget):
    """Rows of before/after panels, colour bars, a legend and, when needed, an overview."""

    sigHover = Signal(str)
    sigCellClicked = Signal(object)  # (batch, token, channel)
    sigFocusChanged = Signal(int)
    sigSlicesChanged = Signal()
    """The slices shown changed (all of them, or one focused)."""

    fixed_theme: Theme | None = None
    """The theme this kind of figure always draws in (exports: light); None follows the
    window's (`theme.current()`, switched live)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, show=False)
        self.theme = self.fixed_theme or themes.current()
        self.setBackground(self.theme.background)
        self.ci.setSpacing(COLUMN_GAP)
        self.ci.setContentsMargins(6, 6, 6, 6)
        self.title = FreeLabel("", size="11pt", color=self.theme.foreground)
        self.legend = FreeLabel("", size="9pt", color=self.theme.foreground)
        self.overview: Overview | None = None
        self.color_bars: list[pg.ColorBarItem] = []
        self.panels: list[GridPanel] = []
        """Every heatmap panel shown, row by row (slice by slice)."""
        self.rows: list[tuple[int, PanelRole, GridPanel]] = []
        self._layout_key: tuple | None = None
        self.result: Result | None = None
        self.compare: Result | None = None
        self.focus = 0
        self.slices: tuple[int, ...] = ()
        self.legend_entries: list[str] = []
        self._view: tuple[float, float, float] | None = None  # centre x, centre y, px/cell
        self._applying = False
        self._hovered: tuple[int, int, int] | None = None  # batch, token, channel
        self._chosen_slices = False
        self._legend_key: tuple | None = None
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    # ------------------------------------------------------------------ drawing
    def show_results(
        self,
        result: Result,
        compare: Result | None = None,
        focus: int | None = None,
        slices: Sequence[int] | None = None,
    ) -> None:
        """Draw `result` (and `compare`, the same input in another mode).

        The window passes the slice to `focus` when not all fit; an export passes the
        `slices` it wants drawn (the overview is added when they are not all of them).
        """
        self.result, self.compare = result, compare
        batch = result.shape[0]
        self.focus = min(max(self.focus if focus is None else focus, 0), batch - 1)
        roles = roles_for(result, compare)
        self._chosen_slices = slices is not None
        if slices is None:
            size = (self.width(), self.height())
            slices = range(batch) if shows_all_slices(result.shape, roles, size) else (self.focus,)
        self.slices = tuple(slices)
        with_overview = len(self.slices) < batch
        key = (
            result.shape,
            tuple((r.kind, r.counts_drops) for r in roles),
            self.slices,
            with_overview,
        )
        built = key != self._layout_key
        if built:
            shape_changed = self._layout_key is None or self._layout_key[0] != result.shape
            self._build(roles, with_overview)
            self._layout_key = key
            self.sigSlicesChanged.emit()
            if shape_changed:
                self._view = None  # a new shape starts fitted
        title = describe(result, compare)
        if title != self.title.text:  # a new label text lays the figure out again
            self.title.setText(title)
        shown = list(self.slices)
        integral = is_integral(*(_sample(r, shown) for r in (result.input, result.output))) and (
            compare is None or is_integral(_sample(compare.output, shown))
        )
        chars = max(
            _label_chars(role.values(b), integral and role.kind != "noise")
            for b in self.slices
            for role in roles
        )
        for index, (b, _, panel) in enumerate(self.rows):
            role = roles[index % len(roles)]
            self.rows[index] = (b, role, panel)
            self._draw_panel(b, role, panel, integral and role.kind != "noise", chars)
        self._set_titles(roles)
        for bar, role in zip(self.color_bars, roles, strict=True):
            if tuple(bar.levels()) != tuple(role.levels):  # a new axis costs a repaint
                bar.setLevels(role.levels)
                bar.setColorMap(role.color_map)
        if self.overview is not None:
            self.overview.show_result(result, self.focus)
        if built:
            self._settle()
        else:  # same layout and view: only the legend may name something new
            self._update_legend()
        self._refresh_hover()

    def _build(self, roles: list[PanelRole], with_overview: bool) -> None:
        """One row of panels per slice; row labels on the first panel of a row, channel
        ticks under the last row, a colour bar under each column, the overview at the
        right. The heatmap rows and columns take all the room the rest leaves."""
        self.ci.clear()
        self.panels, self.rows, self.color_bars = [], [], []
        self._legend_key = None
        layout = self.ci.layout
        columns = 2 * len(roles)
        self.ci.addItem(self.title, row=0, col=0, colspan=columns + 1)
        for index, batch in enumerate(self.slices):
            row = 2 + 3 * index
            last_row = index == len(self.slices) - 1
            for position, role in enumerate(roles):
                panel = GridPanel(role.kind, role.counts_drops, self.theme, self.pen_scale())
                self.ci.addItem(panel.title_label, row=row - 1, col=2 * position, colspan=2)
                panel.plot.showAxis("left", position == 0)
                panel.plot.showAxis("bottom", last_row)
                self.ci.addItem(panel.plot, row=row, col=2 * position)
                if panel.row_bars is not None:
                    self.ci.addItem(panel.row_bars, row=row, col=2 * position + 1)
                    self.ci.addItem(panel.col_bars, row=row + 1, col=2 * position, colspan=2)
                vb = panel.plot.vb
                vb.sigRangeChangedManually.connect(lambda *_, vb=vb: self._on_user_view(vb))
                vb.sigResized.connect(self._apply_view)
                if panel.row_bars is not None:
                    for bars in (panel.row_bars, panel.col_bars):
                        bars.vb.sigResized.connect(
                            lambda *_, panel=panel: panel.align_bars(self.view_state[2])
                        )
                self.panels.append(panel)
                self.rows.append((batch, role, panel))
            layout.setRowStretchFactor(row, 1)
        bars_row = 1 + 3 * len(self.slices)
        for position, role in enumerate(roles):
            bar = pg.ColorBarItem(
                values=role.levels,
                colorMap=role.color_map,
                interactive=False,
                orientation="horizontal",
                width=10,
                colorMapMenu=False,
            )
            axis = bar.getAxis("bottom")
            axis.setPen(self.theme.foreground)
            axis.setTextPen(self.theme.foreground)
            axis.enableAutoSIPrefix(False)  # "(x0.001)" beside a value scale misleads
            self.ci.addItem(bar, row=bars_row, col=2 * position)
            self.color_bars.append(bar)
            layout.setColumnStretchFactor(2 * position, 1)
        self.overview = None
        if with_overview:
            self.overview = Overview(self.theme, self.pen_scale())
            self.ci.addItem(self.overview, row=1, col=columns, rowspan=bars_row)
        self.ci.addItem(self.legend, row=bars_row + 1, col=0, colspan=columns + 1)

    def _draw_panel(self, batch: int, role: PanelRole, panel: GridPanel, integral, chars):
        result = role.result
        ids = None if result.token_ids is None else result.token_ids[batch]
        words = None if result.words is None else result.words[batch]
        if words is not None:
            where = translate("GridFigure", "slice {batch} · token · word")
        elif ids is not None:
            where = translate("GridFigure", "slice {batch} · token · id")
        else:
            where = translate("GridFigure", "slice {batch} · token")
        where = where.format(batch=batch)
        key = (where, None if ids is None else ids.tobytes(), words)
        panel.set_axes(result.shape[1:], row_labels(ids, words), where, key)
        dropped = None
        if role.kind != "noise" and result.drops_cells:
            dropped = ~result.keep_mask[batch]
        structural = (result.structural_rows, result.structural_columns)
        panel.show(
            role.values(batch),
            dropped,
            role.levels,
            role.color_map,
            integral=integral,
            chars=chars,
            structural=structural,
        )

    def _set_titles(self, roles: list[PanelRole]) -> None:
        """Titles of a row get as many lines each, so the grids of a row line up."""
        for start in range(0, len(self.rows), len(roles)):
            row = self.rows[start : start + len(roles)]
            lines = [role.title_lines(b, heading=start == 0) for b, role, _ in row]
            height = max(len(text) for text in lines)
            for (_, _, panel), text in zip(row, lines, strict=True):
                panel.set_title("<br>".join(text + ["&nbsp;"] * (height - len(text))))

    def _update_legend(self) -> None:
        """Only what the view shows: drops, bands, chance lines, bars, factor map."""
        entries = []
        red, band, chance = (hex_colour(c) for c in (DROPPED, self.theme.band, self.theme.chance))
        if any(p.dropped is not None and p.dropped.any() for p in self.panels):
            text = translate(
                "GridFigure", "dropped: filled and ringed <i>after</i>, outlined <i>before</i>"
            )
            entries.append(("■", red, text))
        if any(p.bands.isVisible() and not p.bands.path().isEmpty() for p in self.panels):
            text = translate("GridFigure", "whole token, channel or word: one decision")
            entries.append(("▢", band, text))
        if any(p.chance.isVisible() and not p.chance.path().isEmpty() for p in self.panels):
            entries.append(
                ("┅", chance, translate("GridFigure", "row or column emptied by chance"))
            )
        if any(p.row_bars is not None for p in self.panels):
            text = translate("GridFigure", "bars: dropped per token / channel")
            entries.append(("▮", hex_colour(NEUTRAL), text))
        if any(p.kind == "noise" for p in self.panels):
            entries.append(("", "", translate("GridFigure", "factors: blue &lt; 1 &lt; yellow")))
        key = (tuple(entries), self.width())
        if key != self._legend_key:  # a new label text lays the figure out again
            self._legend_key = key
            self.legend_entries = [text for _, _, text in entries]
            self._wrap_legend(entries)

    def _wrap_legend(self, entries) -> None:
        """Entries on as many lines as the figure's width needs (never wider)."""
        lines, line, used = [], [], 0
        budget = max(200, self.width() - 20)
        for symbol, colour, text in entries:
            width = 7 * (_text_width(text) - text.count("<i>") * 7 + 4)
            if line and used + width > budget:
                lines.append(line)
                line, used = [], 0
            line.append(f"<span style='color:{colour}'>{symbol}</span> {text}")
            used += width
        if line:
            lines.append(line)
        self.legend.setText("<br>".join(" &nbsp;&nbsp; ".join(items) for items in lines))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self.apply_theme(self.fixed_theme or themes.current())
        super().changeEvent(event)

    scales_pens = True
    """Outlines as thick on a high-DPI screen as on a 1x one (exports widen their own)."""

    def pen_scale(self) -> float:
        """Device pixels per logical pixel for the outlines' cosmetic pens."""
        return self.devicePixelRatioF() if self.scales_pens else 1.0

    def apply_theme(self, theme: Theme) -> None:
        """Draw the chrome (background, text, axes, outlines) in `theme`: the panels are
        built again for the same results, slices, focus and view."""
        if theme is getattr(self, "theme", theme) or self.closed:  # or still in __init__
            return
        self.theme = theme
        self.setBackground(theme.background)
        for label in (self.title, self.legend):
            label.setAttr("color", theme.foreground)
            label.setText(label.text)
        self._rebuild()

    def retranslate(self) -> None:
        """Say the titles, axis labels, legend and hover line again in the language now
        set: the same results, slices, focus and view, drawn again."""
        self._rebuild()

    def _rebuild(self) -> None:
        """The same results, slices, focus and view on panels built again: a panel takes
        its axis titles and pens (language, theme) when it is built."""
        if self.result is None:
            return
        if self._layout_key is not None:  # same shape: the view is kept
            self._layout_key = (self._layout_key[0], "rebuild")
        slices = self.slices if self._chosen_slices else None
        self.show_results(self.result, self.compare, self.focus, slices)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if getattr(self, "result", None) is None:  # pyqtgraph resizes during __init__
            return
        if not self._chosen_slices:
            roles = roles_for(self.result, self.compare)
            size = (self.width(), self.height())
            if shows_all_slices(self.result.shape, roles, size) != (
                len(self.slices) == self.result.shape[0]
            ):  # the window grew or shrank past the legible size: lay out again
                QTimer.singleShot(0, self._redraw)
        self._settle()

    def _settle(self) -> None:
        """Share the width, fit the cells, then name in the legend what is drawn.

        A relaid-out top-level layout shrinks to its preferred size, so the layout is
        given the whole view again after each change."""
        self._share_width()
        self.ci.setGeometry(self.range)
        self._apply_view()
        self._update_legend()
        self.ci.setGeometry(self.range)

    def _redraw(self) -> None:
        if self.result is not None:
            self.show_results(self.result, self.compare)

    def _share_width(self) -> None:
        """Give every panel column the same heatmap width: the first also holds the row
        labels, the after columns their count bars beside, the overview its strip."""
        if not self.rows:
            return
        layout = self.ci.layout
        roles = len(self.color_bars)
        first_row = [panel for _, _, panel in self.rows[:roles]]
        fixed = first_row[0].left_axis.minimumWidth()  # the row labels, first panel only
        gap = layout.horizontalSpacing()
        counted = sum(p.row_bars is not None for p in first_row)
        strip = self.overview.maximumWidth() + gap if self.overview else 0
        margins = self.ci.layout.getContentsMargins()
        room = self.width() - margins[0] - margins[2] - 16 - fixed - strip - gap * (roles - 1)

        def share_with(bar: float) -> float:
            return max(24.0, (room - counted * (bar + gap)) / roles)

        # count bars: at most a third of the grid they count, never above BAR_SIZE
        bar = min(BAR_SIZE + 6, max(12.0, share_with(BAR_SIZE + 6) / 3))
        share = share_with(bar)
        for position in range(roles):
            layout.setColumnFixedWidth(2 * position, share + (fixed if position == 0 else 0))
        for panel in self.panels:
            if panel.row_bars is not None:
                panel.size_bars(bar, gap)

    # ------------------------------------------------------------------ focus
    def set_focus(self, focus: int) -> None:
        """Show slice `focus` large (when not every slice is shown)."""
        if self.result is None:
            return
        focus = min(max(focus, 0), self.result.shape[0] - 1)
        if focus != self.focus:
            self.show_results(self.result, self.compare, focus)
            self.sigFocusChanged.emit(self.focus)

    # ------------------------------------------------------------------ zoom and pan
    def fit(self) -> None:
        """Show whole slices again, as large as the panels allow."""
        self._view = None
        self._apply_view()

    def _fitted_px(self) -> float:
        seq_len, dim = self.result.shape[1:]
        sizes = [(p.plot.vb.width(), p.plot.vb.height()) for p in self.panels]
        return max(1e-3, min(min(w / dim, h / seq_len) for w, h in sizes))

    def _on_user_view(self, vb: pg.ViewBox) -> None:
        """A wheel or a drag changed one panel: every panel follows it."""
        if self._applying or vb.width() <= 0:
            return
        (x0, x1), (y0, y1) = vb.viewRange()
        self._view = ((x0 + x1) / 2, (y0 + y1) / 2, vb.width() / (x1 - x0))
        self._apply_view()
        self._update_legend()  # bands hide on cells too small to outline

    def _apply_view(self) -> None:
        """Give every panel the same centre and cell size (the fitted one by default)."""
        if self._applying or self.result is None or not self.panels:
            return
        seq_len, dim = self.result.shape[1:]
        fitted = self._fitted_px()
        if self._view is None:
            cx, cy, px = (dim - 1) / 2, (seq_len - 1) / 2, fitted
        else:
            cx, cy, px = self._view
            px = min(max(px, MIN_ZOOM * fitted), max(MAX_CELL_PX, fitted))
            cx = min(max(cx, -0.5), dim - 0.5)
            cy = min(max(cy, -0.5), seq_len - 0.5)
            self._view = (cx, cy, px)
        self._applying = True
        try:
            for panel in self.panels:
                panel.scale_lines(px)
                vb = panel.plot.vb
                half_w, half_h = vb.width() / px / 2, vb.height() / px / 2
                vb.setRange(
                    xRange=(cx - half_w, cx + half_w),
                    yRange=(cy - half_h, cy + half_h),
                    padding=0,
                )
                panel.align_bars(px)
        finally:
            self._applying = False

    @property
    def view_state(self) -> tuple[float, float, float]:
        """(centre x, centre y, pixels per cell) every panel shows."""
        if self._view is not None:
            return self._view
        seq_len, dim = self.result.shape[1:]
        return (dim - 1) / 2, (seq_len - 1) / 2, self._fitted_px()

    # ------------------------------------------------------------------ hover
    def _panel_at(self, scene_pos: QPointF):
        for batch, role, panel in self.rows:
            cell = panel.cell_at(scene_pos)
            if cell is not None:
                return batch, role, cell
        return None

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        hit = self._panel_at(scene_pos)
        self._hovered = None if hit is None else (hit[0], *hit[2])
        self._refresh_hover()

    def leaveEvent(self, event) -> None:
        if self.rows:  # not while closing: the scene's items are gone then
            self._hovered = None
            self._refresh_hover()
        super().leaveEvent(event)

    def close(self) -> bool:
        """Forget the panels first: pyqtgraph's close deletes the scene's items, and
        Qt may still deliver a leave event to this view while it does."""
        self.panels, self.rows, self.color_bars, self.overview = [], [], [], None
        self.result = None
        return super().close()

    def _refresh_hover(self) -> None:
        """Mark the hovered cell (and its word id) and say what it holds now."""
        hovered = self._hovered
        if hovered is not None and (self.result is None or hovered[0] not in self.slices):
            hovered = self._hovered = None
        ids = None if self.result is None else self.result.token_ids
        word = None if hovered is None or ids is None else ids[hovered[0], hovered[1]]
        for batch, _, panel in self.rows:
            panel.mark_cell(hovered[1:] if hovered and hovered[0] == batch else None)
            panel.mark_rows([] if word is None else np.flatnonzero(ids[batch] == word))
        if self.overview is not None:
            rows = [] if word is None else [tuple(p) for p in np.argwhere(ids == word)]
            self.overview.mark_rows(rows)
        text = "" if hovered is None else hover_text(self.result, *hovered)
        if hovered is not None and self.compare is not None:
            text += "  |  " + hover_text(self.compare, *hovered, short=True)
        self.sigHover.emit(text)

    def _on_mouse_clicked(self, event) -> None:
        if self.overview is not None:
            index = self.overview.slice_at(event.scenePos())
            if index is not None:
                self.set_focus(index)
                return
        hit = self._panel_at(event.scenePos())
        if hit is not None:
            self.sigCellClicked.emit((hit[0], *hit[2]))

    # ------------------------------------------------------------------ metadata
    def metadata(self) -> dict[str, str]:
        """How to reproduce this figure, for PNG text chunks and GIF comments.

        `dropgui:levels` is the before grids' colour levels [low, high] (the input's
        range); after grids' levels follow from it by the mode's law.
        """
        data = {
            "dropgui:spec": json.dumps(self.result.spec.to_dict()),
            "dropgui:levels": json.dumps(list(self.result.input_levels)),
        }
        if self.compare is not None:
            data["dropgui:compare"] = json.dumps(self.compare.spec.to_dict())
        return data


def _text_width(text: str) -> int:
    """Width of `text` in Latin characters: a CJK character takes about two."""
    return sum(2 if ord(char) >= 0x2E80 else 1 for char in text)


def hover_text(result: Result, batch: int, token: int, channel: int, short: bool = False) -> str:
    """Batch, token, channel, value before and after, and the cell's fate (from the keep
    mask, or the noise factor). The mode is named by its `--mode` value."""
    after = float(result.output[batch, token, channel])
    if result.noise is not None:
        fate = translate("GridFigure", "noise ×{factor:.4g}").format(
            factor=float(result.noise[batch, token, channel])
        )
    elif result.keep_mask[batch, token, channel]:
        fate = translate("GridFigure", "kept")
    else:
        fate = translate("GridFigure", "dropped")
    mode = result.spec.mode
    if short:
        return translate("GridFigure", "{mode}: after {after:.4g}, {fate}").format(
            mode=mode, after=after, fate=fate
        )
    ids = result.token_ids
    if result.words is not None:
        token_text = translate("GridFigure", "token {token} ({word!r}, id {id})").format(
            token=token, word=result.words[batch][token], id=int(ids[batch, token])
        )
    elif ids is not None:
        token_text = translate("GridFigure", "token {token} (id {id})").format(
            token=token, id=int(ids[batch, token])
        )
    else:
        token_text = translate("GridFigure", "token {token}").format(token=token)
    before = float(result.input[batch, token, channel])
    return translate(
        "GridFigure",
        "{mode}: slice {batch}, {token_text}, channel {channel}: before {before:.4g}, "
        "after {after:.4g}, {fate}",
    ).format(
        mode=mode,
        batch=batch,
        token_text=token_text,
        channel=channel,
        before=before,
        after=after,
        fate=fate,
    )


__all__ = ["GridFigure", "PanelRole", "describe", "hover_text", "roles_for", "shows_all_slices"]
