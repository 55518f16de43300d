"""Draw the real window at 1280x720 and 1920x1080 for the views the grids must read at.

    python resources/readme/make_screenshot.py [--2x] OUT_DIR [VIEW ...]

Writes OUT_DIR/<view>_<width>x<height>.png for each view (all by default), drawn by the
app itself (QWidget.grab) with fresh settings, and copies the 1280x720 Embedding preset
to resources/readme/window.png, the README's picture. Works offscreen
(QT_QPA_PLATFORM=offscreen) and under Xvfb.

With --2x the window is drawn at device pixel ratio 2 (QT_SCALE_FACTOR=2, as on a
high-DPI screen): twice the pixels for the same window sizes, files named
<view>_<width>x<height>@2x.png, and the 1280x720 classic view copied to
resources/readme/window_2x.png.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="dropgui-shots-"))

from PySide6.QtCore import QEventLoop, QTimer

from dropgui import Spec
from dropgui._qt.app import get_qapp
from dropgui._qt.window import MainWindow

VIEWS: dict[str, tuple[Spec, str | None]] = {
    "classic": (Spec(), "spatial"),
    "embedding": (Spec(shape=(4, 20, 16), source="embedding", vocab=1000, rate=0.2), "spatial"),
    "8x64x64": (Spec(shape=(8, 64, 64)), "spatial"),
    "word": (
        Spec(shape=(2, 128, 300), source="embedding", vocab=1000, rate=0.3, mode="word"),
        "dropout",
    ),
    "1x512x768": (Spec(shape=(1, 512, 768)), "spatial"),
    "gaussian": (Spec(mode="gaussian"), None),
    "alpha": (Spec(mode="alpha"), "dropout"),
}
"""Each view: the spec and the mode it is compared with, as the grids issue lists them."""
SIZES = ((1280, 720), (1920, 1080))
README_SHOT = Path(__file__).with_name("window.png")
README_SHOT_2X = Path(__file__).with_name("window_2x.png")
DOUBLE = "--2x" in sys.argv[1:]
if DOUBLE:  # read when the QApplication starts, so before get_qapp()
    os.environ["QT_SCALE_FACTOR"] = "2"


def wait(loop: QEventLoop, ms: int) -> None:
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main(out: Path, names: list[str], double: bool = False) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = get_qapp()
    for width, height in SIZES:
        window = MainWindow()
        window.resize(width, height)
        window.show()
        loop = QEventLoop()
        window.sigGridsDrawn.connect(loop.quit)
        loop.exec()  # the first launch's view
        for name in names:
            spec, compare = VIEWS[name]
            window.controls.set_spec(spec, compare=compare)
            loop.exec()
            wait(loop, 300)  # layout and paint settle
            path = out / f"{name}_{width}x{height}{'@2x' if double else ''}.png"
            window.grab().save(str(path))
            print(path)
        window.close()
    app.processEvents()
    shot, target = out / "embedding_1280x720.png", README_SHOT
    if double:
        shot, target = out / "classic_1280x720@2x.png", README_SHOT_2X
    if shot.exists():
        shutil.copyfile(shot, target)


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if argument != "--2x"]
    main(Path(arguments[0]), arguments[1:] or list(VIEWS), DOUBLE)
