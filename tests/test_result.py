"""Result: the facts derived from a computation, its caption and its explanation."""

from __future__ import annotations

import numpy as np
import pytest

from dropgui import Spec, compute

SEEDS = range(30)


# --------------------------------------------------- dropped rows, columns, explanation


def _numpy_dropped(keep_mask: np.ndarray, axis: int) -> list[np.ndarray]:
    """Indices dropped in every cell along `axis` (2: rows = tokens, 1: columns)."""
    return [np.flatnonzero(~sample.any(axis=axis - 1)) for sample in keep_mask]


@pytest.mark.parametrize(
    "spec",
    [
        Spec(shape=(3, 4, 3), rate=0.7),
        Spec(shape=(3, 6, 5), mode="spatial", rate=0.5),
        Spec(shape=(3, 6, 5), mode="token", rate=0.5),
        Spec(shape=(3, 6, 5), mode="word", source="embedding", vocab=4, rate=0.5),
        Spec(shape=(3, 3, 3), mode="alpha", rate=0.7),
    ],
    ids=lambda s: s.mode,
)
def test_dropped_rows_and_columns_match_numpy(spec):
    rows_seen = columns_seen = 0
    for seed in SEEDS:
        result = compute(spec.replace(seed=seed))
        mask = result.keep_mask
        rows, columns = _numpy_dropped(mask, 2), _numpy_dropped(mask, 1)
        assert len(result.dropped_rows) == len(result.dropped_columns) == mask.shape[0]
        for b in range(mask.shape[0]):
            np.testing.assert_array_equal(result.dropped_rows[b], rows[b])
            np.testing.assert_array_equal(result.dropped_columns[b], columns[b])
            if spec.mode != "alpha" and spec.source == "arange":
                # Independently of the mask: arange has no zero, so zero means dropped.
                zero = result.output[b] == 0
                np.testing.assert_array_equal(
                    result.dropped_rows[b], np.flatnonzero(zero.all(axis=1))
                )
                np.testing.assert_array_equal(
                    result.dropped_columns[b], np.flatnonzero(zero.all(axis=0))
                )
            rows_seen += rows[b].size
            columns_seen += columns[b].size
        dropped = int((~mask).sum())
        assert f"{dropped} of {mask.size} cells were dropped" in result.explanation
        assert f"Kept fraction {result.kept_fraction:.3f}" in result.explanation
        assert f"expected {1 - spec.rate:.3f}" in result.explanation
        if spec.mode == "spatial":
            channels = int((~mask.any(axis=1)).sum())
            channels_text = f"{channels} of {mask.shape[0] * mask.shape[2]} channels"
            assert channels_text in result.explanation
        if spec.mode == "token":
            tokens = int((~mask.any(axis=2)).sum())
            assert f"{tokens} of {mask.shape[0] * mask.shape[1]} tokens" in result.explanation
    assert rows_seen > 0
    if spec.mode != "token":
        assert columns_seen > 0


def test_explanation_mentions_scale_and_means():
    result = compute(Spec(shape=(2, 3, 4), rate=0.25, seed=1))
    text = result.explanation
    assert "1/(1 - 0.25) = 1.333" in text
    assert f"Mean before {float(result.input.mean()):.4g}" in text
    assert f"after {float(result.output.mean()):.4g}" in text
    assert "\n" not in text


@pytest.mark.parametrize(
    ("spec", "caption"),
    [
        (Spec(), "Dropout(0.5)"),
        (Spec(noise_shape=(None, 1, None)), "Dropout(0.5) noise_shape=(None, 1, None)"),
        (Spec(mode="spatial", rate=0.2), "SpatialDropout1D(0.2)"),
        (Spec(mode="token"), "Dropout(0.5) noise_shape=(B, S, 1)"),
        (Spec(mode="word", source="embedding", vocab=9), "embedding-matrix Dropout(0.5)"),
        (Spec(mode="gaussian", rate=0.3), "GaussianDropout(0.3)"),
        (Spec(mode="alpha", noise_shape=(3, 1, 4)), "AlphaDropout(0.5) noise_shape=(3, 1, 4)"),
    ],
    ids=lambda value: value if isinstance(value, str) else value.mode,
)
def test_caption_names_the_layer(spec, caption):
    assert compute(spec).caption == caption


def test_gaussian_explanation_states_the_noise_law():
    result = compute(Spec(mode="gaussian", rate=0.5, seed=2))
    text = result.explanation
    assert "N(1, 1^2)" in text  # stddev sqrt(0.5 / 0.5) = 1
    assert f"mean {float(result.noise.mean()):.4g}" in text
    assert "no cell is zero" in text


def test_alpha_explanation_states_a_and_b_from_the_output():
    result = compute(Spec(mode="alpha", rate=0.5, seed=0))
    dropped = np.unique(result.output[~result.keep_mask])
    assert dropped.size == 1  # every dropped cell holds a alpha' + b
    assert f"a*alpha'+b = {float(dropped[0]):.4g}" in result.explanation
    assert f"a = {result.scale:.4g}" in result.explanation
