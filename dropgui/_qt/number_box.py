"""Number boxes that say why typed text is refused, instead of swallowing it.

A plain QSpinBox drops what its validator cannot take without a word: letters vanish as
they are typed, "0" in a box whose minimum is 1 is put back on Enter, and "1.5" typed
into a box whose maximum is 0.999 ends as ".5", that is 0.5. These boxes keep Qt's
parsing and emit `sigRefused(message)` naming the box, the text and what the box takes.

The boxes of Spec fields get wide ranges (`WIDE_INT`, `WIDE_RATE`): any number a box can
hold reaches the Spec, whose checks decide and name the problem in the user's terms
("rate must be at least 0 and below 1 ... (got 1.5)"), and the refused value stays in
the box beside the message. The box itself refuses only what is not a number at all,
or lies beyond what it can hold.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox, QWidget

WIDE_INT = (-(2**31), 2**31 - 1)
"""Every whole number a QSpinBox can hold: the Spec, not the box, says which are valid."""
WIDE_RATE = (-1_000_000.0, 1_000_000.0)
"""Rates the rate box holds; the Spec takes 0 <= rate < 1 and names any other."""
WIDTH_CHARS = 9
"""Width of a box in digits: a wide range must not widen the control panel."""

translate = QCoreApplication.translate


def refusal(name: str, text: str, low: float, high: float, decimals: int = 0) -> str:
    """Why `text` typed into the box `name` (whole numbers when `decimals` is 0, else
    numbers with that many decimals, from low to high) is not a value of the box.

    `name` is shown as given: the caller passes it translated."""
    try:
        value = float(text) if text else None
    except ValueError:
        value = None
    if not text:
        message = (
            translate("NumberBox", "{name} is empty: type a number")
            if decimals
            else translate("NumberBox", "{name} is empty: type a whole number")
        )
    elif value is None:
        message = (
            translate("NumberBox", "{name} takes a number; {text!r} is not one")
            if decimals
            else translate("NumberBox", "{name} takes a whole number; {text!r} is not one")
        )
    elif low <= value <= high:
        message = (
            translate("NumberBox", "{name} takes at most {decimals} decimals; {text} has more")
            if decimals
            else translate("NumberBox", "{name} takes a whole number; {text} is not one")
        )
    else:
        message = (
            translate("NumberBox", "{name} takes a number from {low} to {high}; {text} is not")
            if decimals
            else translate(
                "NumberBox", "{name} takes a whole number from {low} to {high}; {text} is not"
            )
        )
    return message.format(
        name=name,
        text=text,
        decimals=decimals,
        low=f"{low:,.{decimals}f}",
        high=f"{high:,.{decimals}f}",
    )


class _ReportsRefusals:
    """What both boxes share: Qt's check plus a message when text is refused, and a
    width that does not follow the wide range. The box defines `sigRefused`,
    `refusal(text)`, and inherits QSpinBox or QDoubleSpinBox after this class."""

    def validate(self, text: str, pos: int) -> object:
        """Qt's check, plus a message when a keystroke is refused outright."""
        checked = super().validate(text, pos)  # type: ignore[misc]
        if _state(checked) == QValidator.State.Invalid:
            self.sigRefused.emit(self.refusal(_bare(self, text)))  # type: ignore[attr-defined]
        return checked

    def fixup(self, text: str) -> str:
        """Called by Qt on Enter or on leaving the box when the text is not yet a value
        ("", "-", "0" below the minimum); Qt then puts the last value back. Say so."""
        kept = self.textFromValue(self.value())  # type: ignore[attr-defined]
        refused = self.refusal(_bare(self, text))  # type: ignore[attr-defined]
        message = translate("NumberBox", "{refusal} (kept {kept})").format(
            refusal=refused, kept=kept
        )
        self.sigRefused.emit(message)  # type: ignore[attr-defined]
        return super().fixup(text)  # type: ignore[misc]

    def sizeHint(self) -> QSize:
        return _narrow(self, super().sizeHint())  # type: ignore[misc]

    def minimumSizeHint(self) -> QSize:
        return _narrow(self, super().minimumSizeHint())  # type: ignore[misc]


class IntBox(_ReportsRefusals, QSpinBox):
    """A whole-number box that reports refused text with `sigRefused(message)`.

    `field` is the Spec field the box edits ("shape", "seed", ...; "" for none), so the
    control panel shows the message next to that field's group. Keyboard tracking is
    off: typing "128" asks once, not for 1, 12 and 128.
    """

    sigRefused = Signal(str)

    def __init__(
        self,
        name: str,
        field: str,
        low: int = WIDE_INT[0],
        high: int = WIDE_INT[1],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.name, self.field = name, field
        self.setRange(low, high)
        self.setKeyboardTracking(False)

    def refusal(self, text: str) -> str:
        """The message for `text` (prefix and suffix already removed)."""
        return refusal(self.name, text, self.minimum(), self.maximum())


class RateBox(_ReportsRefusals, QDoubleSpinBox):
    """The dropout rate: three decimals, a wide range (the Spec checks it), and
    `sigRefused(message)` for text that is not a number."""

    sigRefused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name, self.field = "rate", "rate"
        self.setDecimals(3)
        self.setRange(*WIDE_RATE)
        self.setSingleStep(0.05)
        self.setKeyboardTracking(False)

    def refusal(self, text: str) -> str:
        return refusal(self.name, text, self.minimum(), self.maximum(), self.decimals())


def _state(checked: object) -> QValidator.State:
    """PySide6 returns (state, text, pos) from validate; the state alone is allowed too."""
    return checked[0] if isinstance(checked, tuple) else checked  # type: ignore[return-value]


def _bare(box: QSpinBox | QDoubleSpinBox, text: str) -> str:
    """The typed number without the box's prefix and suffix ("N = ", " steps/s")."""
    return text.removeprefix(box.prefix()).removesuffix(box.suffix()).strip()


def _narrow(box: QSpinBox | QDoubleSpinBox, hint: QSize) -> QSize:
    """At most WIDTH_CHARS digits wide (plus prefix, suffix and arrows): Qt sizes a box
    by the text of its range, and a wide range would widen the whole panel."""
    metrics = box.fontMetrics()
    text = box.prefix() + "8" * WIDTH_CHARS + box.suffix()
    width = metrics.horizontalAdvance(text) + 40  # frame and arrows
    return QSize(min(hint.width(), width), hint.height())
