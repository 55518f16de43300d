"""The input side of a computation, checked and resolved without TensorFlow.

`prepare(spec)` runs every check (so bad input fails fast and before TensorFlow is
imported), loads a .npy file safely, and draws token ids. The embedding lookup itself
is a Keras layer and happens in the engine.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import math
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

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


def input_shape(spec: Spec) -> tuple[int, int, int]:
    """The (B, S, D) shape `spec` computes on, once the spec and its noise_shape are
    checked; a .npy source's header is read, not its data: plans and memory estimates
    know the size before any work."""
    spec.validate()
    shape = npy_shape(Path(spec.source)) if spec.is_file else spec.shape
    if spec.noise_shape is not None:
        check_noise_shape(spec.noise_shape, shape)
    return shape


def npy_shape(path: Path) -> tuple[int, int, int]:
    """The (B, S, D) shape of a .npy file, from its header alone, once every check that
    needs no data has passed: the window learns a file's shape without reading it."""
    with _open_regular(path) as file:
        shape = _checked_header(file, path)
    return (1, *shape) if len(shape) == 2 else shape  # type: ignore[return-value]


def load_npy(path: Path) -> np.ndarray:
    """A numeric (B, S, D) or (S, D) array from a .npy file, as float32 (B, S, D).

    The header is read first, so a file too large or of the wrong kind is refused
    before its data is allocated; pickled objects are never loaded. The file is opened
    once, so the header checked is the header of the data read.
    """
    with _open_regular(path) as file:
        _checked_header(file, path)
        file.seek(0)
        try:
            array = np.load(file, allow_pickle=False)
        except (OSError, ValueError, EOFError) as error:
            raise DropguiError(
                f"cannot read {path} as a .npy file: {error}", field="source"
            ) from None
    # float64 beyond float32's range becomes inf here; say so below, without numpy's
    # RuntimeWarning lines on stderr.
    with np.errstate(over="ignore", invalid="ignore"):
        values = np.ascontiguousarray(array, dtype=np.float32)
    if not np.isfinite(values).all():
        if np.isfinite(array).all():
            largest = float(np.abs(array).max())
            raise DropguiError(
                f"{path} holds values beyond float32's range (largest |x| is "
                f"{largest:.3g}); dropgui computes in float32, as Keras does",
                field="source",
            )
        raise DropguiError(f"{path} contains NaN or infinite values", field="source")
    return values[np.newaxis] if values.ndim == 2 else values


_NO_WAIT = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
"""Open flags that never wait for a writer (a FIFO) or take a terminal (POSIX only)."""


@contextlib.contextmanager
def _open_regular(path: Path) -> Iterator[IO[bytes]]:
    """`path` open for reading, once it is known to be a regular file.

    `os.stat` names what is wrong before anything is opened (a FIFO or a device could
    block an open, or a read, for ever); the open itself does not block and its file is
    checked again, so a FIFO put in the file's place in between is refused too.
    """
    try:
        _check_regular(path, os.stat(path).st_mode)
        descriptor = os.open(path, os.O_RDONLY | _NO_WAIT)
    except OSError as error:
        raise DropguiError(_unreadable(path, error), field="source") from None
    with os.fdopen(descriptor, "rb") as file:
        _check_regular(path, os.fstat(descriptor).st_mode)
        yield file


def _check_regular(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise DropguiError(f"input path is a folder, not a .npy file: {path}", field="source")
    kinds = (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    )
    kind = next((name for test, name in kinds if test(mode)), "not a regular file")
    raise DropguiError(
        f"input path {path} is {kind}; dropgui reads only regular .npy files", field="source"
    )


def _unreadable(path: Path, error: OSError) -> str:
    """Why `path` cannot be opened, in the user's words."""
    if error.errno == errno.ELOOP:
        return f"input path {path} is a symlink loop"
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        if os.path.islink(path):
            return f"input path {path} is a symlink to a missing file"
        return f"input file not found: {path}"
    return f"cannot read {path}: {error.strerror or error}"


def _checked_header(file: IO[bytes], path: Path) -> tuple[int, ...]:
    """The shape in the .npy header of `file`, or DropguiError naming why it cannot be used."""
    try:
        version = np.lib.format.read_magic(file)
        read_header = (
            np.lib.format.read_array_header_1_0
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0  # 3.0 differs only in encoding
        )
        shape, _, dtype = read_header(file)
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
