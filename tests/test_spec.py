"""The Spec: its fields, text forms and checks.

Every bad spec is refused through the Python API with a DropguiError whose message is
one line naming the problem, and whose `field` names the Spec field it is about.
"""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from dropgui import MAX_CELLS, DropguiError, Spec
from dropgui.modes import concrete_noise_shape
from dropgui.spec import (
    format_tokens,
    parse_noise_shape,
    parse_shape,
    parse_tokens,
)

# ------------------------------------------------------------------------------ Spec


def test_spec_is_frozen_and_replace_makes_a_copy():
    spec = Spec()
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.rate = 0.1  # type: ignore[misc]
    changed = spec.replace(rate=0.1, mode="token")
    assert (spec.rate, spec.mode) == (0.5, "dropout")
    assert (changed.rate, changed.mode) == (0.1, "token")
    assert hash(spec) == hash(Spec())


def test_spec_defaults():
    spec = Spec()
    assert spec.shape == (3, 3, 4)
    assert (spec.mode, spec.rate, spec.seed, spec.draw) == ("dropout", 0.5, 0, 1)
    assert (spec.engine, spec.source, spec.training) == ("keras3", "arange", True)


def test_spec_round_trips_through_json():
    spec = Spec(
        shape=(2, 3, 5),
        mode="word",
        rate=0.25,
        seed=7,
        draw=3,
        engine="tf-keras",
        source="embedding",
        data_seed=4,
        vocab=9,
        tokens=((1, 2, 3), (4, 5, 8)),
        training=False,
    )
    again = Spec.from_dict(json.loads(json.dumps(spec.to_dict())))
    assert again == spec
    with_noise = Spec(noise_shape=(None, 1, 4))
    assert Spec.from_dict(json.loads(json.dumps(with_noise.to_dict()))) == with_noise


# ------------------------------------------------------------------------- text forms


@pytest.mark.parametrize(
    ("text", "shape"), [("3,3,4", (3, 3, 4)), (" 2, 5 ,7", (2, 5, 7)), ("8x512x768", (8, 512, 768))]
)
def test_parse_shape(text, shape):
    assert parse_shape(text) == shape


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1,2", "three positive integers"),
        ("1,2,3,4", "three positive integers"),
        ("0,2,2", "three positive integers"),
        ("-1,2,2", "three positive integers"),
        ("a,b,c", "three positive integers"),
        ("1.5,2,2", "three positive integers"),
        ("", "three positive integers"),
        ("100000,100000,100000", "more than the cap"),
    ],
)
def test_parse_shape_refuses(text, problem):
    with pytest.raises(DropguiError, match=problem):
        parse_shape(text)


def test_parse_noise_shape():
    assert parse_noise_shape("3,1,4") == (3, 1, 4)
    assert parse_noise_shape("None, 1, none") == (None, 1, None)
    with pytest.raises(DropguiError, match="3 entries"):
        parse_noise_shape("3,1")
    with pytest.raises(DropguiError, match="3 entries"):
        parse_noise_shape("1,1,1,1")
    with pytest.raises(DropguiError, match="integers or None"):
        parse_noise_shape("3,x,4")


def test_parse_and_format_tokens():
    tokens = parse_tokens("1 2 3; 4,5,6 ;7  8 9")
    assert tokens == ((1, 2, 3), (4, 5, 6), (7, 8, 9))
    assert parse_tokens(format_tokens(tokens)) == tokens
    with pytest.raises(DropguiError, match="at least one id"):
        parse_tokens("1 2;;3 4")
    with pytest.raises(DropguiError, match="must be integers"):
        parse_tokens("1 a 3")


def test_concrete_noise_shape():
    assert concrete_noise_shape(None, (2, 3, 4)) == (2, 3, 4)
    assert concrete_noise_shape((None, 1, None), (2, 3, 4)) == (2, 1, 4)


BAD_SPECS = {
    "rate negative": (Spec(rate=-0.1), "rate must be at least 0 and below 1"),
    "rate one": (Spec(rate=1.0), "rate must be at least 0 and below 1"),
    "rate 1.5": (Spec(rate=1.5), "rate must be at least 0 and below 1"),
    "rate nan": (Spec(rate=math.nan), "rate must be at least 0 and below 1"),
    "rate inf": (Spec(rate=math.inf), "rate must be at least 0 and below 1"),
    "rate text": (Spec(rate="0.5"), "rate must be"),  # type: ignore[arg-type]
    "shape rank 2": (Spec(shape=(1, 2)), "three positive integers"),  # type: ignore[arg-type]
    "shape zero": (Spec(shape=(0, 2, 2)), "three positive integers"),
    "shape negative": (Spec(shape=(2, -2, 2)), "three positive integers"),
    "shape text": (Spec(shape=("a", "b", "c")), "three positive integers"),  # type: ignore[arg-type]
    "shape float": (Spec(shape=(1.0, 2, 2)), "three positive integers"),  # type: ignore[arg-type]
    "shape too large": (Spec(shape=(1, 4097, 4096)), "more than the cap of 16,777,216"),
    "shape huge": (Spec(shape=(10**6, 10**6, 10**6)), "more than the cap"),
    "noise_shape rank": (Spec(noise_shape=(3, 1)), "3 entries"),  # type: ignore[arg-type]
    "noise_shape entry": (Spec(noise_shape=(3, 2, 4)), "entry 1 is 2; it must be 1, 3"),
    "noise_shape zero": (Spec(noise_shape=(0, 1, 4)), "entry 0 is 0"),
    "noise_shape alpha": (Spec(mode="alpha", noise_shape=(2, 1, 4)), "entry 0 is 2"),
    "noise_shape spatial": (Spec(mode="spatial", noise_shape=(3, 1, 4)), "sets its own"),
    "token id negative": (
        Spec(source="embedding", vocab=10, tokens=((1, 2, 3), (4, 5, 6), (7, 8, -1))),
        r"token id -1 is outside \[0, 10\)",
    ),
    "token id vocab": (
        Spec(source="embedding", vocab=10, tokens=((1, 2, 3), (4, 5, 6), (7, 8, 10))),
        r"token id 10 is outside \[0, 10\)",
    ),
    "token rows": (
        Spec(source="embedding", tokens=((1, 2, 3), (4, 5, 6))),
        "must be 3 rows of 3 ids",
    ),
    "tokens without embedding": (Spec(tokens=((1, 2, 3),) * 3), "embedding input only"),
    "word on arange": (Spec(mode="word"), "word mode .* needs embedding input"),
    "vocab zero": (Spec(source="embedding", vocab=0), "vocab must be"),
    "embedding too large": (
        Spec(source="embedding", vocab=MAX_CELLS, shape=(1, 1, 2)),
        "larger than the cap",
    ),
    "mode": (Spec(mode="dropconnect"), "unknown mode 'dropconnect'"),
    "engine": (Spec(engine="torch"), "unknown engine 'torch'"),
    "seed": (Spec(seed=-1), "seed must be an integer"),
    "draw": (Spec(draw=0), "draw must be an integer"),
}


@pytest.mark.parametrize(("spec", "problem"), BAD_SPECS.values(), ids=BAD_SPECS.keys())
def test_bad_spec_is_refused(spec, problem, one_line_error):
    one_line_error(spec, problem)


FIELD_OF = {
    "rate": "rate",
    "shape": "shape",
    "noise_shape": "noise_shape",
    "token": "tokens",
    "tokens": "tokens",
    "word": "mode",
    "vocab": "vocab",
    "embedding": "vocab",
    "mode": "mode",
    "engine": "engine",
    "seed": "seed",
    "draw": "draw",
}


@pytest.mark.parametrize("name", BAD_SPECS)
def test_bad_spec_names_its_field(name, one_line_error):
    """The window puts a message next to its control by `field`, not by its text."""
    spec, problem = BAD_SPECS[name]
    assert one_line_error(spec, problem).field == FIELD_OF[name.split()[0]]


# ------------------------------------------------------------------ issue 10, item 11


def test_lists_are_taken_where_keras_takes_them():
    """`noise_shape=[20, 1, 10]` as Keras takes it was refused with a wrong message."""
    spec = Spec(shape=[20, 3, 10], noise_shape=[20, 1, 10], tokens=None)
    assert spec == Spec(shape=(20, 3, 10), noise_shape=(20, 1, 10))
    assert hash(spec) == hash(Spec(shape=(20, 3, 10), noise_shape=(20, 1, 10)))
    spec.validate()
    rows = Spec(source="embedding", shape=(2, 2, 4), tokens=[[1, 2], [3, 4]])
    assert rows.tokens == ((1, 2), (3, 4))
    rows.validate()


def test_tf_keras_alpha_dropout_takes_no_none_in_noise_shape(one_line_error):
    """tf_keras' AlphaDropout fails on a None entry (checked against the real layer
    below); dropgui accepted such a spec for tf-keras without a word."""
    spec = Spec(mode="alpha", engine="tf-keras", noise_shape=(None, 1, 4))
    error = one_line_error(spec, r"tf-keras' AlphaDropout cannot take None in noise_shape")
    assert error.field == "noise_shape"
    Spec(mode="alpha", engine="tf-keras", noise_shape=(3, 1, 4)).validate()
    Spec(mode="alpha", engine="keras3", noise_shape=(None, 1, 4)).validate()
    Spec(mode="dropout", engine="tf-keras", noise_shape=(None, 1, 4)).validate()

    from dropgui.engine import load_tensorflow

    tf = load_tensorflow().tf
    import tf_keras

    x = tf.ones((3, 3, 4))
    with pytest.raises(ValueError, match="None"):
        tf_keras.layers.AlphaDropout(0.5, noise_shape=(None, 1, 4))(x, training=True)
    tf_keras.layers.Dropout(0.5, noise_shape=(None, 1, 4))(x, training=True)


# ------------------------------------------------------------------ issue 11: models

MODEL = "no/such/model.keras"
"""Spec checks need no file: a model that does not exist passes them (prepare reads it)."""

BAD_MODEL_SPECS = {
    "model without source": (Spec(model=MODEL), "needs source 'model'", "source"),
    "source without model": (Spec(source="model"), "needs the path of a model file", "model"),
    "empty model": (Spec(source="model", model=" "), "needs the path", "model"),
    "empty layer": (Spec(source="model", model=MODEL, layer=""), "layer must be", "layer"),
    "layer without model": (Spec(layer="dropout"), "layer applies to a model's input", "layer"),
    "text without model": (Spec(text=("a cat",)), "text applies to a model's input", "text"),
    "text and tokens": (
        Spec(source="model", model=MODEL, tokens=((1, 2),), text=("a cat",)),
        "token ids or text, not both",
        "text",
    ),
    "empty text": (Spec(source="model", model=MODEL, text=()), "one or more rows", "text"),
    "blank row": (Spec(source="model", model=MODEL, text=("a", "  ")), "rows of words", "text"),
    "text too long": (
        Spec(source="model", model=MODEL, text=("word " * 20_001,)),
        "more than the cap of 100,000",
        "text",
    ),
    "ragged tokens": (
        Spec(source="model", model=MODEL, tokens=((1, 2), (3,))),
        "rows of the same number of ids",
        "tokens",
    ),
    "negative token": (
        Spec(source="model", model=MODEL, tokens=((1, -2),)),
        "integers from 0",
        "tokens",
    ),
}


@pytest.mark.parametrize(
    ("spec", "problem", "field"), BAD_MODEL_SPECS.values(), ids=BAD_MODEL_SPECS.keys()
)
def test_bad_model_spec_is_refused_before_any_file_is_read(spec, problem, field):
    with pytest.raises(DropguiError, match=problem) as caught:
        spec.validate()
    assert caught.value.field == field and "\n" not in str(caught.value)


def test_model_spec_is_immutable_hashable_and_round_trips_through_json():
    spec = Spec(
        source="model",
        model=MODEL,
        layer="spatial_dropout1d",
        mode="spatial",
        text=["the cat sat", "a dog"],  # a list, as JSON gives it back
    )
    assert spec.text == ("the cat sat", "a dog")
    spec.validate()  # no file read: the model's own checks are prepare's
    assert hash(spec) == hash(spec.replace())
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.layer = "other"  # type: ignore[misc]
    assert Spec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec
    # The model decides D, so a noise_shape is checked against the model's shape later.
    Spec(source="model", model=MODEL, noise_shape=(None, 1, 99), tokens=((1, 2),)).validate()
    Spec(source="model", model=MODEL, mode="word").validate()
