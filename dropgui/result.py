"""What a computation produced: the `Result` and its explanation in words.

The explanation and captions are `dropgui.i18n` messages: English unless the window
chose another language, and able to say themselves again after a switch."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from . import laws
from .i18n import N_, Message, tr
from .modes import MODES, Mode, noise_levels
from .spec import Spec, format_shape

if TYPE_CHECKING:
    from .model import DropoutLayer


@dataclass(frozen=True, eq=False)
class Result:
    """Input, output and keep mask of one spec, with the facts derived from them.

    `keep_mask` comes from the random draw itself (the uniform sample compared with
    the rate, as inside Keras), never from looking for zeros in the output, so an input
    cell that is 0 and kept counts as kept. `scale` is what kept cells are multiplied by:
    1 / (1 - rate) for the dropout modes, Alpha's `a` (kept cells become a * x + b),
    1 for Gaussian noise, whose per-cell factors are in `noise`, and 1 at inference.
    """

    spec: Spec
    input: np.ndarray
    output: np.ndarray
    keep_mask: np.ndarray
    scale: float
    noise_shape: tuple[int, ...]
    """Shape of the random sample: (B, S, D) with 1 on shared axes, or (vocab, 1) in word
    mode, where the sample drops rows of the embedding matrix."""
    token_ids: np.ndarray | None = None
    noise: np.ndarray | None = None
    """Gaussian dropout's multiplicative factors, (B, S, D)."""
    alpha_shift: float | None = None
    """Alpha dropout's `b`; a dropped cell holds `alpha_dropped_value`."""
    alpha_dropped_value: float | None = None
    seconds: float = 0.0
    model_layer: DropoutLayer | None = None
    """The saved model's dropout layer that the after grid shows (`spec.layer`)."""
    words: tuple[tuple[str, ...], ...] | None = None
    """For a model with a TextVectorization: the vocabulary word at every (b, s)
    position, for row labels ("[PAD]" for padding, "[UNK]" for unknown words)."""

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.input.shape  # type: ignore[return-value]

    @property
    def drops_cells(self) -> bool:
        """False when no cell can be dropped: Gaussian noise, inference or rate 0."""
        return self.spec.training and self.mode.drops_cells

    @property
    def mode(self) -> Mode:
        """The dropout mode of the spec: what the grids, captions and statistics ask."""
        return MODES[self.spec.mode]

    # Derived figures are cached: the window, the explanation and the CLI all read
    # them, and at (8, 512, 768) each pass over the arrays costs about a millisecond.
    @cached_property
    def kept_fraction(self) -> float:
        return np.count_nonzero(self.keep_mask) / self.keep_mask.size

    @cached_property
    def mean_before(self) -> float:
        return float(self.input.mean(dtype=np.float64))  # a float32 sum can overflow

    @cached_property
    def mean_after(self) -> float:
        return float(self.output.mean(dtype=np.float64))

    @cached_property
    def value_range(self) -> tuple[float, float]:
        """Lowest and highest value of input and output together (a colour scale)."""
        return (
            min(float(self.input.min()), float(self.output.min())),
            max(float(self.input.max()), float(self.output.max())),
        )

    @cached_property
    def input_levels(self) -> tuple[float, float]:
        """The before grids' colour levels: the finite range of the input (never empty)."""
        low, high = float(self.input.min()), float(self.input.max())
        if not (np.isfinite(low) and np.isfinite(high)):  # then look past inf and nan
            finite = self.input[np.isfinite(self.input)]
            if finite.size == 0:
                return 0.0, 1.0
            low, high = float(finite.min()), float(finite.max())
        if high <= low:  # a constant input (all zeros, say) still gets a scale
            low, high = low - 0.5, high + 0.5
        return low, high

    @property
    def output_levels(self) -> tuple[float, float]:
        """The after grids' colour levels: where the law puts kept cells of the input's
        range. Fixed for an input and a mode while seeds and draws step."""
        if not self.spec.training:
            return self.input_levels
        return self.mode.kept_levels(*self.input_levels, self.spec.rate)

    @property
    def noise_levels(self) -> tuple[float, float] | None:
        """Gaussian factors' colour levels, centred on 1; None without factors."""
        return None if self.noise is None else noise_levels(self.spec.rate)

    @property
    def structural_rows(self) -> bool:
        """True when one decision drops a whole token (row) of a slice: token and word
        modes, or a noise_shape of 1 on the channel axis."""
        return self._shared_axis(2)

    @property
    def structural_columns(self) -> bool:
        """True when one decision drops a whole channel (column) of a slice:
        SpatialDropout1D, or a noise_shape of 1 on the sequence axis."""
        return self._shared_axis(1)

    def _shared_axis(self, axis: int) -> bool:
        if not self.drops_cells or self.shape[axis] == 1:
            return False
        return self.mode.decision_grid(self.noise_shape, self.shape)[axis] == 1

    def after_caption(self, batch: int) -> str:
        """What happened to one slice, for its after grid: "12 of 48 dropped · kept ×2"."""
        spec = self.spec
        if not spec.training:
            return tr("training=False: unchanged")
        if not self.drops_cells:
            return self.mode.effect(spec.rate)
        keep = self.keep_mask[batch]
        dropped = keep.size - int(np.count_nonzero(keep))
        return self.mode.counted_effect(dropped, keep.size, spec.rate)

    @property
    def expected_kept_fraction(self) -> float:
        return 1.0 - self.spec.rate if self.drops_cells else 1.0

    @property
    def dropped_rows(self) -> tuple[np.ndarray, ...]:
        """Per batch slice, the sorted token indices whose every channel was dropped."""
        return tuple(np.flatnonzero(~slice_mask.any(axis=1)) for slice_mask in self.keep_mask)

    @property
    def dropped_columns(self) -> tuple[np.ndarray, ...]:
        """Per batch slice, the sorted channel indices dropped at every token."""
        return tuple(np.flatnonzero(~slice_mask.any(axis=0)) for slice_mask in self.keep_mask)

    @property
    def affine_extras(self) -> dict[str, float]:
        """AlphaDropout's b and dropped value by name; empty for the other modes."""
        if self.alpha_shift is None:
            return {}
        return {"alpha_shift": self.alpha_shift, "alpha_dropped_value": self.alpha_dropped_value}

    @property
    def caption(self) -> str:
        """The layer in one phrase, e.g. "Dropout(0.5) noise_shape=(None, 1, None)", or
        the model's layer by name: "LSTM 'lstm' input dropout(0.3)"."""
        if self.model_layer is not None:
            return self.model_layer.caption
        return self.mode.caption(self.spec.rate, self.spec.noise_shape)

    @cached_property
    def explanation(self) -> str:
        """`explain(self)`, a message: `i18n.translated` says it in a newer language."""
        return explain(self)

    def _repr_png_(self) -> tuple[bytes, dict[str, int]] | None:
        """Jupyter shows a Result as dropgui's figure, drawn offscreen at 2x and shown at
        its 1x size (width/height metadata); None (the text repr) when too large to draw.

        The figure is drawn by Qt, which the core never imports: the drawing module is
        loaded by name only when a notebook asks for the picture."""
        return importlib.import_module("dropgui.notebook").repr_png(self)


SHARED_AXES = {
    (True, False): N_(
        "noise_shape {noise_shape} shares one decision along its 1 axes, so whole tokens "
        "(all channels of a position) of a sample are dropped together, not independent "
        "cells"
    ),
    (False, True): N_(
        "noise_shape {noise_shape} shares one decision along its 1 axes, so whole embedding "
        "channels (at every timestep) of a sample are dropped together, not independent cells"
    ),
    (True, True): N_(
        "noise_shape {noise_shape} shares one decision along its 1 axes, so whole tokens "
        "(all channels of a position) and whole embedding channels (at every timestep) of a "
        "sample are dropped together, not independent cells"
    ),
}
"""What a noise_shape drops whole, by (whole rows, whole columns)."""


def _what_drops(result: Result) -> Message:
    """The mode's summary, or, for a noise_shape that shares axes, what it drops whole."""
    mode = result.mode
    site = result.model_layer
    if site is not None and site.recurrent:
        template = (
            N_(
                "the {layer_class}'s input is multiplied by a dropout mask of ones, drawn "
                "anew at every timestep: {summary}"
            )
            if site.fused
            else N_(
                "the {layer_class}'s input is multiplied by a dropout mask of ones, reused "
                "at every timestep: {summary}"
            )
        )
        return tr(template, layer_class=site.class_name, summary=tr(mode.summary))
    if mode.drops != "cells" or not (result.structural_rows or result.structural_columns):
        return tr(mode.summary)
    shared = SHARED_AXES[(result.structural_rows, result.structural_columns)]
    return tr(shared, noise_shape=result.noise_shape)


def explain(result: Result) -> Message:
    """A short paragraph: what was dropped, how many, the scale, kept fraction, means.

    Each sentence is one template of `dropgui.i18n` (whole, with named fields), so the
    paragraph reads naturally in every language dropgui speaks."""
    spec = result.spec
    mode = result.mode
    cells = result.keep_mask.size
    layer: str = f"{mode.keras_layer}({spec.rate:g})"
    if result.model_layer is not None:
        layer = tr("The model's layer {caption}", caption=result.model_layer.caption)
    elif spec.source == "model":
        layer = tr("{layer} on the model's embedding output", layer=layer)
    means = tr(
        "Mean before {before:.4g}, after {after:.4g}.",
        before=result.mean_before,
        after=result.mean_after,
    )
    if not spec.training:
        return tr(
            "{layer} at inference (training=False) is the identity: every one of the "
            "{cells} cells is kept and nothing is scaled. {means}",
            layer=layer,
            cells=cells,
            means=means,
        )
    if not mode.drops_cells:
        noise = result.noise
        std = laws.gaussian_stddev(spec.rate)
        return tr(
            "{layer} multiplied every cell by its own noise factor drawn from "
            "N(1, {std:.4g}^2); no cell is zero. The {cells} factors have mean "
            "{mean:.4g} (expected 1) and spread {spread:.4g} (expected {std:.4g}). {means}",
            layer=layer,
            std=std,
            cells=cells,
            mean=float(noise.mean()),
            spread=float(noise.std()),
            means=means,
        )
    what = tr(
        "{layer} on a {shape} tensor: {what}.",
        layer=layer,
        shape=format_shape(result.shape),
        what=_what_drops(result),
    )
    kept = tr(
        "Kept fraction {kept:.3f} against the expected {expected:.3f}.",
        kept=result.kept_fraction,
        expected=result.expected_kept_fraction,
    )
    return tr(
        "{what} {dropped} {kept} {scale} {means}",
        what=what,
        dropped=mode.dropped_sentence(result.keep_mask, result.token_ids),
        kept=kept,
        scale=mode.scale_sentence(spec.rate, result.scale, result.affine_extras),
        means=means,
    )
