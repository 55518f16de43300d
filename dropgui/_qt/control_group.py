"""What the control panel's groups share: a titled form that says its texts again in the
language now set and names a refused value in red under its rows, and the panel's words.

Every text of the panel is English in the code, marked for lupdate in the context
"ControlPanel" (whichever group shows it, so the catalog keeps one context), and shown
through `translate("ControlPanel", ...)` in the language now set (`retranslate`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QWidget

from ..i18n import Message, translated
from ..modes import MODES
from .i18n import Retranslated
from .theme import error_style

translate = QCoreApplication.translate

MODE_NAMES = {
    "dropout": QT_TRANSLATE_NOOP("ControlPanel", "dropout"),
    "spatial": QT_TRANSLATE_NOOP("ControlPanel", "spatial"),
    "token": QT_TRANSLATE_NOOP("ControlPanel", "token"),
    "word": QT_TRANSLATE_NOOP("ControlPanel", "word"),
    "gaussian": QT_TRANSLATE_NOOP("ControlPanel", "gaussian"),
    "alpha": QT_TRANSLATE_NOOP("ControlPanel", "alpha"),
}
"""A mode by its id (the CLI's --mode) in English; in Chinese, what it drops. A mode
missing here is shown by its id."""
BOX_NAMES = {
    "vocab": QT_TRANSLATE_NOOP("ControlPanel", "vocab"),
    "data_seed": QT_TRANSLATE_NOOP("ControlPanel", "data seed"),
    "seed": QT_TRANSLATE_NOOP("ControlPanel", "seed"),
    "draw": QT_TRANSLATE_NOOP("ControlPanel", "draw"),
    "speed": QT_TRANSLATE_NOOP("ControlPanel", "speed"),
    "rate": QT_TRANSLATE_NOOP("ControlPanel", "rate"),
}
"""The names the number boxes give in their refusals, by the box's Spec field."""


class Marked(Message):
    """A text of the panel's catalog that says itself again in the language now set:
    the panel's own refusals travel as DropguiError messages (a str), and whoever shows
    one later asks `i18n.translated()` for it, as for the core's messages."""

    def __new__(cls, source: str):
        self = str.__new__(cls, translate("ControlPanel", source))
        self.template, self.values = source, {}
        return self

    def translated(self, code: str | None = None) -> str:
        return translate("ControlPanel", self.template)


def mode_name(mode: str) -> str:
    """A mode for the user, in the language now set (its id in English)."""
    return translate("ControlPanel", MODE_NAMES[mode]) if mode in MODE_NAMES else mode


def mode_label(mode: str) -> str:
    """A mode with the Keras layer that draws it ("spatial: SpatialDropout1D")."""
    return translate("ControlPanel", "{name}: {keras_layer}").format(
        name=mode_name(mode), keras_layer=MODES[mode].keras_layer
    )


class ControlGroup(Retranslated, QGroupBox):
    """One titled group of the panel: its rows in `form`, its fixed texts said again on
    LanguageChange, and `error`, the red label that names what is refused in the group.

    `sigChanged` says that a value the spec reads changed; a group changing its own
    widgets holds it back with `_updating`. Subclasses add their texts to `retranslate`
    through `_retranslate`."""

    sigChanged = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._updating = False
        self._texts: list[tuple[Callable[[str], object], str]] = []
        """(setter, English text): every fixed text, said again by `retranslate`."""
        self._message: Callable[[], str] | None = None
        """What `error` says, asked again after a language change."""
        self._say(self.setTitle, title)
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error = QLabel()
        self.error.setStyleSheet(error_style())
        self.error.setWordWrap(True)
        self.error.setVisible(False)

    # ------------------------------------------------------------------ language
    def _say(self, setter: Callable[[str], object], text: str) -> None:
        """Show `text` (English, marked) with `setter`, now and after each language change."""
        self._texts.append((setter, text))

    def _label(self, text: str) -> QLabel:
        """A form row's label, said again after a language change."""
        label = QLabel()
        self._say(label.setText, text)
        return label

    def restyle(self) -> None:
        """Light or dark: the refusal stays legible."""
        if hasattr(self, "error"):
            self.error.setStyleSheet(error_style())

    def retranslate(self) -> None:
        """Every text of the group in the language now set; the values stay."""
        for setter, text in self._texts:
            setter(translate("ControlPanel", text))
        self._retranslate()
        if self._message is not None:
            self.error.setText(self._message())

    def _retranslate(self) -> None:
        """The group's texts that depend on its state (a subclass says them)."""

    # ------------------------------------------------------------------ refusals
    def show_refusal(self, message: str | Callable[[], str]) -> None:
        """Name `message` under the group's rows: a text (a core `Message` is said again
        in each language; other text, such as a number box's refusal, stays as it was
        said) or a callable that says it in the language now set."""
        self._message = message if callable(message) else lambda: translated(message)
        self.error.setText(self._message())
        self.error.setVisible(True)

    def clear_refusal(self) -> None:
        self._message = None
        self.error.setText("")
        self.error.setVisible(False)

    # ------------------------------------------------------------------ reacting
    def _changed(self) -> None:
        if not self._updating:
            self.sigChanged.emit()


def row(*widgets: QWidget) -> QWidget:
    """Widgets side by side in one form row."""
    widget = QWidget()
    layout = QHBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    for child in widgets:
        layout.addWidget(child)
    return widget


def quietly(widget: QWidget, setter, value) -> None:
    """Set `value` with `setter` without `widget` emitting its signals."""
    widget.blockSignals(True)
    setter(value)
    widget.blockSignals(False)
