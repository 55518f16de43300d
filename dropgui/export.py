"""Export: grids as images and animations, tensors as data; every file written safely.

This module imports no Qt, ever. It checks a request completely before any work
(`plan_export`), computes a plan's frames with `dropgui.compute()` (`compute_frames`),
writes the data formats itself (`save_npz`, `save_csv`), and hands the image formats to
a writer registered for the format (`register_image_writer`), as pyqtgraph's exporters
register themselves. The writers draw with Qt and live in `dropgui/_qt/image_export.py`;
importing that module registers png, svg and gif. A writer only draws frames it is
given and returns bytes; the files are written here, so `.npz` and `.csv` export works
where Qt is not installed, and the CLI, the window's dialog and the tests share one
path: plan, frames, writer, `write_images`.

Files appear whole or not at all: a file is written with `atomic_write`, a numbered PNG
sequence as one folder with `write_sequence`, both in `dropgui/files.py`. Every target,
and the memory an export needs, is checked before any computation (`plan_export`).
"""

from __future__ import annotations

import io
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from .engine import compute  # TensorFlow itself loads only on the first compute
from .errors import DropguiError, os_reason
from .files import (
    TEMPORARY_SUFFIX,
    atomic_write,
    check_sequence_folder,
    os_errors_named,
    temporary_prefix,
    write_sequence,
)
from .i18n import N_, tr
from .inputs import input_shape, prepare
from .result import Result
from .spec import MAX_DRAW, MAX_SEED, Spec, check_memory, format_shape

FORMATS = {".png": "png", ".svg": "svg", ".gif": "gif", ".npz": "npz", ".csv": "csv"}
"""Suffix -> format; the suffix of the output path picks the format."""
IMAGE_FORMATS = ("png", "svg", "gif")
FRAME_FORMATS = ("png", "gif")
"""Formats that take a seed or draw range: an animated GIF or a numbered PNG sequence."""

MAX_FRAMES = 200
"""Longest seed or draw range: 200 frames is 140 s of GIF at 700 ms a frame, and keeps
a GIF of the classic example under a few MB and its export under a minute."""
MAX_IMAGE_SLICES = 8
"""Most batch slices one image draws; larger batches are exported one slice at a time
(`--slice B`), as a taller image would not be readable on a page or a slide."""
MAX_IMAGE_SIDE = 8192
"""Most tokens or channels one image slice draws: a heatmap cell is at least a pixel, so a
(1, 1, 16777216) tensor would be a figure 16 million pixels wide, refused by the writer
only after minutes of drawing and GBs of memory. Larger slices export as .npz or .csv."""
CSV_HEADER = "batch,token,channel,before,after,kept"

# An export's memory above an idle process (`memory_estimate`), from measurements with
# some room (tests/test_resources.py runs the largest accepted requests). One compute:
# measured 29 bytes a cell at MAX_CELLS. Drawing an image, per cell drawn at 1x (about
# 2.4 pixels: two panels and a colour bar): 32 to 58 for PNG and SVG, 156 for a GIF's
# first frame (its palette is built from an RGBA copy). Each frame is held encoded until
# the files are written: 1.2 a cell for a PNG of a random mask, 3.1 for a GIF frame, and
# 0.8 MB (PNG) to 2 MB (GIF) whatever the size (the classic (3, 3, 4)).
COMPUTE_BYTES_PER_CELL = 32
DRAW_BYTES_PER_CELL = {"png": 64, "svg": 64, "gif": 170}
KEPT_BYTES_PER_CELL = {"png": 4, "svg": 8, "gif": 4}
KEPT_BYTES_PER_FRAME = 2 * 2**20

Frame = tuple[Spec, Spec | None]
"""What one image shows: a spec, and the spec of the compared mode or None."""
ComputedFrame = tuple[Result, Result | None]
"""A frame computed: the result of its spec, and of the compared spec or None."""


class ExportCancelled(Exception):
    """Raised inside an export when its `cancel` callback says stop; nothing is written."""


# ------------------------------------------------------------------ checks and plan


@dataclass(frozen=True)
class ExportPlan:
    """A checked export request: what to write where, decided before any work.

    `frames` holds one (spec, compared spec) pair per image; `animated` is True when
    they come from a seed or draw range (a GIF, or a numbered PNG sequence even of one
    frame). `slices` are the batch slices an image draws, None for every slice.
    """

    path: Path
    fmt: str
    frames: tuple[Frame, ...]
    animated: bool = False
    scale: int = 1
    slices: tuple[int, ...] | None = None

    @property
    def sequence_folder(self) -> Path | None:
        """The folder of a numbered PNG sequence (NAME/ for NAME.png); None otherwise."""
        return self.path.with_suffix("") if self.fmt == "png" and self.animated else None

    @property
    def output(self) -> Path:
        """What appears when the export succeeds: the file, or the sequence's folder."""
        return self.sequence_folder or self.path

    @property
    def targets(self) -> list[Path]:
        """Every file the export writes: NAME/NAME_000.png ... for a PNG sequence."""
        folder = self.sequence_folder
        if folder is None:
            return [self.path]
        width = max(3, len(str(len(self.frames) - 1)))
        return [
            folder / f"{self.path.stem}_{index:0{width}d}.png" for index in range(len(self.frames))
        ]


def export_format(path: str | os.PathLike[str]) -> str:
    """The format named by the suffix of `path`; DropguiError for any other suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        name, formats = Path(path).name, " ".join(FORMATS)
        if suffix:
            refusal = tr(
                "cannot export to {name!r} (suffix {suffix!r}); use one of {formats}",
                name=name,
                suffix=suffix,
                formats=formats,
            )
        else:
            refusal = tr(
                "cannot export to {name!r} (no suffix); use one of {formats}",
                name=name,
                formats=formats,
            )
        raise DropguiError(refusal)
    return FORMATS[suffix]


def check_target(path: str | os.PathLike[str]) -> Path:
    """The absolute target path, once its folder exists and can be written to."""
    target = Path(path).expanduser().absolute()
    with os_errors_named(target):  # e.g. a name longer than the file system allows
        folder = target.parent
        if not folder.exists():
            # A missing folder may hide behind a regular file further up (/file/x/out.png).
            blocker = next((p for p in folder.parents if p.exists()), None)
            if blocker is not None and not blocker.is_dir():
                raise DropguiError(_not_a_folder(target, blocker))
            raise DropguiError(
                tr(
                    "cannot write {target}: folder {folder} does not exist",
                    target=target,
                    folder=folder,
                )
            )
        if not folder.is_dir():
            raise DropguiError(_not_a_folder(target, folder))
        if not os.access(folder, os.W_OK | os.X_OK):
            raise DropguiError(
                tr(
                    "cannot write {target}: folder {folder} is not writable",
                    target=target,
                    folder=folder,
                )
            )
        if target.is_dir():
            raise DropguiError(tr("cannot write {target}: it is a folder", target=target))
        try:  # the only sure test (root passes os.access; /proc refuses new files)
            handle, probe = tempfile.mkstemp(
                prefix=temporary_prefix(), suffix=TEMPORARY_SUFFIX, dir=folder
            )
        except OSError as error:
            raise DropguiError(
                tr(
                    "cannot write {target}: folder {folder} takes no new files ({reason})",
                    target=target,
                    folder=folder,
                    reason=os_reason(error),
                )
            ) from None
        os.close(handle)
        os.unlink(probe)
        return target


def _not_a_folder(target: Path, path: Path) -> str:
    return tr("cannot write {target}: {path} is a file, not a folder", target=target, path=path)


def parse_range(
    text: str, name: str = "seeds", low: int = 0, high: int = MAX_SEED, cap: int = MAX_FRAMES
) -> range:
    """'A:B' -> range(A, B), half-open like Python's slices: A, A+1, ..., B-1.

    Refused: anything but two integers, an empty (5:5) or reversed (5:2) range, one
    outside [low, high], or more than `cap` frames (MAX_FRAMES, 200, by default).
    """
    parts = text.split(":")
    try:
        start, stop = (int(part) for part in parts)
    except ValueError:
        raise DropguiError(
            tr(
                "--{name} must be A:B, two integers, e.g. {example} (got {text!r})",
                name=name,
                example=f"{low}:{low + 10}",
                text=text,
            )
        ) from None
    if stop == start:
        raise DropguiError(
            tr(
                "--{name} {text} is empty: A:B means {name} A to B-1, so B must be above A",
                name=name,
                text=text,
            )
        )
    if stop < start:
        raise DropguiError(
            tr(
                "--{name} {text} is reversed: B must be above A, e.g. {example}",
                name=name,
                text=text,
                example=f"{stop}:{start}",
            )
        )
    if start < low or stop - 1 > high:
        raise DropguiError(
            tr(
                "--{name} {text} goes outside {low}..{high:,}, the {name} dropgui takes",
                name=name,
                text=text,
                low=low,
                high=high,
            )
        )
    if stop - start > cap:
        raise DropguiError(
            tr(
                "--{name} {text} is {frames} frames, more than the cap of {cap}",
                name=name,
                text=text,
                frames=stop - start,
                cap=cap,
            )
        )
    return range(start, stop)


def frames_for(
    spec: Spec,
    seeds: range | None = None,
    draws: range | None = None,
    compare: Spec | None = None,
) -> tuple[Frame, ...]:
    """One frame per seed (or draw) of `spec`, the compared spec following along."""
    if seeds is not None and draws is not None:
        raise DropguiError(tr("give --seeds or --draws, not both: a frame changes one of them"))
    if seeds is None and draws is None:
        return ((spec, compare),)
    field, values = ("seed", seeds) if seeds is not None else ("draw", draws)
    return tuple(
        (
            spec.replace(**{field: value}),
            None if compare is None else compare.replace(**{field: value}),
        )
        for value in values
    )


def plan_export(
    spec: Spec,
    path: str | os.PathLike[str],
    *,
    seeds: range | str | None = None,
    draws: range | str | None = None,
    scale: int = 1,
    slice_index: int | None = None,
    slices: Sequence[int] | None = None,
    compare: Spec | None = None,
) -> ExportPlan:
    """Check everything an export needs and say what it will write; no work is done.

    `seeds`/`draws` take "A:B" text or a range; `slice_index` picks one batch slice,
    `slices` several (the window's current page); neither means every slice.
    """
    fmt = export_format(path)
    target = check_target(path)
    if isinstance(seeds, str):
        seeds = parse_range(seeds, "seeds", 0, MAX_SEED)
    if isinstance(draws, str):
        draws = parse_range(draws, "draws", 1, MAX_DRAW)
    for name, values in ((N_("seeds"), seeds), (N_("draws"), draws)):
        if values is not None and len(values) > MAX_FRAMES:
            raise DropguiError(
                tr(
                    "{name}: {frames} frames, more than the cap of {cap}",
                    name=tr(name),
                    frames=len(values),
                    cap=MAX_FRAMES,
                )
            )
        if values is not None and len(values) == 0:
            raise DropguiError(tr("{name}: the range is empty", name=tr(name)))
    animated = seeds is not None or draws is not None
    if animated and fmt not in FRAME_FORMATS:
        raise DropguiError(
            tr(
                "a seed or draw range makes one image per frame: write it to .gif or .png, "
                "not .{fmt}",
                fmt=fmt,
            )
        )
    if scale not in (1, 2, 4):
        raise DropguiError(tr("scale must be 1, 2 or 4 (got {scale})", scale=scale))
    if slice_index is not None:
        if slices is not None:
            raise DropguiError(tr("give one slice or a list of slices, not both"))
        slices = (slice_index,)
    if slices is not None and fmt not in IMAGE_FORMATS:
        raise DropguiError(tr("--slice applies to images; .{fmt} holds every slice", fmt=fmt))
    frames = frames_for(spec, seeds, draws, compare)
    shape = input_shape(spec)  # also checks the spec, before any TensorFlow
    batch = shape[0]
    if compare is not None:
        input_shape(compare)
    for frame_spec, frame_compare in frames:  # a range may step past the largest seed
        frame_spec.validate()
        if frame_compare is not None:
            frame_compare.validate()
    if fmt in IMAGE_FORMATS:
        if slices is not None:
            slices = tuple(int(s) for s in slices)
            if not slices:
                raise DropguiError(tr("no batch slice chosen"))
            for index in slices:
                if not 0 <= index < batch:
                    raise DropguiError(
                        tr(
                            "slice {index} does not exist: the batch has slices 0 to {last}",
                            index=index,
                            last=batch - 1,
                        )
                    )
            if len(slices) > MAX_IMAGE_SLICES:
                raise DropguiError(
                    tr(
                        "{count} slices are more than one image shows ({cap})",
                        count=len(slices),
                        cap=MAX_IMAGE_SLICES,
                    )
                )
        elif batch > MAX_IMAGE_SLICES:
            raise DropguiError(
                tr(
                    "the batch has {batch} slices, more than one image shows ({cap}); choose "
                    "one with --slice B",
                    batch=batch,
                    cap=MAX_IMAGE_SLICES,
                )
            )
        if max(shape[1:]) > MAX_IMAGE_SIDE:
            raise DropguiError(
                tr(
                    "an image draws at most {side:,} tokens or channels a side (a cell is at "
                    "least a pixel) and {shape} has {largest:,}; export it as .npz or .csv",
                    side=MAX_IMAGE_SIDE,
                    shape=format_shape(shape),
                    largest=max(shape[1:]),
                )
            )
    plan = ExportPlan(target, fmt, frames, animated, scale, slices)
    if plan.sequence_folder is not None:
        check_sequence_folder(plan.sequence_folder, plan.path.stem)
    if len(frames) == 1:
        what = tr(
            "this export (1 frame of {shape} as .{fmt}, scale {scale})",
            shape=format_shape(shape),
            fmt=fmt,
            scale=scale,
        )
    else:
        what = tr(
            "this export ({frames} frames of {shape} as .{fmt}, scale {scale})",
            frames=len(frames),
            shape=format_shape(shape),
            fmt=fmt,
            scale=scale,
        )
    advice = tr("export fewer frames, one slice, a smaller scale, or the tensors as .npz")
    check_memory(memory_estimate(plan, shape), what, advice)
    return plan


def memory_estimate(plan: ExportPlan, shape: tuple[int, int, int]) -> int:
    """Peak bytes of running `plan` above an idle process, from the measured costs
    above: frames are computed one at a time, each image is drawn, and every frame's
    encoded bytes are held until the files are written."""
    cells = math.prod(shape)
    computed = cells * COMPUTE_BYTES_PER_CELL * (1 if plan.frames[0][1] is None else 2)
    if plan.fmt not in IMAGE_FORMATS:
        return computed
    slices = len(plan.slices) if plan.slices is not None else shape[0]
    drawn = slices * shape[1] * shape[2] * plan.scale**2
    kept = len(plan.frames) * (drawn * KEPT_BYTES_PER_CELL[plan.fmt] + KEPT_BYTES_PER_FRAME)
    return computed + drawn * DRAW_BYTES_PER_CELL[plan.fmt] + kept


# ------------------------------------------------------------------ data formats


def save_npz(result: Result, path: str | os.PathLike[str]) -> None:
    """input, output, keep_mask, scale, the spec as JSON, and token_ids/noise if any.

    `Spec.from_dict(json.loads(str(npz["spec"])))` rebuilds the spec, and
    `dropgui.compute()` of it gives these arrays bit for bit: the file says how it was
    made. Written uncompressed so numpy loads it without pickle.
    """
    arrays = {
        "input": np.asarray(result.input),
        "output": np.asarray(result.output),
        "keep_mask": np.asarray(result.keep_mask),
        "scale": np.float64(result.scale),
        "spec": np.array(json.dumps(result.spec.to_dict())),
    }
    if result.token_ids is not None:
        arrays["token_ids"] = np.asarray(result.token_ids)
    if result.noise is not None:
        arrays["noise"] = np.asarray(result.noise)
    atomic_write(path, lambda file: np.savez(file, **arrays))


def save_csv(result: Result, path: str | os.PathLike[str]) -> None:
    """One row per cell, B*S*D rows: batch,token,channel,before,after,kept.

    Values are printed in the shortest form that reads back to the same float32
    (numpy's repr), so `np.float32(text)` round-trips every cell exactly.
    """
    atomic_write(path, lambda file: file.writelines(csv_lines(result)))


def csv_lines(result: Result, rows_per_chunk: int = 65_536) -> Iterable[bytes]:
    """The CSV as encoded chunks, so a large tensor is never one string in memory."""
    batch, seq_len, dim = result.shape
    before = np.asarray(result.input, dtype=np.float32).ravel()
    after = np.asarray(result.output, dtype=np.float32).ravel()
    kept = np.asarray(result.keep_mask).ravel()
    yield (CSV_HEADER + "\n").encode()
    for start in range(0, before.size, rows_per_chunk):
        stop = min(before.size, start + rows_per_chunk)
        b, s, d = np.unravel_index(np.arange(start, stop), (batch, seq_len, dim))
        chunk = io.StringIO()
        for row in zip(
            b.tolist(),
            s.tolist(),
            d.tolist(),
            map(str, before[start:stop]),
            map(str, after[start:stop]),
            kept[start:stop].astype(np.uint8).tolist(),
            strict=True,
        ):
            chunk.write(",".join(map(str, row)) + "\n")
        yield chunk.getvalue().encode()


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
