"""Killed exports (issue 10, defect 3): SIGKILL at any moment leaves the old output or the
whole new one, and the next export into the folder clears what the killed one left.

Real `dropgui export` processes (`dropgui.cli.main`, as `python -m dropgui` runs it) are
killed with SIGKILL at moments spread over their run, and at moments inside the write
itself, which lasts a few milliseconds that a spread of moments would seldom hit. For
those, the child pauses when it makes a file-system call on one of its temporary paths
(a Python audit hook: the code under test is unchanged; the process just stops there
until it is killed). Before the fix a killed GIF export left a `.dropgui-*.part` file for
good, and a killed PNG sequence left `.part` files or a mix of new and old frames.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

FRAMES = 20
SPREAD = 8
"""Kills at moments spread over a run; the write-phase kills make up the 10."""

CHILD = """
import os, sys, time

event_wanted, nth = sys.argv[1], int(sys.argv[2])
seen = 0

def pause_at(event, args):
    # The nth `event_wanted` on a .dropgui-* path: say so and wait to be killed.
    global seen
    if event == event_wanted and args and ".dropgui-" in str(args[0]):
        seen += 1
        if seen == nth:
            sys.stdout.write("paused\\n")
            sys.stdout.flush()
            time.sleep(600)

if event_wanted != "-":
    sys.addaudithook(pause_at)
from dropgui.cli import main

sys.exit(main(sys.argv[3:]))
"""

WRITE_MOMENTS = {
    # (audit event, its nth occurrence on a temporary path): what is then on disk.
    "anim.gif": [
        ("open", 2),  # the GIF's temporary file just created (the 1st is the plan's probe)
        ("os.rename", 1),  # the whole GIF written, about to be renamed into place
    ],
    "seq.png": [
        ("open", 3),  # the 2nd frame of the temporary folder being written
        ("os.chmod", 1),  # every frame written, about to swap folders
        ("shutil.rmtree", 1),  # swapped: the old sequence, under a temporary name, to go
    ],
}


def export_process(target: Path, seeds: str, pause: tuple[str, int] = ("-", 0)):
    event, nth = pause
    command = [sys.executable, "-c", CHILD, event, str(nth), "export", "--seeds", seeds]
    return subprocess.Popen(
        [*command, "-o", str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen) -> None:
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err


def kill_after(process: subprocess.Popen, seconds: float) -> None:
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()  # SIGKILL
    process.communicate(timeout=60)


def kill_when_paused(process: subprocess.Popen) -> None:
    line = process.stdout.readline()
    process.kill()
    _, err = process.communicate(timeout=60)
    assert line == "paused\n", f"the export never reached that moment: {err}"


def visible(folder: Path) -> dict[str, bytes]:
    """What looks like output: every file outside the .dropgui-* temporaries."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.relative_to(folder).parts[0].startswith(".dropgui-")
    }


def temporaries(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.startswith(".dropgui-"))


@pytest.mark.parametrize("target_name", ["anim.gif", "seq.png"])
def test_a_killed_export_leaves_the_old_output_or_the_new_one(tmp_path, target_name):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / target_name
    old_seeds, new_seeds = f"0:{FRAMES}", f"100:{100 + FRAMES}"

    start = time.perf_counter()
    finish(export_process(target, old_seeds))
    run_seconds = time.perf_counter() - start
    old = visible(folder)
    assert old and temporaries(folder) == []

    states, killed = [], []
    for moment in [run_seconds * (i + 0.5) / SPREAD for i in range(SPREAD)]:
        process = export_process(target, new_seeds)
        kill_after(process, moment)
        killed.append(process.pid)
        states.append(visible(folder))
    for pause in WRITE_MOMENTS[target_name]:
        process = export_process(target, new_seeds, pause)
        kill_when_paused(process)
        killed.append(process.pid)
        states.append(visible(folder))
    assert len(states) >= 10
    # Whatever a kill left is plainly temporary and names the killed process.
    assert temporaries(folder), "the kills inside the write left nothing to clear"
    for name in temporaries(folder):
        assert name.endswith(".part") and int(name.split("-")[1]) in killed, name

    finish(export_process(target, new_seeds))
    new = visible(folder)
    assert new != old and len(new) == len(old)
    assert temporaries(folder) == []  # the following export cleared every leftover
    for state in states:
        assert state in (old, new), sorted(state)
