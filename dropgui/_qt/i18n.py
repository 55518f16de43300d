"""The window's language: English or Simplified Chinese, from the system locale, switchable
live.

Two mechanisms, one call. Qt's strings are marked in the widgets with
`QCoreApplication.translate("Context", "text")` (or `QT_TRANSLATE_NOOP` for constants),
extracted by `pyside6-lupdate` into `resources/i18n/dropgui_zh_CN.ts` and compiled by
`pyside6-lrelease` into the `.qm` file loaded here (`resources/i18n/update.sh` runs
both). The core's sentences (explanations, captions, statistics' notes) come from
`dropgui.i18n`, which cannot import Qt; `set_language` switches both, core first.

Installing or removing a translator makes Qt send `QEvent.LanguageChange` to every
widget; each widget that shows text says it again in `retranslate()`, called from its
`changeEvent` (Qt's pattern, written once in `Retranslated`: a widget class lists it
first among its bases and defines `retranslate()`, and `restyle()` for PaletteChange).

QApplication posts the event to each top-level window, which passes it on to its
children at once: widgets retranslate when the event loop next runs. Nothing is
rebuilt: the window keeps the result it shows and draws its captions and legends in the
new language.

Placeholders are named, as in the core: `translate(...).format(count=3)`, so that a
translation can reorder them (tests/test_i18n.py checks that every translation keeps
its source's fields).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFontDatabase

from .. import i18n

LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}
"""Each language in its own words: what View -> Language lists (never translated)."""
CATALOG = "dropgui_{code}.qm"
"""The compiled Qt catalog of a language, in resources/i18n/."""

_installed: list[QTranslator] = []
"""The translators in use (ours, and Qt's own for its dialogs' buttons)."""
_catalogs: list[bytes] = []


class Retranslated:
    """Mixin for a Qt widget that says its texts again when the language changes
    (`retranslate()`, which the widget defines) and restyles itself when the palette
    changes, light or dark (`restyle()`, nothing by default). List it before the Qt base
    class. Both may run while the Qt base is still being built: guard what they touch."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self.restyle()
        super().changeEvent(event)

    def retranslate(self) -> None:
        raise NotImplementedError

    def restyle(self) -> None:
        """Nothing: most widgets take their colours from the palette itself."""


def system_language() -> str:
    """The language the system locale asks for: "zh_CN" for any Chinese locale (Qt's
    QLocale.system(), which reads LANG/LC_ALL), else "en"."""
    return "zh_CN" if QLocale.system().name().lower().startswith("zh") else "en"


WRITING_SYSTEMS = {"zh_CN": QFontDatabase.WritingSystem.SimplifiedChinese}
FONT_PACKAGE = "fonts-noto-cjk"
"""The Debian/Ubuntu package that gives Qt a Chinese font (the README names it)."""


def font_missing(code: str) -> bool:
    """True when no installed font writes `code`, so Qt would draw boxes: the window
    should say so once and name FONT_PACKAGE. Needs the QApplication."""
    system = WRITING_SYSTEMS.get(code)
    return system is not None and not QFontDatabase.families(system)


def current_language() -> str:
    """The language the window speaks now (that of the core's sentences too)."""
    return i18n.language()


def set_language(app: QCoreApplication, code: str) -> None:
    """Speak `code` ("en" or "zh_CN") from now on, in the window and the core.

    Our translator and Qt's own (for the standard buttons of dialogs) are installed or
    removed; Qt then sends LanguageChange to every widget, which retranslates itself.
    The core's language is set first, so that retranslating widgets ask the core's
    messages in the new language. Calling it with the current language does nothing.
    """
    if code not in LANGUAGE_NAMES:
        raise ValueError(f"unknown language {code!r}; dropgui speaks {', '.join(LANGUAGE_NAMES)}")
    if code == i18n.language() and bool(_installed) == (code != i18n.DEFAULT_LANGUAGE):
        return
    i18n.set_language(code)
    removed = bool(_installed)
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _catalogs.clear()
    if code != i18n.DEFAULT_LANGUAGE:
        data = (i18n.resources() / "i18n" / CATALOG.format(code=code)).read_bytes()
        ours = QTranslator(app)
        if not ours.load(data):
            raise RuntimeError(f"the Qt catalog of {code} could not be loaded")
        _catalogs.append(data)  # Qt reads the catalog in place: keep its bytes alive
        qt_own = QTranslator(app)
        if qt_own.load(
            f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        ):
            _installed.append(qt_own)
        _installed.append(ours)
    for translator in _installed:
        app.installTranslator(translator)
    if not (removed or _installed):  # no translator changed, so Qt sent nothing: we do
        QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))


__all__ = [
    "FONT_PACKAGE",
    "LANGUAGE_NAMES",
    "Retranslated",
    "current_language",
    "font_missing",
    "set_language",
    "system_language",
]
