"""The code panel's Keras code, run as a user would, reproduces the view bit for bit."""

import numpy as np
import pytest

from dropgui import Spec, compute
from dropgui.codegen import keras_code

SPECS = [
    Spec(),
    Spec(mode="spatial", seed=5, draw=3),
    Spec(mode="token", engine="tf-keras", source="embedding", shape=(2, 3, 4), draw=2),
    Spec(mode="word", source="embedding", shape=(2, 5, 4), vocab=7, draw=2, rate=0.3),
    Spec(mode="word", source="embedding", shape=(2, 3, 4), vocab=9, tokens=((1, 2, 1), (3, 1, 8))),
    Spec(mode="alpha", engine="tf-keras", seed=11, draw=4, rate=0.2),
    Spec(mode="gaussian", seed=2),
    Spec(mode="dropout", noise_shape=(3, 1, None), seed=9),
    Spec(mode="spatial", training=False),
]


def assert_same_bits(actual, expected) -> None:
    """Equal bit for bit: assert_array_equal alone would take -0.0 for 0.0."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.dtype == expected.dtype == np.float32
    np.testing.assert_array_equal(actual.view(np.uint32), expected.view(np.uint32))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.mode}-{s.engine}-{s.draw}")
def test_generated_code_reproduces_the_output(spec):
    namespace: dict = {}
    exec(keras_code(spec), namespace)
    assert_same_bits(namespace["y"], compute(spec).output)


def test_npy_source_code_loads_the_file(tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, np.linspace(-2, 2, 12, dtype=np.float32).reshape(3, 4))
    spec = Spec(source=str(path), shape=(1, 3, 4), seed=4)
    namespace: dict = {}
    exec(keras_code(spec), namespace)
    assert_same_bits(namespace["y"], compute(spec).output)


# ------------------------------------------------------------- issue 11: a saved model


@pytest.fixture(scope="module")
def model_files(tmp_path_factory):
    """A Keras 3 model with text, and a tf-keras .h5 model, both tiny."""
    from dropgui.tf_loader import load_tensorflow

    keras = load_tensorflow().keras
    import tf_keras

    folder = tmp_path_factory.mktemp("codegen_models")
    vectorizer = keras.layers.TextVectorization(max_tokens=16, name="vectorizer")
    vectorizer.adapt(["the cat sat on the mat", "a dog ran"])
    text = keras.Input((1,), dtype="string")
    x = keras.layers.Embedding(16, 4, name="emb")(vectorizer(text))
    x = keras.layers.Dropout(0.3, noise_shape=(None, 1, None), seed=8, name="drop")(x)
    x = keras.layers.LSTM(2, dropout=0.3, name="lstm")(x)
    keras.Model(text, x).save(folder / "text.keras")
    ids = tf_keras.Input((5,), dtype="int32")
    y = tf_keras.layers.Embedding(20, 4, name="emb")(ids)
    y = tf_keras.layers.SpatialDropout1D(0.25, name="spatial")(y)
    y = tf_keras.layers.Concatenate()(
        [
            tf_keras.layers.GRU(2, dropout=0.2, name="gru")(y),
            tf_keras.layers.SimpleRNN(2, dropout=0.3, name="rnn")(y),
        ]
    )
    with pytest.warns(UserWarning, match="legacy"):
        tf_keras.Model(ids, y).save(folder / "legacy.h5")
    return folder


MODEL_CASES = {
    "keras3 saved seed": ("text.keras", "drop", {"draw": 3}),
    "keras3 other seed": ("text.keras", "drop", {"seed": 2, "draw": 2}),
    "keras3 lstm": ("text.keras", "lstm", {"seed": 5, "draw": 2}),
    "keras3 lstm inference": ("text.keras", "lstm", {"training": False}),
    "keras3 token mode": ("text.keras", None, {"mode": "token", "rate": 0.4, "seed": 3}),
    "tf-keras spatial": ("legacy.h5", "spatial", {"seed": 4, "draw": 3}),
    "tf-keras fused gru": ("legacy.h5", "gru", {"seed": 1, "draw": 2}),
    "tf-keras simple rnn": ("legacy.h5", "rnn", {"seed": 9}),
    "tf-keras word mode": ("legacy.h5", None, {"mode": "word", "rate": 0.5, "seed": 6}),
}


@pytest.mark.parametrize(("name", "layer", "changes"), MODEL_CASES.values(), ids=MODEL_CASES.keys())
def test_model_code_loads_the_file_and_reproduces_the_view(model_files, name, layer, changes):
    from dropgui.inputs import input_shape
    from dropgui.model_input import spec_for_layer

    path = str(model_files / name)
    inputs = (
        {"text": ("the cat sat", "a bird")}
        if name == "text.keras"
        else {"tokens": ((1, 2, 3, 4, 19),)}
    )
    spec = spec_for_layer(Spec(source="model", model=path, **inputs), layer)
    if layer is None:
        spec = spec.replace(layer=None, noise_shape=None)
    spec = spec.replace(**changes)
    spec = spec.replace(shape=input_shape(spec))
    code = keras_code(spec)
    assert f"load_model({path!r}" in code
    namespace: dict = {}
    exec(code, namespace)
    assert_same_bits(np.asarray(namespace["y"], dtype=np.float32), compute(spec).output)
