"""The Spec, its text forms and checks, and the input side (arange, token ids, .npy).

Every bad input of issue 2 is refused through the Python API with a DropguiError whose
message is one line naming the problem.
"""

from __future__ import annotations

import dataclasses
import json
import math
import tracemalloc

import numpy as np
import pytest

from dropgui import MAX_CELLS, DropguiError, Spec, compute
from dropgui.inputs import prepare
from dropgui.spec import (
    concrete_noise_shape,
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


# ---------------------------------------------------------------------------- inputs


def test_arange_input():
    prepared = prepare(Spec(shape=(2, 3, 4)))
    assert prepared.values.dtype == np.float32
    np.testing.assert_array_equal(prepared.values.ravel(), np.arange(1, 25))
    assert prepared.token_ids is None
    assert prepared.noise_shape == (2, 3, 4)


def test_token_ids_are_drawn_from_data_seed():
    spec = Spec(shape=(4, 9, 2), source="embedding", vocab=30, data_seed=5)
    ids = prepare(spec).token_ids
    assert ids.shape == (4, 9) and ids.dtype == np.int32
    assert ids.min() >= 0 and ids.max() < 30
    np.testing.assert_array_equal(prepare(spec.replace(seed=99)).token_ids, ids)
    assert not np.array_equal(prepare(spec.replace(data_seed=6)).token_ids, ids)
    explicit = prepare(spec.replace(shape=(1, 3, 2), tokens=((29, 0, 7),))).token_ids
    np.testing.assert_array_equal(explicit, [[29, 0, 7]])


@pytest.mark.parametrize(
    "array",
    [
        np.arange(12, dtype=np.float64).reshape(3, 4) - 5.5,
        np.arange(24, dtype=np.int16).reshape(2, 3, 4),
        np.asfortranarray(np.arange(24, dtype=np.float32).reshape(2, 3, 4)),
        np.arange(24, dtype=">f4").reshape(2, 3, 4),
        np.array([[True, False], [False, True]]),
    ],
    ids=["2d-float64", "int16", "fortran", "big-endian", "bool"],
)
def test_npy_input_is_float32_b_s_d(tmp_path, array):
    path = tmp_path / "input.npy"
    np.save(path, array)
    prepared = prepare(Spec(source=str(path), shape=(9, 9, 9)))
    expected = array.astype(np.float32).reshape(
        (1, *array.shape) if array.ndim == 2 else array.shape
    )
    assert prepared.shape == expected.shape  # the file's shape replaces Spec.shape
    assert prepared.values.dtype == np.float32 and prepared.values.flags.c_contiguous
    np.testing.assert_array_equal(prepared.values, expected)


# ------------------------------------------------------------------------- bad input


def _bad_npy_files(folder):
    """Files that dropgui must refuse, each with what its message must say."""
    np.save(folder / "rank1.npy", np.zeros(5, dtype=np.float32))
    np.save(folder / "rank4.npy", np.zeros((1, 2, 3, 4), dtype=np.float32))
    np.save(folder / "strings.npy", np.array([["a", "b"], ["c", "d"]]))
    np.save(folder / "bytes.npy", np.array([[b"a", b"b"]]))
    np.save(folder / "complex.npy", np.ones((2, 3), dtype=complex))
    np.save(folder / "pickled.npy", np.array([[1, None], [2, 3]], dtype=object), allow_pickle=True)
    np.save(folder / "empty.npy", np.zeros((0, 4), dtype=np.float32))
    np.save(folder / "nan.npy", np.array([[1.0, np.nan]]))
    np.save(folder / "ok.npy", np.ones((2, 3, 4), dtype=np.float32))
    (folder / "garbage.npy").write_bytes(b"\x00\x01 this is not a numpy file \xff\xfe" * 20)
    (folder / "truncated.npy").write_bytes((folder / "ok.npy").read_bytes()[:-40])
    (folder / "folder.npy").mkdir()
    return {
        "missing.npy": "not found",
        "garbage.npy": "cannot read",
        "truncated.npy": "cannot read",
        "folder.npy": "folder",
        "rank1.npy": r"shape \(5\); dropgui needs \(B, S, D\) or \(S, D\)",
        "rank4.npy": r"shape \(1, 2, 3, 4\)",
        "strings.npy": "needs numbers",
        "bytes.npy": "needs numbers",
        "complex.npy": "needs numbers",
        "pickled.npy": "pickle",
        "empty.npy": "empty axis",
        "nan.npy": "NaN",
    }


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


def _assert_one_line_error(spec: Spec, problem: str) -> DropguiError:
    with pytest.raises(DropguiError, match=problem) as caught:
        compute(spec)
    assert type(caught.value) is DropguiError
    message = str(caught.value)
    assert message and "\n" not in message and "Traceback" not in message
    return caught.value


@pytest.mark.parametrize(("spec", "problem"), BAD_SPECS.values(), ids=BAD_SPECS.keys())
def test_bad_spec_is_refused(spec, problem):
    _assert_one_line_error(spec, problem)


def test_bad_npy_files_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, problem in _bad_npy_files(tmp_path).items():
        error = _assert_one_line_error(Spec(source=name), problem)
        assert name in str(error), "the message names the file"
        assert isinstance(error, ValueError)  # documented: DropguiError is a ValueError


def test_word_mode_on_npy_input_is_refused(tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, np.ones((2, 3, 4), dtype=np.float32))
    _assert_one_line_error(Spec(mode="word", source=str(path)), "needs embedding input")


def test_noise_shape_is_checked_against_the_file_shape(tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, np.ones((2, 3, 4), dtype=np.float32))
    # (3, 1, 4) fits the default Spec.shape but not the file's (2, 3, 4).
    _assert_one_line_error(Spec(source=str(path), noise_shape=(3, 1, 4)), "entry 0 is 3")
    assert compute(Spec(source=str(path), noise_shape=(2, 1, 4))).keep_mask.shape == (2, 3, 4)


def test_pickled_npy_is_never_unpickled(tmp_path):
    """A pickle that would run code is refused from its header, before loading."""

    class Boom:
        def __reduce__(self):
            return (pytest.fail, ("the pickle was loaded",))

    path = tmp_path / "evil.npy"
    array = np.empty((1, 2), dtype=object)
    array[0, 0], array[0, 1] = Boom(), 1
    np.save(path, array, allow_pickle=True)
    _assert_one_line_error(Spec(source=str(path)), "pickle")


def _peak_bytes_of(function) -> int:
    tracemalloc.start()
    try:
        function()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_too_large_is_refused_quickly_without_allocating(tmp_path):
    just_over = Spec(shape=(1, 4097, 4096))  # 64 MiB of float32 if it were built
    assert math.prod(just_over.shape) == MAX_CELLS + 4096
    Spec(shape=(1, 4096, 4096)).validate()  # exactly the cap is allowed

    def refuse(spec):
        def call():
            with pytest.raises(DropguiError, match="cap"):
                compute(spec)

        return call

    # A .npy header that claims 10**12 cells, with no data behind it.
    header_only = tmp_path / "huge.npy"
    with header_only.open("wb") as f:
        np.lib.format.write_array_header_1_0(
            f, {"descr": "<f4", "fortran_order": False, "shape": (10_000, 10_000, 10_000)}
        )
    for spec in (
        just_over,
        Spec(shape=(10**6, 10**6, 10**6)),
        Spec(source=str(header_only)),
        Spec(source="embedding", vocab=2**22, shape=(1, 1, 8)),
    ):
        # refused before allocating: speed is for the benchmarks, memory is checked here
        peak = _peak_bytes_of(refuse(spec))
        assert peak < 1_000_000, f"{peak:,} bytes allocated to refuse {spec}"
