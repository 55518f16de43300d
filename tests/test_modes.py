"""Each mode's answers (dropgui/modes.py): sample shapes, decision grids, the values a
kept and a dropped cell take, moments, laws and captions, against Keras and by hand."""

import math

import numpy as np
import pytest

import dropgui
from dropgui import laws
from dropgui.engine import load_tensorflow
from dropgui.modes import MODES, concrete_noise_shape

SHAPE = (2, 3, 4)
VOCAB = 7


def test_the_registry_names_each_mode_once_with_its_keras_layer():
    assert list(MODES) == ["dropout", "spatial", "token", "word", "gaussian", "alpha"]
    assert all(mode.name == name for name, mode in MODES.items())
    layers = {name: mode.keras_layer for name, mode in MODES.items()}
    assert layers == {
        "dropout": "Dropout",
        "spatial": "SpatialDropout1D",
        "token": "Dropout",
        "word": "Dropout",
        "gaussian": "GaussianDropout",
        "alpha": "AlphaDropout",
    }
    assert [name for name, mode in MODES.items() if not mode.drops_cells] == ["gaussian"]
    assert [name for name, mode in MODES.items() if mode.sample_kind == "normal"] == ["gaussian"]


@pytest.mark.parametrize(
    ("noise_shape", "expected"),
    [
        (
            None,
            {
                "dropout": (2, 3, 4),
                "spatial": (2, 1, 4),
                "token": (2, 3, 1),
                "word": (VOCAB, 1),
                "gaussian": (2, 3, 4),
                "alpha": (2, 3, 4),
            },
        ),
        (
            (None, 1, None),
            {
                "dropout": (2, 1, 4),
                "spatial": (2, 1, 4),  # SpatialDropout1D sets its own
                "token": (2, 3, 1),
                "word": (VOCAB, 1),
                "gaussian": (2, 3, 4),
                "alpha": (2, 1, 4),
            },
        ),
    ],
    ids=["default", "shared_seq"],
)
def test_each_mode_has_its_sample_shape(noise_shape, expected):
    for name, mode in MODES.items():
        assert tuple(mode.sample_shape(noise_shape, SHAPE, VOCAB)) == expected[name], name


@pytest.mark.parametrize("mode", list(MODES))
def test_the_sample_shape_is_the_one_compute_draws(mode):
    spec = dropgui.Spec(shape=SHAPE, mode=mode, rate=0.4, seed=3, source="embedding", vocab=VOCAB)
    result = dropgui.compute(spec)
    assert result.noise_shape == tuple(MODES[mode].sample_shape(None, SHAPE, VOCAB))


def test_concrete_noise_shape_fills_none_with_the_full_size():
    assert concrete_noise_shape(None, SHAPE) == SHAPE
    assert concrete_noise_shape((None, 1, 4), SHAPE) == (2, 1, 4)
    assert concrete_noise_shape((1, None, 1), SHAPE) == (1, 3, 1)


def test_decision_grids_broadcast_to_the_tensor():
    for name, mode in MODES.items():
        sample_shape = mode.sample_shape(None, SHAPE, VOCAB)
        grid = mode.decision_grid(sample_shape, SHAPE)
        assert np.broadcast_shapes(grid, SHAPE) == SHAPE, name
    assert MODES["word"].decision_grid((VOCAB, 1), SHAPE) == (2, 3, 1)
    assert MODES["gaussian"].decision_grid(SHAPE, SHAPE) == (1, 1, 1)
    assert MODES["spatial"].decision_grid((2, 1, 4), SHAPE) == (2, 1, 4)


def test_word_decisions_are_looked_up_by_id():
    token_ids = np.array([[0, 3, 3], [6, 0, 2]])
    unit_keep = np.zeros((2, VOCAB, 1), dtype=bool)
    unit_keep[0, 3] = True  # sample 0 keeps id 3
    unit_keep[1, [0, 6]] = True  # sample 1 keeps ids 0 and 6
    grid = MODES["word"].decisions_on_grid(unit_keep, token_ids)
    assert grid.shape == (2, 2, 3, 1)
    np.testing.assert_array_equal(grid[0, :, :, 0], [[False, True, True], [False, False, False]])
    np.testing.assert_array_equal(grid[1, :, :, 0], [[True, False, False], [True, True, False]])
    unit_keep = np.ones((5, 2, 1, 4), dtype=bool)
    assert MODES["spatial"].decisions_on_grid(unit_keep, None) is unit_keep


def test_unit_weights_count_units_dropped_together_once():
    # Independent cells: 24 units of share 1/24 each.
    assert MODES["dropout"].unit_weight_sq_sum((2, 3, 4), None) == pytest.approx(1 / 24)
    # Whole channels: 8 units of share 3/24 each.
    assert MODES["spatial"].unit_weight_sq_sum((2, 1, 4), None) == pytest.approx(8 * (3 / 24) ** 2)
    # Word ids: id 1 covers 3 of the 6 positions, ids 2, 5 and 9 one each.
    token_ids = np.array([[1, 2, 1], [5, 1, 9]])
    expected = (3 / 6) ** 2 + 3 * (1 / 6) ** 2
    assert MODES["word"].unit_weight_sq_sum((2, 3, 1), token_ids) == pytest.approx(expected)


def _keras_output(layer_name, rate, x, seed=5):
    tf = load_tensorflow().tf
    keras = load_tensorflow().keras
    layer = getattr(keras.layers, layer_name)(rate, seed=seed)
    return np.asarray(layer(tf.constant(x), training=True))


@pytest.mark.parametrize(("mode", "rate"), [("dropout", 0.3), ("alpha", 0.2), ("alpha", 0.6)])
def test_kept_and_dropped_values_are_what_the_keras_layer_outputs(mode, rate):
    x = np.linspace(-3, 3, 200, dtype=np.float32).reshape(2, 10, 10)
    kept, dropped = MODES[mode].kept_and_dropped(x, rate)
    assert kept.dtype == dropped.dtype == np.float32
    output = _keras_output(MODES[mode].keras_layer, rate, x)
    is_kept, is_dropped = output == kept, output == dropped
    assert np.all(is_kept | is_dropped)  # bit for bit one or the other
    # Both occur, about as often as the rate says.
    assert 0.5 * rate < is_dropped.mean() < 1.5 * rate


def test_alpha_values_follow_keras_formula():
    # keras.layers.AlphaDropout.call: a * (x * keep + alpha' * (1 - keep)) + b with
    # a = ((1 - rate)(1 + rate alpha'^2))^-1/2 and b = -a alpha' rate.
    rate, alpha_p = 0.3, -1.6732632423543772 * 1.0507009873554805
    a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
    b = -a * alpha_p * rate
    x = np.array([[[-1.0, 0.0, 2.5]]], dtype=np.float32)
    kept, dropped = MODES["alpha"].kept_and_dropped(x, rate)
    np.testing.assert_allclose(kept, a * x + b, rtol=1e-6)
    np.testing.assert_allclose(dropped, np.full_like(x, a * alpha_p + b), rtol=1e-6)
    assert MODES["alpha"].scale(rate) == pytest.approx(a, rel=1e-12)
    extras = MODES["alpha"].affine_extras(rate)
    assert extras["alpha_shift"] == pytest.approx(b, rel=1e-12)
    assert extras["alpha_dropped_value"] == pytest.approx(a * alpha_p + b, rel=1e-12)


@pytest.mark.parametrize("mode", ["dropout", "spatial", "token", "word", "alpha"])
def test_output_moments_are_those_of_the_two_values(mode):
    # A cell is kept (value k) with probability 1 - rate, else dropped (value d):
    # E = (1 - rate) k + rate d and Var = rate (1 - rate) (k - d)^2.
    rate = 0.35
    x = np.linspace(-2, 5, 24).reshape(SHAPE)
    kept, dropped = MODES[mode].kept_and_dropped(x.astype(np.float32), rate)
    kept, dropped = kept.astype(np.float64), dropped.astype(np.float64)
    mean, variance, text = MODES[mode].output_moments(x, rate, MODES[mode].scale(rate))
    np.testing.assert_allclose(mean, (1 - rate) * kept + rate * dropped, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(variance, rate * (1 - rate) * (kept - dropped) ** 2, rtol=1e-5)
    assert "E =" in text and "Var =" in text


def test_gaussian_moments_are_those_of_its_noise():
    rate, x = 0.3, np.array([[[-2.0, 1.0, 3.0]]])
    mean, variance, _ = MODES["gaussian"].output_moments(x, rate, 1.0)
    np.testing.assert_array_equal(mean, x)
    np.testing.assert_allclose(variance, x**2 * laws.gaussian_stddev(rate) ** 2)
    assert MODES["gaussian"].scale(rate) == 1.0


def test_kept_laws():
    ks = np.arange(11)
    binomial = laws.binomial_pmf(10, 0.6, ks)
    for name in ("dropout", "spatial", "token", "alpha"):
        law = MODES[name].kept_law(10, 0.4, None)
        np.testing.assert_allclose(law.pmf(ks), binomial, err_msg=name)
    assert "channels" in MODES["spatial"].kept_law(10, 0.4, None).text
    assert "tokens" in MODES["token"].kept_law(10, 0.4, None).text
    gaussian = MODES["gaussian"].kept_law(10, 0.4, None)
    np.testing.assert_array_equal(gaussian.pmf(ks), ks == 10)
    distinct = MODES["word"].kept_law(10, 0.4, np.arange(20).reshape(2, 10))
    np.testing.assert_allclose(distinct.pmf(ks), binomial)
    repeated = MODES["word"].kept_law(10, 0.4, np.zeros((1, 10), dtype=int))
    np.testing.assert_allclose(repeated.pmf(ks), [0.4, *[0] * 9, 0.6], atol=1e-15)


@pytest.mark.parametrize(
    ("mode", "noise_shape", "caption"),
    [
        ("dropout", None, "Dropout(0.5)"),
        ("dropout", (None, 1, None), "Dropout(0.5) noise_shape=(None, 1, None)"),
        ("alpha", (2, 1, 4), "AlphaDropout(0.5) noise_shape=(2, 1, 4)"),
        ("spatial", None, "SpatialDropout1D(0.5)"),
        ("token", None, "Dropout(0.5) noise_shape=(B, S, 1)"),
        ("word", None, "embedding-matrix Dropout(0.5)"),
        ("gaussian", None, "GaussianDropout(0.5)"),
    ],
)
def test_captions(mode, noise_shape, caption):
    assert MODES[mode].caption(0.5, noise_shape) == caption


@pytest.mark.parametrize("rate", [0.1, 0.5])
def test_inverted_dropout_scale(rate):
    for name in ("dropout", "spatial", "token", "word"):
        assert MODES[name].scale(rate) == pytest.approx(1 / (1 - rate), rel=1e-15)
        assert math.isclose(MODES[name].scale(rate) * (1 - rate), 1.0, rel_tol=1e-15)
