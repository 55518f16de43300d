"""An export request, checked completely before any work: an `ExportPlan`.

`plan_export` turns a spec, a path and options into a plan: the format from the path's
suffix (`export_format`), a target folder that takes new files (`check_target`), seed
or draw ranges (`parse_range`, `frames_for`), the batch slices an image draws, and the
memory the export needs (`memory_estimate`), all within the caps below. The CLI, the
window's dialog and `dropgui.notebook` ask the same checks; `export.py` runs a plan.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import DropguiError, os_reason
from .files import TEMPORARY_SUFFIX, check_sequence_folder, os_errors_named, temporary_prefix
from .i18n import N_, tr
from .inputs import input_shape
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
