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

Every file the window reads is read here: a .npy input's header (its shape) and data,
so a slow disk never stalls the window (and `inputs` refuses a FIFO without opening it
for a blocking read).

Stopping never waits long: one TensorFlow call cannot be interrupted (a tf-keras draw of
10,000 replays 9,999 random ops first, seconds of work), so `stop` asks the thread to
stop at its next check and waits at most `STOP_WAIT`; a thread still busy then is a
daemon, abandoned, and `run_app` ends the process without waiting for it.
"""

from __future__ import annotations

import dataclasses
import gc
import threading
import time
from dataclasses import dataclass
from typing import NamedTuple

from PySide6.QtCore import QObject, Signal

from ..engine import compute, load_tensorflow, versions
from ..errors import DropguiError
from ..export_plan import Frame
from ..inputs import Prepared, prepare
from ..result import Result
from ..spec import Spec
from ..stats import Stats, StatsCancelled, compute_stats

STOP_WAIT = 0.4
"""Seconds `stop` waits for the thread: closing the window must take under a second."""


@dataclass(frozen=True)
class Request:
    """What the window asks for: a spec and, optionally, a second mode to compare."""

    request_id: int
    spec: Spec
    compare: Spec | None = None


@dataclass(frozen=True)
class Reply:
    """The results of a `Request`, or the message that says why there are none.

    `field` names the Spec field the error is about ("" when none), so the window shows
    it next to that control.
    """

    request_id: int
    result: Result | None = None
    compare: Result | None = None
    error: str | None = None
    """The refusal as the core raised it: a core `Message` stays one, so the window can
    say it again after a language switch."""
    seconds: float = 0.0
    field: str = ""


@dataclass(frozen=True)
class StatsRequest:
    """Monte Carlo statistics of a spec over `samples` draws or seeds."""

    request_id: int
    spec: Spec
    samples: int
    over: str = "draws"
    cell: tuple[int, int, int] = (0, 0, 0)


class StatsReply(NamedTuple):
    """The statistics of a `StatsRequest`: `stats`, or None and the reason (an error
    message, or "cancelled")."""

    request_id: int
    stats: Stats | None
    error: str | None


@dataclass(frozen=True)
class FramesRequest:
    """The frames of an export (a seed or draw range), computed one by one."""

    request_id: int
    frames: tuple[Frame, ...]
    start: int = 0
    """The first frame still to compute."""


@dataclass(frozen=True)
class FrameReply:
    """One computed frame of a `FramesRequest`: its index and results, or an error."""

    request_id: int
    index: int
    result: Result | None = None
    compare: Result | None = None
    error: str | None = None


class ComputeWorker(QObject):
    """Computes the window's latest request, and statistics, on one worker thread."""

    sigLoaded = Signal(object)  # dict of versions
    sigReply = Signal(object)  # Reply
    sigStatsProgress = Signal(object)  # (request_id, done, total)
    sigStats = Signal(object)  # StatsReply
    sigFrame = Signal(object)  # FrameReply

    def __init__(self) -> None:
        super().__init__()
        self._wake = threading.Condition()
        self._request: Request | None = None
        self._stats: StatsRequest | None = None
        self._stats_wanted = 0  # the only statistics request worth finishing
        self._frames: FramesRequest | None = None
        self._frames_wanted = 0  # the only export worth finishing
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

    def submit_frames(self, request: FramesRequest) -> None:
        """Compute an export's frames, one `sigFrame` each; cancels running statistics."""
        with self._wake:
            self._frames = request
            self._frames_wanted = request.request_id
            self._stats_wanted = -1
            self._wake.notify()

    def cancel_frames(self) -> None:
        with self._wake:
            self._frames = None
            self._frames_wanted = -1

    def stop(self, wait: float = STOP_WAIT) -> bool:
        """Ask the thread to stop and wait at most `wait` seconds; True if it has ended.

        An idle thread ends at once; a computation ends at its next check (between the
        steps of a request, at the next chunk of statistics or frame of an export). One
        still running after `wait` is left to finish alone: it is a daemon thread, its
        replies reach no window, and `run_app` does not wait for it at exit.
        """
        with self._wake:
            self._stopping = True
            self._stats_wanted = -1
            self._frames_wanted = -1
            self._wake.notify()
        if self._thread.is_alive():
            self._thread.join(wait)
        return not self._thread.is_alive()

    def is_finished(self) -> bool:
        return not self._thread.is_alive()

    # ------------------------------------------------------------ worker thread side
    def _run(self) -> None:
        # Import TensorFlow here, off the GUI thread; then keep its many long-lived
        # objects out of garbage collection, which otherwise stalls ~150 ms each time.
        load_tensorflow()
        gc.freeze()
        if self._stopping:  # closed while TensorFlow loaded
            return
        self.sigLoaded.emit(versions())
        while True:
            with self._wake:
                while not (self._stopping or self._request or self._stats or self._frames):
                    self._wake.wait()
                if self._stopping:
                    return
                # grids first, then an export's frames; statistics give way to both
                request, frames, stats = self._request, None, None
                if request is not None:
                    self._request = None
                elif self._frames is not None:
                    frames, self._frames = self._frames, None
                else:
                    stats, self._stats = self._stats, None
            if request is not None:
                self._compute(request)
            elif frames is not None:
                self._compute_frames(frames)
            else:
                self._compute_stats(stats)

    def _compute(self, request: Request) -> None:
        start = time.perf_counter()
        try:
            spec, compare_spec, prepared = _with_input_shape(request)
            if self._stopping:
                return
            result = compute(spec, prepared)
            compare = None
            if compare_spec is not None and not self._stopping:
                compare = compute(compare_spec, prepared)
            if self._stopping:
                return
        except DropguiError as error:
            self.sigReply.emit(Reply(request.request_id, error=_said(error), field=error.field))
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
            self.sigStats.emit(StatsReply(request.request_id, None, "cancelled"))
        except DropguiError as error:
            self.sigStats.emit(StatsReply(request.request_id, None, _said(error)))
        except Exception as error:
            self.sigStats.emit(
                StatsReply(request.request_id, None, f"{type(error).__name__}: {error}")
            )
        else:
            self.sigStats.emit(StatsReply(request.request_id, stats, None))

    def _compute_frames(self, request: FramesRequest) -> None:
        """Each frame in order, until done or cancelled. A grid request goes first: the
        export is put back to resume at the frame it reached."""
        prepared = None
        for index in range(request.start, len(request.frames)):
            with self._wake:
                if self._stopping or self._frames_wanted != request.request_id:
                    return
                if self._request is not None:
                    if self._frames is None:
                        self._frames = dataclasses.replace(request, start=index)
                    return
            spec, compare_spec = request.frames[index]
            try:
                prepared = prepare(spec) if prepared is None else prepared.for_spec(spec)
                result = compute(spec, prepared)
                compare = None if compare_spec is None else compute(compare_spec, prepared)
            except Exception as error:  # a DropguiError, or a TF failure: name it
                message = _said(error) if isinstance(error, DropguiError) else repr(error)
                self.sigFrame.emit(FrameReply(request.request_id, index, error=message))
                return
            self.sigFrame.emit(FrameReply(request.request_id, index, result, compare))


def _said(error: DropguiError) -> str:
    """The error's message as raised: `str(error)` would make a core `Message` (said in
    the language set when it was raised) a plain str that cannot be said again."""
    return error.args[0] if error.args else str(error)


def _with_input_shape(request: Request) -> tuple[Spec, Spec | None, Prepared]:
    """The request's spec and compared spec with their input prepared (a .npy input is
    read once for both), each carrying the input's real shape.

    A .npy file's own shape replaces the spec's: the controls learn it from the reply
    (the Result's spec) instead of reading the file's header on the GUI thread.
    """
    spec, compare = request.spec, request.compare
    prepared = prepare(spec)
    if prepared.shape != spec.shape:
        spec = spec.replace(shape=prepared.shape)
        prepared = dataclasses.replace(prepared, spec=spec)
        if compare is not None:
            compare = compare.replace(shape=prepared.shape)
    return spec, compare, prepared
