"""The one SVG path: a shown pyqtgraph view's scene as SVG that every viewer reads alike.

pyqtgraph's SVGExporter writes the scene; two fixes make the file right: closed paths
(pyqtgraph 0.14 fails on them) and `sharpen_svg` (sharp heatmaps in every viewer, no
clip paths). Used for the grids (`dropgui/_qt/image_export.py`) and the statistics view.
"""

from __future__ import annotations

import base64
import importlib
import io
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager

import pyqtgraph as pg
import pyqtgraph.exporters  # pg.exporters is not imported by `import pyqtgraph`
from PIL import Image

SVG_MIN_IMAGE_SIDE = 256
"""Heatmaps are embedded in an SVG as PNGs of one pixel per cell. Many viewers
(ImageMagick, Qt, some editors) smooth a 4 x 3 image stretched over 300 px into a
blur, ignoring `image-rendering: pixelated`; each cell is repeated (nearest neighbour)
until the image is at least this many pixels across, so every viewer shows sharp cells."""


def view_svg(view: pg.GraphicsView) -> bytes:
    """The scene of a shown pyqtgraph view as SVG bytes (grids or statistics)."""
    # View boxes update their transforms lazily, when the scene is about to paint;
    # ImageExporter's render() asks for that, SVGExporter does not.
    view.scene().prepareForPaint()
    exporter = pg.exporters.SVGExporter(view.scene())
    with _closed_paths_fixed():
        svg = exporter.export(toBytes=True)
    return sharpen_svg(svg)


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


__all__ = ["SVG_MIN_IMAGE_SIDE", "sharpen_svg", "view_svg"]
