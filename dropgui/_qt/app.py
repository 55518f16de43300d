"""The one place that creates the QApplication (glue_qt's `get_qapp`), and what the
`dropgui` window needs of the process: a display, its icon and desktop identity, and
Ctrl+C in the terminal."""

from __future__ import annotations

import os
import signal
import sys

from PySide6.QtCore import QByteArray, QRectF, Qt, QTimer
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from ..desktop import APP_ID, ICON_FILE, app_version, resource

EXIT_INTERRUPTED = 128 + signal.SIGINT
"""The status a shell expects of a program ended by Ctrl+C (130)."""
SIGNAL_CHECK_MS = 200
"""How often Python gets a turn in Qt's event loop to run its SIGINT handler."""
ICON_SIZES = (16, 22, 24, 32, 48, 64, 96, 128, 256)
"""The sizes the icon is drawn at: the ones title bars, task switchers, docks and the
About box ask for, so none is scaled from a neighbour."""


def _no_display() -> bool:
    """True on Linux with no X11 or Wayland display and no platform chosen: Qt would
    fall back to a platform with no screen (or fail to start)."""
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    )


def get_qapp() -> QApplication:
    """The running QApplication, created on first use.

    With no display (no DISPLAY or WAYLAND_DISPLAY on Linux), Qt's offscreen platform
    is chosen so headless export works on servers and in CI.
    """
    app = QApplication.instance()
    if app is None:
        if _no_display():
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QApplication(sys.argv[:1])
        app.setApplicationName("dropgui")
        app.setOrganizationName("dropgui")
        app.setApplicationVersion(app_version())
    _give_identity(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def _give_identity(app: QApplication) -> None:
    """dropgui's icon, which every window without its own inherits, and its desktop file
    name (dropgui.desktop), which Wayland sends as the app id so the task switcher
    shows the menu entry's name and icon. An application someone else created (a test
    runner, a notebook's event loop) keeps whatever icon and name it already has."""
    if app.windowIcon().isNull():
        app.setWindowIcon(app_icon())
    if not app.desktopFileName():
        app.setDesktopFileName(APP_ID)


def app_icon() -> QIcon:
    """dropgui's icon (resources/dropgui.svg) drawn at ICON_SIZES.

    Drawn from the file's bytes, which any package layout can give (`resource`), rather
    than handed to Qt's SVG icon engine as a file name, which must stay on disk.
    """
    renderer = QSvgRenderer(QByteArray(resource(ICON_FILE).read_bytes()))
    icon = QIcon()
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        icon.addPixmap(QPixmap.fromImage(image))
    return icon


def display_problem() -> str | None:
    """Why the window cannot be shown here, in one line with what to use instead; None
    when it can. Without a display the window would open on no screen and the command
    would seem to hang (issue 10); an explicit QT_QPA_PLATFORM (offscreen, vnc, ...) is
    the user's choice and is honoured."""
    if not _no_display():
        return None
    return (
        "no display for the window (DISPLAY and WAYLAND_DISPLAY are unset); without one, "
        "use `dropgui export` to write images or data, or `dropgui print` to print the "
        "arrays (see `dropgui --help`)"
    )


class SigintQuit:
    """Ctrl+C in the terminal closes every window and ends the event loop.

    Python runs signal handlers only between bytecodes of the main thread, and Qt's event
    loop runs in C++: without help the handler would wait for the next Python slot,
    possibly for ever. A timer runs a little Python every SIGNAL_CHECK_MS. The handler
    itself only schedules the quit, so it also works before the event loop has started.
    `interrupted` says whether it happened (the caller exits with EXIT_INTERRUPTED).
    """

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.interrupted = False
        self.timer = QTimer(app)
        self.timer.timeout.connect(self._let_python_run)
        self.timer.start(SIGNAL_CHECK_MS)
        signal.signal(signal.SIGINT, self._on_sigint)

    def _let_python_run(self) -> None:
        """Nothing: calling into Python is the point (pending signals run first)."""

    def _on_sigint(self, _signum: int, _frame: object) -> None:
        self.interrupted = True
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # a second Ctrl+C ends it outright
        QTimer.singleShot(0, self._quit)

    def _quit(self) -> None:
        for widget in self.app.topLevelWidgets():
            widget.close()
        self.app.exit(EXIT_INTERRUPTED)
