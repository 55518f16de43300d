"""The real window, offscreen, with the real worker thread and TensorFlow."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from dropgui import Spec, compute
from dropgui._qt.window import MainWindow
from dropgui._qt.worker import Reply
from dropgui.spec import parse_tokens

TIMEOUT_MS = 60_000


def run_offscreen(script: str) -> subprocess.CompletedProcess:
    """Run a Python script in a fresh process with Qt offscreen."""
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def drawn(win, kind="after", index=0):
    """The values and the marked (dropped) cells of the index-th drawn panel of a kind."""
    panel = [panel for _, role, panel in win.figure.rows if role.kind == kind][index]
    values = panel.image.image
    if panel._cell_items:  # small slices: one rectangle item per cell
        marked = np.array([item.isVisible() for item in panel._cell_items])
        return values, marked.reshape(values.shape)
    if panel.marks.image is None:  # nothing can be dropped
        return values, np.zeros(values.shape, dtype=bool)
    return values, panel.marks.image[..., 3] > 0


def change(qtbot, win, action):
    with qtbot.waitSignal(win.sigGridsDrawn, timeout=TIMEOUT_MS):
        action()


def test_opens_on_the_classic_example(window):
    result = window.figure.result
    assert result.spec == Spec()
    assert result.input.ravel().tolist() == list(range(1, 37))
    after, marks = drawn(window)
    np.testing.assert_array_equal(after, compute(Spec()).output[0])
    # dropped cells are marked in the after grid, and in the before grid, exactly
    np.testing.assert_array_equal(marks, ~result.keep_mask[0])
    np.testing.assert_array_equal(drawn(window, "before")[1], ~result.keep_mask[0])
    assert "Dropout(0.5)" in window.text.explanation.toPlainText()
    assert "seed=0" in window.text.code.toPlainText()
    assert "TensorFlow" in window.versions_label.text()


def test_the_first_launch_asks_the_seed_question(window):
    """Dropout(0.5) against SpatialDropout1D(0.5) on the classic tensor, side by side."""
    assert window.figure.compare.spec == Spec(mode="spatial")
    kinds = [role.kind for _, role, _ in window.figure.rows[:3]]
    assert kinds == ["before", "after", "after"]
    np.testing.assert_array_equal(
        drawn(window, "after", 1)[0], compute(Spec(mode="spatial")).output[0]
    )


def test_page_keys_and_the_slice_box_move_the_focus(qtbot, window):
    from PySide6.QtCore import Qt

    spec = Spec(shape=(4, 20, 16), source="embedding", vocab=1000, rate=0.2)
    window.resize(1280, 720)
    change(qtbot, window, lambda: window.controls.set_spec(spec, "spatial"))
    assert window.figure.slices == (0,) and window.slice_bar.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    assert window.figure.slices == (2,) and window.slice_box.value() == 2
    np.testing.assert_array_equal(drawn(window)[0], compute(spec).output[2])
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    assert window.figure.focus == 1
    window.slice_box.setValue(3)
    assert window.figure.slices == (3,)


def test_stepping_seeds_changes_the_drawn_mask(qtbot, window):
    _, marks_before = drawn(window)
    masks = {marks_before.tobytes()}
    for _ in range(3):
        change(qtbot, window, lambda: window.controls.step_seed(1))
        masks.add(drawn(window)[1].tobytes())
    assert window.figure.result.spec.seed == 3
    assert len(masks) > 1
    expected = compute(Spec(seed=3))
    np.testing.assert_array_equal(drawn(window)[0], expected.output[0])
    change(qtbot, window, window.controls.next_draw)
    np.testing.assert_array_equal(drawn(window)[0], compute(Spec(seed=3, draw=2)).output[0])


@pytest.mark.parametrize(
    ("setter", "check"),
    [
        (
            lambda c: c.mode.setCurrentIndex(c.mode.findData("spatial")),
            lambda s: s.mode == "spatial",
        ),
        (lambda c: c.rate.setValue(0.25), lambda s: s.rate == 0.25),
        (lambda c: c.engine.setCurrentText("tf-keras"), lambda s: s.engine == "tf-keras"),
        (lambda c: c.training.setChecked(False), lambda s: not s.training),
        (lambda c: c.batch.setValue(2), lambda s: s.shape == (2, 3, 4)),
        (lambda c: c.dim.setValue(6), lambda s: s.shape == (3, 3, 6)),
        (lambda c: c.draw.setValue(4), lambda s: s.draw == 4),
        (
            lambda c: c.source.setCurrentIndex(c.source.findData("embedding")),
            lambda s: s.source == "embedding",
        ),
        (
            lambda c: (c.noise_shape.setText("3,1,4"), c.noise_shape.editingFinished.emit()),
            lambda s: s.noise_shape == (3, 1, 4),
        ),
    ],
)
def test_each_control_changes_the_grids(qtbot, window, setter, check):
    change(qtbot, window, lambda: setter(window.controls))
    spec = window.figure.result.spec
    assert check(spec)
    expected = compute(spec)
    np.testing.assert_array_equal(drawn(window)[0], expected.output[0])
    np.testing.assert_array_equal(drawn(window, "before")[0], expected.input[0])


def test_compare_mode_adds_its_grid(qtbot, window):
    change(
        qtbot,
        window,
        lambda: window.controls.compare.setCurrentIndex(window.controls.compare.findData("token")),
    )
    assert window.figure.compare.spec.mode == "token"
    np.testing.assert_array_equal(
        drawn(window, "after", 1)[0], compute(Spec(mode="token")).output[0]
    )
    change(qtbot, window, lambda: window.controls.compare.setCurrentIndex(0))  # none
    assert window.figure.compare is None
    assert [role.kind for _, role, _ in window.figure.rows[:2]] == ["before", "after"]


def test_stale_results_are_dropped(qtbot, window):
    shown = window.figure.result
    stale = compute(Spec(seed=99))
    window._on_reply(Reply(window._latest_request - 1, stale))
    assert window.figure.result is shown
    # Rapid changes: a reply is drawn only while it is the latest request, so every
    # drawn id is the latest one at the moment it is drawn, and the last one is drawn.
    drawn_ids = []
    window.sigGridsDrawn.connect(lambda i: drawn_ids.append((i, window._latest_request)))
    for _ in range(20):
        window.controls.step_seed(1)
    qtbot.waitUntil(lambda: window.figure.result.spec.seed == 20, timeout=TIMEOUT_MS)
    assert drawn_ids[-1][0] == window._latest_request
    assert all(drawn == latest for drawn, latest in drawn_ids)


def test_bad_input_shows_a_message_and_keeps_the_view(qtbot, window, tmp_path):
    shown = window.figure.result
    window.controls.noise_shape.setText("5,1,1")
    window.controls.noise_shape.editingFinished.emit()
    assert "noise_shape" in window.controls.dropout_error.text()
    assert window.controls.dropout_error.isVisible()
    assert window.figure.result is shown
    window.controls.noise_shape.setText("")
    window.controls.noise_shape.editingFinished.emit()

    bad = tmp_path / "bad.npy"
    bad.write_bytes(b"not an array")
    window.controls.open_npy(str(bad))  # read by the worker: its reply names the problem
    qtbot.waitUntil(lambda: "cannot read" in window.controls.input_error.text(), timeout=TIMEOUT_MS)
    assert window.figure.result is shown

    arange = window.controls.source.findData("arange")
    change(qtbot, window, lambda: window.controls.source.setCurrentIndex(arange))
    shown = window.figure.result
    for spin in (window.controls.batch, window.controls.seq_len, window.controls.dim):
        spin.setValue(4096)
    assert "cap" in window.controls.input_error.text()
    assert window.figure.result is shown


def test_a_good_npy_becomes_the_input(qtbot, window, tmp_path):
    path = tmp_path / "x.npy"
    values = np.linspace(-1, 1, 2 * 5 * 3, dtype=np.float32).reshape(2, 5, 3)
    np.save(path, values)
    change(qtbot, window, lambda: window.controls.open_npy(str(path)))
    np.testing.assert_array_equal(window.figure.result.input, values)
    assert window.controls.batch.value() == 2 and not window.controls.batch.isEnabled()


def test_settings_are_remembered_and_reset(qtbot, window):
    change(qtbot, window, lambda: window.controls.rate.setValue(0.3))
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.controls.spec().rate == 0.3
    again.reset_to_defaults()
    assert again.controls.spec() == Spec()
    again.close()


def test_closing_during_a_computation_is_clean():
    script = textwrap.dedent(
        """
        from dropgui._qt.app import get_qapp
        app = get_qapp()
        from PySide6.QtCore import QTimer
        from dropgui import Spec
        from dropgui._qt.window import MainWindow
        w = MainWindow()
        w.show()
        def big(_request_id):
            w.sigGridsDrawn.disconnect(big)
            w.controls.set_spec(Spec(shape=(8, 512, 768)))  # about 30 ms of TensorFlow
            QTimer.singleShot(5, close)  # close while the worker computes it
        def close():
            print("computing", w._in_flight and w.result.shape != (8, 512, 768))
            w.close()
        w.sigGridsDrawn.connect(big)
        app.exec()
        print("closed", w._worker.is_finished())
        """
    )
    done = run_offscreen(script)
    assert done.returncode == 0, done.stderr
    assert "computing True" in done.stdout  # the close came mid-computation
    assert "closed True" in done.stdout
    assert "QThread: Destroyed" not in done.stderr
    assert "Traceback" not in done.stderr


def test_statistics_tab_runs_in_the_worker(qtbot, window):
    window.stats.samples.setValue(200)
    with qtbot.waitSignal(window._worker.sigStats, timeout=TIMEOUT_MS) as blocker:
        window.views.setCurrentWidget(window.stats)
    request_id, stats, error = blocker.args[0]
    assert error is None and request_id == window.stats.request_id
    assert stats.samples == 200
    assert stats.drop_frequency.shape == (3, 3, 4)
    # the worker's signal reaches the window's slot on the next pass of the event loop
    qtbot.waitUntil(lambda: window.stats.view.stats is stats, timeout=TIMEOUT_MS)


def test_export_menu_opens_the_dialog_and_copy_puts_an_image_on_the_clipboard(qtbot, window):
    from PySide6.QtWidgets import QApplication

    from dropgui._qt.export_dialog import ExportDialog

    window.open_export()
    dialogs = window.findChildren(ExportDialog)
    assert dialogs and dialogs[-1].shown_result is window.result
    dialogs[-1].reject()
    window.copy_grids()
    image = QApplication.clipboard().image()
    assert not image.isNull() and image.width() > 100


def test_statistics_view_exports_as_png_and_svg(qtbot, window, tmp_path):
    import xml.etree.ElementTree as ET

    from PySide6.QtGui import QImage

    window.stats.samples.setValue(100)
    window.views.setCurrentWidget(window.stats)
    qtbot.waitUntil(lambda: window.stats.view.stats is not None, timeout=TIMEOUT_MS)
    window.save_stats_view(str(tmp_path / "stats.png"))
    window.save_stats_view(str(tmp_path / "stats.svg"))
    image = QImage(str(tmp_path / "stats.png"))
    assert image.width() == 2 * window.stats.view.figure.width()
    assert ET.parse(tmp_path / "stats.svg").getroot().tag.endswith("svg")
    window.save_stats_view(str(tmp_path / "missing" / "stats.png"))
    window.save_stats_view(str(tmp_path / "stats.gif"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stats.png", "stats.svg"]
    assert "Not exported" in window.statusBar().currentMessage()


def test_window_shows_before_tensorflow_has_loaded():
    """In a fresh process the window is up, saying so, while TensorFlow still loads."""
    script = textwrap.dedent(
        """
        import sys
        from dropgui._qt.app import get_qapp
        app = get_qapp()
        from dropgui._qt.window import MainWindow
        w = MainWindow()
        w.show()
        app.processEvents()
        print("shown", w.isVisible(), w.loading.isVisible(), w.loading.text(), w.result is None)
        w.controls.rate.setValue(0.25)  # the controls work while TensorFlow loads
        w.sigGridsDrawn.connect(lambda _: app.quit())
        app.exec()
        print("drawn", w.result.spec.rate, w.loading.isVisible())
        w.close()
        """
    )
    done = run_offscreen(script)
    assert done.returncode == 0, done.stderr
    assert "shown True True Loading TensorFlow… True" in done.stdout
    assert "drawn 0.25 False" in done.stdout


def test_keyboard_steps_seeds_and_draws(qtbot, window):
    from PySide6.QtCore import Qt

    window.activateWindow()
    window.figure.setFocus()
    change(qtbot, window, lambda: qtbot.keyClick(window.figure, Qt.Key.Key_Right))
    assert window.figure.result.spec.seed == 1
    change(qtbot, window, lambda: qtbot.keyClick(window.figure, Qt.Key.Key_Up))
    assert window.figure.result.spec.draw == 2
    change(qtbot, window, lambda: qtbot.keyClick(window.figure, Qt.Key.Key_Left))
    assert window.figure.result.spec.seed == 0
    qtbot.keyClick(window.figure, Qt.Key.Key_Space)
    assert window.controls.play.isChecked() and window.play_timer.isActive()
    qtbot.keyClick(window.figure, Qt.Key.Key_Space)
    assert not window.play_timer.isActive()


def test_play_steps_through_seeds(qtbot, window):
    window.controls.speed.setValue(30)
    window.controls.play.setChecked(True)
    qtbot.waitUntil(lambda: window.figure.result.spec.seed >= 3, timeout=TIMEOUT_MS)
    window.controls.play.setChecked(False)
    assert not window.play_timer.isActive()


def test_hover_names_the_cell(qtbot, window):
    from PySide6.QtCore import QPointF

    panel = next(p for _, role, p in window.figure.rows if role.kind == "after")
    centre = panel.plot.vb.mapViewToScene(QPointF(1, 0))
    window.figure._on_mouse_moved(centre)
    # token 0, channel 1 of slice 0: 2 before, 4 after (kept at seed 0), see the classic
    # view; the compared SpatialDropout1D keeps channel 1 of slice 0 too
    assert window.hover.text() == (
        "dropout: slice 0, token 0, channel 1: before 2, after 4, kept  |  spatial: after 4, kept"
    )


def test_embedding_controls_and_editable_token_ids(qtbot, window):
    c = window.controls
    change(qtbot, window, lambda: c.source.setCurrentIndex(c.source.findData("embedding")))
    drawn_ids = window.figure.result.token_ids
    assert "drawn: " in c.tokens.placeholderText()
    change(qtbot, window, lambda: c.vocab.setValue(7))
    assert window.figure.result.token_ids.max() < 7
    change(qtbot, window, lambda: c.data_seed.setValue(5))
    assert not np.array_equal(
        window.figure.result.input, compute(Spec(source="embedding", vocab=7)).input
    )
    change(qtbot, window, lambda: c.seq_len.setValue(2))
    assert window.figure.result.shape == (3, 2, 4)
    c.edit_tokens.click()  # the drawn ids, 3 rows of 2, ready to edit
    assert parse_tokens(c.tokens.text()) == tuple(map(tuple, window.figure.result.token_ids))
    c.tokens.setText("1 2; 3 4; 5 6")
    change(qtbot, window, c.tokens.editingFinished.emit)
    assert window.figure.result.token_ids.tolist() == [[1, 2], [3, 4], [5, 6]]
    assert drawn_ids is not None
    c.tokens.setText("1 2; 3 99; 5 6")
    c.tokens.editingFinished.emit()
    assert "outside [0, 7)" in c.input_error.text()
    assert window.figure.result.token_ids.tolist() == [[1, 2], [3, 4], [5, 6]]


def test_statistics_can_be_cancelled(qtbot, window):
    change(qtbot, window, lambda: window.controls.set_spec(Spec(shape=(8, 32, 32))))
    window.stats.samples.setValue(100_000)
    window.views.setCurrentWidget(window.stats)
    qtbot.waitUntil(lambda: window.stats.progress.value() > 0, timeout=TIMEOUT_MS)
    window.stats.cancel_button.click()
    qtbot.waitUntil(lambda: window.stats.message.text() == "cancelled", timeout=TIMEOUT_MS)
    assert window.stats.view.stats is None


def test_the_statistics_tab_is_built_when_first_shown(qtbot, window):
    """The window opens without the Statistics panel's plots (start-up); clicking the
    tab builds the panel in its place, and it computes for the grids on screen."""
    assert window._stats is None
    with qtbot.waitSignal(window._worker.sigStats, timeout=TIMEOUT_MS) as blocker:
        window.views.setCurrentIndex(1)  # as a click on the tab does
    assert window.views.currentWidget() is window.stats
    assert window.views.tabText(1) == "Statistics"
    _, stats, error = blocker.args[0]
    assert error is None and stats.spec == window.result.spec
