"""Grids to PNG, SVG and GIF, drawn by the window's own `GridFigure`, offscreen.

An export builds a `GridFigure` that is never put on screen (WA_DontShowOnScreen) but
is shown, so Qt lays it out (an unshown widget has size 0, see shared/STYLE.md), sizes
it so every heatmap cell has a fixed pixel size, and hands its scene to
`pyqtgraph.exporters`: ImageExporter for PNG (its width parameter gives 1x, 2x, 4x)
and SVGExporter for SVG. GIF frames are the same PNG renders, quantized with Pillow to
one palette shared by every frame (Qt reads GIFs but cannot write them).

`FrameExport` runs an `ExportPlan` one frame per `step()`, so the CLI loops over it and
the export dialog drives it from a QTimer without freezing the window; the one-call
helpers `render_png`, `render_svg`, `render_gif` are built on the same figure.
"""

from __future__ import annotations

import base64
import importlib
import io
import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters  # pg.exporters is not imported by `import pyqtgraph`
from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEvent, QIODevice, Qt
from PySide6.QtGui import QImage, QPen
from PySide6.QtWidgets import QAbstractGraphicsShapeItem

from ..engine import compute
from ..errors import DropguiError
from ..export import (
    ExportCancelled,
    ExportPlan,
    Frame,
    StagedFiles,
    atomic_write,
    check_target,
)
from ..result import Result
from .app import get_qapp
from .grids import COLOR_MAP, LABELLED_CELLS, NOISE_MAP, GridFigure

GIF_FRAME_MS = 700
EXACT_COLOURS = 48
"""Colours of a GIF's first frame kept exactly in the shared palette (most frequent first)."""
MAX_IMAGE_PIXELS = 64_000_000
"""Largest exported raster (8000 x 8000): a 256 MB QImage while it is painted."""
MAX_GIF_PIXELS = 250_000_000
"""Largest sum of frame pixels in a GIF: Pillow holds every 1-byte frame until it
writes the file. The classic example at 1x is 0.5 MP a frame, so 200 frames fit at 1x
and 2x; at 4x a shorter range is needed."""
SVG_MIN_IMAGE_SIDE = 256
"""Heatmaps are embedded in an SVG as PNGs of one pixel per cell. Many viewers
(ImageMagick, Qt, some editors) smooth a 4 x 3 image stretched over 300 px into a
blur, ignoring `image-rendering: pixelated`; each cell is repeated (nearest neighbour)
until the image is at least this many pixels across, so every viewer shows sharp cells."""


def cell_size(shape: tuple[int, int, int]) -> tuple[int, int]:
    """Target pixel size (width, height) of one heatmap cell at 1x.

    Labelled grids (up to LABELLED_CELLS cells, like the classic (3, 3, 4)) need room for
    a value such as "-0.031"; larger grids get square cells so a slice is about 320 px.
    """
    _, seq_len, dim = shape
    if seq_len * dim <= 64:
        return 58, 34
    if seq_len * dim <= LABELLED_CELLS:
        return 46, 24
    side = max(1, min(20, 320 // max(seq_len, dim)))
    return side, side


def _settle() -> None:
    """Lay out now: deliver posted layout requests, no paints and no user input.

    Resizing a shown widget resizes its scene at once; the graphics layout then posts a
    LayoutRequest. Delivering every posted event would also paint the (never seen)
    widget each round, which costs more than the rest of an export.
    """
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


class ExportFigure(GridFigure):
    """A `GridFigure` that draws chosen slices on one page, at a size fitted to them.

    GridFigure pages batch slices for the window; an export shows exactly the slices
    asked for (all of them when none are chosen).
    """

    def __init__(self, slices: Sequence[int] | None = None) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.export_slices = None if slices is None else tuple(slices)
        self.fitted = False

    def draw(self, result: Result, compare: Result | None = None) -> None:
        """Draw `result`; the first drawing fixes the figure's size for later frames."""
        slices = self.export_slices or range(result.shape[0])
        self.show_results(result, compare, slices=slices)
        if not self.fitted:
            self.fit(result.shape)
            self.fitted = True
        _settle()

    def heatmap_boxes(self) -> list[pg.ViewBox]:
        """The view boxes that hold heatmaps (not the colour bar or the count bars)."""
        boxes = {}
        for item in self.scene().items():
            if isinstance(item, pg.ImageItem):
                box = item.getViewBox()
                if box is not None and not self.color_bar.isAncestorOf(box):
                    boxes[id(box)] = box
        return list(boxes.values())

    def fit(self, shape: tuple[int, int, int]) -> None:
        """Resize until each heatmap cell has about `cell_size(shape)` pixels.

        The layout gives the widget's extra room to the heatmaps, so a few rounds of
        measuring one heatmap and correcting the widget by the error (times the number
        of heatmap rows and columns) converge; the layout's minimum (the legend line,
        the title) wins over the target.
        """
        _, seq_len, dim = shape
        cell_w, cell_h = cell_size(shape)
        minimum = self.ci.effectiveSizeHint(Qt.SizeHint.MinimumSize)
        width, height = 640, 480
        self.resize(width, height)
        if not self.isVisible():
            self.show()
        for _ in range(6):
            _settle()
            boxes = self.heatmap_boxes()
            if not boxes:
                return
            columns = len({round(box.sceneBoundingRect().left()) for box in boxes})
            rows = len({round(box.sceneBoundingRect().top()) for box in boxes})
            box_w = min(box.width() for box in boxes)
            box_h = min(box.height() for box in boxes)
            new_width = max(
                math.ceil(minimum.width()) + 16, width + round((dim * cell_w - box_w) * columns)
            )
            new_height = max(
                math.ceil(minimum.height()) + 16,
                height + round((seq_len * cell_h - box_h) * rows),
            )
            if abs(new_width - width) <= 1 and abs(new_height - height) <= 1:
                break
            width, height = new_width, new_height
            self.resize(width, height)
        _settle()

    def to_image(self, scale: int = 1) -> QImage:
        """The scene as a QImage, `scale` times the widget's pixel size."""
        width, height = self.width() * scale, self.height() * scale
        if width * height > MAX_IMAGE_PIXELS:
            raise DropguiError(
                f"the image would be {width} x {height} pixels, more than the cap of "
                f"{MAX_IMAGE_PIXELS:,}; choose a smaller scale or one slice"
            )
        return _scene_image(self, scale)

    def to_svg(self) -> bytes:
        return scene_svg(self)


def scene_svg(view: pg.GraphicsView) -> bytes:
    """The scene of a shown pyqtgraph view as SVG bytes (grids or statistics)."""
    # View boxes update their transforms lazily, when the scene is about to paint;
    # ImageExporter's render() asks for that, SVGExporter does not.
    view.scene().prepareForPaint()
    exporter = pg.exporters.SVGExporter(view.scene())
    with _closed_paths_fixed():
        svg = exporter.export(toBytes=True)
    return sharpen_svg(svg)


def save_view(view: pg.GraphicsView, path: str | Path, scale: int = 1) -> None:
    """Write a shown view as .png (at `scale`) or .svg, atomically; DropguiError if the
    path or suffix cannot be used. The statistics view is exported with this."""
    target = check_target(path)
    if target.suffix.lower() == ".svg":
        data = scene_svg(view)
    elif target.suffix.lower() == ".png":
        data = png_bytes(_scene_image(view, scale))
    else:
        raise DropguiError(f"{target.name}: a view exports as .png or .svg")
    atomic_write(target, lambda file: file.write(data))


def _scene_image(figure: GridFigure, scale: float) -> QImage:
    exporter = pg.exporters.ImageExporter(figure.scene())
    # Setting the width makes the exporter follow with the height (aspect kept).
    exporter.parameters()["width"] = round(figure.width() * scale)
    with _cosmetic_pens_scaled(figure.scene(), scale):
        return exporter.export(toBytes=True)


@contextmanager
def _cosmetic_pens_scaled(scene, scale: float) -> Iterator[None]:
    """Widen cosmetic pens of plain Qt shape items by `scale` while exporting.

    ImageExporter scales the painter, but a cosmetic pen keeps its width in device
    pixels, so at 4x the 3-px outline of a dropped token or channel would shrink to a
    quarter of its look on screen. pyqtgraph's own items follow the exporter's
    `resolutionScale`; Qt's (the bands are a QGraphicsPathItem) do not.
    """
    changed = []
    if scale != 1:
        for item in scene.items():
            if isinstance(item, QAbstractGraphicsShapeItem):
                pen = item.pen()
                if pen.isCosmetic() and pen.widthF() > 0:
                    changed.append((item, QPen(pen)))
                    pen.setWidthF(pen.widthF() * scale)
                    item.setPen(pen)
    try:
        yield
    finally:
        for item, pen in changed:
            item.setPen(pen)


def grid_image(figure: GridFigure) -> QImage:
    """The window's grids as a QImage for the clipboard, at the screen's pixel density.

    `QGuiApplication.clipboard().setImage(grid_image(figure))`. The figure must be on
    screen (it is, in the window); the image has the same look as an exported PNG.
    """
    return _scene_image(figure, figure.devicePixelRatioF())


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def pil_image(image: QImage) -> Image.Image:
    """A QImage as an RGB Pillow image (a copy)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    return Image.frombuffer(
        "RGB",
        (rgb.width(), rgb.height()),
        bytes(rgb.constBits()),
        "raw",
        "RGB",
        rgb.bytesPerLine(),
        1,
    ).copy()


# ------------------------------------------------------------------ SVG


@contextmanager
def _closed_paths_fixed() -> Iterator[None]:
    """Let pyqtgraph 0.14's SVGExporter handle closed paths.

    Qt 6 writes rectangles as paths ending in "Z"; pyqtgraph's `correctCoordinates`
    splits every path token on "," and fails on the "Z" (pyqtgraph issue #3495, fixed by
    PR #3458, not in 0.14.0). Our bands and every ViewBox outline are such paths. While
    exporting, "Z" tokens are taken out before pyqtgraph rewrites a path's coordinates
    and put back at the same places after; a release that parses "Z" itself sees none.
    """
    module = importlib.import_module("pyqtgraph.exporters.SVGExporter")
    original = module.correctCoordinates

    def correct_coordinates(node, defs, item, options):
        closes = []
        for path in node.getElementsByTagName("path"):
            tokens = path.getAttribute("d").split()
            marks = [i for i, token in enumerate(tokens) if token in ("Z", "z")]
            if marks:
                path.setAttribute("d", " ".join(t for t in tokens if t not in ("Z", "z")))
                closes.append((path, marks))
        original(node, defs, item, options)
        for path, marks in closes:
            tokens = path.getAttribute("d").split()
            for index in marks:
                tokens.insert(index, "Z")
            path.setAttribute("d", " ".join(tokens))

    module.correctCoordinates = correct_coordinates
    try:
        yield
    finally:
        module.correctCoordinates = original


_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"


def sharpen_svg(svg: bytes) -> bytes:
    """Make pyqtgraph's SVG read the same in every viewer, not only in browsers.

    * Heatmaps are embedded as PNGs of one pixel per cell, stretched by a transform.
      Viewers that ignore `image-rendering: pixelated` (ImageMagick, Qt, some editors)
      blur them across whole cells. Each pixel is repeated (nearest neighbour) until the
      image is at least SVG_MIN_IMAGE_SIDE pixels across, and the image is drawn at its
      pixel size under `scale(1/k)`, so even a viewer that rasterizes at user units
      first sees sharp cells. The geometry is unchanged.
    * ViewBox clip paths are dropped: every item lies inside its view by construction
      (image, marks, labels and bands exactly fill the cell range), and ImageMagick 6's
      renderer applies them wrongly, leaving whole panels blank. Unclipped, the SVG is
      also easier to edit.
    * An empty path (`d=""`, a band path of a slice with no band) makes Qt warn; it goes.
    """
    ET.register_namespace("", _SVG)
    ET.register_namespace("xlink", _XLINK)
    root = ET.fromstring(svg)
    href = f"{{{_XLINK}}}href"
    prefix = "data:image/png;base64,"
    for element in root.iter(f"{{{_SVG}}}image"):
        link = element.get(href, "")
        if not link.startswith(prefix) or element.get("transform"):
            continue
        picture = Image.open(io.BytesIO(base64.b64decode(link[len(prefix) :])))
        repeat = math.ceil(SVG_MIN_IMAGE_SIDE / max(picture.size))
        if repeat <= 1:
            continue
        picture = picture.resize(
            (picture.width * repeat, picture.height * repeat), Image.Resampling.NEAREST
        )
        out = io.BytesIO()
        picture.save(out, format="PNG", optimize=True)
        element.set(href, prefix + base64.b64encode(out.getvalue()).decode("ascii"))
        for name in ("x", "y", "width", "height"):
            element.set(name, f"{float(element.get(name, 0)) * repeat:g}")
        element.set("transform", f"scale({1 / repeat:.12g})")
    for parent in root.iter():
        parent.attrib.pop("clip-path", None)
        for child in list(parent):
            empty_path = child.tag == f"{{{_SVG}}}path" and not child.get("d", "").strip()
            if child.tag == f"{{{_SVG}}}clipPath" or empty_path:
                parent.remove(child)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# ------------------------------------------------------------------ GIF


class _NearestColours:
    """Maps RGB frames to palette images, each pixel to its exactly nearest colour.

    Pillow's `quantize(palette=...)` matches through a coarse colour cache, which turned
    white into (251, 251, 251) although white was in the palette. Matching exactly is
    cheap: a frame has a few thousand distinct colours, and most recur in the next
    frame, so each colour is matched once and remembered in a 2**24 lookup table.
    """

    def __init__(self, palette: np.ndarray) -> None:
        self.palette = palette.astype(np.float64)
        self.flat_palette = palette.astype(np.uint8).ravel().tolist()
        self.lookup = np.full(2**24, -1, dtype=np.int16)  # packed RGB -> palette index

    def __call__(self, rgb: Image.Image) -> Image.Image:
        pixels = np.asarray(rgb, dtype=np.int32)
        packed = (pixels[..., 0] << 16) | (pixels[..., 1] << 8) | pixels[..., 2]
        index = self.lookup[packed]
        unseen = np.unique(packed[index < 0])
        if unseen.size:
            colours = np.stack([unseen >> 16, (unseen >> 8) & 255, unseen & 255], axis=1)
            # |c - p|^2 less |c|^2, which does not move the argmin: one matrix product.
            # Exact in float64: every term is a small integer.
            distance = (self.palette**2).sum(axis=1)[None, :] - 2.0 * (
                colours.astype(np.float64) @ self.palette.T
            )
            self.lookup[unseen] = distance.argmin(axis=1)
            index = self.lookup[packed]
        frame = Image.frombytes("P", rgb.size, index.astype(np.uint8).tobytes())
        frame.putpalette(self.flat_palette)
        return frame


class GifEncoder:
    """Frames in, one animated GIF out: one shared palette, no dithering, loops forever.

    The palette is fixed at the first frame: its most frequent colours exactly (white,
    the dropped red, the bands, its cells), 96 samples of each colour map in use (so a
    cell colour in any later frame has a near twin), and median-cut shades of the
    first frame for anti-aliased text. No dithering keeps flat cells flat, which
    compresses well and keeps later frames' deltas small.
    """

    def __init__(self, frame_ms: int = GIF_FRAME_MS, with_noise_map: bool = False) -> None:
        self.frame_ms = frame_ms
        self.with_noise_map = with_noise_map
        self.frames: list[Image.Image] = []
        self._to_palette: _NearestColours | None = None

    @classmethod
    def for_results(cls, result: Result, compare: Result | None) -> GifEncoder:
        """An encoder whose palette also covers the noise colour map when it is drawn."""
        noisy = result.noise is not None or (compare is not None and compare.noise is not None)
        return cls(with_noise_map=noisy)

    def add(self, image: QImage) -> None:
        rgb = pil_image(image)
        if self._to_palette is None:
            self._to_palette = _NearestColours(self._make_palette(rgb))
        self.frames.append(self._to_palette(rgb))

    def _make_palette(self, first: Image.Image) -> np.ndarray:
        maps = [COLOR_MAP] + ([NOISE_MAP] if self.with_noise_map else [])
        samples = [
            tuple(int(c) for c in rgb[:3])
            for colour_map in maps
            for rgb in colour_map.getLookupTable(nPts=96, mode="byte")
        ]
        counted = first.getcolors(maxcolors=first.width * first.height) or []
        exact = [colour for _, colour in sorted(counted, reverse=True)[:EXACT_COLOURS]]
        colours = list(dict.fromkeys(exact + samples))
        rest = 256 - len(colours)
        if rest > 0:  # shades of anti-aliased text and edges
            shades = first.quantize(colors=rest, method=Image.Quantize.MEDIANCUT)
            flat_shades = shades.getpalette()[: 3 * rest]
            colours += list(zip(*[iter(flat_shades)] * 3, strict=True))
        return np.array(colours[:256], dtype=np.int32)

    def encode(self) -> bytes:
        if not self.frames:
            raise DropguiError("a GIF needs at least one frame")
        out = io.BytesIO()
        self.frames[0].save(
            out,
            format="GIF",
            save_all=True,
            append_images=self.frames[1:],
            duration=self.frame_ms,
            loop=0,
        )
        return out.getvalue()


# ------------------------------------------------------------------ running a plan


def compute_frame(frame: Frame) -> tuple[Result, Result | None]:
    """The results one frame shows: its spec's, and the compared spec's if any."""
    spec, compare_spec = frame
    return compute(spec), None if compare_spec is None else compute(compare_spec)


class FrameExport:
    """Runs an `ExportPlan` for an image format, one frame per `step()`.

    Each step computes one frame with `dropgui.compute()` (under the engine's TensorFlow
    lock), draws it on one offscreen ExportFigure and keeps it in memory: a GIF frame,
    PNG bytes, or SVG bytes. Nothing touches the disk before `finish()`, which writes
    every file atomically (a PNG sequence all or nothing), so an export abandoned at any
    point, even without `abort()`, leaves no file. Call from the GUI thread.
    """

    def __init__(
        self, plan: ExportPlan, result: Result | None = None, compare: Result | None = None
    ) -> None:
        if plan.fmt not in ("png", "svg", "gif"):
            raise DropguiError(f".{plan.fmt} is not an image format")
        get_qapp()
        self.plan = plan
        self._given = (result, compare) if not plan.animated else (None, None)
        self._figure: ExportFigure | None = ExportFigure(plan.slices)
        self._gif: GifEncoder | None = None
        self._encoded: list[bytes] = []  # PNG or SVG bytes, one per frame
        self.frames_done = 0

    @property
    def frame_count(self) -> int:
        return len(self.plan.frames)

    @property
    def done(self) -> bool:
        return self.frames_done >= self.frame_count

    def step(self) -> None:
        """Compute, draw and keep the next frame."""
        plan, figure = self.plan, self._figure
        if figure is None or self.done:
            raise RuntimeError("this export is finished")
        result, compare = self._given
        if result is None:
            result, compare = compute_frame(plan.frames[self.frames_done])
        figure.draw(result, compare)
        if plan.fmt == "svg":
            self._encoded.append(figure.to_svg())
        elif plan.fmt == "gif":
            if self._gif is None:
                pixels = figure.width() * figure.height() * plan.scale**2 * self.frame_count
                if pixels > MAX_GIF_PIXELS:
                    raise DropguiError(
                        f"{self.frame_count} frames of {figure.width() * plan.scale} x "
                        f"{figure.height() * plan.scale} pixels are more than a GIF holds "
                        f"here ({MAX_GIF_PIXELS:,} pixels in all); use fewer frames, a "
                        "smaller scale or one slice"
                    )
                self._gif = GifEncoder.for_results(result, compare)
            self._gif.add(figure.to_image(plan.scale))
        else:
            self._encoded.append(png_bytes(figure.to_image(plan.scale)))
        self.frames_done += 1

    def finish(self) -> list[Path]:
        """Write the files (all frames must be done) and return their paths."""
        if not self.done:
            raise RuntimeError(f"only {self.frames_done} of {self.frame_count} frames are done")
        try:
            if self.plan.fmt == "gif":
                data = self._gif.encode()
                atomic_write(self.plan.path, lambda file: file.write(data))
                return [self.plan.path]
            with StagedFiles() as staged:  # one file, or a sequence all or nothing
                for target, data in zip(self.plan.targets, self._encoded, strict=True):
                    staged.stage(target, data)
                return staged.commit()
        finally:
            self.abort()

    def abort(self) -> None:
        """Drop the figure and every frame; nothing was written, nothing is left."""
        if self._figure is not None:
            self._figure.close()
            self._figure = None
        self._gif = None
        self._encoded = []


# ------------------------------------------------------------------ one-call helpers


def _figure_for(
    result: Result, compare: Result | None, slices: Sequence[int] | None
) -> ExportFigure:
    get_qapp()
    figure = ExportFigure(slices)
    figure.draw(result, compare)
    return figure


def render_png(
    result: Result,
    compare: Result | None = None,
    scale: int = 1,
    slices: Sequence[int] | None = None,
) -> bytes:
    """PNG bytes of the grids of `result` (every slice, or `slices`) at 1x, 2x or 4x."""
    figure = _figure_for(result, compare, slices)
    try:
        return png_bytes(figure.to_image(scale))
    finally:
        figure.close()


def render_svg(
    result: Result, compare: Result | None = None, slices: Sequence[int] | None = None
) -> bytes:
    """SVG bytes of the grids: text stays text, heatmaps are embedded sharp PNGs."""
    figure = _figure_for(result, compare, slices)
    try:
        return figure.to_svg()
    finally:
        figure.close()


def render_gif(
    frames: Sequence[Frame],
    scale: int = 1,
    slices: Sequence[int] | None = None,
    progress: Callable[[int, int], object] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> bytes:
    """An animated GIF of `frames` ((spec, compared spec or None) pairs), 700 ms each.

    Each frame is computed with `dropgui.compute()` and captioned by the figure's title
    line (mode, rate, seed, draw, engine). `cancel()` returning True raises
    ExportCancelled.
    """
    get_qapp()
    figure = ExportFigure(slices)
    encoder: GifEncoder | None = None
    try:
        for index, frame in enumerate(frames):
            if cancel is not None and cancel():
                raise ExportCancelled("export cancelled")
            result, compare = compute_frame(frame)
            figure.draw(result, compare)
            if encoder is None:
                encoder = GifEncoder.for_results(result, compare)
            encoder.add(figure.to_image(scale))
            if progress is not None:
                progress(index + 1, len(frames))
        if encoder is None:
            raise DropguiError("a GIF needs at least one frame")
        return encoder.encode()
    finally:
        figure.close()


__all__ = [
    "ExportFigure",
    "FrameExport",
    "GifEncoder",
    "cell_size",
    "grid_image",
    "render_gif",
    "render_png",
    "render_svg",
]
