"""Export: real files, real Qt offscreen, real TensorFlow; bad requests leave nothing."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dropgui import DropguiError, Spec, cli, compute
from dropgui.export import (
    CSV_HEADER,
    MAX_FRAMES,
    ExportCancelled,
    StagedFiles,
    atomic_write,
    parse_range,
    plan_export,
    run_export,
)

REPO = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


def export(*args: str) -> int:
    return cli.main(["export", *args])


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as picture:
        return np.asarray(picture.convert("RGB"))


def files_in(folder: Path) -> list[str]:
    """Every entry, hidden temporary files included."""
    return sorted(os.listdir(folder))


# ------------------------------------------------------------------ ranges and checks


def test_parse_range_is_half_open_and_refuses_bad_ranges():
    assert parse_range("0:10") == range(0, 10)
    assert parse_range("7:8") == range(7, 8)
    assert len(parse_range(f"0:{MAX_FRAMES}")) == MAX_FRAMES
    for text, words in (
        ("5:5", "empty"),
        ("5:2", "reversed"),
        (f"0:{MAX_FRAMES + 1}", "cap"),
        ("a:b", "two integers"),
        ("3", "two integers"),
        ("-2:3", "goes outside"),
    ):
        with pytest.raises(DropguiError, match=words):
            parse_range(text)


def _unwritable_target(tmp_path: Path) -> Path:
    """A path that cannot be written, for root too: chmod does not stop root."""
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        return locked / "out.png"
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    return blocker / "out.png"


@pytest.mark.parametrize(
    "case",
    [
        "missing folder",
        "unwritable",
        "unknown suffix",
        "empty seeds",
        "reversed seeds",
        "too many seeds",
        "no such slice",
        "range to svg",
    ],
)
def test_bad_requests_exit_2_with_one_line_and_write_nothing(tmp_path, capsys, case):
    out = tmp_path / "out"
    out.mkdir()
    target = {
        "missing folder": out / "no" / "such" / "grids.png",
        "unwritable": _unwritable_target(out),
        "unknown suffix": out / "grids.jpg",
        "range to svg": out / "grids.svg",
    }.get(case, out / "grids.gif")
    extra = {
        "empty seeds": ["--seeds", "5:5"],
        "reversed seeds": ["--seeds", "5:2"],
        "too many seeds": ["--seeds", f"0:{MAX_FRAMES + 1}"],
        "no such slice": ["--slice", "3"],
        "range to svg": ["--seeds", "0:3"],
    }.get(case, [])
    before = files_in(out)
    assert export("-o", str(target), *extra) == 2
    err = capsys.readouterr().err
    assert err.startswith("dropgui: error: ")
    assert err.count("\n") == 1, err
    assert files_in(out) == before  # not even a temporary file
    if os.geteuid() != 0 and case == "unwritable":
        os.chmod(target.parent, 0o700)


def test_failed_write_leaves_no_partial_and_no_temporary_file(tmp_path):
    target = tmp_path / "data.npz"

    def write_half_then_fail(file):
        file.write(b"half of a file")
        raise OSError("disk full")

    # named as the user's problem (one line in the CLI), not a traceback
    with pytest.raises(DropguiError, match=r"cannot write .*data\.npz: disk full"):
        atomic_write(target, write_half_then_fail)
    assert files_in(tmp_path) == []

    # An existing file survives a failed replacement untouched.
    target.write_bytes(b"old")
    with pytest.raises(DropguiError):
        atomic_write(target, write_half_then_fail)
    assert target.read_bytes() == b"old"
    assert files_in(tmp_path) == ["data.npz"]


def test_staged_files_appear_together_or_not_at_all(tmp_path):
    with pytest.raises(RuntimeError), StagedFiles() as staged:
        staged.stage(tmp_path / "a.png", b"a")
        staged.stage(tmp_path / "b.png", b"b")
        raise RuntimeError("frame 3 failed")
    assert files_in(tmp_path) == []
    # The second rename fails (a folder is in the way): the first file goes again.
    (tmp_path / "b.png").mkdir()
    staged = StagedFiles()
    staged.stage(tmp_path / "a.png", b"a")
    staged.stage(tmp_path / "b.png", b"b")
    with pytest.raises(DropguiError, match=r"b\.png"):
        staged.commit()
    assert files_in(tmp_path) == ["b.png"]
    (tmp_path / "b.png").rmdir()
    staged = StagedFiles()
    staged.stage(tmp_path / "a.png", b"a")
    staged.stage(tmp_path / "b.png", b"b")
    assert [p.name for p in staged.commit()] == ["a.png", "b.png"]
    assert files_in(tmp_path) == ["a.png", "b.png"]


def test_cancelled_sequence_leaves_no_file(tmp_path):
    plan = plan_export(Spec(), tmp_path / "frames.png", seeds="0:5")
    calls = []

    def cancel_after_two_frames():
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(ExportCancelled):
        run_export(plan, cancel=cancel_after_two_frames)
    assert files_in(tmp_path) == []


# ------------------------------------------------------------------ data


@pytest.mark.parametrize(
    "spec",
    [
        Spec(),
        Spec(mode="spatial", source="embedding", shape=(2, 5, 3), seed=7, draw=3),
        Spec(mode="gaussian", shape=(2, 2, 3), rate=0.3),
        Spec(mode="dropout", engine="tf-keras", seed=4),
    ],
    ids=["classic", "spatial-embedding", "gaussian", "tf-keras"],
)
def test_npz_round_trips_exactly_through_compute(tmp_path, spec):
    path = tmp_path / "result.npz"
    args = ["--mode", spec.mode, "--rate", str(spec.rate), "--seed", str(spec.seed)]
    args += ["--draw", str(spec.draw), "--engine", spec.engine, "--input", spec.source]
    args += ["--shape", ",".join(map(str, spec.shape))]
    assert export(*args, "-o", str(path)) == 0
    with np.load(path, allow_pickle=False) as data:
        stored = {name: data[name] for name in data.files}
    rebuilt = Spec.from_dict(json.loads(str(stored["spec"])))
    assert rebuilt == spec
    again = compute(rebuilt)
    for name in ("input", "output", "keep_mask"):
        assert stored[name].dtype == getattr(again, name).dtype
        np.testing.assert_array_equal(stored[name], getattr(again, name))
    assert ("token_ids" in stored) == (again.token_ids is not None)
    assert ("noise" in stored) == (again.noise is not None)
    if again.token_ids is not None:
        np.testing.assert_array_equal(stored["token_ids"], again.token_ids)
    if again.noise is not None:
        np.testing.assert_array_equal(stored["noise"], again.noise)


def test_csv_has_one_row_per_cell_and_exact_values(tmp_path):
    path = tmp_path / "cells.csv"
    spec = Spec(source="embedding", shape=(2, 3, 4), seed=3)
    assert export("--input", "embedding", "--shape", "2,3,4", "--seed", "3", "-o", str(path)) == 0
    lines = path.read_text().splitlines()
    assert lines[0] == CSV_HEADER
    rows = [line.split(",") for line in lines[1:]]
    result = compute(spec)
    assert len(rows) == result.keep_mask.size == 2 * 3 * 4
    for b, s, d, before, after, kept in rows:
        cell = (int(b), int(s), int(d))
        assert np.float32(before) == result.input[cell]
        assert np.float32(after) == result.output[cell]
        assert bool(int(kept)) == result.keep_mask[cell]
    assert sorted((int(r[0]), int(r[1]), int(r[2])) for r in rows) == [
        tuple(i) for i in np.ndindex(2, 3, 4)
    ]


# ------------------------------------------------------------------ images


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
    assert first_px.shape == last_px.shape
    assert np.any(first_px != last_px)


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
    labels = _groups(root, "TextItem")
    # One text item per drawn cell value: the before grid and the after grid.
    assert len(labels) == 2 * result.keep_mask.size
    texts = ["".join(g.itertext()).strip() for g in labels]
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

    from dropgui._qt.render import pil_image

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
    assert files_in(tmp_path) == ["step_000.png", "step_001.png", "step_002.png"]
    single = tmp_path / "single" / "seed4.png"
    single.parent.mkdir()
    assert export("--seed", "4", "-o", str(single)) == 0
    np.testing.assert_array_equal(pixels(tmp_path / "step_001.png"), pixels(single))


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


def test_data_export_needs_no_qt(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys

        class BlockQt:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph"):
                    raise ImportError(f"Qt is blocked in this test: {{name}}")
                return None

        sys.meta_path.insert(0, BlockQt())
        from dropgui import cli
        assert cli.main(["export", "-o", {str(tmp_path / "a.npz")!r}]) == 0
        assert cli.main(["export", "-o", {str(tmp_path / "a.csv")!r}]) == 0
        assert not [m for m in sys.modules if m.startswith(("PySide6", "pyqtgraph"))]
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert files_in(tmp_path) == ["a.csv", "a.npz"]


# ------------------------------------------------------------------ the dialog


@pytest.fixture
def out(tmp_path):
    """A folder for the dialog's files (tmp_path also holds the test's settings)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


@pytest.fixture
def dialog(qtbot):
    from dropgui._qt.export_dialog import ExportDialog

    result = compute(Spec(mode="spatial"))
    window = ExportDialog(result)
    qtbot.addWidget(window)
    window.show()
    return window


def _choose(dialog, key: str) -> None:
    dialog.format.setCurrentIndex(dialog.format.findData(key))


def test_dialog_writes_npz_of_the_shown_result(qtbot, dialog, out):
    _choose(dialog, "npz")
    target = out / "shown.npz"
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.sigExported, timeout=10_000) as exported:
        dialog.export_button.click()
    assert exported.args[0] == [target]
    with np.load(target) as data:
        np.testing.assert_array_equal(data["keep_mask"], dialog.shown_result.keep_mask)
    assert dialog.shown_result.spec.mode == "spatial"
    # The next dialog starts in the folder used last.
    from dropgui._qt.export_dialog import ExportDialog

    again = ExportDialog(dialog.shown_result)
    qtbot.addWidget(again)
    assert Path(again.path.text()).parent == out


def test_dialog_gif_runs_frame_by_frame_and_cancel_leaves_nothing(qtbot, dialog, out):
    _choose(dialog, "gif")
    dialog.count.setValue(40)
    dialog.path.setText(str(out / "seeds.gif"))
    dialog.export_button.click()
    assert dialog.running
    qtbot.waitUntil(
        lambda: dialog._job is not None and dialog._job.frames_done >= 2, timeout=30_000
    )
    assert dialog.progress.isVisible() and dialog.progress.value() >= 2
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert not dialog.running and dialog.isVisible()  # first Cancel stops the export only
    qtbot.wait(50)
    assert files_in(out) == []
    assert "nothing was written" in dialog.message.text()


def test_dialog_gif_completes_with_the_chosen_frames(qtbot, dialog, out):
    _choose(dialog, "gif")
    dialog.over.setCurrentIndex(dialog.over.findData("draws"))
    dialog.count.setValue(3)
    target = out / "draws.gif"
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.sigExported, timeout=30_000):
        dialog.export_button.click()
    with Image.open(target) as gif:
        assert gif.n_frames == 3


def test_dialog_asks_before_overwriting(qtbot, dialog, out):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    target = out / "kept.png"
    target.write_bytes(b"precious")
    _choose(dialog, "png")
    dialog.path.setText(str(target))
    asked = []

    def answer_no():
        box = QApplication.activeModalWidget()
        asked.append(box.text() if isinstance(box, QMessageBox) else None)
        box.button(QMessageBox.StandardButton.No).click()

    QTimer.singleShot(0, answer_no)
    dialog.export_button.click()
    assert asked and "kept.png" in asked[0]
    assert target.read_bytes() == b"precious"
    assert dialog.isVisible()


def test_dialog_names_a_bad_folder_and_writes_nothing(dialog, out):
    _choose(dialog, "csv")
    dialog.path.setText(str(out / "missing" / "cells.csv"))
    dialog.export_button.click()
    assert "does not exist" in dialog.message.text()
    assert files_in(out) == []


def test_grid_image_copies_what_the_window_draws(qtbot):
    from PySide6.QtWidgets import QApplication

    from dropgui._qt.export_dialog import copy_grids_to_clipboard, grid_image
    from dropgui._qt.grids import GridFigure

    figure = GridFigure()
    qtbot.addWidget(figure)
    figure.show_results(compute(Spec()))
    figure.resize(800, 600)
    figure.show()
    qtbot.waitExposed(figure)
    image = grid_image(figure)
    assert (image.width(), image.height()) == (800, 600)
    copy_grids_to_clipboard(figure)
    assert QApplication.clipboard().image().size() == image.size()


def test_plan_names_every_file_a_sequence_writes(tmp_path):
    plan = plan_export(Spec(), tmp_path / "a.png", draws="1:4")
    assert [p.name for p in plan.targets] == ["a_000.png", "a_001.png", "a_002.png"]
    assert [frame[0].draw for frame in plan.frames] == [1, 2, 3]
    with pytest.raises(DropguiError, match="not both"):
        plan_export(Spec(), tmp_path / "a.gif", seeds="0:2", draws="1:3")
    with pytest.raises(DropguiError, match="holds every slice"):
        plan_export(Spec(), tmp_path / "a.npz", slice_index=0)
    with pytest.raises(DropguiError, match="--slice B"):
        plan_export(Spec(shape=(9, 2, 2)), tmp_path / "a.png")
    with pytest.raises(DropguiError, match="seed must be"):
        plan_export(Spec(), tmp_path / "a.gif", seeds=range(2**31 - 5, 2**31))
    assert files_in(tmp_path) == []


def test_image_bytes_helpers_match_cli_files(tmp_path):
    from dropgui._qt.render import render_gif, render_png

    result = compute(Spec(seed=2))
    assert export("--seed", "2", "-o", str(tmp_path / "cli.png")) == 0
    np.testing.assert_array_equal(
        np.asarray(Image.open(io.BytesIO(render_png(result))).convert("RGB")),
        pixels(tmp_path / "cli.png"),
    )
    gif = render_gif([(Spec(seed=s), None) for s in range(3)])
    with Image.open(io.BytesIO(gif)) as animation:
        assert animation.n_frames == 3


@pytest.mark.parametrize(
    "target",
    [
        "/proc/dropgui-test.png",  # the kernel's file system: creating files fails
        "{tmp}/" + "n" * 300 + ".csv",  # a name longer than file systems allow
    ],
)
def test_operating_system_refusals_are_one_line(tmp_path, capsys, target):
    code = export("-o", target.format(tmp=tmp_path))
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("dropgui: error: cannot write")
    assert files_in(tmp_path) == []


def test_a_long_but_legal_name_is_written(tmp_path):
    target = tmp_path / ("n" * 250 + ".csv")  # the temporary name beside it must fit too
    assert export("-o", str(target)) == 0
    assert files_in(tmp_path) == [target.name]
