"""Saved Keras models as input (issue 11): real files, real TensorFlow, no mocks.

Tiny models of each kind are built, saved and reopened. The view is compared bit for bit
with the model's own layers run directly, for several seeds and draws and both engines:
a Keras 3 layer rebuilt from its saved configuration with dropgui's seed (or the saved
layer itself, which starts on the seed it was saved with) and called `draw` times; a
tf-keras layer called after `tf.random.set_seed(seed)` and `draw - 1` random ops. A
recurrent layer is checked against the mask its cell actually applies: its output in
training equals its output without dropout on dropgui's after grid, and the after grid
is the input times the cell's own mask. Hostile files must be refused in one line before
anything is deserialized, and a marker file their code would create must not appear.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from dropgui import DropguiError, Spec, compute
from dropgui.inputs import input_shape
from dropgui.model import describe
from dropgui.model_file import MAX_MODEL_BYTES
from dropgui.model_input import load_model, spec_for_layer
from dropgui.tf_loader import load_tensorflow

SEEDS_AND_DRAWS = ((0, 1), (3, 2), (11, 4))
TOKENS = ((1, 2, 3, 4, 5, 6), (7, 8, 9, 10, 11, 29))
TEXT = ("The cat sat on the mat", "a dog ran")
CORPUS = ["the cat sat on the mat", "a dog ran in the park", "the dog sat", "cats and dogs"]


@pytest.fixture(scope="module")
def mods():
    """TensorFlow and both Keras packages, imported as a user's script would."""
    load_tensorflow()  # first, so that TensorFlow's start-up noise stays silenced
    import keras
    import tensorflow as tf
    import tf_keras

    return SimpleNamespace(tf=tf, keras=keras, tf_keras=tf_keras)


def _sequential(keras, *layers):
    return keras.Sequential([keras.Input((6,), dtype="int32"), *layers])


def _tf_keras_functional(tf_keras, build):
    ids = tf_keras.Input((6,), dtype="int32")
    return tf_keras.Model(ids, build(tf_keras.layers.Embedding(30, 8, name="emb")(ids)))


@pytest.fixture(scope="module")
def files(tmp_path_factory, mods):
    """Every model kind of the issue, saved once for the module."""
    folder = tmp_path_factory.mktemp("models")
    layers, legacy = mods.keras.layers, mods.tf_keras.layers
    paths = SimpleNamespace(folder=folder)

    def save(name, model):
        path = folder / name
        model.save(path)
        setattr(paths, path.stem, str(path))

    emb = {"input_dim": 30, "output_dim": 8, "name": "emb"}
    save("dropout.keras", _sequential(mods.keras, layers.Embedding(**emb), layers.Dropout(0.4)))
    save(
        "spatial_lstm.keras",
        _sequential(
            mods.keras,
            layers.Embedding(**emb),
            layers.SpatialDropout1D(0.3, name="spatial"),
            layers.LSTM(4, dropout=0.25, seed=9, name="lstm"),
        ),
    )
    save(
        "noise_shape.keras",
        _sequential(
            mods.keras,
            layers.Embedding(**emb),
            layers.Dropout(0.5, noise_shape=(None, 1, None), seed=42, name="drop"),
        ),
    )
    save(
        "kinds.keras",
        _sequential(
            mods.keras,
            layers.Embedding(**emb),
            layers.GaussianDropout(0.3, name="gauss"),
            layers.LayerNormalization(name="norm"),
            layers.AlphaDropout(0.2, noise_shape=(None, None, 1), name="alpha"),
            layers.GRU(3, dropout=0.35, return_sequences=True, name="gru"),
            layers.SimpleRNN(3, dropout=0.3, name="rnn_after_gru"),
        ),
    )
    save(
        "simple_rnn.keras",
        _sequential(
            mods.keras, layers.Embedding(**emb), layers.SimpleRNN(3, dropout=0.3, name="rnn")
        ),
    )
    vectorizer = layers.TextVectorization(max_tokens=20, name="vectorizer")
    vectorizer.adapt(CORPUS)
    text = mods.keras.Input((1,), dtype="string")
    hidden = layers.Embedding(20, 8, name="emb")(vectorizer(text))
    hidden = layers.SpatialDropout1D(0.2, name="spatial")(hidden)
    save("text.keras", mods.keras.Model(text, layers.GRU(3, dropout=0.3, name="gru")(hidden)))

    def legacy_chain(x):
        x = legacy.Dropout(0.3, noise_shape=(None, 1, None), name="drop")(x)
        x = legacy.SpatialDropout1D(0.2, name="spatial")(x)
        x = legacy.GaussianDropout(0.25, name="gauss")(x)
        x = legacy.AlphaDropout(0.1, name="alpha")(x)
        return legacy.LSTM(4, dropout=0.3, name="lstm")(x)

    with pytest.warns(UserWarning, match="legacy"):  # tf-keras warns that .h5 is legacy
        save("legacy.h5", _tf_keras_functional(mods.tf_keras, legacy_chain))

    def legacy_cells(x):
        rnn = legacy.SimpleRNN(3, dropout=0.3, name="rnn")(x)
        unrolled = legacy.LSTM(3, dropout=0.2, unroll=True, name="unrolled")(x)
        return legacy.Concatenate()([rnn, unrolled])

    with pytest.warns(UserWarning, match="legacy"):
        save("legacy_cells.h5", _tf_keras_functional(mods.tf_keras, legacy_cells))
    save("legacy_v3.keras", _tf_keras_functional(mods.tf_keras, legacy_chain))
    return paths


def model_spec(path: str, layer: str | None = None, **fields) -> Spec:
    """The spec the CLI and the window make: the layer's own configuration, the real shape."""
    fields.setdefault("tokens", None if "text" in fields else TOKENS)
    spec = spec_for_layer(Spec(source="model", model=path, **fields), layer)
    return spec.replace(shape=input_shape(spec))


def assert_same_bits(actual, expected) -> None:
    """Equal as float32 bit patterns: no tolerance, and -0.0 differs from 0.0."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.dtype == expected.dtype == np.float32
    assert actual.shape == expected.shape
    np.testing.assert_array_equal(actual.view(np.uint32), expected.view(np.uint32))


def embedding_output(model, ids, name: str = "emb") -> np.ndarray:
    return np.asarray(model.get_layer(name)(np.asarray(ids, dtype=np.int32)))


def keras3_layer_output(saved, x, seed: int, draw: int) -> np.ndarray:
    """dropgui's seed and draw on a Keras 3 layer: rebuilt from its saved configuration
    with `seed`, its `draw`-th call."""
    layer = type(saved).from_config({**saved.get_config(), "seed": seed})
    for _ in range(draw):
        y = layer(x, training=True)
    return np.asarray(y)


def inference(rnn, x) -> np.ndarray:
    """A Keras 3 recurrent layer's output without dropout, its seed left where it was:
    `RNN.call` draws its cell's mask on every call, inference included."""
    state = rnn.cell.seed_generator.state.numpy()
    y = np.asarray(rnn(x, training=False))
    rnn.cell.seed_generator.state.assign(state)
    return y


def tf_keras_replay(tf, seed: int, draw: int) -> None:
    tf.random.set_seed(seed)
    for _ in range(draw - 1):
        tf.random.uniform(())


# ------------------------------------------------------------------------ discovery


def test_describe_lists_each_dropout_after_the_embedding_with_its_configuration(files):
    assert [layer.describe() for layer in describe(files.spatial_lstm).layers] == [
        "spatial: SpatialDropout1D(rate=0.3)",
        "lstm: LSTM(dropout=0.25, seed=9), input dropout, one mask per sample, reused at "
        "every timestep",
    ]
    noise = describe(files.noise_shape).layer()
    assert (noise.class_name, noise.rate, noise.noise_shape, noise.seed) == (
        "Dropout",
        0.5,
        (None, 1, None),
        42,
    )
    kinds = describe(files.kinds)
    # Through GaussianDropout and LayerNormalization to the GRU; the SimpleRNN after the
    # GRU sees the GRU's output, not the embedding's, and is not listed.
    assert [(layer.name, layer.mode) for layer in kinds.layers] == [
        ("gauss", "gaussian"),
        ("alpha", "alpha"),
        ("gru", "spatial"),
    ]
    text = describe(files.text)
    assert text.embedding().vectorizer == "vectorizer"
    assert (text.engine, describe(files.legacy).engine) == ("keras3", "tf-keras")
    assert describe(files.legacy_v3).engine == "tf-keras"  # a .keras written by tf-keras


def test_tf_keras_fused_lstm_draws_a_mask_per_timestep_and_cells_one_per_sample(files):
    fused = describe(files.legacy).layer("lstm")
    assert (fused.fused, fused.mode) == (True, "dropout")
    cells = describe(files.legacy_cells)
    assert [(layer.name, layer.fused, layer.mode) for layer in cells.layers] == [
        ("rnn", False, "spatial"),
        ("unrolled", False, "spatial"),
    ]


def test_spec_for_layer_takes_the_layers_configuration_and_saved_seed(files):
    spec = model_spec(files.noise_shape)
    assert (spec.layer, spec.mode, spec.rate, spec.noise_shape) == (
        "drop",
        "dropout",
        0.5,
        (None, 1, None),
    )
    assert (spec.seed, spec.engine, spec.vocab, spec.shape) == (42, "keras3", 30, (2, 6, 8))
    kept = spec_for_layer(Spec(source="model", model=files.noise_shape, seed=5), keep_seed=True)
    assert kept.seed == 5
    assert model_spec(files.legacy, "spatial").engine == "tf-keras"


# ---------------------------------------------------------------- exactness, keras3


@pytest.mark.parametrize(
    ("name", "layer"),
    [
        ("dropout", None),
        ("noise_shape", "drop"),
        ("spatial_lstm", "spatial"),
        ("kinds", "gauss"),
        ("kinds", "alpha"),
        ("text", "spatial"),
    ],
)
def test_keras3_layers_are_bit_exact_against_the_models_own_layers(files, mods, name, layer):
    path = getattr(files, name)
    model = mods.keras.saving.load_model(path, compile=False)
    fields = {"text": TEXT} if name == "text" else {}
    base = model_spec(path, layer, **fields)
    x = embedding_output(model, compute(base).token_ids)
    saved = model.get_layer(base.layer)
    for seed, draw in SEEDS_AND_DRAWS:
        result = compute(base.replace(seed=seed, draw=draw))
        assert_same_bits(result.input, x)
        assert_same_bits(result.output, keras3_layer_output(saved, x, seed, draw))
    assert result.model_layer.name == base.layer


def test_a_layer_saved_with_a_seed_starts_on_that_seed(files, mods):
    # The saved layer itself, freshly loaded, called three times: draws 1, 2, 3 of seed 42.
    model = mods.keras.saving.load_model(files.noise_shape, compile=False)
    spec = model_spec(files.noise_shape)
    x = embedding_output(model, TOKENS)
    for draw in (1, 2, 3):
        own = np.asarray(model.get_layer("drop")(x, training=True))
        assert_same_bits(compute(spec.replace(draw=draw)).output, own)
    assert not np.array_equal(compute(spec.replace(seed=0)).keep_mask, compute(spec).keep_mask)


@pytest.mark.parametrize(
    ("name", "layer"),
    [("spatial_lstm", "lstm"), ("kinds", "gru"), ("text", "gru"), ("simple_rnn", "rnn")],
)
def test_keras3_recurrent_input_dropout_is_the_mask_the_cell_applies(files, mods, name, layer):
    path = getattr(files, name)
    model = mods.keras.saving.load_model(path, compile=False)
    base = model_spec(path, layer, **({"text": TEXT} if name == "text" else {}))
    saved = model.get_layer(layer)
    x = embedding_output(model, compute(base).token_ids)
    for seed, draw in SEEDS_AND_DRAWS:
        result = compute(base.replace(seed=seed, draw=draw))
        rnn = type(saved).from_config({**saved.get_config(), "seed": seed})
        rnn.build(x.shape)
        rnn.set_weights(saved.get_weights())
        for _ in range(draw - 1):
            rnn(x, training=True)  # each earlier call draws its own mask
        before = rnn.cell.seed_generator.state.numpy()
        trained = np.asarray(rnn(x, training=True))
        # What the cell saw in training is exactly dropgui's after grid.
        assert_same_bits(inference(rnn, result.output), trained)
        rnn.cell.seed_generator.state.assign(before)
        mask = np.asarray(rnn.cell.get_dropout_mask(x[:, 0, :]))
        rnn.cell.reset_dropout_mask()
        assert_same_bits(result.output, x * mask[:, np.newaxis, :])
        np.testing.assert_array_equal(
            result.keep_mask, np.broadcast_to(mask[:, None] != 0, x.shape)
        )
    # One mask per sample, the same at every timestep.
    assert (result.keep_mask == result.keep_mask[:, :1, :]).all()
    assert "reused at every timestep" in result.explanation


def test_the_saved_recurrent_layer_starts_on_its_saved_seed(files, mods):
    model = mods.keras.saving.load_model(files.spatial_lstm, compile=False)
    spec = model_spec(files.spatial_lstm, "lstm")
    assert spec.seed == 9
    x = embedding_output(model, TOKENS)
    lstm = model.get_layer("lstm")
    for draw in (1, 2):
        trained = np.asarray(lstm(x, training=True))
        result = compute(spec.replace(draw=draw))
        assert_same_bits(inference(lstm, result.output), trained)


# -------------------------------------------------------------- exactness, tf-keras


@pytest.mark.parametrize("layer", ["drop", "spatial", "gauss", "alpha"])
@pytest.mark.parametrize("name", ["legacy", "legacy_v3"])
def test_tf_keras_layers_are_bit_exact_against_the_models_own_layers(files, mods, name, layer):
    path = getattr(files, name)
    model = mods.tf_keras.models.load_model(path, compile=False)
    base = model_spec(path, layer)
    x = embedding_output(model, TOKENS)
    for seed, draw in SEEDS_AND_DRAWS:
        result = compute(base.replace(seed=seed, draw=draw))
        assert_same_bits(result.input, x)
        tf_keras_replay(mods.tf, seed, draw)
        assert_same_bits(result.output, np.asarray(model.get_layer(layer)(x, training=True)))


def test_tf_keras_fused_lstm_is_the_mask_it_applies_at_every_timestep(files, mods):
    model = mods.tf_keras.models.load_model(files.legacy, compile=False)
    base = model_spec(files.legacy, "lstm")
    x = embedding_output(model, TOKENS)
    lstm = model.get_layer("lstm")
    for seed, draw in SEEDS_AND_DRAWS:
        result = compute(base.replace(seed=seed, draw=draw))
        tf_keras_replay(mods.tf, seed, draw)
        trained = np.asarray(lstm(x, training=True))
        assert_same_bits(np.asarray(lstm(result.output, training=False)), trained)
        lstm.reset_dropout_mask()  # the inference call cached a mask of ones
        tf_keras_replay(mods.tf, seed, draw)
        mask = np.asarray(lstm.get_dropout_mask_for_cell(x, True, count=4)[0])
        lstm.reset_dropout_mask()
        assert_same_bits(result.output, x * mask)
    # The fused kernel's mask changes from one timestep to the next.
    assert not (result.keep_mask == result.keep_mask[:, :1, :]).all()
    assert "drawn anew at every timestep" in result.explanation


@pytest.mark.parametrize(("layer", "gates"), [("rnn", 1), ("unrolled", 4)])
def test_tf_keras_cells_apply_one_mask_per_sample(files, mods, layer, gates):
    model = mods.tf_keras.models.load_model(files.legacy_cells, compile=False)
    base = model_spec(files.legacy_cells, layer)
    x = embedding_output(model, TOKENS)
    rnn = model.get_layer(layer)
    for seed, draw in SEEDS_AND_DRAWS:
        result = compute(base.replace(seed=seed, draw=draw))
        tf_keras_replay(mods.tf, seed, draw)
        trained = np.asarray(rnn(x, training=True))
        assert_same_bits(np.asarray(rnn(result.output, training=False)), trained)
        rnn.cell.reset_dropout_mask()  # the inference call cached a mask of ones
        tf_keras_replay(mods.tf, seed, draw)
        masks = rnn.cell.get_dropout_mask_for_cell(x[:, 0, :], True, count=gates)
        rnn.cell.reset_dropout_mask()
        mask = np.asarray(masks[0] if gates > 1 else masks)
        assert_same_bits(result.output, x * mask[:, np.newaxis, :])
    assert (result.keep_mask == result.keep_mask[:, :1, :]).all()


# ------------------------------------------------------------------------------ text


def test_text_is_vectorized_by_the_models_own_layer_and_labels_the_rows(files, mods):
    model = mods.keras.saving.load_model(files.text, compile=False)
    spec = model_spec(files.text, "spatial", text=TEXT)
    ids = np.asarray(model.get_layer("vectorizer")(np.array(TEXT)))
    assert spec.shape == (2, ids.shape[1], 8)
    result = compute(spec)
    np.testing.assert_array_equal(result.token_ids, ids)
    vocabulary = model.get_layer("vectorizer").get_vocabulary()
    assert result.words[0] == ("the", "cat", "sat", "on", "the", "mat")
    assert result.words[1][:3] == ("a", "dog", "ran")
    assert set(result.words[1][3:]) == {"[PAD]"}
    assert [vocabulary[i] for i in ids[0]] == list(result.words[0])


def test_loading_and_vectorizing_leave_tensorflows_random_stream_alone(files, mods, tmp_path):
    def next_draw(work):
        mods.tf.random.set_seed(3)
        mods.tf.random.uniform(())
        work()
        return np.asarray(mods.tf.random.uniform((4,)))

    baseline = next_draw(lambda: None)
    for name in ("text.keras", "legacy.h5"):  # fresh copies: nothing cached
        copy = tmp_path / name
        copy.write_bytes(Path(getattr(files, name.split(".")[0])).read_bytes())
        info = describe(str(copy))
        np.testing.assert_array_equal(next_draw(lambda info=info: load_model(info)), baseline)
    spec = Spec(source="model", model=str(tmp_path / "text.keras"), text=("a new text",))
    np.testing.assert_array_equal(next_draw(lambda: input_shape(spec)), baseline)


# ------------------------------------------------------------------------ refusals


def refused(spec_or_path, problem: str, field: str = "model") -> DropguiError:
    """compute() refuses with one DropguiError line matching `problem`, naming `field`."""
    spec = spec_or_path
    if isinstance(spec_or_path, str):
        spec = Spec(source="model", model=spec_or_path, tokens=TOKENS)
    with pytest.raises(DropguiError, match=problem) as caught:
        compute(spec)
    assert type(caught.value) is DropguiError and "\n" not in str(caught.value)
    assert caught.value.field == field
    return caught.value


def marker_model(tmp_path, mods, suffix: str):
    """A model whose Lambda creates `marker` when its code runs; the marker is removed
    after saving (building the model ran the code once)."""
    marker = tmp_path / f"ran-{suffix.strip('.')}"
    # The path is written into the code itself: Keras 3 cannot load lambdas with defaults.
    touch = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    code = eval(f"lambda t: t + 0.0 * float({touch} is None)")
    if suffix == ".keras":
        keras = mods.keras
        model = _sequential(
            keras,
            keras.layers.Embedding(30, 8),
            keras.layers.Lambda(code),
            keras.layers.Dropout(0.3),
        )
    else:
        legacy = mods.tf_keras.layers
        model = _tf_keras_functional(
            mods.tf_keras, lambda x: legacy.Dropout(0.3)(legacy.Lambda(code)(x))
        )
    path = tmp_path / f"lambda{suffix}"
    if suffix == ".h5":
        with pytest.warns(UserWarning, match="legacy"):
            model.save(path)
    else:
        model.save(path)
    marker.unlink()
    return str(path), marker


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_a_lambda_layer_is_refused_and_its_code_never_runs(tmp_path, mods, suffix):
    path, marker = marker_model(tmp_path, mods, suffix)
    refused(path, "holds a Lambda layer, whose Python code would run")
    refused(Spec(source="model", model=path, text=("hello",)), "Lambda")
    assert not marker.exists()
    # The file really is hostile: an unchecked load runs its code.
    if suffix == ".keras":
        mods.keras.saving.load_model(path, safe_mode=False)
    else:
        mods.tf_keras.models.load_model(path)
    assert marker.exists()


def test_a_custom_layer_is_refused_even_when_its_class_is_registered(tmp_path, mods):
    keras = mods.keras
    marker = tmp_path / "custom-ran"

    @keras.saving.register_keras_serializable(package="dropgui_test")
    class Touch(keras.layers.Layer):
        def call(self, x):
            marker.touch()
            return x

    path = tmp_path / "custom.keras"
    _sequential(keras, keras.layers.Embedding(30, 8), Touch(), keras.layers.Dropout(0.3)).save(path)
    marker.unlink()
    refused(str(path), "custom or unknown class 'Touch'")
    assert not marker.exists()
    keras.saving.load_model(path)  # safe_mode alone lets a registered class run
    assert marker.exists()


def test_damaged_and_foreign_files_are_refused(files, tmp_path):
    truncated = tmp_path / "truncated.keras"
    whole = Path(files.dropout).read_bytes()
    truncated.write_bytes(whole[: len(whole) // 2])
    refused(str(truncated), "damaged or truncated")
    text = tmp_path / "notes.keras"
    text.write_text("this is not a model\n")
    refused(str(text), "is not a Keras model file")
    archive = tmp_path / "archive.keras"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "hello")
    error = refused(str(archive), r"not a Keras model \(no config.json\)")
    assert str(error).startswith(f"{archive} is a zip archive")  # said as it is, not wrapped
    refused(str(tmp_path / "missing.keras"), "model file not found")
    refused(str(tmp_path), "is a folder")
    os.mkfifo(tmp_path / "pipe.keras")
    refused(str(tmp_path / "pipe.keras"), "not a regular file")
    renamed = tmp_path / "model.bin"
    renamed.write_bytes(whole)
    refused(str(renamed), "ending in .keras")


def test_an_h5_file_without_a_model_is_refused(tmp_path, mods):
    model = _sequential(
        mods.keras, mods.keras.layers.Embedding(30, 8), mods.keras.layers.Dropout(0.2)
    )
    weights = tmp_path / "only.weights.h5"
    model.save_weights(weights)
    path = tmp_path / "only.h5"
    path.write_bytes(weights.read_bytes())
    refused(str(path), "HDF5 file without a Keras model")


def test_models_without_embedding_or_dropout_are_refused(tmp_path, mods):
    keras = mods.keras
    dense = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2), keras.layers.Dropout(0.2)])
    dense.save(tmp_path / "dense.keras")
    refused(str(tmp_path / "dense.keras"), "has no Embedding layer")
    # A Dense after the Embedding mixes its channels: the Dropout after it is not listed.
    mixed = _sequential(
        keras,
        keras.layers.Embedding(30, 8, name="emb"),
        keras.layers.Dense(8),
        keras.layers.Dropout(0.2),
    )
    mixed.save(tmp_path / "mixed.keras")
    assert describe(str(tmp_path / "mixed.keras")).layers == ()
    with pytest.raises(DropguiError, match="has no dropout after its Embedding 'emb'") as caught:
        spec_for_layer(Spec(source="model", model=str(tmp_path / "mixed.keras")))
    assert caught.value.field == "layer"


def test_bad_ids_text_and_layer_names_are_refused(files):
    spec = model_spec(files.dropout)
    refused(
        spec.replace(tokens=((1, 2, 30),)),
        r"token id 30 is outside the vocabulary \[0, 30\)",
        "tokens",
    )
    refused(spec.replace(tokens=None, text=("hello world",)), "no TextVectorization layer", "text")
    refused(
        spec.replace(layer="nope"), r"has no dropout layer 'nope'.*dropout(_\d+)?: Dropout", "layer"
    )
    refused(spec.replace(rate=0.1), "the spec asks for Dropout", "layer")
    refused(spec.replace(engine="tf-keras"), "is a keras3 model; use engine keras3", "engine")
    refused(
        model_spec(files.text, text=TEXT).replace(text=("...",)), "the text gives no tokens", "text"
    )


def test_gate_masks_and_seeded_tf_keras_layers_are_named_not_shown(tmp_path, mods):
    keras, legacy = mods.keras, mods.tf_keras.layers
    gates = _sequential(
        keras,
        keras.layers.Embedding(30, 8),
        keras.layers.LSTM(3, dropout=0.2, recurrent_dropout=0.1, name="lstm"),
    )
    gates.save(tmp_path / "gates.keras")
    spec = Spec(source="model", model=str(tmp_path / "gates.keras"), tokens=TOKENS)
    refused(spec_for_layer(spec), "4 input masks, one per gate", "layer")
    seeded = _tf_keras_functional(
        mods.tf_keras, lambda x: legacy.Dropout(0.3, seed=5, name="drop")(x)
    )
    with pytest.warns(UserWarning, match="legacy"):
        seeded.save(tmp_path / "seeded.h5")
    spec = Spec(source="model", model=str(tmp_path / "seeded.h5"), tokens=TOKENS)
    refused(spec_for_layer(spec), "saved with seed=5", "layer")


def test_models_above_the_size_cap_are_refused_before_any_weight_is_loaded(files, tmp_path, mods):
    big = tmp_path / "big.keras"
    with open(big, "wb") as file:  # sparse: no disk used, no byte read
        file.truncate(MAX_MODEL_BYTES + 1)
    refused(str(big), "more than dropgui's model cap of 256 MiB")
    # A configuration declaring an Embedding of 10,000,000 x 8: Keras would allocate it.
    huge = tmp_path / "huge.keras"
    with zipfile.ZipFile(files.dropout) as source, zipfile.ZipFile(huge, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "config.json":
                data = data.replace(b'"input_dim": 30', b'"input_dim": 10000000')
            target.writestr(entry, data)
    refused(str(huge), "Embedding 'emb' of 10000000 x 8 is larger than the cap")
    # An .h5 whose datasets declare 400 MB of weights it does not hold.
    import h5py

    sparse = tmp_path / "sparse.h5"
    sparse.write_bytes(Path(files.legacy).read_bytes())
    with h5py.File(sparse, "r+") as h5:
        h5.create_dataset("model_weights/extra", shape=(100_000_000,), dtype="f4", chunks=True)
    assert sparse.stat().st_size < 2**20
    refused(str(sparse), "declares weights of 381 MiB")


def test_refusals_come_from_the_configuration_alone(tmp_path, mods):
    # describe() needs no Keras load: a Lambda file is refused from its JSON, and the
    # listing of a good file comes without building any layer.
    path, marker = marker_model(tmp_path, mods, ".keras")
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    assert any(layer["class_name"] == "Lambda" for layer in config["config"]["layers"])
    with pytest.raises(DropguiError, match="Lambda"):
        describe(path)
    assert not marker.exists()


def test_a_file_replaced_after_its_check_is_never_loaded_unchecked(files, tmp_path, mods):
    path = tmp_path / "swapped.keras"
    path.write_bytes(Path(files.dropout).read_bytes())
    info = describe(str(path))
    path.write_bytes(Path(files.noise_shape).read_bytes())  # another model, unchecked
    with pytest.raises(DropguiError, match="changed while dropgui read it"):
        load_model(info)
    info = describe(str(path))
    marker_path, marker = marker_model(tmp_path, mods, ".keras")
    path.write_bytes(Path(marker_path).read_bytes())  # a Lambda model in its place
    with pytest.raises(DropguiError, match="holds a Lambda layer"):
        load_model(info)
    assert not marker.exists()
