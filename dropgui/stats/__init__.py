"""What dropout does on average: Monte Carlo statistics of the masks over many draws.

`compute_stats(spec, N)` draws the spec's mask N times, either draws `spec.draw ..
spec.draw + N - 1` of `spec.seed` (`over="draws"`) or seeds `spec.seed .. spec.seed +
N - 1` at `spec.draw` (`over="seeds"`), and reports per-cell drop frequencies, the
kept fraction per batch slice against its exact law, the correlation of one cell's keep
mask with every other cell, and E[output] and Var[output] per cell against theory.
Every sample is the exact mask that `dropgui.compute` gives for that draw or seed.

The package, one job per module:

* `plan`: the checks (all before any TensorFlow work) and the `Plan`, how the samples
  of a spec map onto cells as its mode says.
* `sampling`: the only TensorFlow code; the three methods (batched stateless draws,
  per-draw layer calls, one global-seed replay), the threads and the memory bound.
* `tally`: numpy running sums, bounded in memory whatever N is, and the one place the
  `Stats` figures are assembled.
* `figures`: the `Stats` dataclass and the method names.

The theory comes from the mode objects (`dropgui.modes`) and `dropgui.laws`; nothing
here tests a mode's name.

With `training=False` or rate 0 nothing is random: one `compute` gives the answer,
every cell is kept in every draw and the statistics say so (`stochastic` is False).

Threads: all TensorFlow work runs under `dropgui.engine.tf_lock`, the lock `compute`
takes; the batched path takes it per chunk, the tf-keras replay for the whole run.

No Qt here, ever: the CLI (`dropgui stats`, formatted in `dropgui.cli`) and the
Statistics tab both call `compute_stats`.
"""

from __future__ import annotations

import dataclasses
import time

from ..spec import Spec
from . import sampling
from .figures import METHOD_BATCHED, METHOD_NONE, METHOD_PER_DRAW, METHOD_REPLAY, Stats
from .plan import (
    MAX_SAMPLE_CELLS,
    MAX_SAMPLES,
    OVER,
    Cancel,
    Chunk,
    Progress,
    StatsCancelled,
    check_cell,
    check_samples,
    make_plan,
    parse_cell,
)
from .sampling import CHUNK_CELLS
from .tally import Tally

__all__ = [
    "CHUNK_CELLS",
    "MAX_SAMPLES",
    "MAX_SAMPLE_CELLS",
    "METHOD_BATCHED",
    "METHOD_NONE",
    "METHOD_PER_DRAW",
    "METHOD_REPLAY",
    "OVER",
    "Stats",
    "StatsCancelled",
    "check_cell",
    "check_samples",
    "compute_stats",
    "parse_cell",
]


def compute_stats(
    spec: Spec,
    samples: int,
    *,
    over: str = "draws",
    cell: tuple[int, int, int] | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Stats:
    """Draw the mask of `spec` `samples` times and summarise the law behind it.

    Every check (the spec, N from 1 to MAX_SAMPLES, N * cells up to MAX_SAMPLE_CELLS,
    `over`, `cell` inside the shape, the seed range) raises DropguiError before any
    TensorFlow work. `progress(done, total)` is called after every chunk of samples and
    `cancel()` before every chunk; when it returns True, StatsCancelled is raised.
    Both may be called while dropgui holds its TensorFlow lock (the tf-keras replay
    must not let go of the global seed): keep them quick, and never call
    `dropgui.compute` from them.
    """
    cell = (0, 0, 0) if cell is None else tuple(cell)  # type: ignore[assignment]
    plan = make_plan(spec, samples, over, cell, cancel)
    samples = int(samples)  # a numpy integer would not go into JSON
    started = time.perf_counter() - plan.first.seconds
    tally = Tally(plan)
    if plan.stochastic:
        method = sampling.draw(plan, samples, over, tally.add, progress, cancel)
    else:
        tally.add(Chunk.all_kept(samples, plan.grid))
        method = METHOD_NONE
    stats = tally.finish(over, method)
    return dataclasses.replace(stats, seconds=time.perf_counter() - started)
