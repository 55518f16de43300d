"""The exact laws (dropgui/laws.py) against direct formulas and brute-force enumeration."""

import itertools
import math

import numpy as np
import pytest

from dropgui import laws


@pytest.mark.parametrize(("n", "p"), [(1, 0.5), (7, 0.3), (20, 0.5), (60, 0.8), (200, 0.05)])
def test_binomial_pmf_sums_to_1_and_matches_the_direct_formula(n, p):
    ks = np.arange(n + 1)
    pmf = laws.binomial_pmf(n, p, ks)
    direct = np.array([math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1)])
    np.testing.assert_allclose(pmf, direct, rtol=1e-9, atol=1e-300)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-12)


def test_binomial_pmf_stays_finite_where_the_direct_formula_overflows():
    n = 100_000  # math.comb(n, n // 2) is far beyond float range
    ks = np.arange(n + 1)
    pmf = laws.binomial_pmf(n, 0.5, ks)
    assert np.isfinite(pmf).all()
    assert pmf.sum() == pytest.approx(1.0, abs=1e-9)
    assert int(np.argmax(pmf)) == n // 2


def test_binomial_law_support_holds_all_the_mass_and_its_pmf_is_binomial():
    law = laws.binomial_law(400, 0.7, "channels")
    low, high = law.support
    assert 0 < low < 280 < high < 400  # trimmed around the mean 280
    ks = np.arange(low, high + 1)
    assert law.pmf(ks).sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(law.pmf(ks), laws.binomial_pmf(400, 0.7, ks))
    assert "Binomial(400, 1 - rate)" in law.text and "channels" in law.text


def test_all_kept_law_puts_all_mass_on_every_unit():
    law = laws.all_kept_law(5)
    assert law.support == (5, 5)
    np.testing.assert_array_equal(law.pmf(np.arange(7)), [0, 0, 0, 0, 0, 1, 0])


def test_repeated_id_law_equals_the_binomial_when_ids_are_distinct():
    token_ids = np.array([[3, 1, 4, 0, 9], [2, 7, 1, 8, 5]])
    law = laws.repeated_id_law(token_ids, 0.6)
    ks = np.arange(6)
    np.testing.assert_allclose(law.pmf(ks), laws.binomial_pmf(5, 0.6, ks), rtol=1e-12)
    assert law.text.startswith("Binomial(5, 1 - rate)")
    assert law.support == (0, 5)


def _enumerated_law(token_ids: np.ndarray, keep: float) -> np.ndarray:
    """P(k kept positions), mixed over slices, by enumerating every keep/drop of the
    distinct ids of each slice."""
    seq_len = token_ids.shape[1]
    mixture = np.zeros(seq_len + 1)
    for row in token_ids:
        ids = sorted(set(row.tolist()))
        for kept in itertools.product((False, True), repeat=len(ids)):
            kept_ids = {i for i, k in zip(ids, kept, strict=True) if k}
            probability = math.prod(keep if k else 1 - keep for k in kept)
            mixture[sum(i in kept_ids for i in row.tolist())] += probability
    return mixture / len(token_ids)


def test_repeated_id_law_matches_enumeration_when_ids_repeat():
    token_ids = np.array([[1, 2, 3, 1, 1], [4, 4, 4, 4, 4], [5, 6, 5, 6, 7]])
    law = laws.repeated_id_law(token_ids, 0.3)
    ks = np.arange(6)
    np.testing.assert_allclose(law.pmf(ks), _enumerated_law(token_ids, 0.3), atol=1e-15)
    assert law.pmf(ks).sum() == pytest.approx(1.0)
    assert "repeated ids drop together" in law.text
    # A slice of one repeated id keeps all 5 or none: the mixture shows it.
    assert law.pmf(ks)[5] > laws.binomial_pmf(5, 0.3, np.array([5]))[0]


def test_repeated_id_law_gives_up_above_the_work_cap(monkeypatch):
    monkeypatch.setattr(laws, "MAX_WORD_LAW_WORK", 10)
    law = laws.repeated_id_law(np.arange(12).reshape(2, 6), 0.5)
    assert law.pmf is None and law.support == (0, 6)
    assert "too large" in law.text


def test_alpha_prime_is_where_selu_saturates():
    from dropgui.engine import load_tensorflow

    keras = load_tensorflow().keras
    saturated = float(keras.activations.selu(np.array([-100.0], dtype=np.float64))[0])
    alpha_prime = laws.ALPHA_PRIME
    assert alpha_prime == pytest.approx(saturated, rel=1e-12)
    assert alpha_prime == pytest.approx(-1.7580993408473766, rel=1e-15)


@pytest.mark.parametrize("rate", [0.05, 0.2, 0.5, 0.9])
def test_alpha_affine_keeps_mean_0_and_variance_1_of_selu_normalised_inputs(rate):
    # x ~ (mean 0, variance 1), kept with probability 1 - rate, else alpha':
    # z = x keep + alpha' (1 - keep) has mean alpha' rate and variance
    # (1 - rate) + rate alpha'^2 - (alpha' rate)^2; a z + b must have mean 0, variance 1.
    a, b = laws.alpha_affine(rate)
    alpha_p = laws.ALPHA_PRIME
    z_mean = alpha_p * rate
    z_var = (1 - rate) + rate * alpha_p**2 - z_mean**2
    assert a * z_mean + b == pytest.approx(0.0, abs=1e-12)
    assert a**2 * z_var == pytest.approx(1.0, rel=1e-12)
    assert a > 0


@pytest.mark.parametrize(("rate", "stddev"), [(0.5, 1.0), (0.2, 0.5), (0.8, 2.0)])
def test_gaussian_stddev_gives_the_variance_of_inverted_dropout(rate, stddev):
    assert laws.gaussian_stddev(rate) == pytest.approx(stddev, rel=1e-15)
