"""The exact laws behind dropout masks: pure numpy, used by the modes and the statistics.

No TensorFlow and no Qt: these are the formulas the Monte Carlo statistics are checked
against, and the modes (dropgui/modes.py) pick the one that fits them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .i18n import N_, tr

# SELU's constants, as in keras.layers.AlphaDropout (Klambauer et al. 2017).
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
ALPHA_PRIME = -SELU_ALPHA * SELU_SCALE
"""alpha': the value SELU saturates to, which AlphaDropout gives a dropped cell before
its affine correction."""

MAX_WORD_LAW_WORK = 50_000_000
"""Above this many multiply-adds the exact law of word dropout is not computed."""


def alpha_affine(rate: float) -> tuple[float, float]:
    """AlphaDropout's a and b: kept cells become a x + b, dropped ones a alpha' + b.

    keras.layers.AlphaDropout: a = ((1 - rate)(1 + rate alpha'^2))^-1/2, b = -a alpha' rate.
    """
    a = ((1 - rate) * (1 + rate * ALPHA_PRIME**2)) ** -0.5
    return a, -a * ALPHA_PRIME * rate


def gaussian_stddev(rate: float) -> float:
    """GaussianDropout's noise spread: sqrt(rate / (1 - rate)), as its `call` computes it."""
    return math.sqrt(rate / (1.0 - rate))


@dataclass(frozen=True)
class KeptLaw:
    """The law of the number k of kept units in one batch slice.

    `pmf(ks)` gives P(K = k) for an array of k; None where the law has no simple form.
    `support` is the range of k worth showing (where the law is not negligible).
    """

    text: str
    pmf: Callable[[np.ndarray], np.ndarray] | None
    support: tuple[int, int]


def all_kept_law(units: int) -> KeptLaw:
    return KeptLaw(
        tr("every unit is kept: the kept fraction is 1"),
        lambda ks: (ks == units).astype(np.float64),
        (units, units),
    )


BINOMIAL_TEXT = {
    "channels": N_("Binomial({units}, 1 - rate): kept channels of a slice"),
    "tokens": N_("Binomial({units}, 1 - rate): kept tokens of a slice"),
    "cells": N_("Binomial({units}, 1 - rate): kept units of a slice"),
}
"""The binomial law in words, by the unit a mode drops (`Mode.drops`)."""


def binomial_law(units: int, keep: float, drops: str) -> KeptLaw:
    """K ~ Binomial(units, keep); `drops` names the unit ("cells", "channels", "tokens")."""
    mean, sd = units * keep, math.sqrt(units * keep * (1 - keep))
    return KeptLaw(
        tr(BINOMIAL_TEXT.get(drops, BINOMIAL_TEXT["cells"]), units=units),
        lambda ks: binomial_pmf(units, keep, ks),
        (max(0, math.floor(mean - 10 * sd - 1)), min(units, math.ceil(mean + 10 * sd + 1))),
    )


def binomial_pmf(n: int, p: float, ks: np.ndarray) -> np.ndarray:
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


def repeated_id_law(token_ids: np.ndarray, keep: float) -> KeptLaw:
    """Kept positions of a slice = sum over its distinct ids of (count x Bernoulli).

    An id repeated c times keeps or drops all c positions together, so the law is the
    convolution of one two-point law per distinct id; with all ids distinct it is
    Binomial(S, 1 - rate). The histogram pools all slices, so the law is their mixture.
    """
    seq_len = token_ids.shape[1]
    per_slice = [np.unique(row, return_counts=True)[1] for row in token_ids]
    if sum(len(c) for c in per_slice) * (seq_len + 1) > MAX_WORD_LAW_WORK:
        return KeptLaw(
            tr("mixture over slices of repeated-id laws: too large to compute, none"),
            None,
            (0, seq_len),
        )
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
    if all(len(c) == seq_len for c in per_slice):
        text = tr("Binomial({units}, 1 - rate): all ids of a slice distinct", units=seq_len)
    else:
        text = tr(
            "kept positions: sum over distinct ids of count x Bernoulli(1 - rate), "
            "mixed over slices (repeated ids drop together)"
        )
    return KeptLaw(text, lambda ks: mixture[ks], (0, seq_len))
