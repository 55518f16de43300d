"""The input side, before TensorFlow: arange, token ids and .npy files, checked and read."""

from __future__ import annotations

import contextlib
import math
import os
import threading
import time
import tracemalloc

import numpy as np
import pytest

from dropgui import MAX_CELLS, DropguiError, Spec, compute
from dropgui.inputs import prepare

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


def test_bad_npy_files_are_refused(tmp_path, monkeypatch, one_line_error):
    monkeypatch.chdir(tmp_path)
    for name, problem in _bad_npy_files(tmp_path).items():
        error = one_line_error(Spec(source=name), problem)
        assert name in str(error), "the message names the file"
        assert isinstance(error, ValueError)  # documented: DropguiError is a ValueError


def test_word_mode_on_npy_input_is_refused(tmp_path, one_line_error):
    path = tmp_path / "x.npy"
    np.save(path, np.ones((2, 3, 4), dtype=np.float32))
    one_line_error(Spec(mode="word", source=str(path)), "needs embedding input")


def test_noise_shape_is_checked_against_the_file_shape(tmp_path, one_line_error):
    path = tmp_path / "x.npy"
    np.save(path, np.ones((2, 3, 4), dtype=np.float32))
    # (3, 1, 4) fits the default Spec.shape but not the file's (2, 3, 4).
    one_line_error(Spec(source=str(path), noise_shape=(3, 1, 4)), "entry 0 is 3")
    assert compute(Spec(source=str(path), noise_shape=(2, 1, 4))).keep_mask.shape == (2, 3, 4)


def test_pickled_npy_is_never_unpickled(tmp_path, one_line_error):
    """A pickle that would run code is refused from its header, before loading."""

    class Boom:
        def __reduce__(self):
            return (pytest.fail, ("the pickle was loaded",))

    path = tmp_path / "evil.npy"
    array = np.empty((1, 2), dtype=object)
    array[0, 0], array[0, 1] = Boom(), 1
    np.save(path, array, allow_pickle=True)
    one_line_error(Spec(source=str(path)), "pickle")


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


def test_npy_shape_reads_the_header_only(tmp_path):
    """The window learns a file's shape without reading its data (the worker reads it)."""
    from dropgui.npy_file import load_npy, npy_shape

    whole = tmp_path / "whole.npy"
    np.save(whole, np.ones((5, 3), dtype=np.float32))
    assert npy_shape(whole) == (1, 5, 3)
    header_only = tmp_path / "header_only.npy"
    header_only.write_bytes(whole.read_bytes()[:-40])  # the data is cut short
    assert npy_shape(header_only) == (1, 5, 3)
    with pytest.raises(DropguiError, match="cannot read"):
        load_npy(header_only)


# ------------------------------------------------------------------ hostile files (issue 10)


def _unblocks_after(fifo, seconds: float) -> threading.Timer:
    """Open the FIFO's write end after `seconds`, so that a reader that blocked on it
    (the defect) fails this test instead of hanging it."""

    def open_and_close():
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    timer = threading.Timer(seconds, open_and_close)
    timer.start()
    return timer


def test_only_regular_files_are_read_and_nothing_blocks(tmp_path, one_line_error):
    """Issue 10, defect 5: a FIFO as input blocked for ever (the window's GUI thread too)."""
    from dropgui.npy_file import npy_shape

    fifo = tmp_path / "fifo.npy"
    os.mkfifo(fifo)
    timer = _unblocks_after(fifo, 10)
    try:
        start = time.perf_counter()
        one_line_error(Spec(source=str(fifo)), r"is a FIFO \(named pipe\); dropgui reads only")
        with pytest.raises(DropguiError, match="is a FIFO") as caught:
            npy_shape(fifo)  # what the window asks when a file is chosen
        assert caught.value.field == "source"
        assert time.perf_counter() - start < 5
    finally:
        timer.cancel()
    one_line_error(Spec(source="/dev/zero"), "is a device")


def test_symlinks_that_lead_nowhere_say_so(tmp_path, one_line_error):
    """Issue 11: a symlink loop was reported as "input file not found"."""
    (tmp_path / "a.npy").symlink_to(tmp_path / "b.npy")
    (tmp_path / "b.npy").symlink_to(tmp_path / "a.npy")
    (tmp_path / "dangling.npy").symlink_to(tmp_path / "gone.npy")
    one_line_error(Spec(source=str(tmp_path / "a.npy")), "is a symlink loop")
    one_line_error(Spec(source=str(tmp_path / "dangling.npy")), "symlink to a missing file")
    np.save(tmp_path / "real.npy", np.ones((2, 3), np.float32))
    (tmp_path / "link.npy").symlink_to(tmp_path / "real.npy")
    assert compute(Spec(source=str(tmp_path / "link.npy"))).shape == (1, 2, 3)


def test_float64_beyond_float32_is_refused_without_warnings(tmp_path, one_line_error):
    """Issue 11: 1e300 as float64 printed numpy's RuntimeWarning and its source line
    before the error. Warnings are errors in these tests, so a warning fails here."""
    path = tmp_path / "huge.npy"
    np.save(path, np.array([[1.0, -1e300], [2.0, 3.0]]))
    error = one_line_error(
        Spec(source=str(path)), r"beyond float32's range \(largest \|x\| is 1e\+300\)"
    )
    assert error.field == "source"
    np.save(path, np.array([[1.0, np.inf]]))
    one_line_error(Spec(source=str(path)), "NaN or infinite")
