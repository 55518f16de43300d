"""The input side of a computation, checked and resolved without TensorFlow.

`prepare(spec)` runs every check (so bad input fails fast and before TensorFlow is
imported), loads a .npy file safely, and draws token ids. The embedding lookup itself
is a Keras layer and happens in the engine.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import DropguiError
from .modes import MODES
from .spec import MAX_CELLS, Spec, check_noise_shape, format_shape


@dataclass(frozen=True, eq=False)
class Prepared:
    """A checked spec with its input resolved: what the engine needs to run."""

    spec: Spec
    shape: tuple[int, int, int]
    values: np.ndarray | None
    """float32 (B, S, D) for arange and .npy input; None for embedding input."""
    token_ids: np.ndarray | None
    """int32 (B, S) for embedding input; None otherwise."""

    @property
    def noise_shape(self) -> tuple[int, ...]:
        """Shape of the layer's random sample for this input (the mode decides)."""
        return MODES[self.spec.mode].sample_shape(
            self.spec.noise_shape, self.shape, self.spec.vocab
        )

    def for_spec(self, spec: Spec) -> Prepared:
        """The same input for another spec that reads it alike (a compared mode, another
        seed or draw), checked without reading the file again."""
        if (spec.source, spec.shape, spec.tokens, spec.data_seed, spec.vocab) != (
            self.spec.source,
            self.spec.shape,
            self.spec.tokens,
            self.spec.data_seed,
            self.spec.vocab,
        ):
            return prepare(spec)
        spec.validate()
        if spec.noise_shape is not None:
            check_noise_shape(spec.noise_shape, self.shape)
        return Prepared(spec, self.shape, self.values, self.token_ids)


def prepare(spec: Spec) -> Prepared:
    """Check `spec` and resolve its input; raise DropguiError on any problem."""
    spec.validate()
    token_ids = None
    if spec.source == "arange":
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
    return Prepared(spec, shape, values, token_ids)


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


def npy_shape(path: Path) -> tuple[int, int, int]:
    """The (B, S, D) shape of a .npy file, from its header alone, once every check that
    needs no data has passed: the window learns a file's shape without reading it."""
    shape = _checked_header(path)
    return (1, *shape) if len(shape) == 2 else shape  # type: ignore[return-value]


def load_npy(path: Path) -> np.ndarray:
    """A numeric (B, S, D) or (S, D) array from a .npy file, as float32 (B, S, D).

    The header is read first, so a file too large or of the wrong kind is refused
    before its data is allocated; pickled objects are never loaded.
    """
    _checked_header(path)
    try:
        array = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as error:
        raise DropguiError(f"cannot read {path} as a .npy file: {error}", field="source") from None
    values = np.ascontiguousarray(array, dtype=np.float32)
    if not np.isfinite(values).all():
        raise DropguiError(f"{path} contains NaN or infinite values (as float32)", field="source")
    return values[np.newaxis] if values.ndim == 2 else values


def _checked_header(path: Path) -> tuple[int, ...]:
    """The shape in a .npy header, or DropguiError naming why the file cannot be used."""
    try:
        exists, is_dir = path.exists(), path.is_dir()
    except OSError as error:  # e.g. a name longer than the file system allows
        raise DropguiError(
            f"cannot read {path}: {error.strerror or error}", field="source"
        ) from None
    if not exists:
        raise DropguiError(f"input file not found: {path}", field="source")
    if is_dir:
        raise DropguiError(f"input path is a folder, not a .npy file: {path}", field="source")
    try:
        with path.open("rb") as f:
            version = np.lib.format.read_magic(f)
            read_header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0  # 3.0 differs only in encoding
            )
            shape, _, dtype = read_header(f)
    except (OSError, ValueError) as error:
        raise DropguiError(f"cannot read {path} as a .npy file: {error}", field="source") from None
    if dtype.hasobject:
        raise DropguiError(
            f"{path} holds pickled Python objects; dropgui loads no pickles", field="source"
        )
    if dtype.kind not in "biuf":
        raise DropguiError(f"{path} holds {dtype} values; dropgui needs numbers", field="source")
    if len(shape) not in (2, 3):
        raise DropguiError(
            f"{path} has shape {format_shape(shape)}; dropgui needs (B, S, D) or (S, D)",
            field="source",
        )
    if min(shape) == 0:
        raise DropguiError(
            f"{path} has shape {format_shape(shape)} with an empty axis", field="source"
        )
    if math.prod(shape) > MAX_CELLS:
        raise DropguiError(
            f"{path} has {math.prod(shape):,} cells, more than the cap of {MAX_CELLS:,}",
            field="source",
        )
    return shape
