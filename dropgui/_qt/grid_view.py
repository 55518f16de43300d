"""What the panels of a figure share: one view, equal column widths, the hovered cell.

Every panel of a figure shows the same cells at the same size: one centre (in cells) and
one cell size (in pixels), the fitted one until a wheel or a drag chooses another
(`SharedView`). `share_width` gives every column of panels the same heatmap width, so
that cells can be the same size in all of them. `mark_hovered` marks the hovered cell in
every panel of its slice, and every position of its word id, strip included.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg

from .grid_panel import BAR_SIZE, GridPanel

View = tuple[float, float, float]
"""(centre x, centre y, pixels per cell)."""
MIN_ZOOM, MAX_CELL_PX = 0.5, 400.0
"""Zooming out stops at half the fitted size; in, at cells this many pixels wide."""


class SharedView:
    """The one view every panel of a figure shows; `chosen` is None while fitted."""

    def __init__(self) -> None:
        self.chosen: View | None = None
        self._applying = False

    def reset(self) -> None:
        """Fitted again: whole slices, as large as the panels allow."""
        self.chosen = None

    @staticmethod
    def fitted_px(panels: Sequence[GridPanel], shape: tuple[int, int, int]) -> float:
        """The largest cell size at which every panel shows its whole slice."""
        seq_len, dim = shape[1:]
        sizes = [(p.plot.vb.width(), p.plot.vb.height()) for p in panels]
        return max(1e-3, min(min(w / dim, h / seq_len) for w, h in sizes))

    def state(self, panels: Sequence[GridPanel], shape: tuple[int, int, int]) -> View:
        """The view every panel shows now."""
        if self.chosen is not None:
            return self.chosen
        seq_len, dim = shape[1:]
        return (dim - 1) / 2, (seq_len - 1) / 2, self.fitted_px(panels, shape)

    def follow(self, vb: pg.ViewBox) -> bool:
        """A wheel or a drag changed one panel's view box: that view is chosen for all.
        False when the change is our own (while applying) or the box has no size."""
        if self._applying or vb.width() <= 0:
            return False
        (x0, x1), (y0, y1) = vb.viewRange()
        self.chosen = ((x0 + x1) / 2, (y0 + y1) / 2, vb.width() / (x1 - x0))
        return True

    def apply(self, panels: Sequence[GridPanel], shape: tuple[int, int, int]) -> None:
        """Give every panel the same centre and cell size, kept within bounds (zoom
        between MIN_ZOOM of the fitted size and MAX_CELL_PX, centre inside the slice)."""
        if self._applying or not panels:
            return
        seq_len, dim = shape[1:]
        fitted = self.fitted_px(panels, shape)
        if self.chosen is None:
            cx, cy, px = (dim - 1) / 2, (seq_len - 1) / 2, fitted
        else:
            cx, cy, px = self.chosen
            px = min(max(px, MIN_ZOOM * fitted), max(MAX_CELL_PX, fitted))
            cx = min(max(cx, -0.5), dim - 0.5)
            cy = min(max(cy, -0.5), seq_len - 0.5)
            self.chosen = (cx, cy, px)
        self._applying = True
        try:
            for panel in panels:
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


def share_width(
    layout, width: float, first_row: Sequence[GridPanel], panels: Sequence[GridPanel], strip: float
) -> None:
    """Give every column of panels the same heatmap width in a figure `width` pixels
    wide: the first column also holds the row labels, the after columns their count bars
    beside, and the overview strip (`strip` pixels, 0 without one) its own."""
    roles = len(first_row)
    fixed = first_row[0].left_axis.minimumWidth()  # the row labels, first panel only
    gap = layout.horizontalSpacing()
    counted = sum(p.row_bars is not None for p in first_row)
    strip = strip + gap if strip else 0
    margins = layout.getContentsMargins()
    room = width - margins[0] - margins[2] - 16 - fixed - strip - gap * (roles - 1)

    def share_with(bar: float) -> float:
        return max(24.0, (room - counted * (bar + gap)) / roles)

    # count bars: at most a third of the grid they count, never above BAR_SIZE
    bar = min(BAR_SIZE + 6, max(12.0, share_with(BAR_SIZE + 6) / 3))
    share = share_with(bar)
    for position in range(roles):
        layout.setColumnFixedWidth(2 * position, share + (fixed if position == 0 else 0))
    for panel in panels:
        if panel.row_bars is not None:
            panel.size_bars(bar, gap)


def cell_under(rows, scene_pos) -> tuple[int, int, int] | None:
    """(batch, token, channel) of the panel cell at a scene position, or None."""
    for batch, _, panel in rows:
        cell = panel.cell_at(scene_pos)
        if cell is not None:
            return batch, *cell
    return None


def mark_hovered(rows, overview, token_ids: np.ndarray | None, hovered) -> None:
    """Mark cell `hovered` = (batch, token, channel) in every panel of its slice, and,
    with token ids, every position holding its id in every panel and in the overview
    strip; None clears the marks. `rows` are the figure's (batch, role, panel)."""
    word = None if hovered is None or token_ids is None else token_ids[hovered[0], hovered[1]]
    for batch, _, panel in rows:
        panel.mark_cell(hovered[1:] if hovered and hovered[0] == batch else None)
        panel.mark_rows([] if word is None else np.flatnonzero(token_ids[batch] == word))
    if overview is not None:
        positions = [] if word is None else [tuple(p) for p in np.argwhere(token_ids == word)]
        overview.mark_rows(positions)


__all__ = ["MAX_CELL_PX", "MIN_ZOOM", "SharedView", "cell_under", "mark_hovered", "share_width"]
