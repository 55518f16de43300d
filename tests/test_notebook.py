"""dropgui.figure and Result._repr_png_: the export's figure, offscreen, for notebooks.

Real TensorFlow, real Qt; the figure is compared pixel by pixel with what
`dropgui export` writes, and the no-display case runs in a process of its own with every
display variable removed.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest
from PIL import Image

import dropgui
from dropgui import DropguiError, Spec, cli, compute
from dropgui.notebook import MAX_SCALE, png_size, repr_png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def decoded(data: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return picture


def rgb(picture: Image.Image) -> np.ndarray:
    return np.asarray(picture.convert("RGB"))


def exported(tmp_path, *args: str) -> np.ndarray:
    """The pixels `dropgui export` writes for `args`."""
    path = tmp_path / "cli.png"
    assert cli.main(["export", *args, "-o", str(path)]) == 0
    with Image.open(path) as picture:
        return rgb(picture)


def test_repr_png_draws_with_no_display_and_shows_no_window(tmp_path):
    """In a fresh process with no DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM: a PNG of
    the figure, drawn on Qt's offscreen platform, and no window exposed, neither when
    `figure` creates the QApplication nor when it finds one running."""
    script = textwrap.dedent(
        """
        import json, os, sys
        import dropgui

        result = dropgui.compute(dropgui.Spec(mode="spatial", seed=4))
        qt_before = sorted(m for m in sys.modules if m.split(".")[0] == "PySide6")
        shown = result._repr_png_()
        data = shown[0] if isinstance(shown, tuple) else shown

        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtGui import QGuiApplication, QWindow
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        exposed = []

        class WindowSpy(QObject):
            def eventFilter(self, watched, event):
                if isinstance(watched, QWindow) and event.type() in (
                    QEvent.Type.Show, QEvent.Type.Expose
                ):
                    exposed.append(event.type().name)
                return False

        spy = WindowSpy()
        app.installEventFilter(spy)
        again = dropgui.figure(result)  # with the QApplication running now
        with open(sys.argv[1], "wb") as file:
            file.write(data)
        print(json.dumps({
            "qt_before": qt_before,
            "platform": app.platformName(),
            "env_platform": os.environ.get("QT_QPA_PLATFORM"),
            "exposed": exposed,
            "windows": [w.isVisible() for w in QGuiApplication.allWindows()],
            "same_again": again == data,
            "tuple": isinstance(shown, tuple),
            "metadata": shown[1] if isinstance(shown, tuple) else None,
        }))
        """
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    target = tmp_path / "repr.png"
    done = subprocess.run(
        [sys.executable, "-c", script, str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["qt_before"] == []  # computing a result loads no Qt
    assert report["platform"] == "offscreen"
    assert report["env_platform"] is None  # the kernel's environment is left as it was
    assert report["exposed"] == [] and not any(report["windows"])
    assert report["same_again"]
    data = target.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    picture = decoded(data)
    width, height = picture.size
    # the classic figure (three slices of 3 x 4, before and after) at 2x: about
    # 1300 x 1800; at least 2 x 300 either way, and portrait
    assert 600 < width < 4000 and 600 < height < 6000 and height > width
    assert Spec.from_dict(json.loads(picture.text["dropgui:spec"])) == Spec(mode="spatial", seed=4)
    if report["tuple"]:  # (data, metadata): shown at half its pixels, like a 1x image
        assert report["metadata"] == {"width": width // 2, "height": height // 2}


@pytest.mark.parametrize(
    ("spec", "args", "scale"),
    [
        (Spec(mode="spatial", seed=3), "--mode spatial --seed 3", 2),
        (
            Spec(shape=(2, 20, 16), source="embedding", vocab=1000, rate=0.2, seed=1),
            "--shape 2,20,16 --input embedding --vocab 1000 --rate 0.2 --seed 1",
            1,
        ),
    ],
    ids=["spatial-2x", "embedding-1x"],
)
def test_figure_is_what_dropgui_export_writes(tmp_path, spec, args, scale):
    data = dropgui.figure(spec, scale=scale)
    assert data[:8] == PNG_SIGNATURE
    np.testing.assert_array_equal(
        rgb(decoded(data)), exported(tmp_path, *args.split(), "--scale", str(scale))
    )
    # a computed Result draws the same figure as its spec
    np.testing.assert_array_equal(
        rgb(decoded(dropgui.figure(compute(spec), scale=scale))), rgb(decoded(data))
    )


def test_scale_is_drawn_not_ignored():
    result = compute(Spec(seed=2))
    one, two, three = (decoded(dropgui.figure(result, scale=s)) for s in (1, 2, 3))
    assert abs(two.width - 2 * one.width) <= 1 and abs(two.height - 2 * one.height) <= 1
    assert abs(three.width - 3 * one.width) <= 1 and abs(three.height - 3 * one.height) <= 1
    # 2x is drawn at 2x: the 1x image blown up is not it
    blown_up = rgb(one).repeat(2, axis=0).repeat(2, axis=1)
    drawn = rgb(two)[: blown_up.shape[0], : blown_up.shape[1]]
    assert (
        np.abs(drawn.astype(int) - blown_up[: drawn.shape[0], : drawn.shape[1]]) > 40
    ).mean() > 0.002


def test_repr_png_says_its_size_on_the_page():
    result = compute(Spec(seed=1))
    data, metadata = repr_png(result)
    width, height = png_size(data)
    assert (width, height) == decoded(data).size
    assert metadata == {"width": width // 2, "height": height // 2}
    one = decoded(dropgui.figure(result, scale=1))
    assert abs(metadata["width"] - one.width) <= 1 and abs(metadata["height"] - one.height) <= 1


def test_a_path_writes_the_file_and_returns_none(tmp_path):
    spec = Spec(mode="spatial", seed=5)
    target = tmp_path / "figure.png"
    assert dropgui.figure(spec, target, scale=2) is None
    assert sorted(os.listdir(tmp_path)) == ["figure.png"]  # no temporary left beside it
    with Image.open(target) as picture:
        np.testing.assert_array_equal(rgb(picture), rgb(decoded(dropgui.figure(spec))))
        assert json.loads(picture.text["dropgui:spec"])["mode"] == "spatial"
    # written whole beside the old file and renamed over it: a reader that has the old
    # file open goes on reading the old figure, complete, never a truncated mix
    old = target.read_bytes()
    with open(target, "rb") as reader:
        assert dropgui.figure(spec.replace(seed=6), target) is None
        assert reader.read() == old
    assert target.read_bytes() != old
    assert sorted(os.listdir(tmp_path)) == ["figure.png"]
    assert dropgui.figure(spec, str(tmp_path / "figure.svg")) is None  # a str path, SVG
    assert (tmp_path / "figure.svg").read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("missing/figure.png", "does not exist"),
        ("figure.gif", r"\.png or \.svg"),
        ("figure.txt", "cannot export"),
    ],
)
def test_a_bad_path_raises_and_leaves_nothing(tmp_path, name, problem):
    with pytest.raises(DropguiError, match=problem):
        dropgui.figure(Spec(), tmp_path / name)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("scale", [0, -1, MAX_SCALE + 1, 2.0, True, "2", None])
def test_scale_must_be_a_whole_number_in_range(tmp_path, scale):
    with pytest.raises(DropguiError, match="scale must be"):
        dropgui.figure(Spec(), tmp_path / "figure.png", scale=scale)
    assert os.listdir(tmp_path) == []


def test_a_large_batch_draws_its_first_slices_beside_the_overview():
    result = compute(Spec(shape=(12, 3, 4), seed=1))
    first_eight = decoded(dropgui.figure(result, scale=1))
    one = decoded(dropgui.figure(result, scale=1, slices=[11]))
    assert first_eight.height > 3 * one.height  # eight rows of panels against one
    with pytest.raises(DropguiError, match="slice 12 does not exist"):
        dropgui.figure(result, slices=[12])
    with pytest.raises(DropguiError, match=r"takes a dropgui\.Spec"):
        dropgui.figure(result.keep_mask)


def test_figure_refuses_a_thread_that_is_not_qts():
    result = compute(Spec())
    dropgui.figure(result, scale=1)  # the QApplication runs in this (main) thread now
    errors = []

    def draw():
        try:
            dropgui.figure(result, scale=1)
        except DropguiError as error:
            errors.append(str(error))

    thread = threading.Thread(target=draw)
    thread.start()
    thread.join()
    assert errors and "thread" in errors[0]
