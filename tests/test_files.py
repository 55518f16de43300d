"""Writing files whole or not at all: atomic writes, sequence folders, stale temporaries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dropgui import DropguiError, cli
from dropgui.files import atomic_write, remove_stale_temporaries, write_sequence


def files_in(folder: Path) -> list[str]:
    """Every entry, hidden temporary files included."""
    return sorted(os.listdir(folder))


def test_failed_write_leaves_no_partial_and_no_temporary_file(tmp_path):
    target = tmp_path / "data.npz"

    def write_half_then_fail(file):
        file.write(b"half of a file")
        raise OSError("disk full")

    # named as the user's problem (one line in the CLI), not a traceback
    with pytest.raises(DropguiError, match=r"cannot write .*data\.npz: disk full"):
        atomic_write(target, write_half_then_fail)
    assert files_in(tmp_path) == []

    # An existing file survives a failed replacement untouched.
    target.write_bytes(b"old")
    with pytest.raises(DropguiError):
        atomic_write(target, write_half_then_fail)
    assert target.read_bytes() == b"old"
    assert files_in(tmp_path) == ["data.npz"]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) by relative path, with its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_sequence_appears_whole_in_its_folder_or_not_at_all(tmp_path):
    folder = tmp_path / "seq"
    frames = [("seq_000.png", b"new 0"), ("seq_001.png", b"new 1")]
    # A frame that cannot be written (its name holds a missing folder): nothing appears.
    with pytest.raises(DropguiError, match="cannot write"):
        write_sequence(folder, "seq", [*frames, ("no/such/seq_002.png", b"x")])
    assert files_in(tmp_path) == []
    assert write_sequence(folder, "seq", frames) == [folder / name for name, _ in frames]
    assert snapshot(tmp_path) == {"seq/seq_000.png": b"new 0", "seq/seq_001.png": b"new 1"}
    # An earlier sequence is replaced whole, and survives a failed replacement whole.
    with pytest.raises(DropguiError):
        write_sequence(folder, "seq", [("seq_000.png", b"newer"), ("no/such.png", b"x")])
    assert snapshot(tmp_path) == {"seq/seq_000.png": b"new 0", "seq/seq_001.png": b"new 1"}
    write_sequence(folder, "seq", [("seq_000.png", b"newer")])
    assert snapshot(tmp_path) == {"seq/seq_000.png": b"newer"}
    # A folder that holds anything else is the user's: refused, untouched.
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(DropguiError, match=r"notes\.txt"):
        write_sequence(folder, "seq", frames)
    assert snapshot(tmp_path) == {"seq/seq_000.png": b"newer", "seq/notes.txt": b"mine"}


def _dead_pid() -> int:
    """The PID of a process that has ended (and been reaped)."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def test_the_next_export_removes_what_killed_exports_left_and_nothing_else(tmp_path):
    dead = _dead_pid()
    (tmp_path / f".dropgui-{dead}-a1b2c3.part").write_bytes(b"half a gif")
    (tmp_path / f".dropgui-{dead}-d4e5f6.part").mkdir()
    (tmp_path / f".dropgui-{dead}-d4e5f6.part" / "seq_000.png").write_bytes(b"a frame")
    (tmp_path / f".dropgui-{dead}-g7h8.part").symlink_to(tmp_path / "kept.txt")
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        keep = [
            f".dropgui-{os.getpid()}-running.part",  # this process: an export running
            f".dropgui-{alive.pid}-running.part",  # another running process
            ".dropgui-notes.part",  # no PID: not ours
            f"dropgui-{dead}-x.part",  # not hidden: not ours
            f".dropgui-{dead}-x.partial",  # another suffix: not ours
            "kept.txt",
        ]
        for name in keep:
            (tmp_path / name).write_text("keep")
        assert cli.main(["export", "-o", str(tmp_path / "out.npz")]) == 0
        assert files_in(tmp_path) == sorted([*keep, "out.npz"])
        assert remove_stale_temporaries(tmp_path) == []
    finally:
        alive.kill()
        alive.wait()
    # Once the other process has ended, its leftovers go too.
    assert remove_stale_temporaries(tmp_path) == [tmp_path / f".dropgui-{alive.pid}-running.part"]
