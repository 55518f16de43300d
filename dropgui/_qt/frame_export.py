"""An animated export in the window: frames computed by the worker, drawn on the GUI thread.

The export dialog (`dropgui/_qt/export_dialog.py`) starts a `FrameExport` for a GIF or a
PNG sequence. TensorFlow runs only on the compute worker's thread
(`dropgui/_qt/worker.py`); each `FrameReply` it sends is queued here and drawn into the
image writer (`dropgui/_qt/image_export.py`) one frame per pass of the event loop, so the
window keeps painting and answering between frames. The files are written atomically by
the core (`dropgui.export.write_images`) once the last frame is drawn; a cancelled or
failed export writes nothing.

The worker is asked for a few frames at a time (`frames_ahead`), never the whole range
at once: a frame of a large tensor holds hundreds of MB of results, and the worker
computes far faster than frames are drawn.
"""

from __future__ import annotations

import itertools
from collections import deque

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

from ..errors import DropguiError
from ..export import image_writer, write_images
from ..export_plan import ExportPlan
from ..result import Result
from .worker import ComputeWorker, FrameReply, FramesRequest

FRAMES_MEMORY = 128 * 2**20
"""Results computed ahead of drawing are kept under about this many bytes (twice this
while the next frames arrive)."""
MAX_FRAMES_AHEAD = 16

_request_ids = itertools.count(1)
"""Frame request ids, unique across exports: every running export hears sigFrame."""


def frames_ahead(result: Result, compare: Result | None) -> int:
    """How many frames like this one to ask the worker for at a time."""
    arrays = [result.input, result.output, result.keep_mask, result.noise, result.token_ids]
    if compare is not None:
        arrays += [compare.output, compare.keep_mask, compare.noise]
    size = sum(np.asarray(array).nbytes for array in arrays if array is not None)
    return max(1, min(MAX_FRAMES_AHEAD, FRAMES_MEMORY // max(1, size)))


class FrameExport(QObject):
    """Runs one animated export plan with frames from `worker`; call from the GUI thread.

    `sigProgress(frames drawn)`, then `sigFinished(list[Path])` once the files are
    written, or `sigFailed(message)` when a frame or a file fails; `cancel()` stops the
    worker's frames and drops every frame. Replies of other requests are ignored.
    """

    sigProgress = Signal(int)
    sigFinished = Signal(object)
    sigFailed = Signal(str)

    def __init__(
        self, plan: ExportPlan, worker: ComputeWorker, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.plan, self.worker = plan, worker
        self.writer = image_writer(plan)  # DropguiError when no writer is registered
        self.request_id = next(_request_ids)
        self.running = False
        self.frames_done = 0
        self._received = 0  # frames the worker sent, all in order
        self._requested = 0  # frames asked of the worker: plan.frames[:_requested]
        self._ahead = 1  # until the first frame tells how large frames are
        self._pending: deque[FrameReply] = deque()
        self._timer = QTimer(self)
        self._timer.setInterval(0)  # one frame per pass of the event loop
        self._timer.timeout.connect(self._draw_next)

    @property
    def frame_count(self) -> int:
        return len(self.plan.frames)

    def start(self) -> None:
        """Ask the worker for the first frames."""
        self.running = True
        self.worker.sigFrame.connect(self._on_frame)
        self._request_more()

    def cancel(self) -> None:
        """Stop: the worker drops the rest of the range, nothing is written."""
        if self.running:
            self._end(cancel_worker=True)

    def _request_more(self) -> None:
        # Only when every frame asked for is in: the worker is then done with the last
        # request, and a new one with the same id cannot overtake it.
        stop = min(self.frame_count, self._received + self._ahead)
        if stop > self._requested:
            frames = self.plan.frames[:stop]
            self.worker.submit_frames(FramesRequest(self.request_id, frames, self._received))
            self._requested = stop

    @Slot(object)
    def _on_frame(self, reply: FrameReply) -> None:
        """A frame from the worker. A bound slot runs on the GUI thread (a plain function
        would run in the worker's); the frame waits in a queue for the timer to draw it."""
        if not self.running or reply.request_id != self.request_id:
            return
        if reply.error is not None or reply.index != self._received:
            order = QCoreApplication.translate(
                "FrameExport", "frame {index} came before frame {expected}"
            ).format(index=reply.index, expected=self._received)
            self._fail(reply.error or order)
            return
        self._pending.append(reply)
        self._received += 1
        if self._received == 1:
            self._ahead = frames_ahead(reply.result, reply.compare)
        if self._received == self._requested:
            self._request_more()
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _draw_next(self) -> None:
        if not self._pending:
            self._timer.stop()
            return
        reply = self._pending.popleft()
        try:
            self.writer.add(reply.result, reply.compare)
            self.frames_done += 1
            self.sigProgress.emit(self.frames_done)
            if self.frames_done < self.frame_count:
                return
            written = write_images(self.plan, self.writer.finish())
        except DropguiError as error:
            self._fail(str(error))
            return
        except BaseException:
            self._end(cancel_worker=True)
            raise
        self._end(cancel_worker=False)
        self.sigFinished.emit(written)

    def _fail(self, message: str) -> None:
        self._end(cancel_worker=True)
        self.sigFailed.emit(message)

    def _end(self, cancel_worker: bool) -> None:
        self.running = False
        self._timer.stop()
        self._pending.clear()
        self.worker.sigFrame.disconnect(self._on_frame)
        if cancel_worker:
            self.worker.cancel_frames()
        self.writer.close()


__all__ = ["FrameExport", "frames_ahead"]
