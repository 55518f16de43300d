"""Image export: computed frames drawn offscreen by the window's `GridFigure`, as bytes.

Importing this module registers the png, svg and gif writers with the Qt-free core
(`dropgui.export.register_image_writer`); the core plans, computes and writes the files,
a writer here only draws the frames it is handed and encodes them. No TensorFlow runs
here: the CLI's frames come from `dropgui.export.compute_frames`, the export dialog's
from the compute worker (`dropgui/_qt/worker.py`).

One way to each kind of image, shared by export, the clipboard and the statistics view:
`view_image` renders a shown view's scene with pyqtgraph's ImageExporter (1x, 2x, 4x),
`view_png` encodes that, `dropgui/_qt/svg.py::view_svg` writes SVG, and
`dropgui/_qt/gif.py::GifEncoder` turns the same renders into a GIF.

An export draws on an `ExportFigure` that is never put on screen (WA_DontShowOnScreen)
but is shown, so Qt lays it out (an unshown widget has size 0), and
is sized so every heatmap cell has a fixed pixel size.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pyqtgraph as pg
import pyqtgraph.exporters  # pg.exporters is not imported by `import pyqtgraph`
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEvent, QIODevice, Qt
from PySide6.QtGui import QImage, QPen
from PySide6.QtWidgets import QAbstractGraphicsShapeItem

from ..errors import DropguiError
from ..export import register_image_writer
from ..export_plan import ExportPlan, check_target, export_format
from ..files import atomic_write
from ..result import Result
from .app import get_qapp
from .gif import GifEncoder
from .grids import GridFigure
from .svg import view_svg
from .theme import LIGHT

MAX_IMAGE_PIXELS = 64_000_000
"""Largest exported raster (8000 x 8000): a 256 MB QImage while it is painted."""
MAX_GIF_PIXELS = 250_000_000
"""Largest sum of frame pixels in a GIF: Pillow holds every 1-byte frame until it
writes the file. The classic example at 1x is 0.5 MP a frame, so 200 frames fit at 1x
and 2x; at 4x a shorter range is needed."""
VIEW_FORMATS = ("png", "svg")
"""What a single view (the statistics view) exports to."""


# ------------------------------------------------------------------ one view to bytes


def view_image(view: pg.GraphicsView, scale: float = 1) -> QImage:
    """The scene of a shown view as a QImage, `scale` times the view's pixel size."""
    width, height = round(view.width() * scale), round(view.height() * scale)
    if width * height > MAX_IMAGE_PIXELS:
        raise DropguiError(
            f"the image would be {width} x {height} pixels, more than the cap of "
            f"{MAX_IMAGE_PIXELS:,}; choose a smaller scale or one slice"
        )
    exporter = pg.exporters.ImageExporter(view.scene())
    # Setting the width makes the exporter follow with the height (aspect kept).
    exporter.parameters()["width"] = width
    with _cosmetic_pens_scaled(view.scene(), scale):
        return exporter.export(toBytes=True)


def view_png(
    view: pg.GraphicsView, scale: float = 1, metadata: dict[str, str] | None = None
) -> bytes:
    """The scene of a shown view as PNG bytes: what every PNG export writes.

    `metadata` goes into PNG text chunks (the grids' spec and colour levels, so an image
    says how to reproduce it)."""
    image = view_image(view, scale)
    for key, value in (metadata or {}).items():
        image.setText(key, value)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


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

    The figure must be on screen (it is, in the window); the image has the same look as
    an exported PNG.
    """
    return view_image(figure, figure.devicePixelRatioF())


def save_view(view: pg.GraphicsView, path: str | os.PathLike[str], scale: int = 1) -> None:
    """Write a shown view (the statistics view) as .png at `scale`, or .svg, atomically.

    The path is checked like any export (`check_target`, `export_format`); DropguiError
    names what is wrong, and nothing is written then.
    """
    fmt = export_format(path)
    if fmt not in VIEW_FORMATS:
        raise DropguiError(f"cannot export a view to .{fmt}: use .png or .svg")
    target = check_target(path)
    data = view_svg(view) if fmt == "svg" else view_png(view, scale)
    atomic_write(target, lambda file: file.write(data))


# ------------------------------------------------------------------ the export figure


def cell_size(shape: tuple[int, int, int]) -> int:
    """Target pixel size of one (square) heatmap cell at 1x.

    Small slices (like the classic (3, 3, 4)) get room for a printed value such as
    "-0.0312"; larger slices a side of about 360 px.
    """
    _, seq_len, dim = shape
    if seq_len * dim <= 64:
        return 52
    if max(seq_len, dim) <= 24:
        return 44
    return max(1, min(24, 360 // max(seq_len, dim)))


def _settle() -> None:
    """Lay out now: deliver posted layout requests, no paints and no user input.

    Resizing a shown widget resizes its scene at once; the graphics layout then posts a
    LayoutRequest. Delivering every posted event would also paint the (never seen)
    widget each round, which costs more than the rest of an export.
    """
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def figure_metadata(figure: GridFigure) -> dict[str, str]:
    """How to reproduce a figure, for PNG text chunks and GIF comments.

    `dropgui:levels` is the before grids' colour levels [low, high] (the input's range);
    after grids' levels follow from it by the mode's law.
    """
    data = {
        "dropgui:spec": json.dumps(figure.result.spec.to_dict()),
        "dropgui:levels": json.dumps(list(figure.result.input_levels)),
    }
    if figure.compare is not None:
        data["dropgui:compare"] = json.dumps(figure.compare.spec.to_dict())
    return data


class ExportFigure(GridFigure):
    """A `GridFigure` that draws chosen slices on one page, at a size fitted to them.

    GridFigure pages batch slices for the window; an export shows exactly the slices
    asked for (all of them when none are chosen), always in the light theme: exports go
    on white paper and slides, whatever the window's appearance.
    """

    fixed_theme = LIGHT
    scales_pens = False  # the writer widens cosmetic pens by the export's own scale

    def __init__(self, slices: Sequence[int] | None = None) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.export_slices = None if slices is None else tuple(slices)
        self.fitted = False

    def draw(self, result: Result, compare: Result | None = None) -> None:
        """Draw `result`; the first drawing fixes the figure's size for later frames."""
        slices = self.export_slices or range(result.shape[0])
        self.show_results(result, compare, focus=slices[0], slices=slices)
        if not self.fitted:
            self.fit_size(result.shape)
            self.fitted = True
        _settle()

    def fit_size(self, shape: tuple[int, int, int]) -> None:
        """Resize until each heatmap cell is about `cell_size(shape)` pixels square.

        The layout gives the widget's extra room to the heatmaps, so a few rounds of
        measuring one heatmap and correcting the widget by the error (times the number
        of heatmap rows and columns) converge; the layout's minimum (the legend line,
        the title) wins over the target.
        """
        _, seq_len, dim = shape
        cell = cell_size(shape)
        minimum = self.ci.effectiveSizeHint(Qt.SizeHint.MinimumSize)
        width, height = 640, 480
        self.resize(width, height)
        if not self.isVisible():
            self.show()
        for _ in range(6):
            _settle()
            boxes = [panel.plot.vb for panel in self.panels]
            columns = len({round(box.sceneBoundingRect().left()) for box in boxes})
            rows = len({round(box.sceneBoundingRect().top()) for box in boxes})
            box_w = min(box.width() for box in boxes)
            box_h = min(box.height() for box in boxes)
            new_width = max(
                math.ceil(minimum.width()) + 16, width + round((dim * cell - box_w) * columns)
            )
            new_height = max(
                math.ceil(minimum.height()) + 16, height + round((seq_len * cell - box_h) * rows)
            )
            if abs(new_width - width) <= 1 and abs(new_height - height) <= 1:
                break
            width, height = new_width, new_height
            self.resize(width, height)
        _settle()
        self.fit()


# ------------------------------------------------------------------ the writers


class FigureWriter:
    """Base of the image writers (`dropgui.export.ImageWriter`): one offscreen figure.

    `add` draws a computed frame and keeps it encoded in memory (`render_frame` gives one
    file's bytes per frame; the GIF writer keeps frames instead). Nothing touches the
    disk, the core writes what `finish()` returns, so a writer abandoned at any point
    leaves no file. Call from the GUI thread: it creates the QApplication if needed.
    """

    def __init__(self, plan: ExportPlan) -> None:
        get_qapp()
        self.plan = plan
        self.frames_added = 0
        self.files: list[bytes] = []
        self.figure: ExportFigure | None = ExportFigure(plan.slices)

    def add(self, result: Result, compare: Result | None) -> None:
        """Draw the next frame of the plan and encode it."""
        if self.figure is None or self.frames_added >= len(self.plan.frames):
            raise RuntimeError("this writer has all its frames, or is closed")
        self.figure.draw(result, compare)
        self.keep_frame(self.figure, result, compare)
        self.frames_added += 1

    def keep_frame(self, figure: ExportFigure, result: Result, compare: Result | None) -> None:
        self.files.append(self.render_frame(figure))

    def render_frame(self, figure: ExportFigure) -> bytes:
        raise NotImplementedError

    def finish(self) -> list[bytes]:
        """The encoded files, one per `plan.targets` entry, once every frame is added."""
        if self.frames_added != len(self.plan.frames):
            raise RuntimeError(f"{self.frames_added} of {len(self.plan.frames)} frames added")
        return list(self.files)

    def close(self) -> None:
        """Drop the figure and every frame."""
        if self.figure is not None:
            self.figure.close()
            self.figure = None
        self.files = []


class PngWriter(FigureWriter):
    """One PNG, or one per frame of a numbered sequence, at the plan's scale; each
    carries its spec and colour levels in text chunks (`figure_metadata`)."""

    def render_frame(self, figure: ExportFigure) -> bytes:
        return view_png(figure, self.plan.scale, figure_metadata(figure))


class SvgWriter(FigureWriter):
    """One SVG: text stays text, heatmaps are embedded sharp PNGs (`view_svg`)."""

    def render_frame(self, figure: ExportFigure) -> bytes:
        return view_svg(figure)


class GifWriter(FigureWriter):
    """One animated GIF of every frame, GIF_FRAME_MS each, at the plan's scale. Its
    comment is JSON: the first frame's `dropgui:spec` and `dropgui:levels` (the same
    for every frame), and `dropgui:frames`, each frame's [seed, draw]."""

    def __init__(self, plan: ExportPlan) -> None:
        super().__init__(plan)
        self.encoder: GifEncoder | None = None
        self.metadata: dict[str, object] = {}

    def keep_frame(self, figure: ExportFigure, result: Result, compare: Result | None) -> None:
        if self.encoder is None:  # the first frame fixes the size of every frame
            scale, count = self.plan.scale, len(self.plan.frames)
            width, height = figure.width() * scale, figure.height() * scale
            if width * height * count > MAX_GIF_PIXELS:
                raise DropguiError(
                    f"{count} frames of {width} x {height} pixels are more than a GIF "
                    f"holds here ({MAX_GIF_PIXELS:,} pixels in all); use fewer frames, "
                    "a smaller scale or one slice"
                )
            self.encoder = GifEncoder.for_results(result, compare)
            self.metadata = {
                key: json.loads(value) for key, value in figure_metadata(figure).items()
            }
            self.metadata["dropgui:frames"] = []
        self.metadata["dropgui:frames"].append([result.spec.seed, result.spec.draw])
        self.encoder.add(view_image(figure, self.plan.scale))

    def finish(self) -> list[bytes]:
        super().finish()  # checks that every frame is in
        return [self.encoder.encode(comment=json.dumps(self.metadata))]

    def close(self) -> None:
        super().close()
        self.encoder = None


register_image_writer("png", PngWriter)
register_image_writer("svg", SvgWriter)
register_image_writer("gif", GifWriter)


__all__ = [
    "MAX_GIF_PIXELS",
    "MAX_IMAGE_PIXELS",
    "ExportFigure",
    "FigureWriter",
    "GifWriter",
    "PngWriter",
    "SvgWriter",
    "cell_size",
    "grid_image",
    "save_view",
    "view_image",
    "view_png",
]
