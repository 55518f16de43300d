"""The samplers: the only TensorFlow code of the statistics.

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
  tests hold (`Plan.outputs`, `Mode.kept_and_dropped`), all in float32 as Keras
  computes them. Before trusting the batch, the first sample is compared with
  `dropgui.compute(spec)` bit for bit; a mismatch raises RuntimeError.
* tf-keras over seeds, "per-draw layer calls": `dropgui.compute` for every seed,
  real layer outputs included. tf-keras seeding is process-global and resists batching.
* tf-keras over draws, "one global-seed replay": `dropgui.compute` of draw k replays
  k - 1 random ops, so N draws that way cost N**2 / 2 ops (hours for N = 10,000).
  Instead `engine.replay_random_ops(seed, draw - 1)` once, then one random op per draw
  in order: the k-th op after the seed is draw k, exactly how the engine reproduces a
  draw. Outputs follow from the identities above.

Draws may run past `MAX_DRAW`, which bounds only the replay inside `compute()`: the
k-th call stays defined by the rules above.

Memory: samples come in chunks of about `CHUNK_CELLS` random values, whatever N is;
the tally keeps only running sums.

Threads: all TensorFlow work runs under `dropgui.engine.tf_lock`, the lock `compute`
takes; the batched path takes it per chunk, the tf-keras replay for the whole run.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator

import numpy as np

from .. import laws
from ..engine import compute, global_seed_kept, load_tensorflow, replay_random_ops, tf_lock
from .figures import METHOD_BATCHED, METHOD_PER_DRAW, METHOD_REPLAY
from .plan import Cancel, Chunk, Plan, Progress, check_cancel

CHUNK_CELLS = 2**22
"""Random values drawn per batched TensorFlow call: bounds memory (16 MiB of float32)
whatever N is, and sets how often progress and cancel are consulted."""

_VECTORIZED_MAP_NOTE = """pfor has no converter for StatelessRandomGetKeyCounter and the
stateless samplers, so tf.vectorized_map runs them in a while_loop inside the traced
function (it would log a warning per trace saying so). That loop is still one TensorFlow
call per chunk and about 30x faster than layer calls (benchmarks/bench_stats.py), and
it runs the very op Keras runs, so the bits are the same."""


def draw(
    plan: Plan,
    samples: int,
    over: str,
    take: Callable[[Chunk], None],
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> str:
    """Hand every chunk of `samples` random samples to `take`, the first checked
    against `compute`; report progress, honour cancel, and return the method's name.

    Sample i is draw `spec.draw + i` of `spec.seed` (`over="draws"`) or seed
    `spec.seed + i` at `spec.draw` (`over="seeds"`). The plan must be stochastic.
    """
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
                check_cancel(cancel)
    finally:
        # A sampler may hold the TensorFlow lock across its chunks (the tf-keras
        # replay): close it now, not when a traceback that refers to it is collected.
        chunks.close()
    return method


def _check_first_sample(chunk: Chunk, plan: Plan) -> None:
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


def _chunk_size(plan: Plan) -> int:
    """Samples per chunk: about CHUNK_CELLS random values (or grid decisions) each."""
    values = max(math.prod(plan.sample_shape), math.prod(plan.grid))
    return max(1, CHUNK_CELLS // values)


def _decisions(plan: Plan, uniform_keep: np.ndarray) -> Chunk:
    """(n, *sample_shape) keep decisions -> a chunk on the plan's grid (word ids pick
    their vocabulary row)."""
    return Chunk(plan.mode.decisions_on_grid(uniform_keep, plan.prepared.token_ids))


def _noise_chunk(plan: Plan, noise: np.ndarray) -> Chunk:
    """Noise factors keep every cell: the decisions are all True."""
    return Chunk(np.ones((len(noise), *plan.grid), dtype=bool), noise=noise)


@functools.cache
def _batched_sampler(kind: str):
    """A traced TensorFlow function: seed pairs (n, 2) int32 and a shape -> n samples.

    `kind` is the mode's `sample_kind`: "uniform" gives keep decisions (uniform >=
    rate), "normal" noise factors around 1. The samples are drawn exactly as Keras 3's
    TensorFlow backend draws them (keras/src/backend/tensorflow/random.py:
    `stateless_uniform(shape, seed, minval=0, maxval=1)` and `stateless_normal(shape,
    mean, stddev, seed)`), one row of seeds per sample. The shape is an input, so one
    trace serves every tensor shape (a trace per shape would make TensorFlow warn
    about retracing).
    """
    tf = load_tensorflow().tf
    signature = [
        tf.TensorSpec([None, 2], tf.int32),  # seed pairs
        tf.TensorSpec([None], tf.int32),  # the sample's shape
        tf.TensorSpec([], tf.float32),  # rate, or Gaussian stddev
    ]
    if kind == "uniform":

        @tf.function(input_signature=signature)
        def keep_decisions(seeds, shape, rate):
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

        return keep_decisions

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


def _batched_chunks(plan: Plan, samples: int, over: str) -> Iterator[Chunk]:
    """keras3: the k-th call of a layer with seed=s draws with seed [s, k - 1]."""
    tf = load_tensorflow().tf
    spec = plan.spec
    kind = plan.mode.sample_kind
    # GaussianDropout.call draws with stddev sqrt(rate / (1 - rate)); the others
    # compare the uniform sample with the rate.
    parameter = laws.gaussian_stddev(spec.rate) if plan.noise_factors else spec.rate
    step = _chunk_size(plan)
    for start in range(0, samples, step):
        offsets = np.arange(start, min(samples, start + step), dtype=np.int64)
        if over == "draws":
            seeds = np.stack([np.full_like(offsets, spec.seed), spec.draw - 1 + offsets], 1)
        else:
            seeds = np.stack([spec.seed + offsets, np.full_like(offsets, spec.draw - 1)], 1)
        with tf_lock:
            sample = np.asarray(
                _batched_sampler(kind)(
                    tf.constant(seeds.astype(np.int32)),
                    tf.constant(plan.sample_shape),
                    tf.constant(parameter, tf.float32),
                )
            )
        yield _noise_chunk(plan, sample) if plan.noise_factors else _decisions(plan, sample)


def _replay_chunks(plan: Plan, samples: int) -> Iterator[Chunk]:
    """tf-keras over draws: after tf.random.set_seed(seed) the k-th random op is draw k.

    The same ops as the engine's `_sample` (tf.random.uniform of the sample shape, or
    tf.random.normal around 1), in order, under the lock for the whole run: letting go
    would let another computation reset the global seed half way.
    """
    tf = load_tensorflow().tf
    spec = plan.spec
    step = max(1, min(_chunk_size(plan), 256))
    rate = np.float32(spec.rate)
    stddev = laws.gaussian_stddev(spec.rate)
    with tf_lock, global_seed_kept():  # the caller's TensorFlow seed, as `compute` keeps it
        replay_random_ops(spec.seed, spec.draw - 1)
        for start in range(0, samples, step):
            n = min(step, samples - start)
            if plan.noise_factors:
                noise = np.stack(
                    [
                        np.asarray(tf.random.normal(plan.sample_shape, mean=1.0, stddev=stddev))
                        for _ in range(n)
                    ]
                )
                yield _noise_chunk(plan, noise)
            else:
                keep = np.stack(
                    [np.asarray(tf.random.uniform(plan.sample_shape)) >= rate for _ in range(n)]
                )
                yield _decisions(plan, keep)


def _per_draw_chunks(plan: Plan, samples: int) -> Iterator[Chunk]:
    """tf-keras over seeds: `dropgui.compute` for each seed, real outputs included."""
    spec = plan.spec
    step = max(1, min(_chunk_size(plan), 64))
    for start in range(0, samples, step):
        results = [
            compute(spec.replace(seed=spec.seed + i), plan.prepared)
            for i in range(start, min(samples, start + step))
        ]
        keep = plan.grid_keep(np.stack([r.keep_mask for r in results]))
        noise = np.stack([r.noise for r in results]) if plan.noise_factors else None
        yield Chunk(keep, noise=noise, outputs=np.stack([r.output for r in results]))
