"""Dropped cells stay distinct for readers with a colour-vision deficiency, and are never
marked by colour alone.

Real PNGs are exported through the path `dropgui export` takes (`plan_export`, the
registered PNG writer), and the colours are read back from their pixels: each heatmap
cell is located from the figure's own view boxes, and its colour is the one most of its
pixels have (the printed value and the ring are a minority).

Colour-vision deficiencies are simulated with colorspacious (Machado, Oliveira and
Fernandes 2009, at severity 100: deuteranopia, protanopia and tritanopia), and colour
differences are measured in CAM02-UCS (Luo, Cui and Li 2006), a space made so that
Euclidean distance follows perceived difference: ΔE' of about 1 is a just-noticeable
difference between two large patches side by side.

THRESHOLD = 20 ΔE' means "clearly distinct at a glance", with room for how heatmaps are
read. A just-noticeable difference is measured between large adjacent patches under
controlled viewing; in a heatmap a dropped cell is compared with cells elsewhere on the
grid and with the colour bar, often a few pixels across, on uncalibrated screens, and
small fields need several times the difference of large ones to be seen as distinct.
Twenty JNDs leaves that margin. The old brick red (214, 39, 40) measured 18.5 against
viridis' yellow-green under deuteranopia: in a simulated image both are olive and a
dropped cell is easily taken for a value. It measured 4.2 against CET-D13 (the old
noise map) under protanopia. Hence the darker red and a blue-white-yellow noise map
(CET-CBD1, made for protanopes and deuteranopes) in `dropgui/_qt/style.py`.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from colorspacious import cspace_convert
from PIL import Image
from PySide6.QtCore import QPointF

from dropgui import Spec, compute
from dropgui._qt import image_export  # noqa: F401  registers the PNG writer
from dropgui._qt.style import COLOR_MAP, NOISE_MAP
from dropgui.export import image_writer, plan_export

THRESHOLD = 20.0
"""Smallest CAM02-UCS distance (ΔE') allowed between the dropped colour and any colour
of a colour map, with and without a simulated deficiency (see the module docstring)."""
DEFICIENCIES = {
    "deuteranopia": "deuteranomaly",
    "protanopia": "protanomaly",
    "tritanopia": "tritanomaly",
}
"""colorspacious' names: an "-anomaly" at severity 100 is the "-anopia"."""
SPECS = {
    "dropout": Spec(seed=1),
    "spatial": Spec(mode="spatial", seed=3),
    "dropout 20x20": Spec(shape=(1, 20, 20), seed=2),  # one overlay image, not cell items
    "gaussian": Spec(mode="gaussian", rate=0.3),
}
"""Shapes whose exported cells are large (44 to 52 pixels at 1x)."""


class Drawn:
    """An exported PNG and, for every heatmap cell, its rectangle of pixels."""

    def __init__(self, spec: Spec, folder) -> None:
        self.result = compute(spec)
        plan = plan_export(spec, folder / "grids.png")
        writer = image_writer(plan)
        try:
            writer.add(self.result, None)
            (png,) = writer.finish()
            figure = writer.figure
            self.pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
            scale = self.pixels.shape[1] / figure.width()
            # (batch, kind, levels, {(token, channel): (top, bottom, left, right)})
            self.panels = []
            for batch, role, panel in figure.rows:
                vb = panel.plot.vb
                cells = {}
                seq_len, dim = self.result.shape[1:]
                for token in range(seq_len):
                    for channel in range(dim):
                        a = vb.mapViewToScene(QPointF(channel - 0.5, token - 0.5))
                        b = vb.mapViewToScene(QPointF(channel + 0.5, token + 0.5))
                        top, bottom = sorted((a.y() * scale, b.y() * scale))
                        left, right = sorted((a.x() * scale, b.x() * scale))
                        cells[token, channel] = tuple(round(v) for v in (top, bottom, left, right))
                self.panels.append((batch, role.kind, tuple(role.levels), cells))
        finally:
            writer.close()

    def block(self, rect, margin: int = 2) -> np.ndarray:
        top, bottom, left, right = rect
        return self.pixels[top + margin : bottom - margin, left + margin : right - margin]

    @staticmethod
    def main_colour(block: np.ndarray) -> tuple[int, int, int]:
        """The colour most pixels of a cell have: its fill."""
        colours, counts = np.unique(block.reshape(-1, 3), axis=0, return_counts=True)
        return tuple(int(v) for v in colours[np.argmax(counts)])

    def cells(self, kind: str):
        """(batch, token, channel, rect, levels) of every cell of the panels of `kind`."""
        for batch, panel_kind, levels, cells in self.panels:
            if panel_kind == kind:
                for (token, channel), rect in cells.items():
                    yield batch, token, channel, rect, levels


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> dict[str, Drawn]:
    folder = tmp_path_factory.mktemp("colour_vision")
    return {name: Drawn(spec, folder) for name, spec in SPECS.items()}


def map_colours(color_map) -> np.ndarray:
    return color_map.getLookupTable(nPts=256, mode="byte")[:, :3].astype(float)


def expected_colour(color_map, value: float, levels) -> np.ndarray:
    low, high = levels
    position = np.clip((value - low) / (high - low), 0, 1)
    return np.asarray(color_map.map(np.array([position]), mode="byte"))[0, :3].astype(float)


def dropped_colours(drawn: dict[str, Drawn]) -> set[tuple[int, int, int]]:
    """The fill colour of every dropped cell of every after grid exported."""
    found = set()
    for picture in drawn.values():
        for batch, token, channel, rect, _ in picture.cells("after"):
            if not picture.result.keep_mask[batch, token, channel]:
                found.add(Drawn.main_colour(picture.block(rect)))
    return found


def ucs(rgb: np.ndarray, deficiency: str | None) -> np.ndarray:
    """sRGB 0-255 colours in CAM02-UCS, as seen with `deficiency` (None: as they are)."""
    rgb1 = np.atleast_2d(np.asarray(rgb, dtype=float)) / 255
    if deficiency is not None:
        cvd = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
        rgb1 = np.clip(cspace_convert(rgb1, cvd, "sRGB1"), 0, 1)
    return cspace_convert(rgb1, "sRGB1", "CAM02-UCS")


def nearest_distance(colour, color_map, deficiency: str | None) -> float:
    distances = np.linalg.norm(
        ucs(map_colours(color_map), deficiency) - ucs(colour, deficiency), axis=1
    )
    return float(distances.min())


def test_the_cells_read_back_are_the_maps_and_one_dropped_colour(drawn):
    """The pixels the distance test reads are the cells: kept cells show the value map's
    colour of their value (the noise panel the noise map's), dropped cells one colour."""
    for name, picture in drawn.items():
        result = picture.result
        checked = 0
        for kind, color_map, values in (
            ("after", COLOR_MAP, result.output),
            ("noise", NOISE_MAP, result.noise),
        ):
            for batch, token, channel, rect, levels in picture.cells(kind):
                if kind == "after" and not result.keep_mask[batch, token, channel]:
                    continue
                shown = np.array(Drawn.main_colour(picture.block(rect)), dtype=float)
                expected = expected_colour(color_map, values[batch, token, channel], levels)
                assert np.abs(shown - expected).max() <= 3, (name, kind, token, channel)
                checked += 1
        assert checked >= 6, name
    assert len(dropped_colours(drawn)) == 1


@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES], ids=["normal", *DEFICIENCIES])
@pytest.mark.parametrize("map_name", ["value map (viridis)", "noise map"])
def test_dropped_cells_stay_distinct_from_every_map_colour(drawn, deficiency, map_name):
    (dropped,) = dropped_colours(drawn)
    color_map = COLOR_MAP if map_name.startswith("value") else NOISE_MAP
    distance = nearest_distance(dropped, color_map, DEFICIENCIES.get(deficiency))
    assert distance >= THRESHOLD, (
        f"the dropped colour {dropped} is only ΔE' {distance:.1f} from the {map_name} "
        f"under {deficiency or 'normal vision'}"
    )


def luminance(block: np.ndarray) -> np.ndarray:
    return block.astype(float) @ np.array([0.299, 0.587, 0.114])


def ring_share(picture: Drawn, rect) -> float:
    """Share of a cell's frame (from 3 pixels inside its edge to a quarter of its side)
    that is much lighter than the cell's fill: a ring, read in grey levels only.

    The frame leaves out the edge, where a band or a chance line may lie, and the
    centre, where the value is printed."""
    block = picture.block(rect, margin=0)
    grey = luminance(block)
    fill = luminance(np.array(Drawn.main_colour(block)))
    height, width = grey.shape
    inner = max(4, min(height, width) // 4)
    frame = np.zeros_like(grey, dtype=bool)
    frame[3:-3, 3:-3] = True
    frame[inner:-inner, inner:-inner] = False
    return float(np.mean(grey[frame] > fill + 100))


@pytest.mark.parametrize("name", ["dropout", "spatial", "dropout 20x20"])
def test_dropped_cells_carry_a_ring_not_only_a_colour(drawn, name):
    """In grey levels alone every dropped cell of an after grid shows a light ring and
    no kept cell does: with the colour taken away the mark is still there. The classic
    slices draw a path item per cell, the 20 x 20 slice one overlay image."""
    picture = drawn[name]
    dropped_shares, kept_shares = [], []
    for batch, token, channel, rect, _ in picture.cells("after"):
        share = ring_share(picture, rect)
        kept = picture.result.keep_mask[batch, token, channel]
        (kept_shares if kept else dropped_shares).append(share)
    assert dropped_shares and kept_shares
    assert min(dropped_shares) >= 0.15, min(dropped_shares)
    assert max(kept_shares) <= 0.01, max(kept_shares)
