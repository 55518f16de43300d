"""The engine against numpy and against Keras itself: real TensorFlow, no mocks.

Each mode's structure is checked over many seeds, bit for bit where Keras is exact
(Dropout scales survivors by float32(1 / (1 - rate))), and both engines are compared
with direct layer calls as a user's own script would make them.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

import dropgui
from dropgui import Spec, compute
from dropgui.engine import load_tensorflow
from dropgui.spec import MAX_SEED

ENGINES = ("keras3", "tf-keras")
SEEDS = range(30)
RATES = (0.1, 0.3, 0.5, 0.7, 0.9)

# SELU constants from the Keras AlphaDropout docstring (Klambauer et al. 2017).
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


@pytest.fixture(scope="module")
def mods():
    """TensorFlow and both Keras packages, imported as a user's own script would."""
    load_tensorflow()  # first, so that TensorFlow's start-up noise stays silenced
    import keras
    import tensorflow as tf
    import tf_keras

    return SimpleNamespace(tf=tf, keras=keras, tf_keras=tf_keras)


def arange(shape: tuple[int, ...]) -> np.ndarray:
    return np.arange(1, math.prod(shape) + 1, dtype=np.float32).reshape(shape)


def assert_same_bits(actual: np.ndarray, expected: np.ndarray) -> None:
    """Equal as float32 bit patterns: no tolerance, and -0.0 differs from 0.0."""
    assert actual.dtype == np.float32, actual.dtype
    assert actual.shape == expected.shape
    expected = np.asarray(expected, dtype=np.float32)
    np.testing.assert_array_equal(
        np.ascontiguousarray(actual).view(np.uint32),
        np.ascontiguousarray(expected).view(np.uint32),
    )


def dropout_reference(x: np.ndarray, keep_mask: np.ndarray, rate: float) -> np.ndarray:
    """What Keras' Dropout computes: kept cells times float32(1 / (1 - rate)), else 0."""
    return np.where(keep_mask, x * np.float32(1.0 / (1.0 - rate)), np.float32(0.0))


def alpha_constants(rate: float) -> tuple[float, float, float]:
    """a, b and the dropped value a*alpha' + b from the Keras AlphaDropout source."""
    alpha_p = -SELU_ALPHA * SELU_SCALE
    a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
    b = -a * alpha_p * rate
    return a, b, a * alpha_p + b


# ----------------------------------------------------------------------------- dropout


@pytest.mark.parametrize("engine", ENGINES)
def test_dropout_output_is_exact_float32_scaling(engine):
    shape = (4, 6, 8)
    x = arange(shape)
    masks = set()
    kept = 0
    for seed in SEEDS:
        rate = RATES[seed % len(RATES)]
        result = compute(Spec(shape=shape, rate=rate, seed=seed, engine=engine))
        assert result.keep_mask.dtype == np.bool_
        assert result.keep_mask.shape == shape
        assert_same_bits(result.input, x)
        assert_same_bits(result.output, dropout_reference(x, result.keep_mask, rate))
        assert result.scale == pytest.approx(1.0 / (1.0 - rate), rel=1e-15)
        assert result.noise_shape == shape
        masks.add(result.keep_mask.tobytes())
        if rate == 0.5:
            kept += int(result.keep_mask.sum())
    assert len(masks) == len(SEEDS), "different seeds must give different masks"
    # 6 seeds at rate 0.5: 1152 cells; the kept count is Binomial(1152, 0.5), sd 17.
    cells = shape[0] * shape[1] * shape[2] * sum(RATES[s % len(RATES)] == 0.5 for s in SEEDS)
    assert abs(kept - cells / 2) < 6 * math.sqrt(cells / 4)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("rate", [0.2, 0.75])
def test_kept_fraction_follows_the_rate(engine, rate):
    shape = (16, 64, 64)
    result = compute(Spec(shape=shape, rate=rate, seed=11, engine=engine))
    cells = math.prod(shape)
    kept = 1.0 - rate
    assert abs(result.kept_fraction - kept) < 6 * math.sqrt(kept * rate / cells)
    assert result.expected_kept_fraction == pytest.approx(kept)


@pytest.mark.parametrize(
    "noise_shape",
    [(3, 1, 4), (None, 1, None), (1, 5, 4), (1, 1, 4), (3, 5, 1), (1, 1, 1), (None, None, None)],
)
@pytest.mark.parametrize("engine", ENGINES)
def test_dropout_noise_shape_broadcasts(engine, noise_shape):
    shape = (3, 5, 4)
    x = arange(shape)
    concrete = tuple(n if e is None else e for e, n in zip(noise_shape, shape, strict=True))
    varied_axes = set()
    for seed in range(20):
        result = compute(
            Spec(shape=shape, rate=0.5, seed=seed, engine=engine, noise_shape=noise_shape)
        )
        mask = result.keep_mask
        assert result.noise_shape == concrete
        assert_same_bits(result.output, dropout_reference(x, mask, 0.5))
        for axis, entry in enumerate(concrete):
            first = np.take(mask, [0], axis=axis)
            if entry == 1:
                assert (mask == first).all(), f"mask varies along broadcast axis {axis}"
            elif not (mask == first).all():
                varied_axes.add(axis)
    # The mask is not constant along the axes it is drawn over (20 seeds).
    assert varied_axes == {axis for axis, entry in enumerate(concrete) if entry != 1}


# ----------------------------------------------------------------------- spatial, token


@pytest.mark.parametrize("engine", ENGINES)
def test_spatial_drops_whole_channels(engine):
    shape = (3, 7, 10)
    x = arange(shape)
    dropped_channels = 0
    for seed in SEEDS:
        rate = RATES[seed % len(RATES)]
        result = compute(Spec(shape=shape, mode="spatial", rate=rate, seed=seed, engine=engine))
        mask = result.keep_mask
        assert (mask == mask[:, :1, :]).all(), "a channel must be kept or dropped at every step"
        assert_same_bits(result.output, dropout_reference(x, mask, rate))
        assert result.noise_shape == (3, 1, 10)
        for b in range(shape[0]):
            channel_dropped = ~mask[b, 0, :]
            np.testing.assert_array_equal(
                result.dropped_columns[b], np.flatnonzero(channel_dropped)
            )
            # Output columns that are zero at every step: exactly the dropped channels.
            np.testing.assert_array_equal((result.output[b] == 0).all(axis=0), channel_dropped)
            dropped_channels += int(channel_dropped.sum())
    assert 0 < dropped_channels < len(SEEDS) * shape[0] * shape[2]


@pytest.mark.parametrize("engine", ENGINES)
def test_token_drops_whole_tokens(engine):
    shape = (3, 7, 10)
    x = arange(shape)
    dropped_tokens = 0
    for seed in SEEDS:
        rate = RATES[seed % len(RATES)]
        result = compute(Spec(shape=shape, mode="token", rate=rate, seed=seed, engine=engine))
        mask = result.keep_mask
        assert (mask == mask[:, :, :1]).all(), "a token must be kept or dropped in every channel"
        assert_same_bits(result.output, dropout_reference(x, mask, rate))
        assert result.noise_shape == (3, 7, 1)
        for b in range(shape[0]):
            token_dropped = ~mask[b, :, 0]
            np.testing.assert_array_equal(result.dropped_rows[b], np.flatnonzero(token_dropped))
            np.testing.assert_array_equal((result.output[b] == 0).all(axis=1), token_dropped)
            dropped_tokens += int(token_dropped.sum())
    assert 0 < dropped_tokens < len(SEEDS) * shape[0] * shape[1]


# -------------------------------------------------------------------------------- word


@pytest.mark.parametrize("engine", ENGINES)
def test_word_dropout_zeroes_every_occurrence_of_a_dropped_id(engine):
    shape, vocab, rate = (4, 12, 6), 9, 0.4  # 48 positions over 9 ids: many repeats
    first = None
    dropped_ids_seen = kept_ids_seen = 0
    masks = set()
    for seed in SEEDS:
        result = compute(
            Spec(
                shape=shape,
                mode="word",
                source="embedding",
                vocab=vocab,
                rate=rate,
                seed=seed,
                engine=engine,
            )
        )
        ids, x, out, mask = result.token_ids, result.input, result.output, result.keep_mask
        assert ids.shape == shape[:2]
        assert ((ids >= 0) & (ids < vocab)).all()
        if first is None:
            first = result
            assert np.unique(ids).size > 1
            assert np.abs(x).max() <= 0.05  # Keras' default Embedding initializer range
        # Stepping the dropout seed changes the mask and nothing else.
        np.testing.assert_array_equal(ids, first.token_ids)
        assert_same_bits(x, first.input)
        assert (mask == mask[:, :, :1]).all()
        assert_same_bits(out, dropout_reference(x, mask, rate))
        masks.add(mask.tobytes())
        for word in np.unique(ids):
            where = ids == word
            # The embedding lookup: every occurrence of an id has the same vector.
            assert (x[where] == x[where][0]).all()
            decisions = np.unique(mask[where])
            assert decisions.size == 1, f"id {word} kept at some positions, dropped at others"
            if decisions[0]:
                kept_ids_seen += 1
                assert_same_bits(out[where], x[where] * np.float32(1.0 / (1.0 - rate)))
            else:
                dropped_ids_seen += 1
                assert (out[where] == 0).all(), f"dropped id {word} is not zero everywhere"
    assert dropped_ids_seen > 0 and kept_ids_seen > 0
    assert len(masks) > len(SEEDS) // 2


def test_word_dropout_with_explicit_tokens():
    tokens = ((0, 1, 2, 0, 3), (2, 2, 1, 0, 4))
    seen = set()
    for seed in range(20):
        result = compute(
            Spec(
                shape=(2, 5, 3),
                mode="word",
                source="embedding",
                vocab=5,
                tokens=tokens,
                rate=0.5,
                seed=seed,
            )
        )
        np.testing.assert_array_equal(result.token_ids, np.array(tokens))
        kept_ids = {int(i) for i in np.unique(result.token_ids[result.keep_mask[:, :, 0]])}
        all_ids = {int(i) for i in np.unique(result.token_ids)}
        dropped_ids = all_ids - kept_ids
        seen.add(frozenset(dropped_ids))
        text = result.explanation
        assert f"{len(dropped_ids)} of the {len(all_ids)} distinct word ids" in text
        positions = int(np.isin(result.token_ids, list(dropped_ids)).sum())
        assert f"zeroing {positions} token positions" in text
    assert len(seen) > 5


def test_embedding_input_depends_on_data_seed_only():
    base = Spec(shape=(2, 6, 5), source="embedding", vocab=50, data_seed=3)
    first = compute(base)
    # Build more embeddings than the engine caches, then ask again.
    for vocab in range(60, 66):
        compute(base.replace(vocab=vocab))
    again = compute(base.replace(seed=9))
    np.testing.assert_array_equal(again.token_ids, first.token_ids)
    assert_same_bits(again.input, first.input)
    other = compute(base.replace(data_seed=4))
    assert not np.array_equal(other.input, first.input)


# ---------------------------------------------------------------------- gaussian, alpha


@pytest.mark.parametrize("engine", ENGINES)
def test_gaussian_multiplies_every_cell_by_its_noise(engine):
    shape = (3, 4, 5)
    x = arange(shape)
    for seed in range(20):
        rate = RATES[seed % len(RATES)]
        result = compute(Spec(shape=shape, mode="gaussian", rate=rate, seed=seed, engine=engine))
        assert result.noise is not None and result.noise.shape == shape
        assert (result.output != 0).all(), "Gaussian dropout zeroes no cell"
        assert result.keep_mask.all()
        assert result.scale == 1.0
        assert_same_bits(result.output, x * result.noise)
        assert not (result.noise == 1).all()
        assert all(rows.size == 0 for rows in result.dropped_rows)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("rate", [0.1, 0.5, 0.8])
def test_gaussian_noise_mean_and_spread(engine, rate):
    shape = (8, 256, 128)
    cells = math.prod(shape)
    result = compute(Spec(shape=shape, mode="gaussian", rate=rate, seed=5, engine=engine))
    sigma = math.sqrt(rate / (1 - rate))
    noise = result.noise.astype(np.float64)
    # Six standard errors: the mean's is sigma/sqrt(n), the sample sd's about sigma/sqrt(2n).
    assert abs(noise.mean() - 1.0) < 6 * sigma / math.sqrt(cells)
    assert abs(noise.std() - sigma) < 6 * sigma / math.sqrt(2 * cells)
    assert f"{sigma:.4g}" in result.explanation


@pytest.mark.parametrize("engine", ENGINES)
def test_alpha_dropped_and_kept_values(engine):
    shape = (3, 5, 6)
    dropped_total = 0
    for seed in SEEDS:
        rate = RATES[seed % len(RATES)]
        result = compute(Spec(shape=shape, mode="alpha", rate=rate, seed=seed, engine=engine))
        a, b, dropped_value = alpha_constants(rate)
        assert result.scale == pytest.approx(a, rel=1e-12)
        assert result.alpha_shift == pytest.approx(b, rel=1e-12)
        assert result.alpha_dropped_value == pytest.approx(dropped_value, rel=1e-12)
        mask = result.keep_mask
        x = result.input.astype(np.float64)
        expected = np.where(mask, a * x + b, dropped_value)
        np.testing.assert_allclose(result.output, expected, rtol=2e-6, atol=1e-6)
        dropped_cells = result.output[~mask]
        # Every dropped cell holds the one value a*alpha'+b, whatever its input.
        assert (dropped_cells == dropped_cells[:1]).all()
        dropped_total += int((~mask).sum())
    assert dropped_total > 0
    assert "a*alpha'+b" in result.explanation


def test_alpha_noise_shape_broadcasts():
    shape = (3, 5, 4)
    for seed in range(20):
        result = compute(Spec(shape=shape, mode="alpha", seed=seed, noise_shape=(3, 1, 4)))
        assert (result.keep_mask == result.keep_mask[:, :1, :]).all()
        a, b, dropped_value = alpha_constants(0.5)
        expected = np.where(
            result.keep_mask, a * result.input.astype(np.float64) + b, dropped_value
        )
        np.testing.assert_allclose(result.output, expected, rtol=2e-6, atol=1e-6)


# --------------------------------------------------------------- both engines vs Keras

LAYER_CASES = {
    # mode: (Keras layer class, extra layer arguments as a function of the shape)
    "dropout": ("Dropout", lambda shape: {}),
    "token": ("Dropout", lambda shape: {"noise_shape": (shape[0], shape[1], 1)}),
    "spatial": ("SpatialDropout1D", lambda shape: {}),
    "gaussian": ("GaussianDropout", lambda shape: {}),
    "alpha": ("AlphaDropout", lambda shape: {}),
}
DIRECT_SEEDS = (0, 1, 7, 123, 98765, MAX_SEED)
DIRECT_DRAWS = (1, 2, 5)


def _direct_layer_output(mods, engine, mode, shape, rate, seed, draw):
    """The `draw`-th call of a layer, as a user's own script would make it."""
    class_name, extra = LAYER_CASES[mode]
    x = mods.tf.constant(arange(shape))
    if engine == "keras3":
        layer = getattr(mods.keras.layers, class_name)(rate, seed=seed, **extra(shape))
    else:
        mods.tf.random.set_seed(seed)
        layer = getattr(mods.tf_keras.layers, class_name)(rate, **extra(shape))
    for _ in range(draw):
        output = layer(x, training=True)
    return np.asarray(output)


@pytest.mark.parametrize("mode", list(LAYER_CASES))
@pytest.mark.parametrize("engine", ENGINES)
def test_engine_equals_direct_keras_layer_calls(mods, engine, mode):
    shape, rate = (3, 8, 6), 0.3
    outputs = set()
    for seed in DIRECT_SEEDS:
        for draw in DIRECT_DRAWS:
            expected = _direct_layer_output(mods, engine, mode, shape, rate, seed, draw)
            result = compute(
                Spec(shape=shape, mode=mode, rate=rate, seed=seed, draw=draw, engine=engine)
            )
            assert_same_bits(result.output, expected)
            outputs.add(result.output.tobytes())
    assert len(outputs) == len(DIRECT_SEEDS) * len(DIRECT_DRAWS), "draws must differ"


@pytest.mark.parametrize("engine", ENGINES)
def test_dropout_with_noise_shape_equals_direct_call(mods, engine):
    shape, noise_shape = (3, 4, 5), (None, 1, None)
    for seed in (0, 4, 99):
        for draw in (1, 3):
            x = mods.tf.constant(arange(shape))
            if engine == "keras3":
                layer = mods.keras.layers.Dropout(0.5, noise_shape=noise_shape, seed=seed)
            else:
                mods.tf.random.set_seed(seed)
                layer = mods.tf_keras.layers.Dropout(0.5, noise_shape=noise_shape)
            for _ in range(draw):
                expected = np.asarray(layer(x, training=True))
            result = compute(
                Spec(shape=shape, seed=seed, draw=draw, engine=engine, noise_shape=noise_shape)
            )
            assert_same_bits(result.output, expected)


def test_tf_keras_draw_counts_random_ops_of_any_layer(mods):
    """tf-keras' k-th draw is the k-th random op after the seed, whatever came before."""
    tf, layers = mods.tf, mods.tf_keras.layers
    x = tf.constant(arange((2, 3, 4)))
    tf.random.set_seed(42)
    layers.GaussianDropout(0.5)(tf.zeros((7, 2, 9)), training=True)
    layers.AlphaDropout(0.2)(x, training=True)
    expected = np.asarray(layers.SpatialDropout1D(0.5)(x, training=True))
    result = compute(Spec(shape=(2, 3, 4), mode="spatial", seed=42, draw=3, engine="tf-keras"))
    assert_same_bits(result.output, expected)


# ------------------------------------------------------------------------ reproducible

REPRODUCED = [
    Spec(shape=(2, 5, 4), seed=3),
    Spec(shape=(2, 5, 4), seed=3, draw=4, noise_shape=(1, 5, 1)),
    Spec(shape=(3, 4, 6), mode="spatial", seed=8, draw=2),
    Spec(shape=(3, 4, 6), mode="token", rate=0.3, seed=1),
    Spec(shape=(2, 6, 5), mode="word", source="embedding", vocab=7, seed=5, draw=3),
    Spec(shape=(2, 3, 4), mode="gaussian", rate=0.4, seed=2, draw=2),
    Spec(shape=(2, 3, 4), mode="alpha", rate=0.2, seed=6),
]


def _fingerprint(result) -> tuple[bytes, ...]:
    noise = b"" if result.noise is None else result.noise.tobytes()
    return result.input.tobytes(), result.output.tobytes(), result.keep_mask.tobytes(), noise


@pytest.mark.parametrize("engine", ENGINES)
def test_same_spec_same_bits_whatever_ran_before(mods, engine):
    specs = [spec.replace(engine=engine) for spec in REPRODUCED]
    first = [_fingerprint(compute(spec)) for spec in specs]
    tf = mods.tf
    rng = np.random.default_rng(0)
    for round_ in range(3):
        # Other work in between: other specs of both engines, a user's own global seed
        # and random ops, and direct layer calls.
        tf.random.set_seed(1000 + round_)
        tf.random.uniform((3,))
        mods.tf_keras.layers.Dropout(0.5)(tf.ones((4, 4)), training=True)
        mods.keras.layers.Dropout(0.5, seed=round_)(tf.ones((4, 4)), training=True)
        for other in REPRODUCED:
            other_engine = ENGINES[int(rng.integers(2))]
            compute(other.replace(engine=other_engine, seed=other.seed + 17, draw=round_ + 1))
        for index in rng.permutation(len(specs)):
            assert _fingerprint(compute(specs[index])) == first[index], specs[index]


def test_engines_differ_but_each_is_stable():
    """Both engines work in one process and are distinct random streams."""
    spec = Spec(shape=(4, 8, 8), seed=21)
    keras3 = compute(spec)
    legacy = compute(spec.replace(engine="tf-keras"))
    assert not np.array_equal(keras3.keep_mask, legacy.keep_mask)
    assert_same_bits(compute(spec).output, keras3.output)
    assert_same_bits(compute(spec.replace(engine="tf-keras")).output, legacy.output)


# ------------------------------------------------------------------- zero-valued input


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("mode", ["dropout", "spatial", "token", "alpha"])
def test_kept_zero_cells_count_as_kept(tmp_path, engine, mode):
    shape = (3, 4, 5)
    x = arange(shape)
    x[:, :, ::2] = 0.0  # zeros in every sample, token and dropped-or-not channel
    x[1, 2, :] = 0.0
    path = tmp_path / "with_zeros.npy"
    np.save(path, x)
    kept_zeros = 0
    for seed in range(20):
        from_file = compute(Spec(source=str(path), mode=mode, seed=seed, engine=engine))
        from_arange = compute(Spec(shape=shape, mode=mode, seed=seed, engine=engine))
        assert from_file.shape == shape
        assert_same_bits(from_file.input, x)
        np.testing.assert_array_equal(from_file.keep_mask, from_arange.keep_mask)
        mask = from_file.keep_mask
        if mode == "alpha":
            a, b, dropped_value = alpha_constants(0.5)
            expected = np.where(mask, a * x.astype(np.float64) + b, dropped_value)
            np.testing.assert_allclose(from_file.output, expected, rtol=2e-6, atol=1e-6)
        else:
            assert_same_bits(from_file.output, dropout_reference(x, mask, 0.5))
        kept_zeros += int((mask & (x == 0)).sum())
    assert kept_zeros > 0, "no zero cell was ever kept: the test would prove nothing"


def test_all_zero_input_is_not_all_dropped(tmp_path):
    path = tmp_path / "zeros.npy"
    np.save(path, np.zeros((6, 20), dtype=np.float64))  # (S, D) is taken as B = 1
    result = compute(Spec(source=str(path), rate=0.5, seed=4))
    assert result.shape == (1, 6, 20)
    assert (result.output == 0).all()
    assert 0.25 < result.kept_fraction < 0.75
    np.testing.assert_array_equal(
        result.keep_mask, compute(Spec(shape=(1, 6, 20), seed=4)).keep_mask
    )


# --------------------------------------------------------------------------- inference

INFERENCE_SPECS = [
    Spec(shape=(2, 3, 4), mode=mode, rate=0.6)
    for mode in ("dropout", "spatial", "token", "gaussian", "alpha")
] + [
    Spec(shape=(2, 3, 4), noise_shape=(2, 1, 4), rate=0.6),
    Spec(shape=(2, 3, 4), mode="word", source="embedding", vocab=6, rate=0.6),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("spec", INFERENCE_SPECS, ids=lambda s: f"{s.mode}-{s.noise_shape}")
def test_inference_is_the_identity(engine, spec):
    for seed in (0, 1, 2):
        result = compute(spec.replace(engine=engine, seed=seed, training=False))
        assert_same_bits(result.output, result.input)
        assert result.keep_mask.all()
        assert result.scale == 1.0
        assert result.kept_fraction == 1.0
        assert result.expected_kept_fraction == 1.0
        assert all(rows.size == 0 for rows in result.dropped_rows)
        assert all(columns.size == 0 for columns in result.dropped_columns)
        assert "inference" in result.explanation
        assert f"every one of the {result.keep_mask.size} cells is kept" in result.explanation


@pytest.mark.parametrize("mode", ["dropout", "spatial", "token", "gaussian", "alpha"])
def test_rate_zero_changes_nothing(mode):
    result = compute(Spec(shape=(2, 3, 4), mode=mode, rate=0.0, seed=3))
    assert_same_bits(result.output, result.input)
    assert result.keep_mask.all()


def test_public_api_names():
    assert dropgui.Spec is Spec and dropgui.compute is compute
    assert set(dropgui.MODES) == {"dropout", "spatial", "token", "word", "gaussian", "alpha"}
    assert dropgui.ENGINES == ("keras3", "tf-keras")
    assert set(dropgui.versions()) == {"tensorflow", "keras3", "tf-keras"}


# ------------------------------------------------------------------ hostile input (issue 10)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("mode", ["dropout", "spatial", "token"])
def test_input_that_overflows_under_the_scale_is_refused_whatever_the_draw(
    tmp_path, one_line_error, engine, mode
):
    """Issue 10, defects 1 and 4: float32 3e38 x 2 is inf, which broke the window's
    colour scale for good, every file format and `--json`. It is refused, for every
    draw: also for one that drops the large cell, since stepping the seed would keep it."""
    ones, big = tmp_path / "ones.npy", tmp_path / "big.npy"
    np.save(ones, np.ones((1, 1, 4), np.float32))
    np.save(big, np.array([[[3e38, 1.0, 1.0, 1.0]]], np.float32))
    base = Spec(source=str(ones), mode=mode, engine=engine)
    kept_big = next(s for s in SEEDS if compute(base.replace(seed=s)).keep_mask[0, 0, 0])
    dropped_big = next(s for s in SEEDS if not compute(base.replace(seed=s)).keep_mask[0, 0, 0])
    for seed in (kept_big, dropped_big):
        spec = Spec(source=str(big), mode=mode, engine=engine, seed=seed)
        error = one_line_error(spec, r"overflow float32 .*scaled by 2 .*largest \|x\| is 3e\+38")
        assert error.field == "source"
    # At inference nothing is scaled: the same file is shown as it is.
    assert np.isfinite(compute(Spec(source=str(big), mode=mode, training=False)).output).all()


def test_gaussian_noise_that_overflows_is_refused(tmp_path, one_line_error):
    """Gaussian factors are random: a draw whose factor takes 3e38 past float32's range
    is refused, and a draw whose factor does not is shown."""
    ones, big = tmp_path / "ones.npy", tmp_path / "big.npy"
    np.save(ones, np.ones((1, 1, 1), np.float32))
    np.save(big, np.full((1, 1, 1), 3e38, np.float32))
    factors = {
        s: float(compute(Spec(source=str(ones), mode="gaussian", seed=s)).noise[0, 0, 0])
        for s in SEEDS
    }
    overflowing = next(s for s, f in factors.items() if abs(f) > 1.2)
    finite = next(s for s, f in factors.items() if abs(f) < 1.0)
    one_line_error(Spec(source=str(big), mode="gaussian", seed=overflowing), "noise factors")
    shown = compute(Spec(source=str(big), mode="gaussian", seed=finite))
    assert np.isfinite(shown.output).all()


@pytest.mark.parametrize("engine", ENGINES)
def test_compute_leaves_the_callers_tensorflow_random_stream_alone(mods, engine):
    """Issue 10, item 11: tf-keras draws are reproduced with `tf.random.set_seed`, so a
    user's `set_seed(123)` stream changed when dropgui computed in between."""
    tf = mods.tf
    tf.random.set_seed(123)
    expected = [float(tf.random.uniform(())) for _ in range(3)]
    tf.random.set_seed(123)
    first = float(tf.random.uniform(()))
    compute(Spec(engine=engine, seed=7, draw=4))
    compute(Spec(engine=engine, mode="gaussian", seed=8))
    assert [first, float(tf.random.uniform(())), float(tf.random.uniform(()))] == expected


# ------------------------------------------------------------- issue 11: a saved model


@pytest.fixture(scope="module")
def saved_model(mods, tmp_path_factory):
    """Embedding(12, 5) -> SpatialDropout1D -> SimpleRNN(dropout=0.4), saved by Keras 3."""
    keras = mods.keras
    model = keras.Sequential(
        [
            keras.Input((4,), dtype="int32"),
            keras.layers.Embedding(12, 5, name="emb"),
            keras.layers.SpatialDropout1D(0.3, name="spatial"),
            keras.layers.SimpleRNN(2, dropout=0.4, name="rnn"),
        ]
    )
    path = tmp_path_factory.mktemp("engine_model") / "model.keras"
    model.save(path)
    return str(path), keras.saving.load_model(path, compile=False)


MODEL_IDS = ((3, 1, 4, 1), (5, 9, 2, 6), (11, 0, 0, 7))


@pytest.mark.parametrize("mode", ["dropout", "token", "gaussian", "alpha"])
def test_a_mode_on_a_models_embedding_is_that_layer_on_its_output(mods, saved_model, mode):
    """Compare: another mode on the model's tensor, from the layer's Prepared input."""
    from dropgui.inputs import prepare
    from dropgui.model_input import spec_for_layer

    path, model = saved_model
    own = spec_for_layer(Spec(source="model", model=path, tokens=MODEL_IDS))
    prepared = prepare(own)
    x = np.asarray(model.get_layer("emb")(np.array(MODEL_IDS)))
    for seed, draw in ((0, 1), (6, 3)):
        other = own.replace(
            layer=None, mode=mode, rate=0.25, noise_shape=None, seed=seed, draw=draw
        )
        result = compute(other, prepared.for_spec(other))
        assert (
            result.model_layer is None and "on the model's embedding output" in result.explanation
        )
        assert_same_bits(result.input, x)
        options = {"noise_shape": (3, 4, 1)} if mode == "token" else {}
        keras_layer = getattr(mods.keras.layers, dropgui.MODES[mode].keras_layer)
        layer = keras_layer(0.25, seed=seed, **options)
        for _ in range(draw):
            expected = layer(x, training=True)
        assert_same_bits(result.output, np.asarray(expected))


def test_word_dropout_acts_on_the_models_own_embedding_matrix(mods, saved_model):
    from dropgui.model_input import spec_for_layer

    path, model = saved_model
    spec = spec_for_layer(Spec(source="model", model=path, tokens=MODEL_IDS))
    spec = spec.replace(layer=None, mode="word", rate=0.5, seed=4, draw=2)
    assert spec.vocab == 12
    matrix = model.get_layer("emb").embeddings
    layer = mods.keras.layers.Dropout(0.5, noise_shape=(12, 1), seed=4)
    for _ in range(2):
        dropped = np.asarray(layer(matrix, training=True))
    assert_same_bits(compute(spec).output, dropped[np.array(MODEL_IDS)])


def test_a_models_recurrent_dropout_at_inference_is_the_identity(saved_model):
    from dropgui.model_input import spec_for_layer

    path, _ = saved_model
    spec = spec_for_layer(Spec(source="model", model=path, tokens=MODEL_IDS), "rnn")
    result = compute(spec.replace(training=False))
    assert_same_bits(result.output, result.input)
    assert result.keep_mask.all() and result.caption == "SimpleRNN 'rnn' input dropout(0.4)"
