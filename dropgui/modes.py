"""The dropout modes dropgui knows: each one object that says all that differs between them.

A mode answers every question the rest of dropgui asks about it: which Keras layer and
arguments it uses, the shape of its random sample for a (B, S, D) input, what a kept and
a dropped cell become, its law (scale, expected kept fraction, moments of the output),
its caption and explanation, and its lines of generated Keras code. The engine, the
statistics, the result, the code generator and the grids ask the mode; none of them
tests a mode's name. Adding a mode is one subclass here, registered in `MODES`, and its
tests.

No TensorFlow and no Qt: the engine hands the Keras `layers` module in when a layer is
built.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from . import laws
from .i18n import N_, Message, tr

Shape = tuple[int, int, int]
NoiseShape = tuple[int | None, int | None, int | None]


NOISE_REACH = 3.0
"""Gaussian factor panels show 1 ± NOISE_REACH standard deviations (99.7% of factors)."""


def noise_levels(rate: float) -> tuple[float, float]:
    """Colour levels of GaussianDropout's factors: centred on 1, fixed by the rate."""
    reach = max(NOISE_REACH * laws.gaussian_stddev(rate), 0.05)
    return 1.0 - reach, 1.0 + reach


def concrete_noise_shape(noise_shape: NoiseShape | None, shape: Shape) -> Shape:
    """The noise shape with None replaced by the full size, as Keras does."""
    if noise_shape is None:
        return tuple(shape)  # type: ignore[return-value]
    return tuple(  # type: ignore[return-value]
        size if entry is None else entry for entry, size in zip(noise_shape, shape, strict=True)
    )


class Mode:
    """Plain `keras.layers.Dropout`: independent cells, survivors x 1 / (1 - rate).

    The base class is inverted dropout on cells; the other modes override what differs.
    """

    name: ClassVar[str] = "dropout"
    keras_layer: ClassVar[str] = "Dropout"
    drops: ClassVar[str] = "cells"
    """The unit dropped as a whole: "cells", "channels", "tokens", "words", or
    "nothing" (Gaussian dropout multiplies every cell by noise)."""
    takes_noise_shape: ClassVar[bool] = True
    """Whether the user's noise_shape applies (Dropout and AlphaDropout)."""
    tf_keras_noise_shape_takes_none: ClassVar[bool] = True
    """False where tf-keras' layer cannot fill None entries of noise_shape in."""
    needs_embedding: ClassVar[bool] = False
    acts_on_matrix: ClassVar[bool] = False
    """True when the layer drops rows of the embedding matrix before the lookup."""
    sample_kind: ClassVar[str] = "uniform"
    """The random op the layer draws: "uniform" (keep where >= rate) or "normal"."""
    summary: ClassVar[str] = N_(
        "independent cells are zeroed; survivors are scaled by 1/(1 - rate)"
    )
    """What the layer drops, in one clause (an English template: `tr` it to show it)."""
    law_name: ClassVar[str] = N_("inverted dropout")
    """The law's name, for the statistics' expectation check (`tr` it to show it)."""

    def __repr__(self) -> str:
        return f"<mode {self.name}: {self.keras_layer}>"

    # ------------------------------------------------------------------ the layer
    @property
    def drops_cells(self) -> bool:
        """False for modes that never zero a cell (Gaussian noise)."""
        return self.drops != "nothing"

    def layer_noise_shape(self, noise_shape: NoiseShape | None, shape: Shape, vocab: int):
        """The noise_shape passed to the layer, or None for the layer's default."""
        return None if noise_shape is None else concrete_noise_shape(noise_shape, shape)

    def sample_shape(self, noise_shape: NoiseShape | None, shape: Shape, vocab: int) -> tuple:
        """Shape of the layer's random sample: one uniform draw per independent unit."""
        return concrete_noise_shape(noise_shape, shape)

    def build_layer(self, layers: Any, rate: float, noise_shape: tuple | None, seeded: bool):
        """The Keras layer from `layers` (keras.layers or tf_keras.layers)."""
        options: dict[str, Any] = {"seed": 0} if seeded else {}
        if self.takes_noise_shape or noise_shape is not None:
            options["noise_shape"] = noise_shape
        return getattr(layers, self.keras_layer)(rate, **options)

    # ------------------------------------------------------------------ the law
    def scale(self, rate: float) -> float:
        """What a kept cell is multiplied by in training."""
        return 1.0 / (1.0 - rate)

    def affine_extras(self, rate: float) -> dict[str, float]:
        """Extra Result fields of an affine mode (AlphaDropout's b and dropped value)."""
        return {}

    def kept_and_dropped(self, x: np.ndarray, rate: float) -> tuple[np.ndarray, np.ndarray]:
        """float32 values a kept and a dropped cell take in training, as TensorFlow
        computes them.

        tf.nn.experimental.stateless_dropout: where(keep, x * scale, 0), the scale
        converted to the input's float32.
        """
        return x * np.float32(self.scale(rate)), np.zeros_like(x)

    def kept_levels(self, low: float, high: float, rate: float) -> tuple[float, float]:
        """Where kept cells of inputs in [low, high] land: the after grids' colour levels.

        They come from the input's range and the law, never from a draw, so the colours
        stay put while seeds and draws step, and a kept cell has the same colour before
        and after (its printed value shows the scale).
        """
        scale = self.scale(rate)
        return low * scale, high * scale

    def effect(self, rate: float) -> str:
        """What the layer does to a cell, for an after grid's caption: "kept ×2"."""
        return tr("kept ×{scale:.4g}", scale=self.scale(rate))

    def counted_effect(self, dropped: int, cells: int, rate: float) -> str:
        """An after grid's caption: how many of its cells were dropped, and the effect."""
        return tr(
            "{dropped} of {cells} dropped · kept ×{scale:.4g}",
            dropped=dropped,
            cells=cells,
            scale=self.scale(rate),
        )

    def output_moments(self, x: np.ndarray, rate: float, scale: float):
        """E[output] and Var[output] per cell under the law, and the law in words.

        Inverted dropout: x / (1 - rate) with probability 1 - rate, else 0, so E = x and
        Var = x^2 rate / (1 - rate) (Srivastava et al. 2014).
        """
        law = tr("inverted dropout: E = x, Var = x^2 rate / (1 - rate)")
        return x, x**2 * rate / (1 - rate), law

    def decision_grid(self, sample_shape: tuple, shape: Shape) -> Shape:
        """The grid of keep decisions that broadcasts to (B, S, D)."""
        return tuple(sample_shape)  # type: ignore[return-value]

    def decisions_on_grid(self, unit_keep: np.ndarray, token_ids: np.ndarray | None):
        """(n, *sample_shape) decisions -> (n, *decision grid)."""
        return unit_keep

    def unit_weight_sq_sum(self, grid: Shape, token_ids: np.ndarray | None) -> float:
        """Sum over independent units of (share of the cells a unit covers)^2."""
        return 1.0 / int(np.prod(grid))

    def kept_law(self, units: int, rate: float, token_ids: np.ndarray | None) -> laws.KeptLaw:
        """The law of the kept units of one slice."""
        return laws.binomial_law(units, 1.0 - rate, self.drops)

    # ------------------------------------------------------------------ words
    def caption(self, rate: float, noise_shape: NoiseShape | None) -> str:
        """The layer in one phrase: "Dropout(0.5) noise_shape=(None, 1, None)"."""
        layer = f"{self.keras_layer}({rate:g})"
        if noise_shape is not None:
            entries = ", ".join("None" if n is None else str(n) for n in noise_shape)
            layer += f" noise_shape=({entries})"
        return layer

    def dropped_sentence(self, keep_mask: np.ndarray, token_ids: np.ndarray | None) -> Message:
        """How many cells were dropped (and, for whole units, how many units), for the
        explanation: one sentence."""
        cells = keep_mask.size
        dropped = cells - int(np.count_nonzero(keep_mask))
        return tr(
            "{dropped} of {cells} cells were dropped ({share:.1%}).",
            dropped=dropped,
            cells=cells,
            share=dropped / cells,
        )

    def scale_sentence(self, rate: float, scale: float, extras: dict[str, float]) -> Message:
        """What kept (and dropped) cells become, for the explanation: one sentence."""
        return tr(
            "Survivors were scaled by 1/(1 - {rate:g}) = {scale:.4g} so the expected "
            "value is unchanged.",
            rate=rate,
            scale=scale,
        )

    def code_args(self, rate: float, noise_shape: NoiseShape | None, shape: Shape, vocab: int):
        """The layer's arguments as Python source, without the seed."""
        if noise_shape is None:
            return repr(rate)
        return f"{rate!r}, noise_shape={concrete_noise_shape(noise_shape, shape)}"


UNITS_DROPPED = {
    "channels": N_(
        "{dropped} of {cells} cells were dropped ({share:.1%}): {units_dropped} of {units} "
        "channels (counted per sample) dropped whole."
    ),
    "tokens": N_(
        "{dropped} of {cells} cells were dropped ({share:.1%}): {units_dropped} of {units} "
        "tokens (counted per sample) dropped whole."
    ),
}
"""The explanation's count of cells and whole units, by the unit a mode drops."""


def _units_dropped(keep_mask: np.ndarray, unit_kept: np.ndarray, unit: str) -> Message:
    cells = keep_mask.size
    dropped = cells - int(np.count_nonzero(keep_mask))
    return tr(
        UNITS_DROPPED[unit],
        dropped=dropped,
        cells=cells,
        share=dropped / cells,
        units_dropped=int((~unit_kept).sum()),
        units=unit_kept.size,
    )


class SpatialDropout1D(Mode):
    name = "spatial"
    keras_layer = "SpatialDropout1D"
    drops = "channels"
    takes_noise_shape = False
    summary = N_("whole embedding channels of a sample are zeroed at every timestep")

    def layer_noise_shape(self, noise_shape, shape, vocab):
        return None  # SpatialDropout1D sets its own (B, 1, D)

    def sample_shape(self, noise_shape, shape, vocab):
        return (shape[0], 1, shape[2])

    def caption(self, rate, noise_shape):
        return f"{self.keras_layer}({rate:g})"

    def dropped_sentence(self, keep_mask, token_ids):
        return _units_dropped(keep_mask, keep_mask.any(axis=1), "channels")

    def code_args(self, rate, noise_shape, shape, vocab):
        return repr(rate)


class TokenDropout(Mode):
    name = "token"
    drops = "tokens"
    takes_noise_shape = False
    summary = N_("whole tokens of a sample are zeroed (noise_shape=(batch, seq, 1))")

    def layer_noise_shape(self, noise_shape, shape, vocab):
        return (shape[0], shape[1], 1)

    def sample_shape(self, noise_shape, shape, vocab):
        return (shape[0], shape[1], 1)

    def caption(self, rate, noise_shape):
        return f"{self.keras_layer}({rate:g}) noise_shape=(B, S, 1)"

    def dropped_sentence(self, keep_mask, token_ids):
        return _units_dropped(keep_mask, keep_mask.any(axis=2), "tokens")

    def code_args(self, rate, noise_shape, shape, vocab):
        return f"{rate!r}, noise_shape=(x.shape[0], x.shape[1], 1)"


class WordDropout(Mode):
    """Embedding-matrix dropout (Gal & Ghahramani 2016; AWD-LSTM's embedded_dropout):
    one keep/drop per vocabulary row, applied to the weights before the lookup."""

    name = "word"
    drops = "words"
    takes_noise_shape = False
    needs_embedding = True
    acts_on_matrix = True
    summary = N_(
        "rows of the embedding matrix are zeroed before the lookup, so a dropped "
        "word id is zero everywhere it occurs"
    )

    def layer_noise_shape(self, noise_shape, shape, vocab):
        return (vocab, 1)

    def sample_shape(self, noise_shape, shape, vocab):
        return (vocab, 1)

    def decision_grid(self, sample_shape, shape):
        return (shape[0], shape[1], 1)  # one decision per position, looked up by id

    def decisions_on_grid(self, unit_keep, token_ids):
        return unit_keep[:, token_ids, 0][..., np.newaxis]

    def unit_weight_sq_sum(self, grid, token_ids):
        _, counts = np.unique(token_ids, return_counts=True)
        shares = counts / token_ids.size
        return float((shares**2).sum())

    def kept_law(self, units, rate, token_ids):
        return laws.repeated_id_law(token_ids, 1.0 - rate)

    def caption(self, rate, noise_shape):
        return tr("embedding-matrix {layer}({rate:g})", layer=self.keras_layer, rate=rate)

    def dropped_sentence(self, keep_mask, token_ids):
        cells = keep_mask.size
        dropped = cells - int(np.count_nonzero(keep_mask))
        kept_ids = np.unique(token_ids[keep_mask[:, :, 0]])
        dropped_ids = np.setdiff1d(np.unique(token_ids), kept_ids)
        return tr(
            "{dropped} of {cells} cells were dropped ({share:.1%}): {ids_dropped} of the "
            "{ids} distinct word ids in the batch were dropped, zeroing {positions} token "
            "positions.",
            dropped=dropped,
            cells=cells,
            share=dropped / cells,
            ids_dropped=dropped_ids.size,
            ids=np.unique(token_ids).size,
            positions=int(np.isin(token_ids, dropped_ids).sum()),
        )

    def code_args(self, rate, noise_shape, shape, vocab):
        return f"{rate!r}, noise_shape=({vocab}, 1)"


class GaussianDropout(Mode):
    name = "gaussian"
    keras_layer = "GaussianDropout"
    drops = "nothing"
    takes_noise_shape = False
    sample_kind = "normal"
    summary = N_("every cell is multiplied by noise 1 + N(0, rate / (1 - rate)); none is zero")
    law_name = N_("Gaussian noise")

    def layer_noise_shape(self, noise_shape, shape, vocab):
        return None

    def sample_shape(self, noise_shape, shape, vocab):
        return tuple(shape)  # one factor per cell

    def scale(self, rate):
        return 1.0  # each cell has its own factor, in Result.noise

    def kept_levels(self, low, high, rate):
        # Factors within NOISE_REACH standard deviations of 1; a rarer factor is drawn
        # in the end colour and its value still printed.
        lo, hi = noise_levels(rate)
        products = (low * lo, low * hi, high * lo, high * hi)
        return min(products), max(products)

    def effect(self, rate):
        return f"×N(1, {rate / (1 - rate):.3g})"

    def output_moments(self, x, rate, scale):
        # N(1, rate / (1 - rate)) factors: the moments of inverted dropout (Keras
        # GaussianDropout docstring).
        law = tr("Gaussian noise: E = x, Var = x^2 rate / (1 - rate)")
        return x, x**2 * rate / (1 - rate), law

    def decision_grid(self, sample_shape, shape):
        return (1, 1, 1)  # every cell is kept

    def kept_law(self, units, rate, token_ids):
        return laws.all_kept_law(units)

    def caption(self, rate, noise_shape):
        return f"{self.keras_layer}({rate:g})"

    def code_args(self, rate, noise_shape, shape, vocab):
        return repr(rate)


class AlphaDropout(Mode):
    name = "alpha"
    keras_layer = "AlphaDropout"
    # tf_keras' AlphaDropout turns noise_shape into a tensor and fails on None ("Attempt
    # to convert a value (None) ..."); Keras 3 and both Dropout layers fill it in.
    tf_keras_noise_shape_takes_none = False
    summary = N_(
        "dropped cells are set to SELU's negative saturation and everything is "
        "shifted and scaled to keep mean and variance"
    )
    law_name = N_("Alpha")

    def scale(self, rate):
        return laws.alpha_affine(rate)[0]

    def affine_extras(self, rate):
        a, b = laws.alpha_affine(rate)
        return {"alpha_shift": b, "alpha_dropped_value": a * laws.ALPHA_PRIME + b}

    def kept_and_dropped(self, x, rate):
        # keras.layers.AlphaDropout.call, in float32 as TensorFlow runs it:
        # a * (x * keep + alpha' * (1 - keep)) + b.
        a, b = (np.float32(value) for value in laws.alpha_affine(rate))
        return a * x + b, np.full_like(x, a * np.float32(laws.ALPHA_PRIME) + b)

    def output_moments(self, x, rate, scale):
        # E = a (1 - rate) x and Var = a^2 rate (1 - rate) (x - alpha')^2 (Klambauer et
        # al. 2017). Mean 0 and variance 1 are kept over SELU-normalised inputs, not cell
        # by cell.
        return (
            scale * (1 - rate) * x,
            scale**2 * rate * (1 - rate) * (x - laws.ALPHA_PRIME) ** 2,
            tr(
                "Alpha: E = a(1 - rate) x with a = {a:.4g}; Var = a^2 rate (1 - rate) "
                "(x - alpha')^2; mean 0 and variance 1 are kept for SELU-normalised inputs",
                a=scale,
            ),
        )

    def kept_levels(self, low, high, rate):
        a, b = laws.alpha_affine(rate)
        return a * low + b, a * high + b

    def effect(self, rate):
        a, b = laws.alpha_affine(rate)
        value = a * laws.ALPHA_PRIME + b
        return tr("dropped → {value:.2f} · kept → {a:.3g}x + {b:.2g}", value=value, a=a, b=b)

    def counted_effect(self, dropped, cells, rate):
        a, b = laws.alpha_affine(rate)
        return tr(
            "{dropped} of {cells} dropped → {value:.2f} · kept → {a:.3g}x + {b:.2g}",
            dropped=dropped,
            cells=cells,
            value=a * laws.ALPHA_PRIME + b,
            a=a,
            b=b,
        )

    def scale_sentence(self, rate, scale, extras):
        return tr(
            "Dropped cells hold a*alpha'+b = {value:.4g}; kept cells become a*x+b with "
            "a = {a:.4g}, b = {b:.4g}.",
            value=extras["alpha_dropped_value"],
            a=scale,
            b=extras["alpha_shift"],
        )


MODES: dict[str, Mode] = {
    mode.name: mode
    for mode in (
        Mode(),
        SpatialDropout1D(),
        TokenDropout(),
        WordDropout(),
        GaussianDropout(),
        AlphaDropout(),
    )
}

ENGINES: tuple[str, ...] = ("keras3", "tf-keras")
SOURCES: tuple[str, ...] = ("arange", "embedding", "model")
"""Inputs that are not a .npy file's path ("model": a saved model's Embedding)."""
