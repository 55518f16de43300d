"""The window's menus and keyboard shortcuts, and the help table that lists them.

`window` is dropgui's MainWindow (typed as QMainWindow: this module is imported by
window.py and must not import it back)."""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QMessageBox

from .about import show_about
from .settings import clear_recent, recent_files

SHORTCUTS = (
    ("Right", "next seed"),
    ("Left", "previous seed"),
    ("Up", "next call (draw) of the same layer"),
    ("Space", "play / pause stepping through seeds"),
    ("PgDown / PgUp", "next / previous batch slice (when one is shown large)"),
    ("Wheel / drag", "zoom / pan the grids (all panels follow)"),
    ("F", "fit: whole slices again"),
    ("Ctrl+E", "export"),
    ("Ctrl+Shift+C", "copy the grids to the clipboard"),
    ("F1", "this help"),
    ("Ctrl+Q", "quit"),
)


def build_menus(window: QMainWindow) -> None:
    """File (open, quit), Export, View (reset) and Help menus."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    window.export_menu = bar.addMenu("&Export")
    view_menu = bar.addMenu("&View")
    help_menu = bar.addMenu("&Help")
    file_menu.addActions(
        [
            _action(
                window, "Open .npy…", window.controls.choose_npy, QKeySequence.StandardKey.Open
            ),
            _action(window, "Open model…", window.controls.choose_model, "Ctrl+M"),
        ]
    )
    window.recent_menu = file_menu.addMenu("Open Recent")
    window.recent_menu.aboutToShow.connect(lambda: fill_recent(window))
    fill_recent(window)
    file_menu.addSeparator()
    file_menu.addActions(
        [
            _action(window, "Quit", window.close, "Ctrl+Q"),
        ]
    )
    window.export_menu.addActions(
        [
            _action(window, "Export…", window.open_export, "Ctrl+E"),
            _action(window, "Copy grids to clipboard", window.copy_grids, "Ctrl+Shift+C"),
            _action(window, "Export statistics view…", window.export_stats_view),
        ]
    )
    view_menu.addAction(_action(window, "Reset to defaults", window.reset_to_defaults))
    help_menu.addActions(
        [
            _action(window, "Keyboard shortcuts", lambda: show_shortcuts(window), "F1"),
            _action(window, "About dropgui", lambda: show_about(window)),
        ]
    )


def fill_recent(window: QMainWindow) -> None:
    """File -> Open Recent: the files last shown, newest first, then Clear. A file that
    has gone is still listed; opening it says so."""
    menu = window.recent_menu
    menu.clear()
    paths = recent_files(window.settings)
    for number, path in enumerate(paths, 1):
        action = menu.addAction(f"&{number} {os.path.basename(path)}")
        action.setData(path)
        action.setToolTip(path)
        action.setStatusTip(path)
        action.triggered.connect(lambda _checked=False, path=path: window.open_path(path))
    if not paths:
        menu.addAction("No recent files").setEnabled(False)
    menu.addSeparator()
    clear = menu.addAction("Clear Recent Files")
    clear.setEnabled(bool(paths))
    clear.triggered.connect(lambda: clear_recent(window.settings))


def build_shortcuts(window: QMainWindow) -> None:
    """Keys that act on the grids. The figure is looked up at each press: the grid area
    may have replaced it after a failed draw."""
    for key, slot in (
        ("Right", lambda: window.controls.step_seed(1)),
        ("Left", lambda: window.controls.step_seed(-1)),
        ("Up", window.controls.next_draw),
        ("Space", window.controls.play.toggle),
        ("PgDown", lambda: window.figure.set_focus(window.figure.focus + 1)),
        ("PgUp", lambda: window.figure.set_focus(window.figure.focus - 1)),
        ("F", lambda: window.figure.fit()),
    ):
        QShortcut(QKeySequence(key), window, slot)


def show_shortcuts(window: QMainWindow) -> None:
    rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in SHORTCUTS)
    QMessageBox.information(window, "Keyboard shortcuts", f"<table>{rows}</table>")


def _action(
    window: QMainWindow,
    text: str,
    slot: Callable[[], object],
    shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    return action
