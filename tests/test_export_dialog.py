"""The Export dialog: the form's checks, single files from the result on screen, and
GIF frames computed by a real compute worker and drawn on the GUI thread."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QObject, Slot

from dropgui import Spec, compute
from dropgui._qt.export_dialog import ExportDialog
from dropgui._qt.worker import ComputeWorker, FrameReply, Request

TIMEOUT_MS = 60_000


def files_in(folder: Path) -> list[str]:
    """Every entry, hidden temporary files included."""
    return sorted(os.listdir(folder))


@pytest.fixture
def worker(qapp):
    """The compute worker the window would pass: a real thread, stopped and joined."""
    compute_worker = ComputeWorker()
    compute_worker.start()
    yield compute_worker
    compute_worker.stop()


class GridReplies(QObject):
    """Collects the worker's grid replies on the GUI thread (a bound slot: a plain
    function connected to a worker signal would run in the worker thread)."""

    def __init__(self) -> None:
        super().__init__()
        self.request_ids: list[int] = []

    @Slot(object)
    def take(self, reply) -> None:
        self.request_ids.append(reply.request_id)


def wait_until_worker_replied(qtbot, worker: ComputeWorker) -> None:
    """Return once every reply the worker has sent so far reached the GUI thread.

    The worker answers a grid request after the frame it is computing; queued replies
    arrive in the order they were sent, so the grid reply comes after any frame reply.
    """
    replies = GridReplies()
    worker.sigReply.connect(replies.take)
    worker.submit(Request(-1, Spec()))
    qtbot.waitUntil(lambda: -1 in replies.request_ids, timeout=TIMEOUT_MS)
    worker.sigReply.disconnect(replies.take)


@pytest.fixture
def out(tmp_path):
    """A folder for the dialog's files (tmp_path also holds the test's settings)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


@pytest.fixture
def dialog(qtbot, worker):
    result = compute(Spec(mode="spatial"))
    window = ExportDialog(result, worker=worker)
    qtbot.addWidget(window)
    window.show()
    return window


def _choose(dialog, key: str) -> None:
    dialog.format.setCurrentIndex(dialog.format.findData(key))


def test_dialog_writes_npz_of_the_shown_result(qtbot, dialog, out):
    _choose(dialog, "npz")
    target = out / "shown.npz"
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.sigExported, timeout=10_000) as exported:
        dialog.export_button.click()
    assert exported.args[0] == [target]
    with np.load(target) as data:
        np.testing.assert_array_equal(data["keep_mask"], dialog.shown_result.keep_mask)
    assert dialog.shown_result.spec.mode == "spatial"
    # The next dialog starts in the folder used last.
    again = ExportDialog(dialog.shown_result)
    qtbot.addWidget(again)
    assert Path(again.path.text()).parent == out


def test_dialog_gif_runs_frame_by_frame_and_cancel_leaves_nothing(qtbot, dialog, out, worker):
    _choose(dialog, "gif")
    dialog.count.setValue(40)
    dialog.path.setText(str(out / "seeds.gif"))
    dialog.export_button.click()
    assert dialog.running
    qtbot.waitUntil(lambda: dialog.frames_done >= 2, timeout=30_000)
    assert dialog.progress.isVisible() and dialog.progress.value() >= 2
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert not dialog.running and dialog.isVisible()  # first Cancel stops the export only
    wait_until_worker_replied(qtbot, worker)  # frames sent before the cancel are in
    assert files_in(out) == []
    assert "nothing was written" in dialog.message.text()


def test_dialog_gif_completes_with_the_chosen_frames(qtbot, dialog, out):
    _choose(dialog, "gif")
    dialog.over.setCurrentIndex(dialog.over.findData("draws"))
    dialog.count.setValue(3)
    target = out / "draws.gif"
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.sigExported, timeout=30_000):
        dialog.export_button.click()
    with Image.open(target) as gif:
        assert gif.n_frames == 3


def test_dialog_asks_before_overwriting(qtbot, dialog, out):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    target = out / "kept.png"
    target.write_bytes(b"precious")
    _choose(dialog, "png")
    dialog.path.setText(str(target))
    asked = []

    def answer_no():
        box = QApplication.activeModalWidget()
        asked.append(box.text() if isinstance(box, QMessageBox) else None)
        box.button(QMessageBox.StandardButton.No).click()

    QTimer.singleShot(0, answer_no)
    dialog.export_button.click()
    assert asked and "kept.png" in asked[0]
    assert target.read_bytes() == b"precious"
    assert dialog.isVisible()


def test_dialog_names_a_bad_folder_and_writes_nothing(dialog, out):
    _choose(dialog, "csv")
    dialog.path.setText(str(out / "missing" / "cells.csv"))
    dialog.export_button.click()
    assert "does not exist" in dialog.message.text()
    assert files_in(out) == []


def test_grid_image_copies_what_the_window_draws(qtbot):
    from PySide6.QtWidgets import QApplication

    from dropgui._qt.export_dialog import copy_grids_to_clipboard, grid_image
    from dropgui._qt.grids import GridFigure

    figure = GridFigure()
    qtbot.addWidget(figure)
    figure.show_results(compute(Spec()))
    figure.resize(800, 600)
    figure.show()
    qtbot.waitExposed(figure)
    image = grid_image(figure)
    assert (image.width(), image.height()) == (800, 600)
    copy_grids_to_clipboard(figure)
    assert QApplication.clipboard().image().size() == image.size()


def test_dialog_drops_frames_of_another_request(qtbot, dialog, out, worker):
    _choose(dialog, "gif")
    dialog.count.setValue(3)
    target = out / "seeds.gif"
    dialog.path.setText(str(target))
    # Request ids start at 1: 0 stands for a cancelled export or another dialog's.
    other = FrameReply(0, 0, compute(Spec(mode="spatial", seed=99)), None)
    with qtbot.waitSignal(dialog.sigExported, timeout=30_000):
        dialog.export_button.click()
        # Emitted on the GUI thread, so the dialog's slot runs at once.
        worker.sigFrame.emit(other)
        assert dialog.running and dialog.frames_done == 0
    with Image.open(target) as gif:
        assert gif.n_frames == 3
        gif.seek(0)
        first = np.asarray(gif.convert("RGB")).astype(int)
    # Frame 0 shows seed 0 of the shown spec, as a PNG of it does.
    spec = dialog.shown_result.spec.replace(seed=dialog.start.value())
    again = ExportDialog(compute(spec))
    qtbot.addWidget(again)
    _choose(again, "png")
    again.path.setText(str(out / "seed.png"))
    with qtbot.waitSignal(again.sigExported, timeout=10_000):
        again.export_button.click()
    with Image.open(out / "seed.png") as picture:
        expected = np.asarray(picture.convert("RGB")).astype(int)
    assert first.shape == expected.shape
    assert (np.abs(first - expected).max(axis=-1) > 40).mean() < 0.01


def test_dialog_without_a_worker_refuses_a_range(qtbot, out):
    lone = ExportDialog(compute(Spec()))
    qtbot.addWidget(lone)
    _choose(lone, "gif")
    lone.path.setText(str(out / "seeds.gif"))
    lone.export_button.click()
    assert not lone.running
    assert "compute worker" in lone.message.text()
    assert files_in(out) == []
