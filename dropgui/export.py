"""Export: grids as images and animations, tensors as data; every file written safely.

This module imports no Qt, ever. A request is checked completely before any work
(`plan_export`, in `export_plan.py`); `run_export` then computes the plan's frames with
`dropgui.compute()` (`compute_frames`), writes the data formats (`save_npz`,
`save_csv`, in `export_data.py`), and hands the image formats to a writer registered
for the format (`register_image_writer`), as pyqtgraph's exporters register themselves.
The writers draw with Qt and live in `dropgui/_qt/image_export.py`; importing that
module registers png, svg and gif. A writer only draws frames it is given and returns
bytes; the files are written here, so `.npz` and `.csv` export works where Qt is not
installed, and the CLI, the window's dialog and the tests share one path: plan, frames,
writer, `write_images`. Every name of the export (`__all__`) is importable from here.

Files appear whole or not at all: a file is written with `atomic_write`, a numbered PNG
sequence as one folder with `write_sequence`, both in `dropgui/files.py`. Every target,
and the memory an export needs, is checked before any computation (`plan_export`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from .engine import compute  # TensorFlow itself loads only on the first compute
from .errors import DropguiError
from .export_data import CSV_HEADER, save_csv, save_npz
from .export_plan import (
    FORMATS,
    FRAME_FORMATS,
    IMAGE_FORMATS,
    MAX_FRAMES,
    MAX_IMAGE_SIDE,
    MAX_IMAGE_SLICES,
    ExportPlan,
    Frame,
    check_target,
    export_format,
    frames_for,
    memory_estimate,
    parse_range,
    plan_export,
)
from .files import atomic_write, write_sequence
from .i18n import tr
from .inputs import prepare
from .result import Result

ComputedFrame = tuple[Result, Result | None]
"""A frame computed: the result of its spec, and of the compared spec or None."""


class ExportCancelled(Exception):
    """Raised inside an export when its `cancel` callback says stop; nothing is written."""


# ------------------------------------------------------------------ image writers


class ImageWriter(Protocol):
    """Draws the computed frames of one `ExportPlan` and encodes them; writes no file.

    `add(result, compare)` is called once per frame, in the plan's order; `finish()`
    returns the encoded bytes, one per `plan.targets` entry (one SVG, one GIF, or one
    PNG per frame of a sequence); `close()` frees what it holds and is always called,
    also after an error or a cancel.
    """

    def add(self, result: Result, compare: Result | None) -> None: ...

    def finish(self) -> list[bytes]: ...

    def close(self) -> None: ...


ImageWriterFactory = Callable[[ExportPlan], ImageWriter]
_IMAGE_WRITERS: dict[str, ImageWriterFactory] = {}


def register_image_writer(fmt: str, factory: ImageWriterFactory) -> None:
    """Make `factory(plan)` the writer of image format `fmt` (one of IMAGE_FORMATS).

    Called by `dropgui/_qt/image_export.py` when it is imported; the core never imports
    it, so whoever wants images (the CLI, the window) imports it first.
    """
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"{fmt!r} is not an image format ({', '.join(IMAGE_FORMATS)})")
    _IMAGE_WRITERS[fmt] = factory


def image_writer(plan: ExportPlan) -> ImageWriter:
    """A new writer for an image plan; DropguiError when no writer is registered."""
    factory = _IMAGE_WRITERS.get(plan.fmt)
    if factory is None:
        raise DropguiError(
            tr(
                "{format} export needs the Qt part of dropgui: import "
                "dropgui._qt.image_export first (it needs PySide6 and pyqtgraph)",
                format=plan.fmt.upper(),
            )
        )
    return factory(plan)


def write_images(plan: ExportPlan, encoded: Sequence[bytes]) -> list[Path]:
    """Write a writer's bytes to `plan.targets`, all or nothing; return the paths."""
    if len(encoded) != len(plan.targets):
        raise ValueError(f"{len(encoded)} encoded images for {len(plan.targets)} files")
    if plan.sequence_folder is None:
        atomic_write(plan.path, lambda file: file.write(encoded[0]))
        return [plan.path]
    named = [(target.name, data) for target, data in zip(plan.targets, encoded, strict=True)]
    return write_sequence(plan.sequence_folder, plan.path.stem, named)


# ------------------------------------------------------------------ running a plan


def compute_frames(frames: Sequence[Frame]) -> Iterator[ComputedFrame]:
    """Each frame's results in order, computed with `dropgui.compute()` when asked for.

    A .npy input is read once for the whole range (`Prepared.for_spec`).
    """
    prepared = None
    for spec, compare_spec in frames:
        prepared = prepare(spec) if prepared is None else prepared.for_spec(spec)
        result = compute(spec, prepared)
        compare = None if compare_spec is None else compute(compare_spec, prepared)
        yield result, compare


def run_export(
    plan: ExportPlan,
    frames: Sequence[ComputedFrame] | None = None,
    progress: Callable[[int, int], object] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> list[Path]:
    """Do what `plan` says and return the files written.

    `frames` are the plan's frames already computed, one (result, compare) pair per
    `plan.frames` entry, as the window has them; without them each frame is computed
    with `dropgui.compute()` when it is reached. `progress(done, total)` is called after
    each frame; when `cancel()` returns True (it is asked before each frame) the export
    stops with ExportCancelled and writes nothing.
    """
    if frames is not None:
        _check_given(plan, frames)
    computed = iter(frames) if frames is not None else compute_frames(plan.frames)
    if plan.fmt in ("npz", "csv"):
        result, _ = next(computed)
        (save_npz if plan.fmt == "npz" else save_csv)(result, plan.path)
        return [plan.path]
    writer = image_writer(plan)  # before any computation: no writer, no work
    total = len(plan.frames)
    try:
        for done in range(1, total + 1):
            if cancel is not None and cancel():
                raise ExportCancelled("export cancelled")
            writer.add(*next(computed))
            if progress is not None:
                progress(done, total)
        encoded = writer.finish()
    finally:
        writer.close()
    return write_images(plan, encoded)


def _check_given(plan: ExportPlan, frames: Sequence[ComputedFrame]) -> None:
    """Given results must be the plan's: the file says which spec made it."""
    if len(frames) != len(plan.frames):
        raise ValueError(f"{len(frames)} computed frames for a plan of {len(plan.frames)}")
    for (spec, compare_spec), (result, compare) in zip(plan.frames, frames, strict=True):
        shown_compare = None if compare is None else compare.spec
        if result.spec != spec or shown_compare != compare_spec:
            raise ValueError("the computed frames are not the plan's frames")


__all__ = [
    "CSV_HEADER",
    "FORMATS",
    "FRAME_FORMATS",
    "IMAGE_FORMATS",
    "MAX_FRAMES",
    "MAX_IMAGE_SIDE",
    "MAX_IMAGE_SLICES",
    "ComputedFrame",
    "ExportCancelled",
    "ExportPlan",
    "Frame",
    "ImageWriter",
    "check_target",
    "compute_frames",
    "export_format",
    "frames_for",
    "image_writer",
    "memory_estimate",
    "parse_range",
    "plan_export",
    "register_image_writer",
    "run_export",
    "save_csv",
    "save_npz",
    "write_images",
]
