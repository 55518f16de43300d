"""The look shared by every view: colours, colour maps, and how a heatmap is set up and read.

The grids, the statistics view and the image export all draw heatmaps the same way
(pyqtgraph's MatrixDisplayExample: a row-major ImageItem, cells centred on whole
numbers, y inverted so token 0 is on top), so they take their colours, their set-up and
their cell look-up from here.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QTransform

COLOR_MAP = pg.colormap.get("viridis")
"""Values: viridis runs blue-green-yellow and never comes near the dropped red."""
NOISE_MAP = pg.colormap.get("CET-CBD1")
"""Diverging blue-white-yellow, centred on a middle value: Gaussian noise factors around
1, correlations. Kovesi's map for protanopes and deuteranopes: no red or green in it,
so a factor never reads as a dropped cell, also for them (CET-D13's green end does, for
a protanope: tests/test_colour_vision.py)."""
DROPPED = (160, 32, 44)
"""Dark red: at least ΔE' 24 (CAM02-UCS) from every colour of viridis and of the noise
map, with normal vision and simulated deuteranopia, protanopia and tritanopia, so a
dropped cell never reads as a value (tests/test_colour_vision.py). The brighter
(214, 39, 40) came within 18.5 of viridis' yellow-green for a deuteranope."""
DROPPED_RING = (255, 255, 255)
"""The ring inside each dropped cell of an after grid: a mark by shape as well as by
colour (`grid_panel.DroppedRings`)."""
OCCURRENCE = (255, 140, 0)
"""Orange outline of every position holding the hovered word id."""
NEUTRAL = (100, 140, 200)
"""Counts and observed frequencies: a colour that means no value and no drop."""


def hex_colour(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def heatmap_plot() -> pg.PlotItem:
    """A PlotItem set up for a (rows, columns) heatmap: no menu, no buttons, token 0 on
    top, no padding around the cells (the caller labels its axes)."""
    plot = pg.PlotItem()
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.invertY(True)
    plot.setDefaultPadding(0.0)
    plot.setMouseEnabled(False, False)
    return plot


def color_bar(
    levels: tuple[float, float], color_map: pg.ColorMap, foreground: tuple[int, int, int]
) -> pg.ColorBarItem:
    """A horizontal colour bar under a column of heatmaps, its scale in `foreground`."""
    bar = pg.ColorBarItem(
        values=levels,
        colorMap=color_map,
        interactive=False,
        orientation="horizontal",
        width=10,
        colorMapMenu=False,
    )
    axis = bar.getAxis("bottom")
    axis.setPen(foreground)
    axis.setTextPen(foreground)
    axis.enableAutoSIPrefix(False)  # "(x0.001)" beside a value scale misleads
    return bar


def heatmap_image(plot: pg.PlotItem, z: float = 0) -> pg.ImageItem:
    """A row-major ImageItem in `plot` whose cell (row, column) is centred on (column, row)."""
    image = pg.ImageItem(axisOrder="row-major")
    image.setTransform(QTransform().translate(-0.5, -0.5))
    image.setZValue(z)
    plot.addItem(image)
    return image


def cell_at(plot: pg.PlotItem, scene_pos: QPointF, rows: int, columns: int):
    """(row, column) of the heatmap cell under a scene position, or None outside it."""
    if not plot.vb.sceneBoundingRect().contains(scene_pos):
        return None
    point = plot.vb.mapSceneToView(scene_pos)
    row, column = int(np.floor(point.y() + 0.5)), int(np.floor(point.x() + 0.5))
    if 0 <= row < rows and 0 <= column < columns:
        return row, column
    return None
