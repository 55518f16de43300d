"""The dropout modes dropgui knows, and what each one drops.

Pure data: no TensorFlow, no Qt. The engine turns a mode into Keras layers; the window
and the explanation read the facts here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mode:
    """One dropout mode and the unit it removes."""

    name: str
    keras_layer: str
    drops: str
    """The unit that is dropped as a whole: "cells", "channels", "tokens", "words", or
    "nothing" (Gaussian dropout multiplies every cell by noise)."""
    takes_noise_shape: bool
    needs_embedding: bool
    summary: str


MODES: dict[str, Mode] = {
    mode.name: mode
    for mode in (
        Mode(
            "dropout",
            "Dropout",
            "cells",
            takes_noise_shape=True,
            needs_embedding=False,
            summary="independent cells are zeroed; survivors are scaled by 1/(1 - rate)",
        ),
        Mode(
            "spatial",
            "SpatialDropout1D",
            "channels",
            takes_noise_shape=False,
            needs_embedding=False,
            summary="whole embedding channels of a sample are zeroed at every timestep",
        ),
        Mode(
            "token",
            "Dropout",
            "tokens",
            takes_noise_shape=False,
            needs_embedding=False,
            summary="whole tokens of a sample are zeroed (noise_shape=(batch, seq, 1))",
        ),
        Mode(
            "word",
            "Dropout",
            "words",
            takes_noise_shape=False,
            needs_embedding=True,
            summary=(
                "rows of the embedding matrix are zeroed before the lookup, so a dropped "
                "word id is zero everywhere it occurs"
            ),
        ),
        Mode(
            "gaussian",
            "GaussianDropout",
            "nothing",
            takes_noise_shape=False,
            needs_embedding=False,
            summary="every cell is multiplied by noise 1 + N(0, rate / (1 - rate)); none is zero",
        ),
        Mode(
            "alpha",
            "AlphaDropout",
            "cells",
            takes_noise_shape=True,
            needs_embedding=False,
            summary=(
                "dropped cells are set to SELU's negative saturation and everything is "
                "shifted and scaled to keep mean and variance"
            ),
        ),
    )
}

ENGINES: tuple[str, ...] = ("keras3", "tf-keras")
SOURCES: tuple[str, ...] = ("arange", "embedding")
