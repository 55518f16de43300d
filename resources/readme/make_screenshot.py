"""Draw the real window for the views the grids must read at, and the README's pictures.

    python resources/readme/make_screenshot.py [--2x] [--dark] [--lang zh_CN] OUT_DIR [VIEW ...]
    python resources/readme/make_screenshot.py --readme

The first form writes OUT_DIR/<view>_<width>x<height>.png for each view (all by
default) at 1280x720 and 1920x1080, drawn by the app itself (QWidget.grab) with fresh
settings. `--dark` draws in the dark appearance, `--lang zh_CN` in Simplified Chinese
(a CJK font must be installed: fonts-noto-cjk), `--2x` at device pixel ratio 2
(QT_SCALE_FACTOR=2, as on a high-DPI screen; files are named ...@2x.png).

`--readme` draws every picture the README shows, at 1280x720, into resources/readme/:
window.png (the Embedding(1000, 16) preset), window_model.png (a saved text model, see
make_model.py), window_dark.png, window_zh_CN.png and window_2x.png (a process of its
own: the scale factor is read when Qt starts). Works offscreen (QT_QPA_PLATFORM=offscreen)
and under Xvfb.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="dropgui-shots-"))

HERE = Path(__file__).resolve().parent
SIZES = ((1280, 720), (1920, 1080))
README_SIZE = (1280, 720)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--2x", dest="double", action="store_true", help="device pixel ratio 2")
    parser.add_argument("--dark", action="store_true", help="the dark appearance")
    parser.add_argument("--lang", default="en", choices=("en", "zh_CN"), help="language")
    parser.add_argument("--readme", action="store_true", help="every README picture")
    parser.add_argument("out", nargs="?", type=Path, help="folder for the pictures")
    parser.add_argument("views", nargs="*", help="views to draw (default: all)")
    args = parser.parse_args(argv)
    if not args.readme and args.out is None:
        parser.error("give OUT_DIR, or --readme")
    return args


ARGS = parse_args(sys.argv[1:]) if __name__ == "__main__" else None
if ARGS is not None and ARGS.double:  # read when the QApplication starts: before it
    os.environ["QT_SCALE_FACTOR"] = "2"

from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402  (after QT_SCALE_FACTOR)
from PySide6.QtWidgets import QApplication  # noqa: E402

from dropgui import Spec  # noqa: E402
from dropgui._qt import theme  # noqa: E402
from dropgui._qt.app import get_qapp  # noqa: E402
from dropgui._qt.i18n import FONT_PACKAGE, font_missing, set_language  # noqa: E402
from dropgui._qt.window import MainWindow  # noqa: E402
from dropgui.model_input import spec_for_layer  # noqa: E402

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
    "model": (Spec(), None),  # replaced by model_view(): the model is built first
}
"""Each view: the spec and the mode it is compared with, as the grids issue lists them."""


def model_view(folder: Path) -> tuple[Spec, str]:
    """The README's text model (make_model.py), saved into `folder`, on its
    SpatialDropout1D and two reviews: before and after, large enough for every word."""
    loader = importlib.util.spec_from_file_location("make_model", HERE / "make_model.py")
    make_model = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(make_model)
    path = make_model.build(str(folder / "review.keras"))
    rows = tuple(row.strip() for row in make_model.TEXT.split(";"))
    spec = Spec(source="model", model=path, text=rows)
    return spec_for_layer(spec).replace(shape=(2, 8, 16)), None


def wait(loop: QEventLoop, ms: int) -> None:
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def draw(
    names: list[str], sizes, out: Path, suffix: str = "", *, dark: bool = False, lang: str = "en"
) -> list[Path]:
    """Draw each view at each size into `out`; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    app = get_qapp()
    written = []
    with tempfile.TemporaryDirectory(prefix="dropgui-shots-model-") as folder:
        views = dict(VIEWS)
        if "model" in names:
            views["model"] = model_view(Path(folder))
        for width, height in sizes:
            QSettings().clear()  # every window starts as a first launch
            window = MainWindow()
            set_language(app, lang)
            theme.set_scheme(app, "dark" if dark else "light")
            if lang != "en" and font_missing(lang):
                raise SystemExit(f"no font writes {lang}: install {FONT_PACKAGE}")
            window.resize(width, height)
            window.show()
            loop = QEventLoop()
            window.sigGridsDrawn.connect(loop.quit)
            loop.exec()  # the first launch's view
            for name in names:
                spec, compare = views[name]
                window.controls.set_spec(spec, compare=compare)
                loop.exec()
                wait(loop, 300)  # layout and paint settle
                path = out / f"{name}_{width}x{height}{suffix}.png"
                window.grab().save(str(path))
                written.append(path)
                print(path)
            window.close()
        app.processEvents()
    return written


def readme() -> None:
    """Every README picture, at 1280x720, into resources/readme/."""
    pictures = (
        ("embedding", "window.png", {}),
        ("model", "window_model.png", {}),
        ("embedding", "window_dark.png", {"dark": True}),
        ("embedding", "window_zh_CN.png", {"lang": "zh_CN"}),
    )
    with tempfile.TemporaryDirectory(prefix="dropgui-shots-") as scratch:
        for view, name, options in pictures:
            (drawn,) = draw([view], [README_SIZE], Path(scratch) / name, **options)
            os.replace(drawn, HERE / name)
            print(HERE / name)
        QApplication.processEvents()
    # the scale factor is read when Qt starts: the 2x picture takes a process of its own
    with tempfile.TemporaryDirectory(prefix="dropgui-shots-2x-") as scratch:
        subprocess.run([sys.executable, __file__, "--2x", scratch, "classic"], check=True)
        os.replace(Path(scratch) / "classic_1280x720@2x.png", HERE / "window_2x.png")
        print(HERE / "window_2x.png")


def main(args: argparse.Namespace) -> None:
    if args.readme:
        readme()
        return
    names = args.views or list(VIEWS)
    unknown = [name for name in names if name not in VIEWS]
    if unknown:
        raise SystemExit(f"unknown views {unknown}; choose from {', '.join(VIEWS)}")
    suffix = "@2x" if args.double else ""
    draw(names, SIZES, args.out, suffix, dark=args.dark, lang=args.lang)


if __name__ == "__main__":
    main(ARGS)
