"""What each column of a figure shows, and how one slice of it is drawn in a panel.

A figure's columns are roles: the input ("before"), GaussianDropout's factors, and the
output ("after") of the result and of the compared result. A role knows its values,
colour levels and map, and its title; `draw_role` draws one slice of it in a panel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication

from ..result import Result
from .cell_values import format_values, is_integral
from .grid_panel import GridPanel
from .grid_text import row_labels, row_title
from .style import COLOR_MAP, NOISE_MAP

translate = QCoreApplication.translate

LABEL_SAMPLE = 4096
"""Values sampled per panel to size the printed values (the visible ones are measured
exactly when drawn)."""


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


def value_format(roles: Sequence[PanelRole], slices: Sequence[int]) -> tuple[bool, int]:
    """How the values of the slices shown print, alike in every panel: whole numbers
    only if every value shown is whole, and the characters of the longest."""
    shown = list(slices)
    result = roles[0].result
    outputs = [role.result.output for role in roles if role.kind == "after"]
    integral = is_integral(_sample(result.input, shown), *(_sample(o, shown) for o in outputs))
    chars = max(
        _label_chars(role.values(b), integral and role.kind != "noise")
        for b in slices
        for role in roles
    )
    return integral, chars


def draw_role(panel: GridPanel, role: PanelRole, batch: int, integral: bool, chars: int) -> None:
    """Slice `batch` of `role` in `panel`: values, dropped cells, axes."""
    result = role.result
    ids = None if result.token_ids is None else result.token_ids[batch]
    words = None if result.words is None else result.words[batch]
    where = row_title(result, batch)
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


def set_titles(rows: Sequence[tuple[int, PanelRole, GridPanel]], columns: int) -> None:
    """Panel titles; those of a row get as many lines each, so its grids line up."""
    for start in range(0, len(rows), columns):
        row = rows[start : start + columns]
        lines = [role.title_lines(b, heading=start == 0) for b, role, _ in row]
        height = max(len(text) for text in lines)
        for (_, _, panel), text in zip(row, lines, strict=True):
            panel.set_title("<br>".join(text + ["&nbsp;"] * (height - len(text))))


__all__ = ["PanelRole", "draw_role", "roles_for", "set_titles", "value_format"]
