"""Image export: PNG, SVG, GIF and PNG sequences through the real path.

The CLI (`dropgui export`) and `plan_export` + `run_export` compute the frames in the
core and hand them to the writers that `dropgui/_qt/image_export.py` registers; the
files are compared by content, real Qt offscreen, real TensorFlow.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dropgui import DropguiError, Spec, cli, compute
from dropgui._qt import image_export  # registers the image writers, as the CLI does
from dropgui.export import ExportCancelled, image_writer, plan_export, run_export

SVG = "{http://www.w3.org/2000/svg}"


def export(*args: str) -> int:
    return cli.main(["export", *args])


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as picture:
        return np.asarray(picture.convert("RGB"))


def files_in(folder: Path) -> list[str]:
    """Every entry, hidden temporary files included."""
    return sorted(os.listdir(folder))


def test_png_decodes_scales_and_follows_the_seed(tmp_path):
    paths = {}
    for name, args in {
        "seed0": [],
        "seed0_again": [],
        "seed1": ["--seed", "1"],
        "seed0_2x": ["--scale", "2"],
    }.items():
        paths[name] = tmp_path / f"{name}.png"
        assert export(*args, "-o", str(paths[name])) == 0
    one, again, other, double = (
        pixels(paths[n]) for n in ("seed0", "seed0_again", "seed1", "seed0_2x")
    )
    height, width = one.shape[:2]
    assert width > 300 and height > 300
    assert abs(double.shape[1] - 2 * width) <= 2 and abs(double.shape[0] - 2 * height) <= 2
    np.testing.assert_array_equal(one, again)  # same seed, same pixels
    assert one.shape == other.shape
    changed = np.any(one != other, axis=-1)
    assert changed.any()
    # The mask changed, so a good share of a cell changed, not just the title's digit.
    assert changed.sum() > 2000
    assert files_in(tmp_path) == sorted(p.name for p in paths.values())


def test_one_slice_draws_only_that_slice(tmp_path):
    whole, first, last = (tmp_path / f"{n}.png" for n in ("whole", "first", "last"))
    assert export("-o", str(whole)) == 0
    assert export("--slice", "0", "-o", str(first)) == 0
    assert export("--slice", "2", "-o", str(last)) == 0
    whole_px, first_px, last_px = pixels(whole), pixels(first), pixels(last)
    assert first_px.shape[0] < whole_px.shape[0] / 2  # one row of panels, not three
    # the same layout (the legend may add a line: it names only what is drawn)
    assert first_px.shape[1] == last_px.shape[1]
    assert abs(first_px.shape[0] - last_px.shape[0]) <= 20
    assert np.any(first_px[:300] != last_px[:300])


def _svg_of(tmp_path: Path, *args: str) -> ET.Element:
    path = tmp_path / "grids.svg"
    assert export(*args, "-o", str(path)) == 0
    return ET.parse(path).getroot()


def _groups(root: ET.Element, kind: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("id", "").startswith(f"{kind}_")]


def test_svg_holds_a_text_per_cell_label_and_a_zero_per_dropped_cell(tmp_path):
    spec = Spec(shape=(2, 3, 4), seed=5)
    root = _svg_of(tmp_path, "--shape", "2,3,4", "--seed", "5")
    result = compute(spec)
    # The printed values are text in the SVG: one per cell of the before and after grids.
    texts = [
        text.strip() for g in _groups(root, "CellValues") for text in g.itertext() if text.strip()
    ]
    assert len(texts) == 2 * result.keep_mask.size
    # arange input has no zero and kept cells are doubled, so each "0" is a dropped cell.
    assert texts.count("0") == int((~result.keep_mask).sum())
    shown = sorted(float(t) for t in texts)
    expected = sorted(np.concatenate([result.input.ravel(), result.output.ravel()]).tolist())
    assert shown == expected
    # Heatmaps are embedded as sharp images, one per value grid (small slices draw their
    # dropped-cell marks as rectangles, counted in the next test).
    assert len(list(root.iter(f"{SVG}image"))) >= 2 * spec.shape[0]


def test_svg_draws_one_band_rectangle_per_dropped_channel(tmp_path):
    spec = Spec(mode="spatial", shape=(2, 3, 4), seed=1)
    root = _svg_of(tmp_path, "--mode", "spatial", "--shape", "2,3,4", "--seed", "1")
    result = compute(spec)
    pairs = zip(result.dropped_rows, result.dropped_columns, strict=True)
    whole = sum(len(rows) + len(columns) for rows, columns in pairs)
    assert whole > 0
    paths = [p for g in _groups(root, "QGraphicsPathItem") for p in g.iter(f"{SVG}path")]
    rectangles = sum(p.get("d", "").count("M") for p in paths)
    assert rectangles == 2 * whole  # outlined in the before and in the after grid


def test_svg_holds_one_rectangle_per_dropped_cell_highlight(tmp_path):
    spec = Spec(shape=(2, 3, 4), seed=5)
    root = _svg_of(tmp_path, "--shape", "2,3,4", "--seed", "5")
    dropped = int((~compute(spec).keep_mask).sum())
    # each dropped cell: filled in the after grid and outlined in the before grid
    assert len(_groups(root, "DroppedCell")) == 2 * dropped


@pytest.mark.parametrize("mode", ["dropout", "spatial"])
def test_svg_renders_like_the_png(tmp_path, mode):
    """Geometry, not just content: Qt's SVG renderer draws what the PNG shows."""
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    from dropgui._qt.gif import pil_image

    png, svg = tmp_path / "grids.png", tmp_path / "grids.svg"
    assert export("--mode", mode, "-o", str(png)) == 0
    assert export("--mode", mode, "-o", str(svg)) == 0
    expected = pixels(png).astype(int)
    renderer = QSvgRenderer(QByteArray(svg.read_bytes()))
    assert renderer.isValid()
    assert (renderer.defaultSize().width(), renderer.defaultSize().height()) == (
        expected.shape[1],
        expected.shape[0],
    )
    image = QImage(expected.shape[1], expected.shape[0], QImage.Format.Format_RGB888)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    drawn = np.asarray(pil_image(image)).astype(int)
    far_off = np.abs(drawn - expected).max(axis=-1) > 60
    # Text anti-aliasing differs a little; a misplaced or blurred grid moves far more.
    assert far_off.mean() < 0.02, far_off.mean()


def test_gif_has_one_frame_per_seed(tmp_path):
    path = tmp_path / "seeds.gif"
    assert export("--mode", "spatial", "--seeds", "0:10", "-o", str(path)) == 0
    with Image.open(path) as gif:
        assert gif.n_frames == 10
        assert gif.info.get("loop") == 0
        assert gif.info.get("duration") == 700
        frames = []
        for index in range(gif.n_frames):
            gif.seek(index)
            frames.append(np.asarray(gif.convert("RGB")))
    assert len({frame.shape for frame in frames}) == 1
    assert len({frame.tobytes() for frame in frames}) == 10
    # Frame 3 is the PNG of seed 3 in 256 colours: white stays white, cells keep
    # their colour; only anti-aliased edges may move to a near shade.
    png = tmp_path / "seed3.png"
    assert export("--mode", "spatial", "--seed", "3", "-o", str(png)) == 0
    expected = pixels(png).astype(int)
    assert frames[3].shape == expected.shape
    assert (frames[3][0, 0] == 255).all() and (expected[0, 0] == 255).all()
    assert (np.abs(frames[3].astype(int) - expected).max(axis=-1) > 40).mean() < 0.01


def test_png_sequence_is_numbered_and_matches_single_exports(tmp_path):
    assert export("--seeds", "3:6", "-o", str(tmp_path / "step.png")) == 0
    # a sequence is one folder, renamed into place whole
    assert files_in(tmp_path) == ["step"]
    assert files_in(tmp_path / "step") == ["step_000.png", "step_001.png", "step_002.png"]
    single = tmp_path / "single" / "seed4.png"
    single.parent.mkdir()
    assert export("--seed", "4", "-o", str(single)) == 0
    np.testing.assert_array_equal(pixels(tmp_path / "step" / "step_001.png"), pixels(single))


def test_headless_cli_picks_offscreen_by_itself(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    target = tmp_path / "headless.png"
    done = subprocess.run(
        [sys.executable, "-m", "dropgui", "export", "--mode", "spatial", "-o", str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {target}"
    assert pixels(target).shape[1] > 300


def test_cancelled_sequence_leaves_no_file(tmp_path):
    plan = plan_export(Spec(), tmp_path / "frames.png", seeds="0:5")
    calls = []

    def cancel_after_two_frames():
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(ExportCancelled):
        run_export(plan, cancel=cancel_after_two_frames)
    assert files_in(tmp_path) == []


def test_writers_take_computed_frames_and_match_cli_files(tmp_path):
    result = compute(Spec(seed=2))
    assert export("--seed", "2", "-o", str(tmp_path / "cli.png")) == 0
    writer = image_writer(plan_export(Spec(seed=2), tmp_path / "bytes.png"))
    try:
        writer.add(result, None)
        (png,) = writer.finish()
    finally:
        writer.close()
    np.testing.assert_array_equal(
        np.asarray(Image.open(io.BytesIO(png)).convert("RGB")),
        pixels(tmp_path / "cli.png"),
    )
    plan = plan_export(Spec(), tmp_path / "given.gif", seeds="0:3")
    frames = [(compute(spec), None) for spec, _ in plan.frames]
    assert run_export(plan, frames=frames) == [tmp_path / "given.gif"]
    with Image.open(tmp_path / "given.gif") as animation:
        assert animation.n_frames == 3


def test_a_writer_refuses_a_short_or_long_range(tmp_path):
    plan = plan_export(Spec(), tmp_path / "two.gif", seeds="0:2")
    writer = image_writer(plan)
    try:
        writer.add(compute(Spec(seed=0)), None)
        with pytest.raises(RuntimeError, match="1 of 2 frames"):
            writer.finish()
        writer.add(compute(Spec(seed=1)), None)
        with pytest.raises(RuntimeError, match="all its frames"):
            writer.add(compute(Spec(seed=2)), None)
    finally:
        writer.close()
    assert files_in(tmp_path) == []


def test_save_view_writes_png_and_svg_and_refuses_other_formats(qtbot, tmp_path):
    from dropgui._qt.grids import GridFigure

    figure = GridFigure()
    qtbot.addWidget(figure)
    figure.show_results(compute(Spec()))
    figure.resize(640, 480)
    figure.show()
    qtbot.waitExposed(figure)
    image_export.save_view(figure, tmp_path / "view.png", scale=2)
    image_export.save_view(figure, tmp_path / "view.svg")
    assert pixels(tmp_path / "view.png").shape[:2] == (960, 1280)
    assert ET.parse(tmp_path / "view.svg").getroot().tag == f"{SVG}svg"
    for name, words in (("view.gif", "use .png or .svg"), ("no/view.png", "does not exist")):
        with pytest.raises(DropguiError, match=words):
            image_export.save_view(figure, tmp_path / name)
    assert files_in(tmp_path) == ["view.png", "view.svg"]


# ------------------------------------------------------------------ how to reproduce an image


def test_every_png_says_how_to_reproduce_it(tmp_path):
    single = tmp_path / "one.png"
    assert export("--mode", "spatial", "--seed", "4", "-o", str(single)) == 0
    with Image.open(single) as picture:
        assert Spec.from_dict(json.loads(picture.text["dropgui:spec"])) == Spec(
            mode="spatial", seed=4
        )
        assert json.loads(picture.text["dropgui:levels"]) == [1.0, 36.0]
    assert export("--seeds", "2:5", "-o", str(tmp_path / "seq.png")) == 0
    frames = sorted(tmp_path.rglob("seq_*.png"))  # beside the target, or in its folder
    assert len(frames) == 3
    for seed, frame in zip(range(2, 5), frames, strict=True):
        with Image.open(frame) as picture:
            assert json.loads(picture.text["dropgui:spec"])["seed"] == seed
            assert json.loads(picture.text["dropgui:levels"]) == [1.0, 36.0]


def test_a_gif_says_how_to_reproduce_it_and_keeps_its_colours(tmp_path):
    path = tmp_path / "seeds.gif"
    assert export("--input", "embedding", "--seeds", "0:4", "-o", str(path)) == 0
    with Image.open(path) as picture:
        comment = json.loads(picture.info["comment"])
    assert Spec.from_dict(comment["dropgui:spec"]) == Spec(source="embedding", seed=0)
    assert comment["dropgui:frames"] == [[seed, 1] for seed in range(4)]
    low, high = comment["dropgui:levels"]
    result = compute(Spec(source="embedding"))
    assert (low, high) == pytest.approx((result.input.min(), result.input.max()))
    # the frames the GIF writer draws share their colour levels, panel by panel
    plan = plan_export(Spec(rate=0.9), tmp_path / "x.gif", seeds=range(6))
    writer = image_writer(plan)
    try:
        levels = set()
        for spec, _ in plan.frames:
            writer.add(compute(spec), None)
            levels.add(tuple(tuple(p.image.levels) for p in writer.figure.panels))
        assert len(levels) == 1
    finally:
        writer.close()
