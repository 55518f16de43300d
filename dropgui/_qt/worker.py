"""The worker: one thread owns every TensorFlow call; results travel back by signal.

Requests are coalesced, not queued: the window leaves only its latest request in a
one-slot mailbox and wakes the worker, which takes whatever is there when it gets to it.
Dragging a slider therefore never builds a backlog, and the window still drops any reply
whose request id is no longer the latest. Statistics run on the same thread and give way:
a new grid request cancels them at their next chunk.

The thread is a plain Python thread, not a QThread: TensorFlow work on a QThread
crashed the process on these machines (a segfault in the first Embedding call, and
"take_gil: PyMUTEX_LOCK failed" while tracing the statistics' tf.function), while the
same work on Python threads ran clean. Signals emitted from it reach the window's slots
queued, on the GUI thread, because the worker object lives there.
"""

from __future__ import annotations

import gc
import threading
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

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
    """Computes the window's latest request, and statistics, on one worker thread."""

    sigLoaded = Signal(object)  # dict of versions
    sigReply = Signal(object)  # Reply
    sigStatsProgress = Signal(object)  # (request_id, done, total)
    sigStats = Signal(object)  # (request_id, Stats | None, error message | None)

    def __init__(self) -> None:
        super().__init__()
        self._wake = threading.Condition()
        self._request: Request | None = None
        self._stats: StatsRequest | None = None
        self._stats_wanted = 0  # the only statistics request worth finishing
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="dropgui-compute", daemon=True)

    # ------------------------------------------------------------ GUI thread side
    def start(self) -> None:
        self._thread.start()

    def submit(self, request: Request) -> None:
        """Replace any unstarted request with this one and wake the worker."""
        with self._wake:
            self._request = request
            self._wake.notify()

    def submit_stats(self, request: StatsRequest) -> None:
        """Cancel running statistics and compute these."""
        with self._wake:
            self._stats = request
            self._stats_wanted = request.request_id
            self._wake.notify()

    def cancel_stats(self) -> None:
        with self._wake:
            self._stats = None
            self._stats_wanted = -1

    def stop(self) -> None:
        """Finish the running computation (a statistics run stops at its next chunk)."""
        with self._wake:
            self._stopping = True
            self._stats_wanted = -1
            self._wake.notify()
        if self._thread.is_alive():
            self._thread.join()

    def is_finished(self) -> bool:
        return not self._thread.is_alive()

    # ------------------------------------------------------------ worker thread side
    def _run(self) -> None:
        # Import TensorFlow here, off the GUI thread; then keep its many long-lived
        # objects out of garbage collection, which otherwise stalls ~150 ms each time.
        load_tensorflow()
        gc.freeze()
        self.sigLoaded.emit(versions())
        while True:
            with self._wake:
                while not (self._stopping or self._request or self._stats):
                    self._wake.wait()
                if self._stopping:
                    return
                request, stats = self._request, None
                if request is not None:  # grids first: statistics give way to them
                    self._request = None
                else:
                    stats, self._stats = self._stats, None
            if request is not None:
                self._compute(request)
            else:
                self._compute_stats(stats)

    def _compute(self, request: Request) -> None:
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

    def _compute_stats(self, request: StatsRequest) -> None:
        def cancelled() -> bool:
            return (
                self._stopping
                or self._request is not None
                or self._stats_wanted != request.request_id
            )

        try:
            stats = compute_stats(
                request.spec,
                request.samples,
                over=request.over,
                cell=request.cell,
                progress=lambda done, total: self.sigStatsProgress.emit(
                    (request.request_id, done, total)
                ),
                cancel=cancelled,
            )
        except StatsCancelled:
            self.sigStats.emit((request.request_id, None, "cancelled"))
        except DropguiError as error:
            self.sigStats.emit((request.request_id, None, str(error)))
        except Exception as error:
            self.sigStats.emit((request.request_id, None, f"{type(error).__name__}: {error}"))
        else:
            self.sigStats.emit((request.request_id, stats, None))
