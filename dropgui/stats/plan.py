"""The checked request of a statistics run, and how its samples map onto cells.

`make_plan` runs every check (the spec, N, `over`, the cell, the seed range, the memory
estimate) before any TensorFlow work and before a .npy file's data is read, then
computes the spec's own draw: the first sample, which every sampler must reproduce bit
for bit. The `Plan` holds what the mode says about one sample (the grid of keep
decisions, what a kept and a dropped cell become); a `Chunk` is consecutive samples on
that grid. No TensorFlow is imported here: `compute` imports it when it runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..engine import check_finite, compute
from ..errors import DropguiError
from ..i18n import N_, tr
from ..inputs import Prepared, input_shape, prepare
from ..modes import MODES, Mode
from ..result import Result
from ..spec import MAX_SEED, MEMORY_BUDGET, Spec, check_memory, format_shape

MAX_SAMPLES = 100_000
"""Most draws one statistics run takes."""

MAX_SAMPLE_CELLS = 2**30
"""Most cell draws (N * B * S * D) one run takes: about a billion, 10 to 20 s on two
cores (measured: 100,000 draws of (32, 20, 16) in 13 s, 341 of (8, 512, 768) in 11 s).
(32, 20, 16) allows all 100,000 draws, (8, 512, 768) 341."""

OVER = ("draws", "seeds")

STATS_BYTES_PER_CELL = 176
"""Peak bytes per cell of a run above an idle process: the spec's own draw, the kept and
dropped values, the running sums and the float64 figures as they are assembled.
Measured 159 at 2**23 cells (tf-keras over seeds, the most; keras3 dropout 138), plus
10%: runs of more than about 11 million cells are refused."""
STATS_FIXED_BYTES = 160 * 2**20
"""A chunk of samples in flight (CHUNK_CELLS float32 values, their outputs and float64
deviations), whatever the shape."""
TF_KERAS_OP_BYTES = 48 * 2**10
"""What eager TensorFlow keeps per random op until the next `tf.random.set_seed`: each op
takes a fresh op seed, so its kernel is cached anew (measured 35 to 40 KB). The tf-keras
replay over draws runs draw - 1 + N ops; besides, each op's sample may leave its size
in allocator holes (measured up to 0.9 of it), so both count."""

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


class StatsCancelled(Exception):
    """Raised by `compute_stats` when its `cancel()` callable returned True.

    Not a DropguiError: nothing was wrong with the request, and the caller asked.
    """


def check_samples(samples: object, shape: tuple[int, int, int]) -> None:
    """N must be a whole number from 1 to MAX_SAMPLES, and N * cells bounded."""
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer):
        raise DropguiError(
            tr("the number of samples must be an integer (got {samples!r})", samples=samples)
        )
    if not 1 <= samples <= MAX_SAMPLES:
        raise DropguiError(
            tr(
                "the number of samples must be from 1 to {cap:,} (got {samples:,})",
                cap=MAX_SAMPLES,
                samples=samples,
            )
        )
    cells = math.prod(shape)
    if samples * cells > MAX_SAMPLE_CELLS:
        raise DropguiError(
            tr(
                "{samples:,} samples of {shape} are {draws:,} cell draws, more than the cap "
                "of {cap:,}; take at most {most:,} samples of this shape",
                samples=samples,
                shape=format_shape(shape),
                draws=samples * cells,
                cap=MAX_SAMPLE_CELLS,
                most=MAX_SAMPLE_CELLS // cells,
            )
        )


def memory_estimate(spec: Spec, shape: tuple[int, int, int], over: str) -> tuple[int, int]:
    """A run's estimated peak bytes above idle, as (fixed bytes, bytes per sample)."""
    fixed = math.prod(shape) * STATS_BYTES_PER_CELL + STATS_FIXED_BYTES
    per_sample = 0
    if spec.engine == "tf-keras":
        fixed += (spec.draw - 1) * TF_KERAS_OP_BYTES  # the replay up to the first draw
        if over == "draws":
            mode = MODES[spec.mode]
            sample_cells = math.prod(mode.sample_shape(spec.noise_shape, shape, spec.vocab))
            per_sample = TF_KERAS_OP_BYTES + 4 * sample_cells
    return fixed, per_sample


def check_memory_budget(spec: Spec, shape: tuple[int, int, int], samples: int, over: str) -> None:
    """Refuse a run estimated above `MEMORY_BUDGET`, saying what would fit."""
    fixed, per_sample = memory_estimate(spec, shape, over)
    if fixed + samples * per_sample <= MEMORY_BUDGET:
        return
    if fixed + per_sample > MEMORY_BUDGET:
        besides_cells = fixed - math.prod(shape) * STATS_BYTES_PER_CELL
        most = (MEMORY_BUDGET - besides_cells) // STATS_BYTES_PER_CELL
        advice = tr("here statistics take a tensor of at most about {most:,} cells", most=most)
    else:  # samples pile up: only tf-keras draws do
        fitting = (MEMORY_BUDGET - fixed) // per_sample
        advice = tr(
            "take at most {fitting:,} samples, sample over seeds, or use the keras3 engine "
            "(TensorFlow keeps about 40 KB per tf-keras draw until the run ends)",
            fitting=fitting,
        )
    said_over = tr(_OVER_NAMES[over]) if over in _OVER_NAMES else over
    if samples == 1:
        what = tr(
            "1 sample of {shape} ({engine}, over {over})",
            shape=format_shape(shape),
            engine=spec.engine,
            over=said_over,
        )
    else:
        what = tr(
            "{samples:,} samples of {shape} ({engine}, over {over})",
            samples=samples,
            shape=format_shape(shape),
            engine=spec.engine,
            over=said_over,
        )
    check_memory(fixed + samples * per_sample, what, advice)


_OVER_NAMES = {"draws": N_("draws"), "seeds": N_("seeds")}
"""What a run samples over, as a refusal says it."""


def check_cell(cell: object, shape: tuple[int, int, int]) -> None:
    """The cell whose correlations are shown must be three integers inside `shape`."""
    if (
        not isinstance(cell, tuple)
        or len(cell) != 3
        or not all(isinstance(i, int | np.integer) and not isinstance(i, bool) for i in cell)
    ):
        raise DropguiError(tr("cell must be three integers b,s,d (got {cell!r})", cell=cell))
    if not all(0 <= i < n for i, n in zip(cell, shape, strict=True)):
        raise DropguiError(
            tr(
                "cell {cell} is outside the tensor of shape {shape}",
                cell=format_shape(cell),
                shape=format_shape(shape),
            )
        )


def parse_cell(text: str) -> tuple[int, int, int]:
    """'0,1,2' -> (0, 1, 2); `compute_stats` checks it against the tensor's shape."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 3:
        raise DropguiError(tr("cell must be three integers b,s,d (got {text!r})", text=text))
    try:
        cell = tuple(int(p) for p in parts)
    except ValueError:
        raise DropguiError(
            tr("cell must be three integers b,s,d (got {text!r})", text=text)
        ) from None
    return cell  # type: ignore[return-value]


def check_cancel(cancel: Cancel | None) -> None:
    """Raise StatsCancelled if the caller asked to stop."""
    if cancel is not None and cancel():
        raise StatsCancelled("statistics cancelled")


def make_plan(
    spec: Spec,
    samples: int,
    over: str,
    cell: tuple[int, int, int],
    cancel: Cancel | None = None,
) -> Plan:
    """Every check first (no TensorFlow and no file data for a bad request), then the
    spec's own draw."""
    shape = input_shape(spec)
    check_samples(samples, shape)
    if over not in OVER:
        raise DropguiError(tr("over must be 'draws' or 'seeds' (got {over!r})", over=over))
    check_cell(cell, shape)
    if over == "seeds" and spec.seed + samples - 1 > MAX_SEED:
        raise DropguiError(
            tr(
                "seeds {first}..{last} go past the largest seed {cap:,}; start lower or take "
                "fewer samples",
                first=spec.seed,
                last=spec.seed + samples - 1,
                cap=MAX_SEED,
            )
        )
    check_memory_budget(spec, shape, samples, over)
    prepared = prepare(spec)
    check_cancel(cancel)
    return Plan.of(prepared, compute(spec, prepared), tuple(int(i) for i in cell))


@dataclass(frozen=True, eq=False)
class Plan:
    """How the samples of one spec map onto cells, as its mode says.

    The keep decisions live on a `grid` that broadcasts to (B, S, D)
    (`Mode.decision_grid`): the noise shape for Dropout, Alpha, SpatialDropout1D and
    token dropout, (B, S, 1) positions for word dropout (one decision per vocabulary
    row, looked up by token id), and (1, 1, 1) for Gaussian noise, which keeps
    everything, and whenever nothing is random.
    """

    spec: Spec
    prepared: Prepared
    first: Result
    """The spec's own draw: the first sample."""
    cell: tuple[int, int, int]
    stochastic: bool
    grid: tuple[int, int, int]
    chosen: tuple[int, int, int]
    """The cell's index on the grid."""
    kept_output: np.ndarray | None
    """float32 (B, S, D): what a kept cell becomes; the output itself when nothing is
    random; None for noise factors (each sample has its own output)."""
    dropped_output: np.ndarray | None
    """float32 (B, S, D): what a dropped cell becomes."""

    @classmethod
    def of(cls, prepared: Prepared, first: Result, cell: tuple[int, int, int]) -> Plan:
        spec = prepared.spec
        mode = MODES[spec.mode]
        stochastic = spec.training and spec.rate > 0
        kept_output = dropped_output = None
        if not stochastic:
            # The identity: every draw keeps every cell and gives the spec's own output.
            grid, kept_output, dropped_output = (1, 1, 1), first.output, first.output
        else:
            grid = mode.decision_grid(first.noise_shape, prepared.shape)
            if mode.drops_cells:
                kept_output, dropped_output = mode.kept_and_dropped(first.input, spec.rate)
        chosen = tuple(0 if n == 1 else i for i, n in zip(cell, grid, strict=True))
        return cls(
            spec, prepared, first, cell, stochastic, grid, chosen, kept_output, dropped_output
        )

    @property
    def mode(self) -> Mode:
        return MODES[self.spec.mode]

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.prepared.shape

    @property
    def sample_shape(self) -> tuple[int, ...]:
        """Shape of the layer's random sample (`Mode.sample_shape`), as `compute` drew it."""
        return self.first.noise_shape

    @property
    def drops_cells(self) -> bool:
        """True when a cell can be dropped: a random draw of a mode that zeroes cells."""
        return self.stochastic and self.mode.drops_cells

    @property
    def noise_factors(self) -> bool:
        """True when each sample is per-cell noise factors (Gaussian), not keep decisions."""
        return self.stochastic and self.mode.sample_kind == "normal"

    @property
    def units_per_slice(self) -> int:
        return self.grid[1] * self.grid[2]

    def grid_keep(self, keep_mask: np.ndarray) -> np.ndarray:
        """(n, B, S, D) keep masks reduced to the grid (broadcast axes are constant)."""
        return keep_mask[:, : self.grid[0], : self.grid[1], : self.grid[2]]

    def outputs(self, chunk: Chunk) -> np.ndarray:
        """float32 (n, B, S, D): the layer outputs of a chunk's samples.

        Real layer outputs when the sampler has them; else they follow from the sample
        by the identities the engine tests hold, in float32 as Keras computes them:
        `inputs * noise` (keras.layers.GaussianDropout), or each cell's kept or dropped
        value (`Mode.kept_and_dropped`).
        """
        if chunk.outputs is not None:
            return chunk.outputs
        if chunk.noise is not None:
            with np.errstate(over="ignore"):  # check_finite names an overflow
                outputs = self.first.input * chunk.noise
            # The spec's own draw was finite; another draw's factors may not be.
            check_finite(self.spec, self.first.input, outputs)
            return outputs
        keep = np.broadcast_to(chunk.grid_keep, (len(chunk), *self.shape))
        return np.where(keep, self.kept_output, self.dropped_output)


@dataclass(frozen=True, eq=False)
class Chunk:
    """Consecutive samples: keep decisions on the plan's grid, and for Gaussian
    dropout the noise factors; `outputs` when real layer outputs are at hand."""

    grid_keep: np.ndarray
    """bool (n, *grid)."""
    noise: np.ndarray | None = None
    """float32 (n, B, S, D)."""
    outputs: np.ndarray | None = None
    """float32 (n, B, S, D)."""

    def __len__(self) -> int:
        return len(self.grid_keep)

    @classmethod
    def all_kept(cls, samples: int, grid: tuple[int, int, int]) -> Chunk:
        """`samples` draws that keep every cell: what a run without randomness sees."""
        return cls(np.ones((samples, *grid), dtype=bool))
