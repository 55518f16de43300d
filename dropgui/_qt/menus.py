"""The window's menus and keyboard shortcuts, and the help table that lists them.

`window` is dropgui's MainWindow (typed as QMainWindow: this module is imported by
window.py and must not import it back). Every menu and action is built with its English
text, marked for lupdate, and said again in the language now set by `retranslate_menus`
(the window calls it on each language change). `window.view_menu` is the View menu, for
whatever else View grows.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QMessageBox, QWidget

from . import theme
from .about import show_about
from .i18n import LANGUAGE_NAMES, Retranslated, current_language, set_language
from .settings import clear_recent, recent_files, save_language, save_scheme

translate = QCoreApplication.translate

SHORTCUTS = (
    (QT_TRANSLATE_NOOP("Menus", "Right"), QT_TRANSLATE_NOOP("Menus", "next seed")),
    (QT_TRANSLATE_NOOP("Menus", "Left"), QT_TRANSLATE_NOOP("Menus", "previous seed")),
    (
        QT_TRANSLATE_NOOP("Menus", "Up"),
        QT_TRANSLATE_NOOP("Menus", "next call (draw) of the same layer"),
    ),
    (
        QT_TRANSLATE_NOOP("Menus", "Space"),
        QT_TRANSLATE_NOOP("Menus", "play / pause stepping through seeds"),
    ),
    (
        "PgDown / PgUp",
        QT_TRANSLATE_NOOP("Menus", "next / previous batch slice (when one is shown large)"),
    ),
    (
        QT_TRANSLATE_NOOP("Menus", "Wheel / drag"),
        QT_TRANSLATE_NOOP("Menus", "zoom / pan the grids (all panels follow)"),
    ),
    ("F", QT_TRANSLATE_NOOP("Menus", "fit: whole slices again")),
    ("Ctrl+E", QT_TRANSLATE_NOOP("Menus", "export")),
    ("Ctrl+Shift+C", QT_TRANSLATE_NOOP("Menus", "copy the grids to the clipboard")),
    ("F1", QT_TRANSLATE_NOOP("Menus", "this help")),
    ("Ctrl+Q", QT_TRANSLATE_NOOP("Menus", "quit")),
)
"""(key, what it does), English and marked; said in the language now set when shown."""


def build_menus(window: QMainWindow) -> None:
    """File (open, recent, quit), Export, View (reset, language) and Help menus."""
    window.menu_texts = []  # (QMenu or QAction, English text): said by retranslate_menus
    bar = window.menuBar()
    file_menu = _menu(window, bar.addMenu(""), QT_TRANSLATE_NOOP("Menus", "&File"))
    window.export_menu = _menu(window, bar.addMenu(""), QT_TRANSLATE_NOOP("Menus", "&Export"))
    window.view_menu = _menu(window, bar.addMenu(""), QT_TRANSLATE_NOOP("Menus", "&View"))
    help_menu = _menu(window, bar.addMenu(""), QT_TRANSLATE_NOOP("Menus", "&Help"))
    file_menu.addActions(
        [
            _action(
                window,
                QT_TRANSLATE_NOOP("Menus", "Open .npy…"),
                window.controls.choose_npy,
                QKeySequence.StandardKey.Open,
            ),
            _action(
                window,
                QT_TRANSLATE_NOOP("Menus", "Open model…"),
                window.controls.choose_model,
                "Ctrl+M",
            ),
        ]
    )
    window.recent_menu = _menu(
        window, file_menu.addMenu(""), QT_TRANSLATE_NOOP("Menus", "Open Recent")
    )
    window.recent_menu.aboutToShow.connect(lambda: fill_recent(window))
    fill_recent(window)
    file_menu.addSeparator()
    file_menu.addAction(_action(window, QT_TRANSLATE_NOOP("Menus", "Quit"), window.close, "Ctrl+Q"))
    window.export_menu.addActions(
        [
            _action(window, QT_TRANSLATE_NOOP("Menus", "Export…"), window.open_export, "Ctrl+E"),
            _action(
                window,
                QT_TRANSLATE_NOOP("Menus", "Copy grids to clipboard"),
                window.copy_grids,
                "Ctrl+Shift+C",
            ),
            _action(
                window,
                QT_TRANSLATE_NOOP("Menus", "Export statistics view…"),
                window.export_stats_view,
            ),
        ]
    )
    window.view_menu.addAction(
        _action(window, QT_TRANSLATE_NOOP("Menus", "Reset to defaults"), window.reset_to_defaults)
    )
    build_language_menu(window)
    build_appearance_menu(window)
    help_menu.addActions(
        [
            _action(
                window,
                QT_TRANSLATE_NOOP("Menus", "Keyboard shortcuts"),
                lambda: show_shortcuts(window),
                "F1",
            ),
            _action(
                window, QT_TRANSLATE_NOOP("Menus", "About dropgui"), lambda: show_about(window)
            ),
        ]
    )
    retranslate_menus(window)


def build_language_menu(window: QMainWindow) -> None:
    """View -> Language: one exclusive entry per language, named in its own words (never
    translated), ticked on the language spoken. Choosing one switches the window at once
    and is remembered for the next launch."""
    window.language_menu = _menu(
        window, window.view_menu.addMenu(""), QT_TRANSLATE_NOOP("Menus", "&Language")
    )
    window.language_group = QActionGroup(window)
    window.language_group.setExclusive(True)
    window.language_actions = {}
    for code, name in LANGUAGE_NAMES.items():
        action = window.language_menu.addAction(name)
        action.setCheckable(True)
        action.setData(code)
        window.language_group.addAction(action)
        window.language_actions[code] = action
        action.triggered.connect(lambda _checked=False, code=code: choose_language(window, code))
    tick_language(window)


APPEARANCES = (
    ("system", QT_TRANSLATE_NOOP("Menus", "System")),
    ("light", QT_TRANSLATE_NOOP("Menus", "Light")),
    ("dark", QT_TRANSLATE_NOOP("Menus", "Dark")),
)
"""View -> Appearance: follow the desktop's colour scheme, or choose one."""


def build_appearance_menu(window: QMainWindow) -> None:
    """View -> Appearance: System, Light or Dark, exclusive, ticked on the choice in use.
    Choosing one switches the window at once and is remembered for the next launch."""
    window.appearance_menu = _menu(
        window, window.view_menu.addMenu(""), QT_TRANSLATE_NOOP("Menus", "&Appearance")
    )
    group = QActionGroup(window)
    group.setExclusive(True)
    window.appearance_actions = {}
    for scheme, text in APPEARANCES:
        action = _action(
            window, text, lambda _checked=False, scheme=scheme: choose_appearance(window, scheme)
        )
        action.setCheckable(True)
        group.addAction(action)
        window.appearance_menu.addAction(action)
        window.appearance_actions[scheme] = action
    window.appearance_actions[theme.scheme()].setChecked(True)


def choose_appearance(window: QMainWindow, scheme: str) -> None:
    """Draw the window in `scheme` from now on, and remember it (View -> Appearance)."""
    save_scheme(window.settings, scheme)
    theme.set_scheme(QApplication.instance(), scheme)
    window.appearance_actions[scheme].setChecked(True)


def choose_language(window: QMainWindow, code: str) -> None:
    """Speak `code` from now on, and remember it (View -> Language)."""
    save_language(window.settings, code)
    set_language(QApplication.instance(), code)
    tick_language(window)
    window.language_chosen(code)


def tick_language(window: QMainWindow) -> None:
    """Tick the language the window speaks now in View -> Language."""
    action = window.language_actions.get(current_language())
    if action is not None:
        action.setChecked(True)


def retranslate_menus(window: QMainWindow) -> None:
    """Every menu title and action in the language now set."""
    for item, text in window.menu_texts:
        said = translate("Menus", text)
        if isinstance(item, QMenu):
            item.setTitle(said)
        else:
            item.setText(said)
    fill_recent(window)
    tick_language(window)


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
        menu.addAction(translate("Menus", "No recent files")).setEnabled(False)
    menu.addSeparator()
    clear = menu.addAction(translate("Menus", "Clear Recent Files"))
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


class ShortcutsBox(Retranslated, QMessageBox):
    """Help -> Keyboard shortcuts: the SHORTCUTS table, said again on a language change."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Information)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setStandardButtons(QMessageBox.StandardButton.Ok)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("Menus", "Keyboard shortcuts"))
        rows = "".join(
            f"<tr><td><b>{translate('Menus', key)}</b></td><td>{translate('Menus', what)}</td></tr>"
            for key, what in SHORTCUTS
        )
        self.setText(f"<table>{rows}</table>")


def show_shortcuts(window: QMainWindow) -> QMessageBox:
    """Open the shortcuts table over `window` (window-modal, without blocking)."""
    box = ShortcutsBox(window)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def _menu(window: QMainWindow, menu: QMenu, text: str) -> QMenu:
    window.menu_texts.append((menu, text))
    return menu


def _action(
    window: QMainWindow,
    text: str,
    slot: Callable[[], object],
    shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
) -> QAction:
    action = QAction(window)
    window.menu_texts.append((action, text))
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    return action
