"""The input side of a computation, checked and resolved: what the engine runs on.

`prepare(spec)` runs every check (so bad input fails fast and before TensorFlow is
imported), reads a .npy file safely (`npy_file.py`), and draws token ids. The embedding
lookup itself is a Keras layer and happens in the engine. A saved model's input (source
"model") is checked and resolved by `model_input.py`, which loads the model with Keras
and so imports TensorFlow for text.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .model_input import ModelInput, model_input
from .modes import MODES
from .npy_file import load_npy, npy_shape
from .spec import Spec, check_noise_shape


@dataclass(frozen=True, eq=False)
class Prepared:
    """A checked spec with its input resolved: what the engine needs to run."""

    spec: Spec
    shape: tuple[int, int, int]
    values: np.ndarray | None
    """float32 (B, S, D) for arange and .npy input; None for embedding input."""
    token_ids: np.ndarray | None
    """int32 (B, S) for embedding and model input; None otherwise."""
    model: ModelInput | None = None
    """A saved model's Embedding, chosen layer and ids, for source "model"."""

    @property
    def noise_shape(self) -> tuple[int, ...]:
        """Shape of the layer's random sample for this input (the mode decides)."""
        return MODES[self.spec.mode].sample_shape(
            self.spec.noise_shape, self.shape, self.spec.vocab
        )

    def for_spec(self, spec: Spec) -> Prepared:
        """The same input for another spec that reads it alike (a compared mode, another
        seed or draw), checked without reading the file again."""
        if _input_fields(spec) != _input_fields(self.spec):
            return prepare(spec)
        spec.validate()
        if spec.noise_shape is not None:
            check_noise_shape(spec.noise_shape, self.shape)
        resolved = None if self.model is None else self.model.for_spec(spec)
        return Prepared(spec, self.shape, self.values, self.token_ids, resolved)


def _input_fields(spec: Spec) -> tuple:
    """What decides the input tensor (the vocabulary and the engine too, as a model's
    checks depend on them)."""
    return (
        spec.source,
        spec.shape,
        spec.tokens,
        spec.data_seed,
        spec.vocab,
        spec.model,
        spec.text,
        spec.engine if spec.source == "model" else None,
    )


def prepare(spec: Spec) -> Prepared:
    """Check `spec` and resolve its input; raise DropguiError on any problem."""
    spec.validate()
    token_ids = resolved = None
    if spec.source == "model":
        resolved = model_input(spec)
        shape, values, token_ids = resolved.shape, None, resolved.token_ids
    elif spec.source == "arange":
        shape = spec.shape
        values = arange_tensor(shape)
    elif spec.source == "embedding":
        shape = spec.shape
        values = None
        token_ids = draw_token_ids(spec)
    else:
        values = load_npy(Path(spec.source))
        shape = values.shape
    if spec.noise_shape is not None:
        check_noise_shape(spec.noise_shape, shape)
    return Prepared(spec, shape, values, token_ids, resolved)


@functools.lru_cache(maxsize=4)
def arange_tensor(shape: tuple[int, int, int]) -> np.ndarray:
    """1..B*S*D as float32 (B, S, D), read-only: stepping seeds reuses it."""
    values = np.arange(1, math.prod(shape) + 1, dtype=np.float32).reshape(shape)
    values.flags.writeable = False
    return values


def draw_token_ids(spec: Spec) -> np.ndarray:
    """The explicit ids, or ids drawn uniformly from [0, vocab) with `data_seed`."""
    if spec.tokens is not None:
        return np.asarray(spec.tokens, dtype=np.int32)
    rng = np.random.default_rng(spec.data_seed)
    return rng.integers(0, spec.vocab, size=spec.shape[:2], dtype=np.int32)


def input_shape(spec: Spec) -> tuple[int, int, int]:
    """The (B, S, D) shape `spec` computes on, once the spec and its noise_shape are
    checked; a .npy source's header is read, not its data, and a model's configuration
    (text is vectorized): plans and memory estimates know the size before any work."""
    spec.validate()
    if spec.source == "model":
        shape = model_input(spec).shape
    else:
        shape = npy_shape(Path(spec.source)) if spec.is_file else spec.shape
    if spec.noise_shape is not None:
        check_noise_shape(spec.noise_shape, shape)
    return shape
