"""The worker thread, alone: real TensorFlow, replies by signal to the GUI thread."""

import time

import numpy as np
import pytest
from PySide6.QtCore import QObject, Slot

from dropgui import Spec, compute
from dropgui._qt.worker import (
    STOP_WAIT,
    ComputeWorker,
    FrameReply,
    FramesRequest,
    Reply,
    Request,
    StatsReply,
    StatsRequest,
)
from dropgui.export import frames_for

TIMEOUT_MS = 60_000


class Inbox(QObject):
    """Lives in the GUI thread, so the worker's signals reach it queued, as in the window."""

    def __init__(self) -> None:
        super().__init__()
        self.replies, self.frames, self.stats = [], [], []

    @Slot(object)
    def on_reply(self, reply) -> None:
        self.replies.append(reply)

    @Slot(object)
    def on_frame(self, reply) -> None:
        self.frames.append(reply)

    @Slot(object)
    def on_stats(self, reply) -> None:
        self.stats.append(reply)


@pytest.fixture
def worker(qtbot):
    worker = ComputeWorker()
    inbox = Inbox()
    worker.sigReply.connect(inbox.on_reply)
    worker.sigFrame.connect(inbox.on_frame)
    worker.sigStats.connect(inbox.on_stats)
    worker.inbox = inbox
    worker.start()
    yield worker
    worker.stop()
    assert worker.is_finished()


def test_a_request_is_answered_with_compute_s_result_and_the_compared_mode(qtbot, worker):
    spec = Spec(seed=4)
    worker.submit(Request(1, spec, spec.replace(mode="spatial")))
    qtbot.waitUntil(lambda: bool(worker.inbox.replies), timeout=TIMEOUT_MS)
    reply = worker.inbox.replies[0]
    assert isinstance(reply, Reply) and reply.request_id == 1 and reply.error is None
    np.testing.assert_array_equal(reply.result.output, compute(spec).output)
    np.testing.assert_array_equal(
        reply.compare.output, compute(spec.replace(mode="spatial")).output
    )


def test_an_error_names_its_field(qtbot, worker, tmp_path):
    worker.submit(Request(1, Spec(source=str(tmp_path / "missing.npy"))))
    qtbot.waitUntil(lambda: bool(worker.inbox.replies), timeout=TIMEOUT_MS)
    reply = worker.inbox.replies[0]
    assert reply.result is None and "not found" in reply.error and reply.field == "source"


def test_frames_arrive_in_order_and_equal_compute(qtbot, worker):
    frames = frames_for(Spec(mode="token"), seeds=range(3, 9), compare=Spec(mode="dropout"))
    worker.submit_frames(FramesRequest(7, frames))
    # a grid request in the middle goes first; the export then resumes where it was
    worker.submit(Request(8, Spec(seed=42)))
    qtbot.waitUntil(lambda: len(worker.inbox.frames) == len(frames), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: bool(worker.inbox.replies), timeout=TIMEOUT_MS)
    assert [f.index for f in worker.inbox.frames] == list(range(len(frames)))
    for reply, (spec, compare) in zip(worker.inbox.frames, frames, strict=True):
        assert isinstance(reply, FrameReply) and reply.request_id == 7 and reply.error is None
        assert reply.result.spec == spec and reply.compare.spec == compare
        np.testing.assert_array_equal(reply.result.keep_mask, compute(spec).keep_mask)
        np.testing.assert_array_equal(reply.compare.output, compute(compare).output)


def test_cancelled_frames_stop(qtbot, worker):
    frames = frames_for(Spec(shape=(8, 128, 128)), seeds=range(0, 200))
    worker.submit_frames(FramesRequest(1, frames))
    qtbot.waitUntil(lambda: bool(worker.inbox.frames), timeout=TIMEOUT_MS)
    worker.cancel_frames()
    worker.submit(Request(2, Spec()))  # answered once the cancelled export has stopped
    qtbot.waitUntil(lambda: bool(worker.inbox.replies), timeout=TIMEOUT_MS)
    assert len(worker.inbox.frames) < len(frames)


def test_statistics_reply_type(qtbot, worker):
    worker.submit_stats(StatsRequest(3, Spec(), 50))
    qtbot.waitUntil(lambda: bool(worker.inbox.stats), timeout=TIMEOUT_MS)
    reply = worker.inbox.stats[0]
    assert isinstance(reply, StatsReply) and reply.request_id == 3 and reply.error is None
    assert reply.stats.samples == 50


def test_stop_waits_at_most_stop_wait_and_the_abandoned_run_stays_silent(qtbot):
    """Closing must not wait for a long TensorFlow call (issue 10: 8.5 s at draw 10,000)."""
    worker = ComputeWorker()
    inbox = Inbox()
    worker.sigReply.connect(inbox.on_reply)
    with qtbot.waitSignal(worker.sigLoaded, timeout=TIMEOUT_MS):
        worker.start()
    worker.submit(Request(1, Spec(engine="tf-keras", draw=3000)))  # seconds in one call
    qtbot.wait(300)
    start = time.monotonic()
    stopped = worker.stop()
    waited = time.monotonic() - start
    assert not stopped and not worker.is_finished()
    assert waited < STOP_WAIT + 0.2
    worker._thread.join(TIMEOUT_MS / 1000)  # let it end here, not in a later test
    assert worker.is_finished()
    qtbot.wait(50)
    assert inbox.replies == []  # nothing is delivered once stopping


def test_a_npy_file_s_own_shape_comes_back_in_the_reply(qtbot, worker, tmp_path):
    path = tmp_path / "x.npy"
    values = np.arange(2 * 5 * 3, dtype=np.float32).reshape(2, 5, 3)
    np.save(path, values)
    spec = Spec(source=str(path), shape=(1, 1, 1))  # the window sends a placeholder shape
    worker.submit(Request(1, spec, spec.replace(mode="spatial")))
    qtbot.waitUntil(lambda: bool(worker.inbox.replies), timeout=TIMEOUT_MS)
    reply = worker.inbox.replies[0]
    assert reply.error is None
    assert reply.result.spec == spec.replace(shape=(2, 5, 3))
    assert reply.compare.spec == spec.replace(shape=(2, 5, 3), mode="spatial")
    np.testing.assert_array_equal(reply.result.input, values)
    np.testing.assert_array_equal(
        reply.compare.output, compute(spec.replace(shape=(2, 5, 3), mode="spatial")).output
    )
