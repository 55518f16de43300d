"""Running sums over the samples, and the one place a `Stats` is assembled.

Pure numpy. Memory is bounded whatever N is: the tally keeps per cell only kept
counts, counts together with the chosen cell, and output moments (plus, for Gaussian
noise, the noise moments), never the samples. A run without randomness is tallied
like any other, from one chunk of N draws that keep everything, so every figure
comes from the same code.

The theory comes from the mode: `Mode.output_moments` (E and Var of the output),
`Mode.kept_law` (the law of kept units per slice) and `Mode.unit_weight_sq_sum` (how
units dropped together widen the standard error).
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from .. import laws
from ..i18n import N_, tr
from ..spec import format_shape
from .figures import METHOD_NONE, Stats, sampled_text
from .plan import Chunk, Plan

MIN_LAW_PROBABILITY = 1e-12
"""Tails of the kept-fraction histogram where nothing was seen and the law gives less
than this are trimmed."""


class Tally:
    """Running sums over the samples of one plan, bounded in memory whatever N is."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.done = 0
        self.kept = np.zeros(plan.grid, dtype=np.int64)
        self.kept_with_chosen = np.zeros(plan.grid, dtype=np.int64)
        self.chosen_kept = 0
        self.slice_kept: Counter[int] = Counter()  # kept units of a slice -> (sample, slice)s
        self.kept_fraction_sum = 0.0
        self.kept_fraction_sq_sum = 0.0
        self.deviation_sum: np.ndarray | None = None  # of output - input, float64
        self.deviation_sq_sum: np.ndarray | None = None
        self.noise: _NoiseSums | None = _NoiseSums(plan) if plan.noise_factors else None

    def add(self, chunk: Chunk) -> None:
        """Fold consecutive samples into the sums."""
        plan = self.plan
        keep = chunk.grid_keep
        self.done += len(chunk)
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

        if chunk.outputs is not None or chunk.noise is not None:
            # Each sample has its own outputs; otherwise each cell takes one of two
            # values and its moments follow from how often it was kept (`finish`).
            deviation = plan.outputs(chunk).astype(np.float64) - plan.first.input
            if self.deviation_sum is None:
                self.deviation_sum = np.zeros(plan.shape)
                self.deviation_sq_sum = np.zeros(plan.shape)
            self.deviation_sum += deviation.sum(axis=0)
            self.deviation_sq_sum += (deviation**2).sum(axis=0)
        if chunk.noise is not None:
            self.noise.add(chunk.noise)

    def finish(self, over: str, method: str) -> Stats:
        """The figures of every sample added so far."""
        plan = self.plan
        spec = plan.spec
        shape = plan.shape
        n = self.done
        rate = spec.rate
        drops = plan.drops_cells
        kept_share = np.broadcast_to(self.kept / n, shape)
        drop_frequency = 1.0 - kept_share

        # Standard error of the mean drop frequency: units dropped together add their
        # weights (share of the cells they cover) before squaring.
        weight_sq_sum = plan.mode.unit_weight_sq_sum(plan.grid, plan.prepared.token_ids)
        se_mean = math.sqrt(rate * (1 - rate) * weight_sq_sum / n) if drops else 0.0
        mean_kept = self.kept_fraction_sum / n
        kept_var = max(self.kept_fraction_sq_sum / n - mean_kept**2, 0.0)
        se_observed = math.sqrt(kept_var / max(n - 1, 1))

        if self.noise is not None:
            correlation, correlation_of = self.noise.correlation(n), tr("noise factor")
        else:
            correlation = np.broadcast_to(
                binary_correlation(n, self.kept, self.kept_with_chosen, self.chosen_kept),
                shape,
            ).copy()
            correlation_of = tr("keep mask")

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
        if plan.stochastic:
            expected_output, variance_theory, output_theory = plan.mode.output_moments(
                x, rate, plan.first.scale
            )
        else:
            expected_output, variance_theory = x, np.zeros_like(x)
            output_theory = tr("no randomness: output = input, variance 0")
        grid_values, counts, theory, law = kept_fraction_histogram(plan, self.slice_kept)
        return Stats(
            spec=spec,
            samples=n,
            over=over,
            method=method,
            cell=plan.cell,
            stochastic=plan.stochastic,
            note=note(plan, n, over, method),
            input=plan.first.input,
            token_ids=plan.prepared.token_ids,
            drop_frequency=np.ascontiguousarray(drop_frequency),
            expected_drop_frequency=rate if drops else 0.0,
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


class _NoiseSums:
    """Running sums of Gaussian noise factors, centred on 1 so that the correlation
    suffers no cancellation."""

    def __init__(self, plan: Plan) -> None:
        self.cell = plan.cell
        self.sum = np.zeros(plan.shape)
        self.sq_sum = np.zeros(plan.shape)
        self.with_chosen = np.zeros(plan.shape)
        self.chosen_sum = 0.0
        self.chosen_sq_sum = 0.0

    def add(self, noise: np.ndarray) -> None:
        centred = noise.astype(np.float64) - 1.0
        chosen = centred[(slice(None), *self.cell)]
        self.sum += centred.sum(axis=0)
        self.sq_sum += (centred**2).sum(axis=0)
        self.with_chosen += np.tensordot(chosen, centred, axes=1)
        self.chosen_sum += float(chosen.sum())
        self.chosen_sq_sum += float((chosen**2).sum())

    def correlation(self, n: int) -> np.ndarray:
        """Pearson correlation of the chosen cell's factors with every cell's."""
        correlation = pearson(
            n, self.sum, self.sq_sum, self.with_chosen, self.chosen_sum, self.chosen_sq_sum
        )
        correlation[self.cell] = 1.0  # a cell with itself, whatever the rounding
        return correlation


def binary_correlation(
    n: int, kept: np.ndarray, kept_with_chosen: np.ndarray, chosen_kept: int
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


def pearson(
    n: int,
    total: np.ndarray,
    sq_total: np.ndarray,
    with_chosen: np.ndarray,
    chosen_total: float,
    chosen_sq_total: float,
) -> np.ndarray:
    """Pearson correlation from running sums, 0 where a series never varies."""
    covariance = with_chosen / n - (total / n) * (chosen_total / n)
    variance = np.maximum(sq_total / n - (total / n) ** 2, 0.0)
    chosen_variance = max(chosen_sq_total / n - (chosen_total / n) ** 2, 0.0)
    spread = np.sqrt(variance * chosen_variance)
    correlation = np.divide(covariance, spread, out=np.zeros_like(covariance), where=spread > 0)
    return np.clip(correlation, -1.0, 1.0)


def kept_fraction_histogram(
    plan: Plan, slice_kept: Counter[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, str]:
    """Observed counts of k kept units per slice, and the law's pmf, on k / units.

    Returns the kept fractions, their counts, the law's probabilities (None where the
    law has no simple form) and the law in words.
    """
    units = plan.units_per_slice
    if plan.stochastic:
        law = plan.mode.kept_law(units, plan.spec.rate, plan.prepared.token_ids)
    else:
        law = laws.all_kept_law(units)
    observed = np.array(sorted(slice_kept))
    low, high = int(observed[0]), int(observed[-1])
    if law.pmf is not None:
        low, high = min(low, law.support[0]), max(high, law.support[1])
    ks = np.arange(low, high + 1)
    counts = np.array([slice_kept.get(int(k), 0) for k in ks], dtype=np.int64)
    theory = None if law.pmf is None else law.pmf(ks)
    wanted = counts > 0
    if theory is not None:
        wanted |= theory >= MIN_LAW_PROBABILITY
    first, last = np.flatnonzero(wanted)[[0, -1]]
    window = slice(first, last + 1)
    return (
        ks[window] / units,
        counts[window],
        None if theory is None else theory[window],
        law.text,
    )


def note(plan: Plan, samples: int, over: str, method: str) -> str:
    """One line: the layer, what was sampled and how."""
    spec = plan.spec
    layer = plan.first.caption
    if method == METHOD_NONE:
        template = (
            N_(
                "{layer} at inference (training=False) is the identity: every cell is kept "
                "in every one of the {samples:,} draws, so nothing was sampled"
            )
            if not spec.training
            else N_(
                "{layer} with rate 0 is the identity: every cell is kept in every one of "
                "the {samples:,} draws, so nothing was sampled"
            )
        )
        return tr(template, layer=layer, samples=samples)
    return tr(
        "{layer} on {shape}, {engine}: {sampled} ({method})",
        layer=layer,
        shape=format_shape(plan.shape),
        engine=spec.engine,
        sampled=sampled_text(spec, samples, over),
        method=tr(method),
    )
