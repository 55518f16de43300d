"""Draw the real window in Simplified Chinese at 1280x720: the README's Chinese picture.

    LANG=zh_CN.UTF-8 QT_QPA_PLATFORM=offscreen python resources/readme/make_screenshot_zh.py

Writes resources/readme/window_zh_CN.png: the Embedding(1000, 16) preset compared with
SpatialDropout1D, as make_screenshot.py's "embedding" view (its VIEWS and wait are
reused; its main() would also replace the English window.png). The window opens in the
system locale's language with fresh settings, so LANG chooses Chinese; a missing CJK
font (fonts-noto-cjk) is refused rather than drawn as boxes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_screenshot import VIEWS, wait  # first: it points XDG_CONFIG_HOME at fresh settings
from PySide6.QtCore import QEventLoop

from dropgui._qt.app import get_qapp
from dropgui._qt.i18n import FONT_PACKAGE, current_language, font_missing
from dropgui._qt.window import MainWindow

SIZE = (1280, 720)
SHOT = Path(__file__).with_name("window_zh_CN.png")


def main(path: Path = SHOT) -> None:
    app = get_qapp()
    window = MainWindow()
    if current_language() != "zh_CN":
        raise SystemExit("the window did not open in Chinese: run with LANG=zh_CN.UTF-8")
    if font_missing("zh_CN"):
        raise SystemExit(f"no Chinese font: install {FONT_PACKAGE}")
    window.resize(*SIZE)
    window.show()
    loop = QEventLoop()
    window.sigGridsDrawn.connect(loop.quit)
    loop.exec()  # the first launch's view
    spec, compare = VIEWS["embedding"]
    window.controls.set_spec(spec, compare=compare)
    loop.exec()
    wait(loop, 300)  # layout and paint settle
    window.grab().save(str(path))
    print(path)
    window.close()
    app.processEvents()


if __name__ == "__main__":
    main()
