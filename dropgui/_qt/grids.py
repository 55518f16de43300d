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

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, QTimer, Signal

from ..result import Result
from . import theme as themes
from .grid_panel import COLUMN_GAP, FreeLabel, GridPanel
from .grid_roles import PanelRole, draw_role, roles_for, set_titles, value_format
from .grid_text import describe, hover_text, legend_entries, wrap_legend
from .grid_view import SharedView, cell_under, mark_hovered, share_width
from .i18n import Retranslated
from .overview import Overview
from .style import color_bar
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


class GridFigure(Retranslated, pg.GraphicsLayoutWidget):
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
        self.shared_view = SharedView()
        """The centre and cell size every panel shows (zoom and pan)."""
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
                self.shared_view.reset()  # a new shape starts fitted
        title = describe(result, compare)
        if title != self.title.text:  # a new label text lays the figure out again
            self.title.setText(title)
        integral, chars = value_format(roles, self.slices)
        for index, (b, _, panel) in enumerate(self.rows):
            role = roles[index % len(roles)]
            self.rows[index] = (b, role, panel)
            draw_role(panel, role, b, integral and role.kind != "noise", chars)
        set_titles(self.rows, len(roles))
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
            bar = color_bar(role.levels, role.color_map, self.theme.foreground)
            self.ci.addItem(bar, row=bars_row, col=2 * position)
            self.color_bars.append(bar)
            layout.setColumnStretchFactor(2 * position, 1)
        self.overview = None
        if with_overview:
            self.overview = Overview(self.theme, self.pen_scale())
            self.ci.addItem(self.overview, row=1, col=columns, rowspan=bars_row)
        self.ci.addItem(self.legend, row=bars_row + 1, col=0, colspan=columns + 1)

    def _update_legend(self) -> None:
        """Name in the legend only what the view shows now."""
        entries = legend_entries(self.panels, self.theme)
        key = (tuple(entries), self.width())
        if key != self._legend_key:  # a new label text lays the figure out again
            self._legend_key = key
            self.legend_entries = [text for _, _, text in entries]
            self.legend.setText(wrap_legend(entries, self.width()))

    def restyle(self) -> None:
        self.apply_theme(self.fixed_theme or themes.current())

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
                QTimer.singleShot(0, self._rebuild)
        self._settle()

    def _settle(self) -> None:
        """Share the width, fit the cells, then name in the legend what is drawn.

        A relaid-out top-level layout shrinks to its preferred size, so the layout is
        given the whole view again after each change."""
        if self.rows:
            first_row = [panel for _, _, panel in self.rows[: len(self.color_bars)]]
            strip = self.overview.maximumWidth() if self.overview else 0
            share_width(self.ci.layout, self.width(), first_row, self.panels, strip)
        self.ci.setGeometry(self.range)
        self._apply_view()
        self._update_legend()
        self.ci.setGeometry(self.range)

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
        self.shared_view.reset()
        self._apply_view()

    def set_view(self, centre_x: float, centre_y: float, cell_px: float) -> None:
        """Show every panel around cell (centre_x, centre_y) at `cell_px` pixels a cell."""
        self.shared_view.chosen = (centre_x, centre_y, cell_px)
        self._apply_view()

    def _on_user_view(self, vb: pg.ViewBox) -> None:
        """A wheel or a drag changed one panel: every panel follows it."""
        if self.shared_view.follow(vb):
            self._apply_view()
            self._update_legend()  # bands hide on cells too small to outline

    def _apply_view(self) -> None:
        if self.result is not None:
            self.shared_view.apply(self.panels, self.result.shape)

    @property
    def view_state(self) -> tuple[float, float, float]:
        """(centre x, centre y, pixels per cell) every panel shows."""
        return self.shared_view.state(self.panels, self.result.shape)

    # ------------------------------------------------------------------ hover
    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        self._hovered = cell_under(self.rows, scene_pos)
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
        mark_hovered(self.rows, self.overview, ids, hovered)
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
        cell = cell_under(self.rows, event.scenePos())
        if cell is not None:
            self.sigCellClicked.emit(cell)


__all__ = ["GridFigure", "PanelRole", "roles_for", "shows_all_slices"]
