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


# ------------------------------------------------------------------ what the grids ask


@pytest.mark.parametrize(
    ("spec", "rows", "columns"),
    [
        (Spec(), False, False),
        (Spec(mode="spatial"), False, True),
        (Spec(mode="token"), True, False),
        (Spec(noise_shape=(None, 1, None)), False, True),
        (Spec(noise_shape=(None, None, 1)), True, False),
        (Spec(noise_shape=(None, 1, 1)), True, True),
        (Spec(mode="alpha", noise_shape=(None, 1, None)), False, True),
        (Spec(source="embedding", vocab=5, mode="word"), True, False),
        (Spec(mode="gaussian"), False, False),
        (Spec(mode="spatial", training=False), False, False),
    ],
)
def test_structure_comes_from_the_mode_and_the_noise_shape(spec, rows, columns):
    result = compute(spec)
    assert (result.structural_rows, result.structural_columns) == (rows, columns)
    if columns and not rows:  # a structural channel is dropped at every token or none
        keep = result.keep_mask
        assert np.all(keep.all(axis=1) | ~keep.any(axis=1))


def test_noise_shape_sharing_the_sequence_axis_is_explained_as_whole_channels():
    text = compute(Spec(noise_shape=(None, 1, None))).explanation
    assert "whole embedding channels" in text
    assert "independent cells are zeroed" not in text


@pytest.mark.parametrize("mode", ["dropout", "spatial", "alpha", "gaussian"])
def test_levels_come_from_the_input_and_the_law_not_the_draw(mode):
    levels = {compute(Spec(mode=mode, seed=seed)).output_levels for seed in range(5)}
    assert len(levels) == 1
    result = compute(Spec(mode=mode))
    low, high = levels.pop()
    kept = result.output[result.keep_mask] if result.noise is None else result.output
    if mode != "gaussian":  # kept cells land inside, at the ends for the extremes
        assert kept.min() >= low - 1e-4 and kept.max() <= high + 1e-4
    assert result.input_levels == (1.0, 36.0)


def test_each_slice_caption_counts_its_own_drops():
    result = compute(Spec(shape=(4, 5, 6), seed=3))
    for batch in range(4):
        dropped = int((~result.keep_mask[batch]).sum())
        assert result.after_caption(batch) == f"{dropped} of 30 dropped · kept ×2"
    assert (
        compute(Spec(mode="alpha"))
        .after_caption(0)
        .endswith("dropped → -0.78 · kept → 0.886x + 0.78")
    )
    assert compute(Spec(mode="gaussian", rate=0.2)).after_caption(0) == "×N(1, 0.25)"
    assert compute(Spec(training=False)).after_caption(0) == "training=False: unchanged"


def test_means_of_huge_finite_values_do_not_overflow(tmp_path):
    path = tmp_path / "huge.npy"
    np.save(path, np.full((1, 4, 4), 1.7e38, dtype=np.float32))  # x2 stays finite
    result = compute(Spec(source=str(path), shape=(1, 4, 4)))
    assert result.mean_before == pytest.approx(1.7e38, rel=1e-6)
    assert np.isfinite(result.mean_after)
    assert "inf" not in result.explanation
