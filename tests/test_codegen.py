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
