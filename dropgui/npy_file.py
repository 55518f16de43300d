"""A .npy input file, read safely: regular files only, the header checked before the data.

`npy_shape(path)` reads the header alone; `load_npy(path)` reads the data of a file
whose header passed every check (numbers, (B, S, D) or (S, D), within `MAX_CELLS`),
never a pickle, and refuses values float32 cannot hold.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import numpy as np

from .errors import DropguiError, os_reason
from .i18n import N_, Message, tr
from .spec import MAX_CELLS, format_shape


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
                tr("cannot read {path} as a .npy file: {error}", path=path, error=error),
                field="source",
            ) from None
    # float64 beyond float32's range becomes inf here; say so below, without numpy's
    # RuntimeWarning lines on stderr.
    with np.errstate(over="ignore", invalid="ignore"):
        values = np.ascontiguousarray(array, dtype=np.float32)
    if not np.isfinite(values).all():
        if np.isfinite(array).all():
            largest = float(np.abs(array).max())
            raise DropguiError(
                tr(
                    "{path} holds values beyond float32's range (largest |x| is "
                    "{largest:.3g}); dropgui computes in float32, as Keras does",
                    path=path,
                    largest=largest,
                ),
                field="source",
            )
        raise DropguiError(tr("{path} contains NaN or infinite values", path=path), field="source")
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
        raise DropguiError(
            tr("input path is a folder, not a .npy file: {path}", path=path), field="source"
        )
    kinds = (
        (stat.S_ISFIFO, N_("a FIFO (named pipe)")),
        (stat.S_ISCHR, N_("a device")),
        (stat.S_ISBLK, N_("a device")),
        (stat.S_ISSOCK, N_("a socket")),
    )
    kind = next((name for test, name in kinds if test(mode)), N_("not a regular file"))
    raise DropguiError(
        tr(
            "input path {path} is {kind}; dropgui reads only regular .npy files",
            path=path,
            kind=tr(kind),
        ),
        field="source",
    )


def _unreadable(path: Path, error: OSError) -> str:
    """Why `path` cannot be opened, in the user's words."""
    if error.errno == errno.ELOOP:
        return tr("input path {path} is a symlink loop", path=path)
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        if os.path.islink(path):
            return tr("input path {path} is a symlink to a missing file", path=path)
        return tr("input file not found: {path}", path=path)
    return tr("cannot read {path}: {reason}", path=path, reason=os_reason(error))


def _checked_header(file: IO[bytes], path: Path) -> tuple[int, ...]:
    """The shape in the .npy header of `file`, or DropguiError naming why it cannot be used."""
    try:
        version = _read_magic(file)
        read_header = (
            np.lib.format.read_array_header_1_0
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0  # 3.0 differs only in encoding
        )
        shape, _, dtype = read_header(file)
    except (OSError, ValueError) as error:
        said = error.args[0] if isinstance(error.args[0], Message) else error
        raise DropguiError(
            tr("cannot read {path} as a .npy file: {error}", path=path, error=said),
            field="source",
        ) from None
    if dtype.hasobject:
        raise DropguiError(
            tr("{path} holds pickled Python objects; dropgui loads no pickles", path=path),
            field="source",
        )
    if dtype.kind not in "biuf":
        raise DropguiError(
            tr("{path} holds {dtype} values; dropgui needs numbers", path=path, dtype=dtype),
            field="source",
        )
    if len(shape) not in (2, 3):
        raise DropguiError(
            tr(
                "{path} has shape {shape}; dropgui needs (B, S, D) or (S, D)",
                path=path,
                shape=format_shape(shape),
            ),
            field="source",
        )
    if min(shape) == 0:
        raise DropguiError(
            tr(
                "{path} has shape {shape} with an empty axis",
                path=path,
                shape=format_shape(shape),
            ),
            field="source",
        )
    if math.prod(shape) > MAX_CELLS:
        raise DropguiError(
            tr(
                "{path} has {cells:,} cells, more than the cap of {cap:,}",
                path=path,
                cells=math.prod(shape),
                cap=MAX_CELLS,
            ),
            field="source",
        )
    return shape


def _read_magic(file: IO[bytes]) -> tuple[int, int]:
    """numpy's `read_magic`, its refusal of a file that is no .npy at all said in the
    current language (in English, word for word what numpy says)."""
    start = file.tell()
    try:
        return np.lib.format.read_magic(file)
    except ValueError:
        file.seek(start)
        magic = file.read(np.lib.format.MAGIC_LEN)
        if len(magic) != np.lib.format.MAGIC_LEN:
            raise ValueError(
                tr(
                    "EOF: reading magic string, expected {expected} bytes got {got}",
                    expected=np.lib.format.MAGIC_LEN,
                    got=len(magic),
                )
            ) from None
        if magic[:-2] == np.lib.format.MAGIC_PREFIX:
            raise  # a version numpy does not know: numpy's own words
        raise ValueError(
            tr(
                "the magic string is not correct; expected {expected!r}, got {got!r}",
                expected=np.lib.format.MAGIC_PREFIX,
                got=magic[:-2],
            )
        ) from None
