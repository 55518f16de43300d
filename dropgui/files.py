"""Writing files whole or not at all: every file an export makes goes through here.

A file is written under a temporary name beside its target, in the same folder, and
renamed into place (`atomic_write`): one rename on one file system is atomic, so a reader
sees the old file or the whole new one, never part of one. A numbered PNG sequence is one
folder, NAME/NAME_000.png ..., written under a temporary name and renamed into place whole
(`write_sequence`): no rename of many files is atomic, one of a folder is. An earlier
sequence there is swapped out in one step (Linux renameat2 RENAME_EXCHANGE; elsewhere two
renames, with a moment between them when neither is there); a folder holding anything
else is never replaced (`check_sequence_folder`).

A killed export cannot clean up after itself. Temporary names, `.dropgui-PID-*.part`, are
hidden and name their process, so the next write into that folder removes what killed
exports left, recognised by that name and a PID that no longer runs, and only those
(`remove_stale_temporaries`). An operating-system failure becomes a DropguiError that
names the file (`os_errors_named`).

This module imports no Qt and knows nothing of plans or formats: `dropgui.export`
decides what to write, this module how.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO

from .errors import DropguiError, os_reason
from .i18n import tr

TEMPORARY_PREFIX = ".dropgui-"
TEMPORARY_SUFFIX = ".part"
_TEMPORARY_NAME = re.compile(r"\.dropgui-(\d{1,10})-[^/]*\.part")
"""A temporary file or folder of an export: .dropgui-PID-random.part."""


# ------------------------------------------------------------------ temporaries


def temporary_prefix() -> str:
    """.dropgui-PID-: whose temporary file it is, so the next export can tell a killed
    export's leftovers from a running one's."""
    return f"{TEMPORARY_PREFIX}{os.getpid()}-"


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove what killed exports left in `folder`; return what was removed.

    Only entries named .dropgui-PID-*.part whose process no longer runs are removed: a
    running export's (this process's too) are left alone, and so is everything else.
    A PID the system has reused for a running process keeps its leftovers until that
    process ends. A folder of a temporary name is removed whole; a symlink is unlinked,
    never followed.
    """
    try:
        with os.scandir(folder) as entries:
            stale = [
                entry
                for entry in entries
                if (match := _TEMPORARY_NAME.fullmatch(entry.name))
                and not _process_runs(int(match.group(1)))
            ]
    except OSError:
        return []
    removed = []
    for entry in stale:
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _process_runs(pid: int) -> bool:
    """True unless the system says no process `pid` exists (when in doubt, it runs)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # another user's process, or not a PID at all
        return True
    return True


def _temporary_beside(target: Path) -> tuple[IO[bytes], Path]:
    """An open temporary file in the target's folder (so the rename stays atomic).

    mkstemp makes it private (0600); it gets the mode a plain `open()` would give, or
    the mode of the file it replaces.
    """
    # A short fixed prefix: the target's own name may already be as long as names get.
    handle, name = tempfile.mkstemp(
        prefix=temporary_prefix(), suffix=TEMPORARY_SUFFIX, dir=target.parent
    )
    with contextlib.suppress(OSError):  # a file system without modes keeps the default
        os.fchmod(handle, _mode_for(target, 0o666))
    return os.fdopen(handle, "wb"), Path(name)


def _mode_for(target: Path, default: int) -> int:
    """The mode of the file or folder `target` replaces, or `default` less the umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0o022)  # reading the umask means setting it; put it back at once
        os.umask(umask)
        return default & ~umask


# ------------------------------------------------------------------ whole files


@contextlib.contextmanager
def os_errors_named(target: Path) -> Iterator[None]:
    """Turn an operating-system failure (permissions, a full disk, a name too long) into
    a DropguiError naming the file, so the CLI prints one line and the window a message."""
    try:
        yield
    except OSError as error:
        raise DropguiError(
            tr("cannot write {target}: {reason}", target=target, reason=os_reason(error))
        ) from None


def atomic_write(path: str | os.PathLike[str], write_fn: Callable[[IO[bytes]], object]) -> None:
    """Call `write_fn(file)` on a temporary file beside `path`, then rename it into place.

    The rename (`os.replace`) is atomic on one file system, so readers see the old file
    or the whole new one. On any exception, including KeyboardInterrupt and
    ExportCancelled, the temporary file is removed and the exception propagates; a kill
    leaves it, named .dropgui-PID-*.part, for the next export to remove.
    """
    target = Path(path)
    with os_errors_named(target):
        remove_stale_temporaries(target.parent)
        file, temporary = _temporary_beside(target)
        try:
            with file:
                write_fn(file)
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise


# ------------------------------------------------------------------ sequence folders


def check_sequence_folder(folder: Path, stem: str) -> None:
    """A sequence may go to `folder` if it is missing, or holds only an earlier sequence
    of the same name (NAME_000.png ...), which the export replaces; anything else there
    is the user's and is never touched."""
    with os_errors_named(folder):
        if not os.path.lexists(folder):
            return
        if folder.is_symlink() or not folder.is_dir():
            raise DropguiError(
                tr(
                    "cannot write the sequence folder {folder}: something that is not a "
                    "folder has that name; choose another name",
                    folder=folder,
                )
            )
        sequence_file = re.compile(re.escape(stem) + r"_\d{3,}\.png")
        with os.scandir(folder) as entries:
            foreign = [
                entry.name
                for entry in entries
                if not (
                    sequence_file.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)
                )
            ]
        if foreign:
            raise DropguiError(
                tr(
                    "cannot write the sequence folder {folder}: it holds {name!r}, not only "
                    "an earlier {stem}_NNN.png sequence; choose another name",
                    folder=folder,
                    name=min(foreign),
                    stem=stem,
                )
            )
        if not os.access(folder, os.W_OK | os.X_OK):
            raise DropguiError(
                tr("cannot replace {folder}: the folder is not writable", folder=folder)
            )


def write_sequence(folder: Path, stem: str, files: Sequence[tuple[str, bytes]]) -> list[Path]:
    """Write `files` ((name, bytes) pairs) as the folder `folder`, all or nothing.

    They go into a temporary folder beside it, which takes `folder`'s place in one
    rename; an earlier sequence there (`check_sequence_folder`) is swapped out (`_swap`)
    and removed. On any exception the temporary folder goes and what existed stays.
    """
    with os_errors_named(folder):
        remove_stale_temporaries(folder.parent)
        staging = Path(
            tempfile.mkdtemp(prefix=temporary_prefix(), suffix=TEMPORARY_SUFFIX, dir=folder.parent)
        )
        try:
            for name, data in files:
                (staging / name).write_bytes(data)
            check_sequence_folder(folder, stem)  # it may have changed since the plan
            os.chmod(staging, _mode_for(folder, 0o777))
            if os.path.lexists(folder):
                _swap(staging, folder)  # the old sequence is now at `staging`
            else:
                os.rename(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name, _ in files]


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _swap(a: Path, b: Path) -> None:
    """Exchange the folders `a` and `b`: in one step where the system can, else in two."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):  # not Linux with glibc 2.28 or later
        renameat2 = None
    if renameat2 is not None:
        if renameat2(_AT_FDCWD, bytes(a), _AT_FDCWD, bytes(b), _RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(b))
    aside = a.with_name(f"{temporary_prefix()}{os.urandom(4).hex()}{TEMPORARY_SUFFIX}")
    os.rename(b, aside)
    try:
        os.rename(a, b)
    except BaseException:
        os.rename(aside, b)
        raise
    os.rename(aside, a)


__all__ = [
    "TEMPORARY_PREFIX",
    "TEMPORARY_SUFFIX",
    "atomic_write",
    "check_sequence_folder",
    "os_errors_named",
    "remove_stale_temporaries",
    "write_sequence",
]
