"""What a statistics run reports: the `Stats` figures and the names of its methods.

Plain data, no TensorFlow: the tally fills a `Stats` once, the CLI and the Statistics
tab read it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..i18n import N_, Message, tr
from ..spec import Spec

# The method names are English templates: `tr(stats.method)` says one in the current
# language; compare them untranslated.
METHOD_BATCHED = N_("batched stateless draws")
METHOD_PER_DRAW = N_("per-draw layer calls")
METHOD_REPLAY = N_("one global-seed replay")
METHOD_NONE = N_("no random draws")


def sampled_text(spec: Spec, samples: int, over: str) -> Message:
    """Which draws or seeds a run of `samples` samples covers, in words."""
    last = samples - 1
    if over == "draws":
        return tr(
            "draws {first}..{last} of seed {seed}",
            first=spec.draw,
            last=spec.draw + last,
            seed=spec.seed,
        )
    return tr(
        "seeds {first}..{last} at draw {draw}",
        first=spec.seed,
        last=spec.seed + last,
        draw=spec.draw,
    )


@dataclass(frozen=True, eq=False)
class Stats:
    """Monte Carlo figures of one spec over `samples` draws (or seeds).

    Arrays of shape (B, S, D) are per cell. `correlation` is the Pearson correlation,
    over the samples, of the keep mask of `cell` with the keep mask of every cell
    (for Gaussian dropout, which keeps every cell, of the noise factors instead). A
    cell whose mask never varies has no defined correlation; it is reported as 0, so
    the map is NaN-free (with rate 0 or at inference the whole map is 0). Identical
    masks give exactly 1 and complementary masks exactly -1.

    Variances are population variances of the N samples (ddof = 0). Standard errors
    are those of the law, given the rate: what the tests compare against.
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
        return sampled_text(self.spec, self.samples, self.over)
