"""The words of the grids: the figure's title, row labels, the hover line and the legend.

Every string is marked for Qt's translation (context "GridFigure") and said in the
language set when it is asked for; `GridFigure` asks again on LanguageChange.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication

from ..result import Result
from .style import DROPPED, NEUTRAL, hex_colour
from .theme import Theme

translate = QCoreApplication.translate

LegendEntry = tuple[str, str, str]
"""(symbol, its CSS colour, text)."""


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


def row_labels(token_ids: np.ndarray | None, words: Sequence[str] | None = None):
    """Row label of token s: "3", "t3 · id 905" when the tokens have ids, or the word
    itself, "t3 · movie", when a model's TextVectorization made the ids from text."""
    if words is not None:
        return lambda s: f"t{s} · {words[s]}"
    if token_ids is None:
        return str
    return lambda s: f"t{s} · id {int(token_ids[s])}"


def row_title(result: Result, batch: int) -> str:
    """The title of a slice's row axis: what its row labels hold."""
    if result.words is not None:
        title = translate("GridFigure", "slice {batch} · token · word")
    elif result.token_ids is not None:
        title = translate("GridFigure", "slice {batch} · token · id")
    else:
        title = translate("GridFigure", "slice {batch} · token")
    return title.format(batch=batch)


def legend_entries(panels, theme: Theme) -> list[LegendEntry]:
    """Only what the panels show: drops, bands, chance lines, bars, the factor map."""
    entries = []
    red, band, chance = (hex_colour(c) for c in (DROPPED, theme.band, theme.chance))
    if any(p.dropped is not None and p.dropped.any() for p in panels):
        text = translate(
            "GridFigure", "dropped: filled and ringed <i>after</i>, outlined <i>before</i>"
        )
        entries.append(("■", red, text))
    if any(p.bands.isVisible() and not p.bands.path().isEmpty() for p in panels):
        text = translate("GridFigure", "whole token, channel or word: one decision")
        entries.append(("▢", band, text))
    if any(p.chance.isVisible() and not p.chance.path().isEmpty() for p in panels):
        entries.append(("┅", chance, translate("GridFigure", "row or column emptied by chance")))
    if any(p.row_bars is not None for p in panels):
        text = translate("GridFigure", "bars: dropped per token / channel")
        entries.append(("▮", hex_colour(NEUTRAL), text))
    if any(p.kind == "noise" for p in panels):
        entries.append(("", "", translate("GridFigure", "factors: blue &lt; 1 &lt; yellow")))
    return entries


def wrap_legend(entries: list[LegendEntry], width: float) -> str:
    """The entries as HTML, on as many lines as `width` pixels need (never wider)."""
    lines, line, used = [], [], 0
    budget = max(200, width - 20)
    for symbol, colour, text in entries:
        size = 7 * (text_width(text) - text.count("<i>") * 7 + 4)
        if line and used + size > budget:
            lines.append(line)
            line, used = [], 0
        line.append(f"<span style='color:{colour}'>{symbol}</span> {text}")
        used += size
    if line:
        lines.append(line)
    return "<br>".join(" &nbsp;&nbsp; ".join(items) for items in lines)


def text_width(text: str) -> int:
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


__all__ = [
    "describe",
    "hover_text",
    "legend_entries",
    "row_labels",
    "row_title",
    "text_width",
    "wrap_legend",
]
