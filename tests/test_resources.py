"""The memory budget (issue 10, defect 6): the largest requests dropgui accepts peak under
`MEMORY_BUDGET` (2 GiB) of RSS above an idle dropgui process, and one step further is
refused before any work.

Each request runs as `python -m dropgui` in a child process; its peak RSS is the
`ru_maxrss` that `os.wait4` reports for that child. The idle process is the same command
on a (1, 1, 1) tensor: Python, numpy and TensorFlow loaded, nothing large. These runs
take a minute or two: they are the largest requests there are.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time

import pytest

from dropgui import MAX_CELLS, DropguiError, Spec
from dropgui.cli import MAX_JSON_CELLS, check_json_size
from dropgui.export import plan_export
from dropgui.spec import MEMORY_BUDGET
from dropgui.stats.plan import (
    STATS_BYTES_PER_CELL,
    STATS_FIXED_BYTES,
    check_memory_budget,
    memory_estimate,
)

MOST_STATS_CELLS = (MEMORY_BUDGET - STATS_FIXED_BYTES) // STATS_BYTES_PER_CELL
TF_KERAS = Spec(shape=(32, 20, 16), engine="tf-keras")
MOST_TF_KERAS_DRAWS = (MEMORY_BUDGET - memory_estimate(TF_KERAS, TF_KERAS.shape, "draws")[0]) // (
    memory_estimate(TF_KERAS, TF_KERAS.shape, "draws")[1]
)


def peak_rss(*args: str) -> tuple[int, float]:
    """Peak RSS in bytes of `python -m dropgui ARGS`, and its wall time; it must succeed."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "dropgui", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    err = child.stderr.read()
    child.stderr.close()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, (args, err.decode())
    return usage.ru_maxrss * 1024, time.perf_counter() - start  # Linux: kilobytes


@pytest.fixture(scope="module")
def idle_rss() -> int:
    return peak_rss("print", "--shape", "1,1,1")[0]


LARGEST = {
    # The JSON cap in cells, as one slice per cell (a list per slice) and with noise.
    "print --json": ["print", "--json", "--mode", "gaussian", "--shape", f"{MAX_JSON_CELLS},1,1"],
    # The most samples, with keras3 and with tf-keras' replay, whose op seeds pile up.
    "stats --json keras3": ["stats", "--json", "--samples", "100000", "--shape", "32,20,16"],
    "stats --json tf-keras": [
        "stats",
        "--json",
        "--engine",
        "tf-keras",
        "--samples",
        str(MOST_TF_KERAS_DRAWS),
        "--shape",
        "32,20,16",
    ],
    # The largest tensor statistics take (text: --json stops at its cap).
    "stats": ["stats", "--samples", "1", "--shape", f"{MOST_STATS_CELLS // 4096},4096,1"],
    "export npz": ["export", "-o", "{tmp}/x.npz", "--shape", "4096,4096,1"],
    "export png": ["export", "-o", "{tmp}/x.png", "--shape", "1,4096,4096"],
    "export gif": ["export", "-o", "{tmp}/x.gif", "--shape", "1,2048,2048", "--seeds", "0:20"],
}


@pytest.mark.parametrize("name", LARGEST)
def test_the_largest_accepted_requests_stay_inside_the_budget(tmp_path, idle_rss, name):
    peak, seconds = peak_rss(*(arg.format(tmp=tmp_path) for arg in LARGEST[name]))
    above_idle = peak - idle_rss
    assert above_idle < MEMORY_BUDGET, (
        f"{name}: {above_idle / 2**30:.2f} GB above idle in {seconds:.0f} s"
    )


def test_one_step_further_is_refused(tmp_path):
    """What lies just past each request above is refused by the estimates (in-process,
    no TensorFlow: the refusals come before any work, tests elsewhere time them)."""
    check_json_size((MAX_JSON_CELLS, 1, 1))
    with pytest.raises(DropguiError, match="--json prints at most"):
        check_json_size((MAX_JSON_CELLS + 1, 1, 1))
    check_memory_budget(TF_KERAS, TF_KERAS.shape, MOST_TF_KERAS_DRAWS, "draws")
    with pytest.raises(DropguiError, match="budget of 2 GB"):
        check_memory_budget(TF_KERAS, TF_KERAS.shape, MOST_TF_KERAS_DRAWS + 1, "draws")
    largest = (MOST_STATS_CELLS // 4096, 4096, 1)
    check_memory_budget(Spec(shape=largest), largest, 1, "draws")
    larger = (largest[0] + 1, 4096, 1)
    with pytest.raises(DropguiError, match="budget of 2 GB"):
        check_memory_budget(Spec(shape=larger), larger, 1, "draws")
    assert math.prod((4096, 4096, 1)) == MAX_CELLS  # no larger tensor exists for npz
    plan_export(Spec(shape=(1, 4096, 4096)), tmp_path / "x.png")
    with pytest.raises(DropguiError, match="budget of 2 GB"):
        plan_export(Spec(shape=(1, 4096, 4096)), tmp_path / "x.png", scale=2)
    plan_export(Spec(shape=(1, 2048, 2048)), tmp_path / "x.gif", seeds="0:20")
    with pytest.raises(DropguiError, match="budget of 2 GB"):
        plan_export(Spec(shape=(1, 2048, 2048)), tmp_path / "x.gif", seeds="0:20", scale=2)
