"""Issue 10 in the window: nothing a user opens, types or saved can wedge it.

Real window, real worker thread, real TensorFlow, offscreen. Each hostile input is named
in red next to its control, the last good view stays on screen (marked stale while the
controls ask for something else) and the next good request draws again.
"""

import dataclasses
import json
import os
import sys
import threading

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from dropgui import Spec, compute
from dropgui._qt.grid_area import STALE_PREFIX
from dropgui._qt.window import MainWindow
from dropgui._qt.worker import Reply

TIMEOUT_MS = 60_000


def change(qtbot, win, action):
    with qtbot.waitSignal(win.sigGridsDrawn, timeout=TIMEOUT_MS):
        action()


def drawn_after(win) -> np.ndarray:
    """The values drawn in the first `after` panel."""
    return next(p for _, role, p in win.figure.rows if role.kind == "after").image.image


@pytest.fixture
def overflowing_npy(tmp_path):
    """The issue's file: finite float32 values that dropout's x2 turns into inf."""
    path = tmp_path / "big.npy"
    np.save(path, np.full((1, 2, 2), 3e38, np.float32))
    return path


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "f.npy"
    os.mkfifo(path)
    return path


def mask_of_one_slice(result):
    """A keep mask with one slice for three: the grids fail half-way through a draw."""
    return dataclasses.replace(result, keep_mask=result.keep_mask[:1])


def output_of_one_slice(result):
    return dataclasses.replace(result, output=result.output[:1])


def token_ids_of_one_token(result):
    return dataclasses.replace(result, token_ids=np.zeros((1, 1), np.int32))


@pytest.mark.parametrize("spoil", [mask_of_one_slice, output_of_one_slice, token_ids_of_one_token])
def test_a_reply_that_fails_to_draw_keeps_the_last_good_view(qtbot, window, spoil):
    window.resize(1500, 900)  # room for all three slices, so the spoilt ones are drawn
    qtbot.waitUntil(lambda: window.figure.slices == (0, 1, 2))
    shown = window.figure.result
    bad = spoil(compute(Spec(seed=5)))
    # as the worker delivers it: the latest request's reply, by signal
    window._worker.sigReply.emit(Reply(window._latest_request, bad))
    assert "not drawn" in window.controls.input_error.text()
    assert window.controls.input_error.isVisible()
    assert window.statusBar().currentMessage().startswith("Not applied")
    assert window.result is shown and window.figure.result is shown
    np.testing.assert_array_equal(drawn_after(window), shown.output[0])
    assert "seed=0" in window.text.code.toPlainText()  # the explanation of what is shown
    assert window.grid_area.stale.isVisible()
    window.resize(window.width() - 80, window.height() - 60)  # redraws on resize
    qtbot.wait(50)
    # never wedged: the next request draws
    change(qtbot, window, lambda: window.controls.step_seed(1))
    np.testing.assert_array_equal(drawn_after(window), compute(Spec(seed=1)).output[0])
    assert not window.grid_area.stale.isVisible()


def test_an_overflowing_file_is_named_and_the_view_marked_stale(qtbot, window, overflowing_npy):
    shown = window.figure.result
    window.controls.open_npy(str(overflowing_npy))
    qtbot.waitUntil(lambda: "overflow" in window.controls.input_error.text(), timeout=TIMEOUT_MS)
    assert window.figure.result is shown
    assert window.grid_area.stale.isVisible()
    assert "seed 0" in window.grid_area.stale.text()  # names the view it still shows
    # seed steps are refused the same way, and the view stays
    window.controls.step_seed(1)
    qtbot.waitUntil(lambda: not window._in_flight, timeout=TIMEOUT_MS)
    assert window.figure.result is shown
    arange = window.controls.source.findData("arange")
    change(qtbot, window, lambda: window.controls.source.setCurrentIndex(arange))
    np.testing.assert_array_equal(drawn_after(window), compute(Spec(seed=1)).output[0])
    assert not window.grid_area.stale.isVisible()
    assert not window.controls.input_error.isVisible()


def test_opening_a_fifo_never_blocks_the_window(qtbot, window, fifo):
    shown = window.figure.result
    window.controls.open_npy(str(fifo))  # returns at once: nothing is read here
    qtbot.waitUntil(lambda: "FIFO" in window.controls.input_error.text(), timeout=TIMEOUT_MS)
    assert window.figure.result is shown
    assert window.grid_area.stale.isVisible()


_opened: list[tuple[str, str]] = []
_watched: set[str] = set()


def _record_opens(event: str, args: tuple) -> None:
    if event == "open" and args and str(args[0]) in _watched:
        _opened.append((str(args[0]), threading.current_thread().name))


sys.addaudithook(_record_opens)  # for good: audit hooks cannot be removed


def test_the_window_reads_files_on_the_worker_thread_only(qtbot, window, tmp_path):
    path = tmp_path / "x.npy"
    values = np.arange(2 * 5 * 3, dtype=np.float32).reshape(2, 5, 3)
    np.save(path, values)
    _watched.add(str(path))
    try:
        change(qtbot, window, lambda: window.controls.open_npy(str(path)))
        change(qtbot, window, lambda: window.controls.step_seed(1))
    finally:
        _watched.discard(str(path))
    assert _opened, "the file was never opened"
    assert {thread for _, thread in _opened} == {"dropgui-compute"}
    # the file's shape came back with the reply: in the result's spec and the boxes
    assert window.result.spec.shape == (2, 5, 3)
    assert window.controls.spec().shape == (2, 5, 3)
    assert (window.controls.batch.value(), window.controls.dim.value()) == (2, 3)
    np.testing.assert_array_equal(
        window.result.output, compute(Spec(source=str(path), shape=(2, 5, 3), seed=1)).output
    )


def test_a_mode_that_does_not_fit_the_source_marks_the_view_stale(qtbot, window):
    shown = window.figure.result
    c = window.controls
    c.mode.setCurrentIndex(c.mode.findData("word"))  # word mode needs embedding input
    assert "embedding" in c.dropout_error.text() and c.dropout_error.isVisible()
    assert window.statusBar().currentMessage().startswith("Not applied")
    assert window.grid_area.stale.isVisible()
    assert "not the current controls" in window.grid_area.stale.text()
    assert window.hover.text().startswith(STALE_PREFIX)
    assert window.figure.result is shown
    # fixed: the message leaves the status bar as soon as the request is good
    c.mode.setCurrentIndex(c.mode.findData("token"))
    assert not window.statusBar().currentMessage().startswith("Not applied")
    assert not c.dropout_error.isVisible()
    qtbot.waitUntil(lambda: window.figure.result.spec.mode == "token", timeout=TIMEOUT_MS)
    assert not window.grid_area.stale.isVisible()
    assert not window.hover.text().startswith(STALE_PREFIX)


def test_a_view_drawn_after_the_controls_were_refused_stays_marked_stale(qtbot, window):
    c = window.controls
    c.step_seed(1)  # asked for, not drawn yet
    c.mode.setCurrentIndex(c.mode.findData("word"))  # refused at once
    qtbot.waitUntil(lambda: window.figure.result.spec.seed == 1, timeout=TIMEOUT_MS)
    assert window.grid_area.stale.isVisible()
    assert "seed 1" in window.grid_area.stale.text()
    assert c.dropout_error.isVisible()


def test_a_typed_rate_out_of_range_is_named_and_kept_in_its_box(qtbot, window):
    from PySide6.QtCore import Qt

    shown = window.figure.result
    rate = window.controls.rate
    rate.setFocus()
    rate.selectAll()
    qtbot.keyClicks(rate, "1.5")
    qtbot.keyClick(rate, Qt.Key.Key_Return)
    assert rate.value() == 1.5  # what was typed stays, beside why it is refused
    assert "rate must be at least 0 and below 1" in window.controls.dropout_error.text()
    assert window.grid_area.stale.isVisible()
    assert window.figure.result is shown


def saved_window(qtbot, spec_json: str) -> MainWindow:
    QSettings().setValue("spec", spec_json)
    QSettings().setValue("compare", "token")
    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.sigGridsDrawn, timeout=TIMEOUT_MS):
        win.show()
    return win


@pytest.mark.parametrize("saved", ["overflowing", "fifo", "missing", "not json", "not a spec"])
def test_a_saved_spec_that_cannot_be_shown_gives_way_to_the_defaults(
    qtbot, tmp_path, overflowing_npy, fifo, saved
):
    source = {"overflowing": overflowing_npy, "fifo": fifo, "missing": tmp_path / "gone.npy"}
    text = {
        "not json": "{",
        "not a spec": json.dumps({"shape": "3,3,4", "colour": "blue"}),
    }.get(saved) or json.dumps(Spec(source=str(source.get(saved)), shape=(1, 2, 2)).to_dict())
    win = saved_window(qtbot, text)
    assert win.figure.result.spec == Spec()
    assert win.figure.compare.spec.mode == "spatial"  # the defaults' comparison
    assert win.statusBar().currentMessage().startswith("Saved settings")
    win.close()
    # the next launch starts on something it can draw
    assert json.loads(QSettings().value("spec")) == json.loads(json.dumps(Spec().to_dict()))


def test_closing_on_a_refused_file_saves_the_last_good_view(qtbot, window, overflowing_npy):
    change(qtbot, window, lambda: window.controls.step_seed(2))
    window.controls.open_npy(str(overflowing_npy))
    qtbot.waitUntil(lambda: "overflow" in window.controls.input_error.text(), timeout=TIMEOUT_MS)
    window.close()
    assert Spec.from_dict(json.loads(QSettings().value("spec"))) == Spec(seed=2)
