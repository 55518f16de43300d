"""What dropout does on average: Monte Carlo statistics of the masks over many draws.

`compute_stats(spec, N)` draws the spec's mask N times, either draws `spec.draw ..
spec.draw + N - 1` of `spec.seed` (`over="draws"`) or seeds `spec.seed .. spec.seed +
N - 1` at `spec.draw` (`over="seeds"`), and reports per-cell drop frequencies, the
kept fraction per batch slice against its exact law, the correlation of one cell's keep
mask with every other cell, and E[output] and Var[output] per cell against theory.
Every sample is the exact mask that `dropgui.compute` gives for that draw or seed; the
methods differ only in speed:

* keras3, "batched stateless draws": a Keras 3 layer built with `seed=s` draws its
  k-th mask from `tf.random.stateless_uniform(noise_shape, seed=[s, k - 1])` (int32;
  Keras reduces the int64 state modulo 2**31 - 2, a no-op for seeds up to
  `MAX_SEED`) and keeps cells where `uniform >= rate` (tf.nn.experimental.
  stateless_dropout); GaussianDropout multiplies by `stateless_normal(shape, seed,
  mean=1, stddev=sqrt(rate / (1 - rate)))`. `tf.vectorized_map` over a chunk of seed
  pairs draws hundreds of those masks in one TensorFlow call. The outputs are not
  recomputed by layers: they follow from the exact masks by the identities the engine
  tests hold (Dropout: `where(keep, x * float32(1 / (1 - rate)), 0)`; Alpha:
  `a * (x * keep + alpha' * (1 - keep)) + b`; Gaussian: `x * noise`), all in float32
  as Keras computes them. Before trusting the batch, the first sample is compared
  with `dropgui.compute(spec)` bit for bit; a mismatch raises RuntimeError.
* tf-keras over seeds, "per-draw layer calls": `dropgui.compute` for every seed,
  real layer outputs included. tf-keras seeding is process-global and resists batching.
* tf-keras over draws, "one global-seed replay": `dropgui.compute` of draw k replays
  k - 1 random ops, so N draws that way cost N**2 / 2 ops (hours for N = 10,000).
  Instead `tf.random.set_seed(seed)` once, `draw - 1` ops to skip, then one random
  op per draw in order: the k-th op after the seed is draw k, exactly how the engine
  reproduces a draw. Outputs follow from the identities above.

With `training=False` or rate 0 nothing is random: one `compute` gives the answer,
every cell is kept in every draw and the statistics say so (`stochastic` is False).

Draws may run past `MAX_DRAW`, which bounds only the replay inside `compute()`: the
k-th call stays defined by the rules above. Memory is bounded whatever N is: samples
come in chunks of about `CHUNK_CELLS` random values and only running sums are kept
(per cell: kept counts, counts together with the chosen cell, output moments).
`sample_draws` returns the N masks and outputs themselves, by the same path, for tests,
animations and notebooks.

Threads: all TensorFlow work runs under `dropgui.engine._tf_lock`, the lock `compute`
takes; the batched path takes it per chunk, the tf-keras replay for the whole run.

Variances are population variances of the N samples (ddof = 0). Standard errors are
those of the law, given the rate: what the tests compare against.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .engine import compute, load_tensorflow
from .engine import tf_lock as _tf_lock
from .errors import DropguiError
from .inputs import Prepared, prepare
from .laws import SELU_ALPHA as _SELU_ALPHA
from .laws import SELU_SCALE as _SELU_SCALE
from .modes import MODES
from .result import Result
from .spec import MAX_SEED, Spec, format_shape

MAX_SAMPLES = 100_000
"""Most draws one statistics run takes."""

MAX_SAMPLE_CELLS = 2**30
"""Most cell draws (N * B * S * D) one run takes: about a billion, 10 to 20 s on two
cores (measured: 100,000 draws of (32, 20, 16) in 13 s, 341 of (8, 512, 768) in 11 s).
(32, 20, 16) allows all 100,000 draws, (8, 512, 768) 341."""

CHUNK_CELLS = 2**22
"""Random values drawn per batched TensorFlow call: bounds memory (16 MiB of float32)
whatever N is, and sets how often progress and cancel are consulted."""

OVER = ("draws", "seeds")

METHOD_BATCHED = "batched stateless draws"
METHOD_PER_DRAW = "per-draw layer calls"
METHOD_REPLAY = "one global-seed replay"
METHOD_NONE = "no random draws"

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


class StatsCancelled(Exception):
    """Raised by `compute_stats` when its `cancel()` callable returned True.

    Not a DropguiError: nothing was wrong with the request, and the caller asked.
    """


@dataclass(frozen=True, eq=False)
class Stats:
    """Monte Carlo figures of one spec over `samples` draws (or seeds).

    Arrays of shape (B, S, D) are per cell. `correlation` is the Pearson correlation,
    over the samples, of the keep mask of `cell` with the keep mask of every cell
    (for Gaussian dropout, which keeps every cell, of the noise factors instead). A
    cell whose mask never varies has no defined correlation; it is reported as 0, so
    the map is NaN-free (with rate 0 or at inference the whole map is 0). Identical
    masks give exactly 1 and complementary masks exactly -1.
    """

    spec: Spec
    samples: int
    over: str
    method: str
    """METHOD_BATCHED, METHOD_PER_DRAW, METHOD_REPLAY or METHOD_NONE."""
    cell: tuple[int, int, int]
    stochastic: bool
    """False at inference or rate 0: every draw keeps every cell."""
    note: str
    """One line: what was sampled and how."""
    input: np.ndarray
    token_ids: np.ndarray | None
    # Drop frequency.
    drop_frequency: np.ndarray
    """(B, S, D): the fraction of samples in which each cell was dropped."""
    expected_drop_frequency: float
    mean_drop_frequency: float
    mean_drop_frequency_se: float
    """Standard error of `mean_drop_frequency` under the law: cells dropped together
    (a channel, a token, a word id) count as one unit, so it is larger than
    sqrt(rate (1 - rate) / (N * cells)) for the grouped modes."""
    mean_drop_frequency_se_observed: float
    """The same standard error, estimated from the N per-sample drop fractions."""
    drop_frequency_spread: float
    """Standard deviation of `drop_frequency` across cells."""
    cell_drop_frequency_se: float
    """sqrt(rate (1 - rate) / N): the spread one cell's frequency has by chance."""
    # Kept fraction per batch slice.
    units_per_slice: int
    """How many independent-looking units a slice has (S*D cells, D channels, S
    tokens, S positions for word dropout): the kept fraction is k / units_per_slice."""
    kept_fraction_grid: np.ndarray
    """Kept fractions k / units_per_slice, trimmed to where anything was observed or
    the law gives at least 1e-12."""
    kept_fraction_counts: np.ndarray
    """How many of the N * B (sample, slice) pairs had each kept fraction."""
    kept_fraction_theory: np.ndarray | None
    """The law's probability of each grid point, or None where it has no simple form."""
    kept_fraction_law: str
    # Correlation.
    correlation: np.ndarray
    correlation_of: str
    """"keep mask", or "noise factor" for Gaussian dropout."""
    # Expectation and variance of the output.
    mean_output: np.ndarray
    expected_output: np.ndarray
    """E[output] under the law: the input for the inverted-dropout modes and Gaussian
    noise, a (1 - rate) x for Alpha (see `output_theory`)."""
    output_variance: np.ndarray
    """Per cell, the variance of the output over the samples: what dropout adds."""
    output_variance_theory: np.ndarray
    mean_output_se: np.ndarray
    """sqrt(output_variance_theory / N): the standard error of `mean_output`."""
    output_theory: str
    seconds: float = 0.0
    """Wall time of the run with TensorFlow loaded: the spec's own `compute()`, the
    draws and every figure."""

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.input.shape  # type: ignore[return-value]

    @property
    def drop_frequency_z(self) -> float:
        """(mean drop frequency - expected) in standard errors; 0 when nothing is random."""
        if self.mean_drop_frequency_se == 0:
            return 0.0
        return (
            self.mean_drop_frequency - self.expected_drop_frequency
        ) / self.mean_drop_frequency_se

    @property
    def output_z(self) -> np.ndarray:
        """(mean_output - expected_output) / mean_output_se per cell; 0 where the se is 0."""
        error = self.mean_output - self.expected_output
        se = self.mean_output_se
        return np.divide(error, se, out=np.zeros_like(error), where=se > 0)

    @property
    def sampled(self) -> str:
        """Which draws or seeds were sampled, in words."""
        spec, last = self.spec, self.samples - 1
        if self.over == "draws":
            return f"draws {spec.draw}..{spec.draw + last} of seed {spec.seed}"
        return f"seeds {spec.seed}..{spec.seed + last} at draw {spec.draw}"


# ------------------------------------------------------------------------ the entry


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
    plan = _plan(spec, samples, over, cell, cancel)
    samples = int(samples)  # a numpy integer would not go into JSON
    started = time.perf_counter() - plan.first.seconds
    if not plan.stochastic:
        stats = _without_randomness(plan, samples, over)
    else:
        tally = _Tally(plan)
        method = _draw(plan, samples, over, tally.add, progress, cancel)
        stats = tally.finish(samples, over, method)
    return dataclasses.replace(stats, seconds=time.perf_counter() - started)


MAX_SAMPLED_CELLS = 2**24
"""Most cells (N * B * S * D) `sample_draws` returns at once: 16,777,216 (64 MiB of
float32 per array)."""


@dataclass(frozen=True, eq=False)
class Samples:
    """N whole draws, stacked: what `compute` gives for each, from the statistics path."""

    spec: Spec
    over: str
    method: str
    keep_mask: np.ndarray
    """bool (N, B, S, D)."""
    output: np.ndarray
    """float32 (N, B, S, D)."""
    noise: np.ndarray | None
    """float32 (N, B, S, D): Gaussian dropout's factors; None for the other modes."""


def sample_draws(spec: Spec, samples: int, *, over: str = "draws") -> Samples:
    """The keep masks and outputs of N draws (or seeds), by the method `compute_stats`
    uses; sample i equals `compute(spec.replace(draw=spec.draw + i))` (or `seed=`).

    For tests, animations and notebooks; at most MAX_SAMPLED_CELLS cells in all.
    """
    plan = _plan(spec, samples, over, (0, 0, 0), None, stacked=True)
    samples = int(samples)
    full = (samples, *plan.shape)
    first = plan.first
    if not plan.stochastic:
        noise = None if first.noise is None else np.broadcast_to(first.noise, full).copy()
        return Samples(
            spec,
            over,
            METHOD_NONE,
            np.ones(full, dtype=bool),
            np.broadcast_to(first.output, full).copy(),
            noise,
        )
    keep_masks, outputs, noises = [], [], []

    def take(chunk: _Chunk) -> None:
        keep = np.broadcast_to(chunk.grid_keep, (len(chunk), *plan.shape))
        keep_masks.append(keep)
        if chunk.outputs is not None:
            outputs.append(chunk.outputs)
        elif chunk.noise is not None:
            outputs.append(first.input * chunk.noise)  # GaussianDropout: inputs * noise
        else:
            outputs.append(np.where(keep, plan.kept_output, plan.dropped_output))
        if chunk.noise is not None:
            noises.append(chunk.noise)

    method = _draw(plan, samples, over, take, None, None)
    return Samples(
        spec,
        over,
        method,
        np.concatenate(keep_masks),
        np.concatenate(outputs),
        np.concatenate(noises) if noises else None,
    )


def _plan(
    spec: Spec,
    samples: int,
    over: str,
    cell: tuple[int, int, int],
    cancel: Cancel | None,
    stacked: bool = False,
) -> _Plan:
    """Every check first (no TensorFlow for a bad request), then the spec's own draw."""
    prepared = prepare(spec)
    check_samples(samples, prepared.shape)
    cells = samples * math.prod(prepared.shape)
    if stacked and cells > MAX_SAMPLED_CELLS:
        raise DropguiError(
            f"{samples:,} whole draws of {format_shape(prepared.shape)} are {cells:,} "
            f"cells, more than the cap of {MAX_SAMPLED_CELLS:,} for stacked draws"
        )
    if over not in OVER:
        raise DropguiError(f"over must be 'draws' or 'seeds' (got {over!r})")
    check_cell(cell, prepared.shape)
    if over == "seeds" and spec.seed + samples - 1 > MAX_SEED:
        raise DropguiError(
            f"seeds {spec.seed}..{spec.seed + samples - 1} go past the largest seed "
            f"{MAX_SEED:,}; start lower or take fewer samples"
        )
    _check_cancel(cancel)
    return _Plan.of(prepared, compute(spec, prepared), tuple(int(i) for i in cell))


def _draw(
    plan: _Plan,
    samples: int,
    over: str,
    take: Callable[[_Chunk], None],
    progress: Progress | None,
    cancel: Cancel | None,
) -> str:
    """Hand every chunk of samples to `take`, the first checked against `compute`;
    report progress, honour cancel, and return the method's name."""
    if plan.spec.engine == "keras3":
        method, chunks = METHOD_BATCHED, _batched_chunks(plan, samples, over)
    elif over == "seeds":
        method, chunks = METHOD_PER_DRAW, _per_draw_chunks(plan, samples)
    else:
        method, chunks = METHOD_REPLAY, _replay_chunks(plan, samples)
    done = 0
    try:
        for chunk in chunks:
            if done == 0:
                _check_first_sample(chunk, plan)
            take(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, samples)
            if done < samples:
                _check_cancel(cancel)
    finally:
        # A sampler may hold the TensorFlow lock across its chunks (the tf-keras
        # replay): close it now, not when a traceback that refers to it is collected.
        chunks.close()
    return method


def check_samples(samples: object, shape: tuple[int, int, int]) -> None:
    """N must be a whole number from 1 to MAX_SAMPLES, and N * cells bounded."""
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer):
        raise DropguiError(f"the number of samples must be an integer (got {samples!r})")
    if not 1 <= samples <= MAX_SAMPLES:
        raise DropguiError(
            f"the number of samples must be from 1 to {MAX_SAMPLES:,} (got {samples:,})"
        )
    cells = math.prod(shape)
    if samples * cells > MAX_SAMPLE_CELLS:
        raise DropguiError(
            f"{samples:,} samples of {format_shape(shape)} are {samples * cells:,} cell "
            f"draws, more than the cap of {MAX_SAMPLE_CELLS:,}; take at most "
            f"{MAX_SAMPLE_CELLS // cells:,} samples of this shape"
        )


def check_cell(cell: object, shape: tuple[int, int, int]) -> None:
    if (
        not isinstance(cell, tuple)
        or len(cell) != 3
        or not all(isinstance(i, int | np.integer) and not isinstance(i, bool) for i in cell)
    ):
        raise DropguiError(f"cell must be three integers b,s,d (got {cell!r})")
    if not all(0 <= i < n for i, n in zip(cell, shape, strict=True)):
        raise DropguiError(
            f"cell {format_shape(cell)} is outside the tensor of shape {format_shape(shape)}"
        )


def parse_cell(text: str) -> tuple[int, int, int]:
    """'0,1,2' -> (0, 1, 2); `compute_stats` checks it against the tensor's shape."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 3:
        raise DropguiError(f"cell must be three integers b,s,d (got {text!r})")
    try:
        cell = tuple(int(p) for p in parts)
    except ValueError:
        raise DropguiError(f"cell must be three integers b,s,d (got {text!r})") from None
    return cell  # type: ignore[return-value]


def _check_cancel(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise StatsCancelled("statistics cancelled")


# ------------------------------------------------------------ what one sample looks like


@dataclass(frozen=True, eq=False)
class _Plan:
    """How the samples of one spec map onto cells, and what theory says about them.

    The keep decisions live on a `grid` that broadcasts to (B, S, D): the noise shape
    for Dropout, Alpha, SpatialDropout1D and token dropout, (B, S, 1) positions for
    word dropout (one decision per vocabulary row, looked up by token id), and (1, 1, 1)
    for Gaussian noise, which keeps everything.
    """

    spec: Spec
    prepared: Prepared
    first: Result
    cell: tuple[int, int, int]
    stochastic: bool
    grid: tuple[int, int, int]
    chosen: tuple[int, int, int]
    """The cell's index on the grid."""
    kept_output: np.ndarray | None
    """float32 (B, S, D): what a kept cell becomes (Dropout and Alpha)."""
    dropped_output: np.ndarray | None
    """float32 (B, S, D): what a dropped cell becomes."""

    @classmethod
    def of(cls, prepared: Prepared, first: Result, cell: tuple[int, int, int]) -> _Plan:
        spec = prepared.spec
        batch, seq_len, _ = prepared.shape
        stochastic = spec.training and spec.rate > 0
        if not stochastic or spec.mode == "gaussian":
            grid = (1, 1, 1)
        elif spec.mode == "word":
            grid = (batch, seq_len, 1)
        else:
            grid = tuple(first.noise_shape)
        chosen = tuple(0 if n == 1 else i for i, n in zip(cell, grid, strict=True))
        x = first.input
        kept_output = dropped_output = None
        if stochastic and spec.mode == "alpha":
            # keras.layers.AlphaDropout.call, in float32 as TensorFlow runs it:
            # a * (x * keep + alpha' * (1 - keep)) + b.
            a, b = np.float32(first.scale), np.float32(first.alpha_shift)
            alpha_p = np.float32(-_SELU_ALPHA * _SELU_SCALE)
            kept_output = a * x + b
            dropped_output = np.full_like(x, a * alpha_p + b)
        elif stochastic and spec.mode != "gaussian":
            # tf.nn.experimental.stateless_dropout: where(keep, x * scale, 0), scale
            # converted to the input's float32.
            kept_output = x * np.float32(first.scale)
            dropped_output = np.zeros_like(x)
        return cls(
            spec, prepared, first, cell, stochastic, grid, chosen, kept_output, dropped_output
        )

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.prepared.shape

    @property
    def units_per_slice(self) -> int:
        return self.grid[1] * self.grid[2]

    def grid_keep(self, keep_mask: np.ndarray) -> np.ndarray:
        """(n, B, S, D) keep masks reduced to the grid (broadcast axes are constant)."""
        return keep_mask[:, : self.grid[0], : self.grid[1], : self.grid[2]]


@dataclass(frozen=True, eq=False)
class _Chunk:
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


def _check_first_sample(chunk: _Chunk, plan: _Plan) -> None:
    """The first sample is the spec itself: it must be the mask `compute` gave."""
    first = plan.first
    same = np.array_equal(chunk.grid_keep[0], plan.grid_keep(first.keep_mask[np.newaxis])[0])
    if chunk.noise is not None:
        same = same and np.array_equal(chunk.noise[0], first.noise)
    if not same:
        raise RuntimeError(
            "the batched draws disagree with dropgui.compute for the first sample; "
            "the Keras seeding rule has changed. Please report this."
        )


# ------------------------------------------------------------------------ the samplers


def _chunk_size(plan: _Plan) -> int:
    cells = math.prod(plan.shape)
    units = max(math.prod(plan.first.noise_shape), cells if plan.spec.mode == "gaussian" else 1)
    return max(1, CHUNK_CELLS // max(units, math.prod(plan.grid)))


_VECTORIZED_MAP_NOTE = """pfor has no converter for StatelessRandomGetKeyCounter and the
stateless samplers, so tf.vectorized_map runs them in a while_loop inside the traced
function (it would log a warning per trace saying so). That loop is still one TensorFlow
call per chunk and about 30x faster than layer calls (benchmarks/bench_stats.py), and
it runs the very op Keras runs, so the bits are the same."""


@functools.cache
def _batched_sampler(kind: str):
    """A traced TensorFlow function: seed pairs (n, 2) int32 and a shape -> n samples.

    The samples are drawn exactly as Keras 3's TensorFlow backend draws them
    (keras/src/backend/tensorflow/random.py: `stateless_uniform(shape, seed,
    minval=0, maxval=1)` and `stateless_normal(shape, mean, stddev, seed)`), one row of
    seeds per sample. The shape is an input, so one trace serves every tensor shape
    (a trace per shape would make TensorFlow warn about retracing).
    """
    tf = load_tensorflow().tf
    signature = [
        tf.TensorSpec([None, 2], tf.int32),  # seed pairs
        tf.TensorSpec([None], tf.int32),  # the sample's shape
        tf.TensorSpec([], tf.float32),  # rate, or Gaussian stddev
    ]
    if kind == "keep":

        @tf.function(input_signature=signature)
        def keep_masks(seeds, shape, rate):
            # tf.nn.experimental.stateless_dropout keeps where uniform >= rate.
            return tf.vectorized_map(
                lambda seed: (
                    tf.random.stateless_uniform(
                        shape, seed=seed, minval=0.0, maxval=1.0, dtype=tf.float32
                    )
                    >= rate
                ),
                seeds,
                warn=False,  # see _VECTORIZED_MAP_NOTE
            )

        return keep_masks

    @tf.function(input_signature=signature)
    def noise_factors(seeds, shape, stddev):
        return tf.vectorized_map(
            lambda seed: tf.random.stateless_normal(
                shape, seed=seed, mean=1.0, stddev=stddev, dtype=tf.float32
            ),
            seeds,
            warn=False,  # see _VECTORIZED_MAP_NOTE
        )

    return noise_factors


def _batched_chunks(plan: _Plan, samples: int, over: str):
    """keras3: the k-th call of a layer with seed=s draws with seed [s, k - 1]."""
    tf = load_tensorflow().tf
    spec = plan.spec
    step = _chunk_size(plan)
    for start in range(0, samples, step):
        offsets = np.arange(start, min(samples, start + step), dtype=np.int64)
        if over == "draws":
            seeds = np.stack([np.full_like(offsets, spec.seed), spec.draw - 1 + offsets], 1)
        else:
            seeds = np.stack([spec.seed + offsets, np.full_like(offsets, spec.draw - 1)], 1)
        seeds = tf.constant(seeds.astype(np.int32))
        with _tf_lock:
            if spec.mode == "gaussian":
                stddev = math.sqrt(spec.rate / (1.0 - spec.rate))  # as GaussianDropout.call
                noise = np.asarray(
                    _batched_sampler("noise")(
                        seeds, tf.constant(plan.shape), tf.constant(stddev, tf.float32)
                    )
                )
            else:
                unit_keep = np.asarray(
                    _batched_sampler("keep")(
                        seeds,
                        tf.constant(plan.first.noise_shape),
                        tf.constant(spec.rate, tf.float32),
                    )
                )
        if spec.mode == "gaussian":
            yield _Chunk(np.ones((len(noise), 1, 1, 1), dtype=bool), noise=noise)
        else:
            yield _Chunk(_unit_keep_to_grid(plan, unit_keep))


def _unit_keep_to_grid(plan: _Plan, unit_keep: np.ndarray) -> np.ndarray:
    """(n, *noise_shape) decisions -> (n, *grid); word ids pick their vocabulary row."""
    if plan.spec.mode == "word":
        return unit_keep[:, plan.prepared.token_ids, 0][..., np.newaxis]
    return unit_keep


def _replay_chunks(plan: _Plan, samples: int):
    """tf-keras over draws: after tf.random.set_seed(seed) the k-th random op is draw k.

    The same ops as the engine's `_sample` (tf.random.uniform of the noise shape, or
    tf.random.normal around 1), in order, under the lock for the whole run: letting go
    would let another computation reset the global seed half way.
    """
    tf = load_tensorflow().tf
    spec = plan.spec
    step = max(1, min(_chunk_size(plan), 256))
    rate = np.float32(spec.rate)
    with _tf_lock:
        tf.random.set_seed(spec.seed)
        for _ in range(spec.draw - 1):
            tf.random.uniform(())
        for start in range(0, samples, step):
            n = min(step, samples - start)
            if spec.mode == "gaussian":
                stddev = math.sqrt(spec.rate / (1.0 - spec.rate))
                noise = np.stack(
                    [
                        np.asarray(tf.random.normal(plan.shape, mean=1.0, stddev=stddev))
                        for _ in range(n)
                    ]
                )
                yield _Chunk(np.ones((n, 1, 1, 1), dtype=bool), noise=noise)
            else:
                unit_keep = np.stack(
                    [
                        np.asarray(tf.random.uniform(plan.first.noise_shape)) >= rate
                        for _ in range(n)
                    ]
                )
                yield _Chunk(_unit_keep_to_grid(plan, unit_keep))


def _per_draw_chunks(plan: _Plan, samples: int):
    """tf-keras over seeds: `dropgui.compute` for each seed, real outputs included."""
    spec = plan.spec
    step = max(1, min(_chunk_size(plan), 64))
    for start in range(0, samples, step):
        results = [
            compute(spec.replace(seed=spec.seed + i))
            for i in range(start, min(samples, start + step))
        ]
        keep = plan.grid_keep(np.stack([r.keep_mask for r in results]))
        noise = np.stack([r.noise for r in results]) if spec.mode == "gaussian" else None
        yield _Chunk(keep, noise=noise, outputs=np.stack([r.output for r in results]))


# --------------------------------------------------------------------- the accumulator


class _Tally:
    """Running sums over the samples, bounded in memory whatever N is."""

    def __init__(self, plan: _Plan):
        self.plan = plan
        self.done = 0
        self.kept = np.zeros(plan.grid, dtype=np.int64)
        self.kept_with_chosen = np.zeros(plan.grid, dtype=np.int64)
        self.chosen_kept = 0
        self.slice_kept = Counter()  # kept units of one slice -> (sample, slice) pairs
        self.kept_fraction_sum = 0.0
        self.kept_fraction_sq_sum = 0.0
        shape = plan.shape
        self.deviation_sum: np.ndarray | None = None  # of output - input, float64
        self.deviation_sq_sum: np.ndarray | None = None
        if plan.spec.mode == "gaussian":
            # Noise factors centred on 1, for the correlation without cancellation.
            self.noise_sum = np.zeros(shape)
            self.noise_sq_sum = np.zeros(shape)
            self.noise_with_chosen = np.zeros(shape)
            self.chosen_noise_sum = 0.0
            self.chosen_noise_sq_sum = 0.0

    def add(self, chunk: _Chunk) -> None:
        plan = self.plan
        keep = chunk.grid_keep
        n = len(chunk)
        self.done += n
        self.kept += keep.sum(axis=0)
        chosen = keep[(slice(None), *plan.chosen)]
        self.chosen_kept += int(chosen.sum())
        self.kept_with_chosen += keep[chosen].sum(axis=0)
        per_slice = keep.sum(axis=(2, 3))  # (n, grid B)
        repeat = plan.shape[0] // plan.grid[0]  # a shared slice mask counts for each slice
        values, counts = np.unique(per_slice, return_counts=True)
        for value, count in zip(values.tolist(), counts.tolist(), strict=True):
            self.slice_kept[value] += count * repeat
        fractions = keep.mean(axis=(1, 2, 3))
        self.kept_fraction_sum += float(fractions.sum())
        self.kept_fraction_sq_sum += float((fractions**2).sum())

        x = plan.first.input
        outputs = chunk.outputs
        if outputs is None and chunk.noise is not None:
            outputs = x * chunk.noise  # keras.layers.GaussianDropout: inputs * noise
        if outputs is not None:
            deviation = outputs.astype(np.float64) - x
            if self.deviation_sum is None:
                self.deviation_sum = np.zeros(plan.shape)
                self.deviation_sq_sum = np.zeros(plan.shape)
            self.deviation_sum += deviation.sum(axis=0)
            self.deviation_sq_sum += (deviation**2).sum(axis=0)
        if chunk.noise is not None:
            centred = chunk.noise.astype(np.float64) - 1.0
            chosen_noise = centred[(slice(None), *plan.cell)]
            self.noise_sum += centred.sum(axis=0)
            self.noise_sq_sum += (centred**2).sum(axis=0)
            self.noise_with_chosen += np.tensordot(chosen_noise, centred, axes=1)
            self.chosen_noise_sum += float(chosen_noise.sum())
            self.chosen_noise_sq_sum += float((chosen_noise**2).sum())

    def finish(self, samples: int, over: str, method: str) -> Stats:
        plan = self.plan
        spec = plan.spec
        shape = plan.shape
        n = self.done
        rate = spec.rate
        drops = MODES[spec.mode].drops != "nothing"
        kept_share = np.broadcast_to(self.kept / n, shape)
        drop_frequency = 1.0 - kept_share
        expected_drop = rate if drops else 0.0

        # Standard error of the mean drop frequency: units dropped together add their
        # weights (share of the cells they cover) before squaring.
        weight_sq_sum = _unit_weight_sq_sum(plan)
        se_mean = math.sqrt(rate * (1 - rate) * weight_sq_sum / n) if drops else 0.0
        mean_kept = self.kept_fraction_sum / n
        kept_var = max(self.kept_fraction_sq_sum / n - mean_kept**2, 0.0)
        se_observed = math.sqrt(kept_var / max(n - 1, 1))

        if spec.mode == "gaussian":
            correlation = _pearson(
                n,
                self.noise_sum,
                self.noise_sq_sum,
                self.noise_with_chosen,
                self.chosen_noise_sum,
                self.chosen_noise_sq_sum,
            )
            correlation[plan.cell] = 1.0  # a cell with itself, whatever the rounding
            correlation_of = "noise factor"
        else:
            correlation = np.broadcast_to(
                _binary_correlation(
                    n, self.kept, self.kept_with_chosen, self.chosen_kept, plan.chosen
                ),
                shape,
            ).copy()
            correlation_of = "keep mask"

        x = plan.first.input.astype(np.float64)
        if self.deviation_sum is not None:
            mean_deviation = self.deviation_sum / n
            mean_output = x + mean_deviation
            output_variance = np.maximum(self.deviation_sq_sum / n - mean_deviation**2, 0.0)
        else:
            # Each cell takes one of two float32 values; the exact moments follow from
            # how often it was kept.
            kept_value = plan.kept_output.astype(np.float64)
            dropped_value = plan.dropped_output.astype(np.float64)
            mean_output = kept_share * kept_value + (1 - kept_share) * dropped_value
            output_variance = kept_share * (1 - kept_share) * (kept_value - dropped_value) ** 2
        expected_output, variance_theory, output_theory = _output_theory(plan)
        grid_values, counts, theory, law = _kept_fraction_histogram(plan, self.slice_kept)
        return Stats(
            spec=spec,
            samples=samples,
            over=over,
            method=method,
            cell=plan.cell,
            stochastic=True,
            note=_note(plan, samples, over, method),
            input=plan.first.input,
            token_ids=plan.prepared.token_ids,
            drop_frequency=np.ascontiguousarray(drop_frequency),
            expected_drop_frequency=expected_drop,
            mean_drop_frequency=float(drop_frequency.mean()),
            mean_drop_frequency_se=se_mean,
            mean_drop_frequency_se_observed=se_observed,
            drop_frequency_spread=float(drop_frequency.std()),
            cell_drop_frequency_se=math.sqrt(rate * (1 - rate) / n) if drops else 0.0,
            units_per_slice=plan.units_per_slice,
            kept_fraction_grid=grid_values,
            kept_fraction_counts=counts,
            kept_fraction_theory=theory,
            kept_fraction_law=law,
            correlation=correlation,
            correlation_of=correlation_of,
            mean_output=mean_output,
            expected_output=expected_output,
            output_variance=output_variance,
            output_variance_theory=variance_theory,
            mean_output_se=np.sqrt(variance_theory / n),
            output_theory=output_theory,
        )


def _binary_correlation(
    n: int, kept: np.ndarray, kept_with_chosen: np.ndarray, chosen_kept: int, chosen: tuple
) -> np.ndarray:
    """Pearson correlation of 0/1 series from their counts, 0 where one never varies.

    With integer counts: n^2 cov = n * n_mc - n_m * n_c and n^2 var = n_m (n - n_m).
    Identical series (n_mc = n_m = n_c) get exactly 1, complementary ones exactly -1.
    """
    kept = kept.astype(np.float64)
    both = kept_with_chosen.astype(np.float64)
    chosen_count = float(chosen_kept)
    covariance = n * both - kept * chosen_count
    spread = np.sqrt(kept * (n - kept)) * math.sqrt(chosen_count * (n - chosen_count))
    correlation = np.divide(covariance, spread, out=np.zeros_like(covariance), where=spread > 0)
    varies = spread > 0
    correlation[varies & (both == kept) & (kept == chosen_count)] = 1.0
    correlation[varies & (both == 0) & (kept + chosen_count == n)] = -1.0
    return np.clip(correlation, -1.0, 1.0)


def _pearson(n, total, sq_total, with_chosen, chosen_total, chosen_sq_total) -> np.ndarray:
    """Pearson correlation from running sums, 0 where a series never varies."""
    covariance = with_chosen / n - (total / n) * (chosen_total / n)
    variance = np.maximum(sq_total / n - (total / n) ** 2, 0.0)
    chosen_variance = max(chosen_sq_total / n - (chosen_total / n) ** 2, 0.0)
    spread = np.sqrt(variance * chosen_variance)
    correlation = np.divide(covariance, spread, out=np.zeros_like(covariance), where=spread > 0)
    return np.clip(correlation, -1.0, 1.0)


def _unit_weight_sq_sum(plan: _Plan) -> float:
    """Sum over independent units of (share of cells the unit covers)^2."""
    if plan.spec.mode == "word":
        _, counts = np.unique(plan.prepared.token_ids, return_counts=True)
        shares = counts / plan.prepared.token_ids.size
        return float((shares**2).sum())
    return 1.0 / math.prod(plan.grid)


def _output_theory(plan: _Plan) -> tuple[np.ndarray, np.ndarray, str]:
    """E[output] and Var[output] per cell under the law, and the law in words."""
    spec = plan.spec
    rate = spec.rate
    x = plan.first.input.astype(np.float64)
    if not plan.stochastic:
        return x, np.zeros_like(x), "no randomness: output = input, variance 0"
    if spec.mode == "alpha":
        # keras.layers.AlphaDropout (Klambauer et al. 2017, self-normalizing networks):
        # output = a x + b if kept, a alpha' + b if dropped, with b = -a alpha' rate, so
        # E = a (1 - rate) x and Var = a^2 rate (1 - rate) (x - alpha')^2. Mean 0 and
        # variance 1 are kept over inputs that are SELU-normalised (mean 0, variance 1),
        # not cell by cell.
        a = plan.first.scale
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        return (
            a * (1 - rate) * x,
            a**2 * rate * (1 - rate) * (x - alpha_p) ** 2,
            f"Alpha: E = a(1 - rate) x with a = {a:.4g}; Var = a^2 rate (1 - rate) "
            "(x - alpha')^2; mean 0 and variance 1 are kept for SELU-normalised inputs",
        )
    # Inverted dropout: x / (1 - rate) with probability 1 - rate, else 0, so E = x and
    # Var = x^2 rate / (1 - rate) (Srivastava et al. 2014). Gaussian dropout multiplies
    # by N(1, rate / (1 - rate)): the same two moments (Keras GaussianDropout docstring).
    what = "Gaussian noise" if spec.mode == "gaussian" else "inverted dropout"
    return x, x**2 * rate / (1 - rate), f"{what}: E = x, Var = x^2 rate / (1 - rate)"


# ------------------------------------------------------------ kept fraction and its law


def _kept_fraction_histogram(plan: _Plan, slice_kept: Counter):
    """Observed counts of k kept units per slice, and the law's pmf, on k / units."""
    units = plan.units_per_slice
    observed = np.array(sorted(slice_kept))
    low, high = int(observed[0]), int(observed[-1])
    spec = plan.spec
    keep = 1.0 - spec.rate
    theory_low, theory_high = 0, units
    pmf_of = None
    if not plan.stochastic or spec.mode == "gaussian":
        law = "every unit is kept: the kept fraction is 1"
        theory_low = theory_high = units

        def pmf_of(ks):
            return (ks == units).astype(np.float64)

    elif spec.mode == "word":
        law, pmf = _word_law(plan)
        if pmf is not None:

            def pmf_of(ks):
                return pmf[ks]

    else:
        what = {"channels": "channels", "tokens": "tokens"}.get(MODES[spec.mode].drops, "units")
        law = f"Binomial({units}, 1 - rate): kept {what} of a slice"
        mean, sd = units * keep, math.sqrt(units * keep * (1 - keep))
        theory_low = max(0, math.floor(mean - 10 * sd - 1))
        theory_high = min(units, math.ceil(mean + 10 * sd + 1))

        def pmf_of(ks):
            return _binomial_pmf(units, keep, ks)

    if pmf_of is None:
        low_all, high_all = low, high
    else:
        low_all, high_all = min(low, theory_low), max(high, theory_high)
    ks = np.arange(low_all, high_all + 1)
    counts = np.array([slice_kept.get(int(k), 0) for k in ks], dtype=np.int64)
    theory = None if pmf_of is None else pmf_of(ks)
    # Trim the tails where nothing was seen and the law gives less than 1e-12.
    wanted = counts > 0
    if theory is not None:
        wanted |= theory >= 1e-12
    first, last = np.flatnonzero(wanted)[[0, -1]]
    window = slice(first, last + 1)
    return (
        ks[window] / units,
        counts[window],
        None if theory is None else theory[window],
        law,
    )


def _binomial_pmf(n: int, p: float, ks: np.ndarray) -> np.ndarray:
    """P(K = k) for K ~ Binomial(n, p), in log space so large n stays finite."""
    lgamma = np.vectorize(math.lgamma, otypes=[np.float64])
    log_pmf = (
        math.lgamma(n + 1)
        - lgamma(ks + 1.0)
        - lgamma(n - ks + 1.0)
        + ks * math.log(p)
        + (n - ks) * math.log1p(-p)
    )
    return np.exp(log_pmf)


MAX_WORD_LAW_WORK = 50_000_000
"""Above this many multiply-adds the exact law of word dropout is not computed."""


def _word_law(plan: _Plan) -> tuple[str, np.ndarray | None]:
    """Kept positions of a slice = sum over its distinct ids of (count x Bernoulli).

    An id repeated c times keeps or drops all c positions together, so the law is the
    convolution of one two-point law per distinct id; with all ids distinct it is
    Binomial(S, 1 - rate). The histogram pools all slices, so the law is their mixture.
    """
    ids = plan.prepared.token_ids
    seq_len = ids.shape[1]
    keep = 1.0 - plan.spec.rate
    per_slice = [np.unique(row, return_counts=True)[1] for row in ids]
    if sum(len(c) for c in per_slice) * (seq_len + 1) > MAX_WORD_LAW_WORK:
        return "mixture over slices of repeated-id laws: too large to compute, none", None
    mixture = np.zeros(seq_len + 1)
    for counts in per_slice:
        pmf = np.zeros(seq_len + 1)
        pmf[0] = 1.0
        for c in counts:
            shifted = np.zeros_like(pmf)
            shifted[c:] = pmf[: seq_len + 1 - c]
            pmf = (1 - keep) * pmf + keep * shifted
        mixture += pmf
    mixture /= len(per_slice)
    distinct = all(len(c) == seq_len for c in per_slice)
    if distinct:
        return f"Binomial({seq_len}, 1 - rate): all ids of a slice distinct", mixture
    return (
        "kept positions: sum over distinct ids of count x Bernoulli(1 - rate), "
        "mixed over slices (repeated ids drop together)",
        mixture,
    )


# ------------------------------------------------------------------ nothing is random


def _without_randomness(plan: _Plan, samples: int, over: str) -> Stats:
    """Inference or rate 0: every draw is the identity, so N draws need no sampling."""
    spec = plan.spec
    x = plan.first.input
    shape = plan.shape
    zeros = np.zeros(shape)
    units = plan.units_per_slice
    law = "every unit is kept: the kept fraction is 1"
    return Stats(
        spec=spec,
        samples=samples,
        over=over,
        method=METHOD_NONE,
        cell=plan.cell,
        stochastic=False,
        note=_note(plan, samples, over, METHOD_NONE),
        input=x,
        token_ids=plan.prepared.token_ids,
        drop_frequency=zeros,
        expected_drop_frequency=0.0,
        mean_drop_frequency=0.0,
        mean_drop_frequency_se=0.0,
        mean_drop_frequency_se_observed=0.0,
        drop_frequency_spread=0.0,
        cell_drop_frequency_se=0.0,
        units_per_slice=units,
        kept_fraction_grid=np.array([1.0]),
        kept_fraction_counts=np.array([samples * shape[0]], dtype=np.int64),
        kept_fraction_theory=np.array([1.0]),
        kept_fraction_law=law,
        correlation=zeros.copy(),
        correlation_of="keep mask",
        mean_output=plan.first.output.astype(np.float64),
        expected_output=x.astype(np.float64),
        output_variance=zeros.copy(),
        output_variance_theory=zeros.copy(),
        mean_output_se=zeros.copy(),
        output_theory="no randomness: output = input, variance 0",
    )


def _note(plan: _Plan, samples: int, over: str, method: str) -> str:
    spec = plan.spec
    layer = f"{MODES[spec.mode].keras_layer}({spec.rate:g})"
    if spec.mode == "word":
        layer = f"embedding-matrix {layer}"
    elif spec.mode == "token":
        layer += " noise_shape=(B, S, 1)"
    elif spec.noise_shape is not None:
        layer += f" noise_shape={format_shape(plan.first.noise_shape)}"
    if method == METHOD_NONE:
        why = "at inference (training=False)" if not spec.training else "with rate 0"
        return (
            f"{layer} {why} is the identity: every cell is kept in every one of the "
            f"{samples:,} draws, so nothing was sampled"
        )
    last = samples - 1
    which = (
        f"draws {spec.draw}..{spec.draw + last} of seed {spec.seed}"
        if over == "draws"
        else f"seeds {spec.seed}..{spec.seed + last} at draw {spec.draw}"
    )
    return f"{layer} on {format_shape(plan.shape)}, {spec.engine}: {which} ({method})"


# ------------------------------------------------------------------------------ CLI


def stats_json(stats: Stats) -> dict[str, Any]:
    """The figures as plain JSON types (no NaN: every figure is defined)."""
    theory = stats.kept_fraction_theory
    return {
        "mode": stats.spec.mode,
        "engine": stats.spec.engine,
        "rate": stats.spec.rate,
        "shape": list(stats.shape),
        "samples": stats.samples,
        "over": stats.over,
        "method": stats.method,
        "stochastic": stats.stochastic,
        "note": stats.note,
        "drop_frequency": stats.drop_frequency.tolist(),
        "expected_drop_frequency": stats.expected_drop_frequency,
        "mean_drop_frequency": stats.mean_drop_frequency,
        "mean_drop_frequency_se": stats.mean_drop_frequency_se,
        "mean_drop_frequency_se_observed": stats.mean_drop_frequency_se_observed,
        "drop_frequency_spread": stats.drop_frequency_spread,
        "cell_drop_frequency_se": stats.cell_drop_frequency_se,
        "kept_fraction_histogram": {
            "bins": stats.kept_fraction_grid.tolist(),
            "counts": stats.kept_fraction_counts.tolist(),
            "theory": None if theory is None else theory.tolist(),
            "law": stats.kept_fraction_law,
            "units_per_slice": stats.units_per_slice,
        },
        "cell": list(stats.cell),
        "correlation_of": stats.correlation_of,
        "correlation": stats.correlation.tolist(),
        "input": stats.input.tolist(),
        "mean_output": stats.mean_output.tolist(),
        "expected_output": stats.expected_output.tolist(),
        "output_variance": stats.output_variance.tolist(),
        "output_variance_theory": stats.output_variance_theory.tolist(),
        "mean_output_se": stats.mean_output_se.tolist(),
        "output_theory": stats.output_theory,
        "token_ids": None if stats.token_ids is None else stats.token_ids.tolist(),
        "seconds": stats.seconds,
        "spec": stats.spec.to_dict(),
    }


def stats_text(stats: Stats) -> str:
    """A readable summary: the figures first, then the per-cell arrays."""
    lines = [stats.note + f", {stats.seconds:.2f} s."]
    if stats.stochastic:
        lines.append(
            f"Drop frequency per cell: mean {stats.mean_drop_frequency:.4f} against the "
            f"rate {stats.expected_drop_frequency:g} ({stats.drop_frequency_z:+.2f} "
            f"standard errors of {stats.mean_drop_frequency_se:.2g}); spread across cells "
            f"{stats.drop_frequency_spread:.4f} (one cell by chance: "
            f"{stats.cell_drop_frequency_se:.4f}); range {stats.drop_frequency.min():.4f}"
            f"..{stats.drop_frequency.max():.4f}."
        )
    lines.append(f"Kept fraction per slice, {stats.kept_fraction_law}:")
    lines.append(f"  {'kept':>8} {'observed':>10} {'theory':>10}")
    total = stats.kept_fraction_counts.sum()
    theory = stats.kept_fraction_theory
    rows = range(len(stats.kept_fraction_grid))
    if len(rows) > 25:  # show the central 25 rows around the largest count
        centre = int(np.argmax(stats.kept_fraction_counts))
        start = min(max(0, centre - 12), len(rows) - 25)
        rows = range(start, start + 25)
        lines.append(f"  (rows {start}..{start + 24} of {len(stats.kept_fraction_grid)})")
    for i in rows:
        law = "none" if theory is None else f"{theory[i]:.4f}"
        lines.append(
            f"  {stats.kept_fraction_grid[i]:>8.4f} "
            f"{stats.kept_fraction_counts[i] / total:>10.4f} {law:>10}"
        )
    correlation = stats.correlation
    ones = int((correlation == 1.0).sum())
    others = np.abs(correlation[correlation != 1.0])
    rest = f"; elsewhere |r| <= {others.max():.3f}" if others.size else ""
    lines.append(
        f"Correlation of cell {format_shape(stats.cell)}'s {stats.correlation_of} with "
        f"every cell: exactly 1 on {ones} cells{rest}."
    )
    z = np.abs(stats.output_z)
    lines.append(
        f"E[output] against theory ({stats.output_theory}): largest gap "
        f"{z.max():.2f} standard errors over {z.size} cells."
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        theory_var = stats.output_variance_theory
        ratio = stats.output_variance[theory_var > 0] / theory_var[theory_var > 0]
    if ratio.size:
        lines.append(
            f"Variance added by dropout: observed / theory is {ratio.mean():.3f} on "
            f"average (range {ratio.min():.3f}..{ratio.max():.3f})."
        )
    with np.printoptions(linewidth=100, precision=4, suppress=True):
        for name, array in (
            ("drop_frequency", stats.drop_frequency),
            ("correlation", stats.correlation),
            ("mean_output", stats.mean_output),
            ("input", stats.input),
        ):
            lines.append(f"\n{name} {array.shape}:\n{array}")
    return "\n".join(lines)


def stats_command(spec: Spec, args: argparse.Namespace) -> int:
    """`dropgui stats`: print the figures (or one JSON object with --json)."""
    cell = parse_cell(args.cell) if args.cell is not None else None
    stats = compute_stats(spec, args.samples, over=args.over, cell=cell)
    if args.json:
        print(json.dumps(stats_json(stats), allow_nan=False))
    else:
        print(stats_text(stats))
    return 0
