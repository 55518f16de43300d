"""The window's status bar: messages said again after a language change, the TensorFlow
versions, the time of the last computation, and a missing font named once.

A message is kept as the way to say it (`Said`): a text (a core `Message` is said again
in each language) or a callable that says it in the language now set. On LanguageChange
the message still shown is said again, in the new language, for the rest of its time.
The texts are in the "MainWindow" context: the window said them before this module.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from ..errors import DropguiError
from ..i18n import translated
from .i18n import FONT_PACKAGE, Retranslated, current_language, font_missing

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

Said = str | Callable[[], str]
"""A message for the user: a text (a core `Message` is said again in each language) or
a callable that says it in the language now set."""

FONT_MISSING = (
    "No installed font can draw {language} text, so it shows as boxes: install "
    "{package} (Debian/Ubuntu: sudo apt install {package}) and start dropgui again."
)
"""Said in English on purpose, whatever the language: without the font, a translation
of this very line would be boxes too."""


def said(message: Said) -> str:
    """`message` in the language now set."""
    return message() if callable(message) else translated(message)


def message_of(error: DropguiError) -> str:
    """An error's message as raised: a core `Message` stays one (said again later)."""
    return error.args[0] if error.args else str(error)


class StatusBar(Retranslated, QStatusBar):
    """Messages (`say`) said again on a language change, and two permanent labels: the
    engine and time of the last computation, and the TensorFlow versions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._status: tuple[Callable[[], str], int, str] | None = None
        """The status message: how to say it, its timeout, and the text shown."""
        self.not_applied = False
        """The message says that the latest request was not applied."""
        self._versions: dict | None = None
        self._timing: tuple[str, float] | None = None
        self._fonts_warned: set[str] = set()
        self.versions_label = QLabel()
        self.time_label = QLabel("")
        self.addPermanentWidget(self.time_label)
        self.addPermanentWidget(self.versions_label)
        self.retranslate()

    def retranslate(self) -> None:
        """The labels, and the message if it is still shown, in the language now set."""
        self._say_versions()
        self._say_timing()
        if self._status is not None:
            say, timeout, shown = self._status
            if self.currentMessage() == shown:
                self.say(say, timeout, not_applied=self.not_applied)

    def say(self, message: Said, timeout: int, not_applied: bool = False) -> None:
        """Show `message` for `timeout` ms; said again on a language change while it is
        shown. `not_applied`: it says that the latest request was not applied."""
        say = message if callable(message) else lambda: translated(message)
        text = say()
        self._status = (say, timeout, text)
        self.not_applied = not_applied
        self.showMessage(text, timeout)

    def clear_not_applied(self) -> None:
        """The refused value was fixed: a "not applied" message still shown goes."""
        if self.not_applied and self.currentMessage():
            self.clearMessage()
        self.not_applied = False

    def show_versions(self, versions: dict) -> None:
        """TensorFlow has loaded: name its version and those of both Kerases."""
        self._versions = versions
        self._say_versions()

    def show_timing(self, engine: str, seconds: float) -> None:
        """The engine and time of the computation just drawn."""
        self._timing = (engine, seconds)
        self._say_timing()

    def warn_if_font_missing(self, code: str | None = None) -> bool:
        """Say once (here and in the log) when no installed font writes the language
        `code` (default: the one spoken), naming the package that gives one. True if it
        said so now."""
        code = code or current_language()
        if code in self._fonts_warned or not font_missing(code):
            return False
        self._fonts_warned.add(code)
        message = FONT_MISSING.format(language=code, package=FONT_PACKAGE)
        log.warning("%s", message)
        self.say(lambda: message, 60_000)
        return True

    def _say_versions(self) -> None:
        if self._versions is None:
            self.versions_label.setText(translate("MainWindow", "TensorFlow loading…"))
            return
        self.versions_label.setText(
            translate(
                "MainWindow", "TensorFlow {tensorflow} · keras {keras3} · tf-keras {tf_keras}"
            ).format(
                tensorflow=self._versions["tensorflow"],
                keras3=self._versions["keras3"],
                tf_keras=self._versions["tf-keras"],
            )
        )

    def _say_timing(self) -> None:
        if self._timing is None:
            self.time_label.setText("")
            return
        engine, seconds = self._timing
        self.time_label.setText(
            translate("MainWindow", "{engine} · computed in {ms:.1f} ms").format(
                engine=engine, ms=seconds * 1000
            )
        )
