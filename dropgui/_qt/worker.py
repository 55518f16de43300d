"""The worker: one QThread owns every TensorFlow call; results travel back by signal.

Requests are coalesced, not queued: the GUI thread leaves only its latest request in a
one-slot mailbox and wakes the worker; the worker takes whatever is there when it gets
to it. Dragging a slider therefore never builds a backlog, and the GUI still drops any
result whose request id is no longer the latest.
"""

from __future__ import annotations

import gc
import threading
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..engine import compute, load_tensorflow, versions
from ..errors import DropguiError
from ..result import Result
from ..spec import Spec
from ..stats import StatsCancelled, compute_stats


@dataclass(frozen=True)
class Request:
    """What the window asks for: a spec and, optionally, a second mode to compare."""

    request_id: int
    spec: Spec
    compare: Spec | None = None


@dataclass(frozen=True)
class Reply:
    request_id: int
    result: Result | None = None
    compare: Result | None = None
    error: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class StatsRequest:
    """Monte Carlo statistics of a spec over `samples` draws or seeds."""

    request_id: int
    spec: Spec
    samples: int
    over: str = "draws"
    cell: tuple[int, int, int] = (0, 0, 0)


class ComputeWorker(QObject):
    """Lives in its own QThread; computes the latest request with `dropgui.compute`."""

    sigLoaded = Signal(object)  # dict of versions
    sigReply = Signal(object)  # Reply
    sigStatsProgress = Signal(object)  # (request_id, done, total)
    sigStats = Signal(object)  # (request_id, Stats | None, error message | None)
    _sigWake = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._mailbox: Request | None = None
        self._lock = threading.Lock()
        self._stats_wanted = 0  # the only statistics request worth finishing
        self._sigWake.connect(self._process)

    def submit_stats(self, request: StatsRequest) -> None:
        """Called from the GUI thread: cancel running statistics, start these.

        Statistics run on a plain Python thread: TensorFlow's tf.function tracing
        (the batched draws) aborted the process when run on the QThread. They share
        dropgui's TensorFlow lock with the worker, so the two never interleave.
        """
        self._stats_wanted = request.request_id
        self.join_stats()
        self._stats_thread = threading.Thread(
            target=self._run_stats, args=(request,), name="dropgui-stats", daemon=True
        )
        self._stats_thread.start()

    def cancel_stats(self) -> None:
        self._stats_wanted = -1

    def join_stats(self) -> None:
        """Wait for running statistics to notice a cancel and end."""
        thread = getattr(self, "_stats_thread", None)
        if thread is not None:
            thread.join()

    def _run_stats(self, request: StatsRequest) -> None:
        if request.request_id != self._stats_wanted:
            return  # superseded or cancelled before it started
        try:
            stats = compute_stats(
                request.spec,
                request.samples,
                over=request.over,
                cell=request.cell,
                progress=lambda done, total: self.sigStatsProgress.emit(
                    (request.request_id, done, total)
                ),
                cancel=lambda: self._stats_wanted != request.request_id,
            )
        except StatsCancelled:
            self.sigStats.emit((request.request_id, None, "cancelled"))
        except DropguiError as error:
            self.sigStats.emit((request.request_id, None, str(error)))
        else:
            self.sigStats.emit((request.request_id, stats, None))

    def submit(self, request: Request) -> None:
        """Called from the GUI thread: replace any unstarted request, wake the worker."""
        with self._lock:
            self._mailbox = request
        self._sigWake.emit()

    @Slot()
    def load(self) -> None:
        """Import TensorFlow here, off the GUI thread, then freeze the heap it built."""
        load_tensorflow()
        # With TF, Keras and pyqtgraph loaded a full collection stalls ~150 ms; the
        # import-time objects live for the whole session, so keep them out of it.
        gc.freeze()
        self.sigLoaded.emit(versions())

    @Slot()
    def _process(self) -> None:
        with self._lock:
            request, self._mailbox = self._mailbox, None
        if request is None:  # an earlier wake already took it
            return
        start = time.perf_counter()
        try:
            result = compute(request.spec)
            compare = compute(request.compare) if request.compare is not None else None
        except DropguiError as error:
            self.sigReply.emit(Reply(request.request_id, error=str(error)))
            return
        except Exception as error:  # a bug or a TF failure: report it, keep running
            self.sigReply.emit(Reply(request.request_id, error=f"{type(error).__name__}: {error}"))
            return
        self.sigReply.emit(
            Reply(request.request_id, result, compare, seconds=time.perf_counter() - start)
        )


class WorkerThread:
    """Starts the worker in a QThread and stops it cleanly (joined, never aborted)."""

    def __init__(self) -> None:
        self.thread = QThread()
        self.thread.setObjectName("dropgui-compute")
        self.worker = ComputeWorker()
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.load)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        """Finish the running computation (at most one), then end the thread."""
        self.worker.cancel_stats()
        self.worker.join_stats()
        self.thread.quit()
        self.thread.wait()
