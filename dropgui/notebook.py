"""The figure in a notebook, a slide or a paper: `dropgui.figure(spec_or_result)`.

The same picture as `dropgui export -o FILE.png`, drawn by the same code: the PNG writer
that `dropgui/_qt/image_export.py` registers (an offscreen `ExportFigure` encoded by
`view_png`, with the spec and colour levels in text chunks). Nothing is shown and no
event loop is needed, so it works in a Jupyter kernel with or without a display, and
with or without a QApplication already running (`%gui qt`). `Result._repr_png_` calls
`repr_png`, so a `Result` at the end of a cell shows itself as this figure.

This module imports Qt; the core (`import dropgui`) loads it by name only when a figure is
asked for, so the core stays free of Qt.
"""

from __future__ import annotations

import contextlib
import numbers
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from .engine import compute
from .errors import DropguiError
from .export import image_writer
from .export_plan import (
    MAX_IMAGE_SIDE,
    MAX_IMAGE_SLICES,
    ExportPlan,
    check_target,
    export_format,
    memory_estimate,
)
from .files import atomic_write
from .result import Result
from .spec import Spec, check_memory, format_shape

MAX_SCALE = 8
"""Largest `scale`: 8 device pixels per pixel prints the classic (3, 3, 4) figure at
about 5,200 x 7,300 pixels, a full A4 page at 600 dpi. The image size cap of the writers
(64 megapixels) refuses larger images of large slices at smaller scales too."""
NOTEBOOK_SCALE = 2
"""Jupyter gets a 2x PNG, shown at half its pixel size (`repr_png`): sharp on high-DPI
screens, and the same size on the page as a 1x image."""
FIGURE_FORMATS = ("png", "svg")
"""What `figure(..., path)` writes, by the path's suffix (SVG ignores `scale`)."""


def figure(
    spec_or_result: Spec | Result,
    path: str | os.PathLike[str] | None = None,
    scale: int = 2,
    *,
    slices: Sequence[int] | None = None,
) -> bytes | None:
    """The grids of a spec or result as PNG bytes, or written to `path`.

    A `Spec` is computed first with `dropgui.compute`. `scale` is device pixels per pixel
    (1 to MAX_SCALE): the figure is drawn at that resolution, not enlarged. `slices` picks
    the batch slices drawn; by default every slice, or the first MAX_IMAGE_SLICES of a
    larger batch beside an overview strip of all of them.

    With `path` (.png, or .svg for a vector figure) the file is written whole or not at
    all and None is returned; a path that cannot be written raises DropguiError naming
    the problem, before anything is computed, and leaves no file.
    """
    scale = _checked_scale(scale)
    target, fmt = None, "png"
    if path is not None:
        fmt = export_format(path)
        if fmt not in FIGURE_FORMATS:
            raise DropguiError(
                f"figure() writes .png or .svg, not .{fmt} (`dropgui export` writes .{fmt})"
            )
        target = check_target(path)
    if isinstance(spec_or_result, Result):
        result = spec_or_result
    elif isinstance(spec_or_result, Spec):
        result = compute(spec_or_result)
    else:
        raise DropguiError(
            f"figure() takes a dropgui.Spec or dropgui.Result, not {type(spec_or_result).__name__}"
        )
    data = render(result, fmt, scale, slices)
    if target is None:
        return data
    atomic_write(target, lambda file: file.write(data))
    return None


def repr_png(result: Result) -> tuple[bytes, dict[str, int]] | None:
    """What Jupyter shows for a `Result`: a NOTEBOOK_SCALE PNG, and its size on the page.

    IPython takes (data, metadata) from `_repr_png_`; width and height in the metadata
    are CSS pixels, so a 2x PNG is shown at the size of a 1x one, with twice the detail
    on a high-DPI screen (as `IPython.display.Image(retina=True)` does). None (no
    picture, the text repr stays) when the result is too large to draw; `figure()` says
    why.
    """
    try:
        data = render(result, "png", NOTEBOOK_SCALE, None)
    except DropguiError:
        return None
    width, height = png_size(data)
    return data, {"width": width // NOTEBOOK_SCALE, "height": height // NOTEBOOK_SCALE}


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def render(result: Result, fmt: str, scale: int, slices: Sequence[int] | None) -> bytes:
    """One image of `result` by the writer `dropgui export` uses for `fmt`."""
    batch, seq_len, dim = result.shape
    slices = _checked_slices(slices, batch)
    if max(seq_len, dim) > MAX_IMAGE_SIDE:
        raise DropguiError(
            f"a figure draws at most {MAX_IMAGE_SIDE:,} tokens or channels a side (a cell "
            f"is at least a pixel) and {format_shape(result.shape)} has {max(seq_len, dim):,}"
        )
    # The plan of a one-frame export; its path is never written (the bytes come back).
    plan = ExportPlan(
        Path(f"figure.{fmt}"), fmt, ((result.spec, None),), scale=scale, slices=slices
    )
    check_memory(
        memory_estimate(plan, result.shape),
        f"a figure of {format_shape(result.shape)} at scale {scale}",
        "draw fewer slices or use a smaller scale",
    )
    with _offscreen_qapp():
        from ._qt import image_export  # noqa: F401  registers the png and svg writers

        writer = image_writer(plan)
        try:
            writer.add(result, None)
            (data,) = writer.finish()
        finally:
            writer.close()
    return data


def _checked_scale(scale: object) -> int:
    if isinstance(scale, bool) or not isinstance(scale, numbers.Integral):
        raise DropguiError(f"scale must be a whole number from 1 to {MAX_SCALE} (got {scale!r})")
    if not 1 <= scale <= MAX_SCALE:
        raise DropguiError(f"scale must be from 1 to {MAX_SCALE} (got {scale})")
    return int(scale)


def _checked_slices(slices: Sequence[int] | None, batch: int) -> tuple[int, ...]:
    """The slices to draw, each once, in the order given; the first MAX_IMAGE_SLICES by
    default (the overview strip then shows every slice's mask)."""
    if slices is None:
        return tuple(range(min(batch, MAX_IMAGE_SLICES)))
    if isinstance(slices, numbers.Integral):
        slices = (slices,)
    chosen = []
    for index in slices:
        if isinstance(index, bool) or not isinstance(index, numbers.Integral):
            raise DropguiError(f"slices must be whole numbers (got {index!r})")
        if not 0 <= index < batch:
            raise DropguiError(
                f"slice {index} does not exist: the batch has slices 0 to {batch - 1}"
            )
        if int(index) not in chosen:
            chosen.append(int(index))
    if not chosen:
        raise DropguiError("no batch slice chosen")
    if len(chosen) > MAX_IMAGE_SLICES:
        raise DropguiError(
            f"{len(chosen)} slices are more than one figure shows ({MAX_IMAGE_SLICES})"
        )
    return tuple(chosen)


@contextlib.contextmanager
def _offscreen_qapp() -> Iterator[None]:
    """A QApplication to draw with, never a window on screen.

    The one that runs is used (a kernel with `%gui qt`, or the window); the figure is
    never shown on its screen (`ExportFigure` is WA_DontShowOnScreen). Without one, one
    is created on Qt's offscreen platform whatever DISPLAY says: a figure needs no
    screen, comes out the same as on a headless server, and a kernel whose DISPLAY names
    a display that is gone (an SSH session that ended) is not aborted by Qt failing to
    connect to it. QT_QPA_PLATFORM is restored afterwards, so programs the kernel starts
    later still find the display.
    """
    from PySide6.QtCore import QCoreApplication, QThread
    from PySide6.QtWidgets import QApplication

    from ._qt.app import get_qapp

    running = QCoreApplication.instance()
    if running is not None:
        if not isinstance(running, QApplication):
            raise DropguiError(
                f"a {type(running).__name__} runs in this process; drawing a figure needs a "
                "QApplication (widgets), which Qt cannot start beside it"
            )
        if QThread.currentThread() is not running.thread():
            raise DropguiError("draw figures from the thread that runs the QApplication")
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        raise DropguiError("draw figures from the main thread (Qt draws there only)")
    saved = os.environ.get("QT_QPA_PLATFORM")
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        get_qapp()
    finally:
        if saved is None:
            os.environ.pop("QT_QPA_PLATFORM", None)
        else:
            os.environ["QT_QPA_PLATFORM"] = saved
    yield


__all__ = ["MAX_SCALE", "NOTEBOOK_SCALE", "figure", "png_size", "render", "repr_png"]
