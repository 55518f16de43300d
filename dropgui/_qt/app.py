"""The one place that creates the QApplication (glue_qt's `get_qapp`)."""

from __future__ import annotations

import os
import sys

from PySide6.QtWidgets import QApplication


def get_qapp() -> QApplication:
    """The running QApplication, created on first use.

    With no display (no DISPLAY or WAYLAND_DISPLAY on Linux), Qt's offscreen platform
    is chosen so headless export works on servers and in CI.
    """
    app = QApplication.instance()
    if app is None:
        if (
            sys.platform.startswith("linux")
            and "QT_QPA_PLATFORM" not in os.environ
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        ):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QApplication(sys.argv[:1])
        app.setApplicationName("dropgui")
        app.setOrganizationName("dropgui")
    return app  # type: ignore[return-value]
