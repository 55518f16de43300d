"""High-DPI: at device pixel ratio 2 (QT_SCALE_FACTOR=2) the window and the exports are
drawn at twice the pixels, not drawn at 1x and enlarged.

The window runs in a process of its own (the scale factor is read when the QApplication
starts), offscreen, with real TensorFlow. Two signs tell a real 2x drawing from an
enlarged 1x one, and both are measured on the same picture enlarged from 1x, where
they must fail:

- lines one device pixel thin (axis lines, ticks, the rings of dropped cells at 2x): an
  image enlarged by 2 has no feature thinner than 2 pixels, or smears it over several
  grey ones;
- detail finer than a 2 x 2 block (text edges): the difference between an image and its
  own 2 x 2 block means, which is 0 for an image enlarged by repeating pixels and small
  for one enlarged smoothly.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from PIL import Image

import dropgui
from dropgui import Spec

SPEC = Spec(mode="spatial", seed=4)
SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path

    from PySide6.QtCore import QEventLoop, QPointF, QTimer
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QWidget

    import dropgui
    from dropgui import Spec
    from dropgui._qt.app import get_qapp
    from dropgui._qt.image_export import grid_image
    from dropgui._qt.window import MainWindow

    out = Path(sys.argv[1])
    app = get_qapp()
    window = MainWindow()
    window.resize(1280, 720)
    loop = QEventLoop()
    QTimer.singleShot(120_000, loop.quit)  # never hang the test run
    window.sigGridsDrawn.connect(loop.quit)
    window.show()
    loop.exec()  # the first launch's view
    window.controls.set_spec(Spec(mode="spatial", seed=4), compare="dropout")
    loop.exec()
    QTimer.singleShot(300, loop.quit)  # layout and paint settle
    loop.exec()

    shot = window.grab()
    shot.save(str(out / "window.png"))
    figure = window.figure
    figure.grab().save(str(out / "grids_2x.png"))
    one = QImage(figure.size(), QImage.Format.Format_RGB32)
    one.setDevicePixelRatio(1.0)
    QWidget.render(figure, one)  # the same figure painted at 1x
    one.save(str(out / "grids_1x.png"))
    clipboard = grid_image(figure)
    # where two kept cells of the first before grid meet, in the figure's pixels
    batch, _, panel = figure.rows[0]
    keep = figure.result.keep_mask[batch]
    edges = []
    for row in range(keep.shape[0]):
        for column in range(keep.shape[1] - 1):
            if keep[row, column] and keep[row, column + 1]:
                scene = panel.plot.vb.mapViewToScene(QPointF(column + 0.5, row))
                point = figure.viewportTransform().map(scene)
                edges.append([point.x(), point.y()])
    for scale in (1, 2):
        dropgui.figure(Spec(mode="spatial", seed=4), out / f"export_{scale}x.png", scale=scale)
    print(json.dumps({
        "app_ratio": app.devicePixelRatio(),
        "shot_ratio": shot.devicePixelRatio(),
        "shot": [shot.width(), shot.height()],
        "window": [window.width(), window.height()],
        "figure": [figure.width(), figure.height()],
        "clipboard": [clipboard.width(), clipboard.height()],
        "edges": edges,
        "band_pen": panel.bands.pen().widthF(),
        "hover_pen": panel.hover.pen().widthF(),
    }))
    window.close()
    """
)


def pixels(path) -> np.ndarray:
    with Image.open(path) as picture:
        return np.asarray(picture.convert("RGB"))


def enlarged(image: np.ndarray, resample) -> np.ndarray:
    picture = Image.fromarray(image)
    return np.asarray(picture.resize((2 * picture.width, 2 * picture.height), resample))


def thin_lines(image: np.ndarray, run: int = 40) -> int:
    """Horizontal and vertical lines one pixel thin and at least `run` pixels long: dark
    (grey level below 200) between light pixels (above 240) on both sides."""
    grey = image.astype(float) @ np.array([0.299, 0.587, 0.114])
    found = 0
    for plane in (grey, grey.T):
        dark, light = plane < 200, plane > 240
        thin = dark[1:-1] & light[:-2] & light[2:]
        edges = np.diff(np.pad(thin.astype(np.int8), ((0, 0), (1, 1))), axis=1)
        for row_starts, row_ends in zip(edges == 1, edges == -1, strict=True):
            lengths = np.flatnonzero(row_ends) - np.flatnonzero(row_starts)
            found += int(np.sum(lengths >= run))
    return found


def fine_detail(image: np.ndarray) -> float:
    """Mean difference between an image and its 2 x 2 block means, repeated."""
    height, width = image.shape[0] // 2 * 2, image.shape[1] // 2 * 2
    even = image[:height, :width].astype(float)
    blocks = even.reshape(height // 2, 2, width // 2, 2, 3).mean(axis=(1, 3))
    return float(np.abs(even - blocks.repeat(2, axis=0).repeat(2, axis=1)).mean())


def assert_drawn_at_2x(double: np.ndarray, single: np.ndarray) -> None:
    """`double` is `single`'s picture drawn at 2x, not `single` enlarged."""
    assert double.shape[:2] == (2 * single.shape[0], 2 * single.shape[1])
    # the same picture: its 2 x 2 block means are close to the 1x drawing
    blocks = double.astype(float).reshape(single.shape[0], 2, single.shape[1], 2, 3)
    assert np.abs(blocks.mean(axis=(1, 3)) - single).mean() < 6
    enlargements = [enlarged(single, way) for way in (Image.NEAREST, Image.BILINEAR)]
    enlargements.append(enlarged(single, Image.BICUBIC))
    assert thin_lines(double) >= 4
    assert all(thin_lines(image) == 0 for image in enlargements)
    sharpest = max(fine_detail(image) for image in enlargements)
    assert fine_detail(double) > 1.2 * sharpest, (fine_detail(double), sharpest)


@pytest.fixture(scope="module")
def at_2x(tmp_path_factory):
    """The window and exports drawn with QT_SCALE_FACTOR=2, offscreen: (report, folder)."""
    folder = tmp_path_factory.mktemp("hidpi")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="2")
    env["XDG_CONFIG_HOME"] = str(folder / "config")  # fresh settings: the first launch
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), folder


def test_the_window_grabs_at_device_pixel_ratio_2(at_2x):
    report, folder = at_2x
    assert report["app_ratio"] == 2.0 and report["shot_ratio"] == 2.0
    width, height = report["window"]
    assert report["shot"] == [2 * width, 2 * height]
    assert pixels(folder / "window.png").shape[:2] == (2 * height, 2 * width)
    # the clipboard copy of the grids has the screen's pixels too
    figure_width, figure_height = report["figure"]
    assert report["clipboard"] == [2 * figure_width, 2 * figure_height]


def test_the_grids_are_painted_at_2x_not_enlarged(at_2x):
    _, folder = at_2x
    assert_drawn_at_2x(pixels(folder / "grids_2x.png"), pixels(folder / "grids_1x.png"))


def test_outlines_keep_their_width_at_2x(at_2x):
    """Cosmetic pens are drawn in device pixels: at ratio 2 the window's outlines (3 px
    bands, the 2 px hover frame) get pens twice as wide, so they look as at 1x."""
    report, _ = at_2x
    assert report["band_pen"] == 6 and report["hover_pen"] == 4


def test_cell_edges_stay_sharp_at_2x(at_2x):
    """Two neighbouring cells meet in one step at 2x: no pixel between them has a colour
    of neither (a heatmap drawn at 1x and smoothed up would blur the edge over two or
    more device pixels)."""
    report, folder = at_2x
    grids = pixels(folder / "grids_2x.png").astype(int)
    assert len(report["edges"]) >= 3
    for x, y in report["edges"]:
        x, y = round(2 * x), round(2 * y)
        line = grids[y, x - 8 : x + 8]
        left, right = line[0], line[-1]
        assert np.abs(left - right).max() > 3  # two values, two colours
        between = np.abs(line - left).max(axis=1) > 2
        between &= np.abs(line - right).max(axis=1) > 2
        assert between.sum() <= 1, (x, y, line.tolist())


def test_exports_at_scale_2_are_drawn_at_2x_whatever_the_screen(at_2x):
    _, folder = at_2x
    double, single = pixels(folder / "export_2x.png"), pixels(folder / "export_1x.png")
    assert_drawn_at_2x(double, single)
    # the screen's ratio does not leak into a file: the same 2x PNG as on a 1x screen
    # (this process has no scale factor)
    here = np.asarray(Image.open(io.BytesIO(dropgui.figure(SPEC))).convert("RGB"))
    np.testing.assert_array_equal(double, here)
