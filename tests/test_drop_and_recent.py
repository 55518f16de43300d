"""Files dropped on the window, and File -> Open Recent (issue 12).

Real window offscreen, real Qt drag-and-drop events (QDragEnterEvent, QDropEvent sent
to the window as the platform would), real files."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from dropgui._qt import settings as saved_settings


def mime_for(*paths) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    return mime


def drag_enter(window, mime: QMimeData) -> bool:
    event = QDragEnterEvent(
        window.rect().center(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, event)
    return event.isAccepted()


def drop(window, mime: QMimeData) -> None:
    """A drag that enters the window, then drops there (Qt delivers a drop only to a
    widget that accepted the drag's entry)."""
    assert drag_enter(window, mime)
    event = QDropEvent(
        QPointF(window.rect().center()),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, event)


@pytest.fixture
def array_file(tmp_path):
    values = np.arange(2 * 5 * 6, dtype=np.float32).reshape(2, 5, 6) * 0.5 - 7
    path = tmp_path / "activations.npy"
    np.save(path, values)
    return path, values


def test_a_dropped_npy_becomes_the_input(qtbot, window, array_file):
    path, values = array_file
    with qtbot.waitSignal(window.sigGridsDrawn, timeout=60_000):
        drop(window, mime_for(path))
    assert window.result.spec.source == str(path)
    np.testing.assert_array_equal(window.result.input, values)
    assert window.controls.source.currentData() == "file"


def test_a_dropped_model_opens_it(qtbot, window, tmp_path):
    from dropgui.tf_loader import load_tensorflow

    keras = load_tensorflow().keras
    model = keras.Sequential(
        [keras.Input((4,), dtype="int32"), keras.layers.Embedding(10, 3), keras.layers.Dropout(0.5)]
    )
    path = tmp_path / "small.keras"
    model.save(path)
    with qtbot.waitSignal(window.sigGridsDrawn, timeout=60_000):
        drop(window, mime_for(path))
    assert window.result.spec.source == "model" and window.result.spec.model == str(path)
    assert window.result.shape[2] == 3


def test_two_files_or_a_url_are_not_taken(window, array_file, tmp_path):
    path, _ = array_file
    assert not drag_enter(window, mime_for(path, tmp_path / "other.npy"))
    web = QMimeData()
    web.setUrls([QUrl("https://example.org/a.npy")])
    assert not drag_enter(window, web)


def test_a_dropped_file_of_another_kind_is_named_and_the_view_stays(qtbot, window, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    shown = window.result
    drop(window, mime_for(notes))
    qtbot.wait(100)
    assert window.controls.input_error.isVisible()
    assert "notes.txt is neither a .npy array nor a Keras model" in (
        window.controls.input_error.text()
    )
    assert window.result is shown


def recent_actions(window) -> list:
    window.recent_menu.aboutToShow.emit()
    return [a for a in window.recent_menu.actions() if a.data()]


def test_open_recent_lists_what_was_shown_and_reopens_it(qtbot, window, array_file, tmp_path):
    path, values = array_file
    assert window.recent_menu.actions()[0].text() == "No recent files"
    with qtbot.waitSignal(window.sigGridsDrawn, timeout=60_000):
        window.open_path(str(path))
    # a refused file is not worth remembering
    broken = tmp_path / "broken.npy"
    broken.write_bytes(b"not numpy")
    window.open_path(str(broken))
    qtbot.waitUntil(lambda: window.controls.input_error.isVisible(), timeout=10_000)
    assert [a.data() for a in recent_actions(window)] == [str(path)]

    with qtbot.waitSignal(window.sigGridsDrawn, timeout=60_000):
        window.controls.source.setCurrentIndex(window.controls.source.findData("arange"))
    assert window.result.spec.source == "arange"
    with qtbot.waitSignal(window.sigGridsDrawn, timeout=60_000):
        recent_actions(window)[0].trigger()
    np.testing.assert_array_equal(window.result.input, values)

    clear = next(a for a in window.recent_menu.actions() if a.text() == "Clear Recent Files")
    clear.trigger()
    assert recent_actions(window) == []


def test_a_recent_file_that_went_away_is_named(qtbot, window, array_file):
    path, _ = array_file
    with qtbot.waitSignal(window.sigGridsDrawn, timeout=60_000):
        window.open_path(str(path))
    shown = window.result
    path.unlink()
    recent_actions(window)[0].trigger()
    qtbot.waitUntil(lambda: window.controls.input_error.isVisible(), timeout=10_000)
    assert path.name in window.controls.input_error.text()
    assert window.result is shown


def test_the_recent_list_keeps_the_newest_once_and_survives_a_damaged_value(window):
    settings = window.settings
    for i in range(saved_settings.MAX_RECENT + 3):
        saved_settings.add_recent(settings, f"/data/file{i}.npy")
    saved_settings.add_recent(settings, "/data/file5.npy")
    paths = saved_settings.recent_files(settings)
    assert len(paths) == saved_settings.MAX_RECENT
    assert paths[0] == "/data/file5.npy" and paths.count("/data/file5.npy") == 1
    assert paths[1] == f"/data/file{saved_settings.MAX_RECENT + 2}.npy"
    for damaged in ("{not json", '{"a": 1}', "[1, 2, null]"):
        settings.setValue("recent", damaged)
        assert saved_settings.recent_files(settings) == []
