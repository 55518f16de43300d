"""The token ids row of the input group: ids typed by the user, or, while the field is
empty, the ids the data seed drew, shown greyed, which Edit puts in the field."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from ..spec import format_tokens
from .control_group import translate

TOKENS_HINT = QT_TRANSLATE_NOOP("ControlPanel", "drawn from the data seed; e.g. 4 8 15; 16 23 42")
TOKENS_NOT_USED = QT_TRANSLATE_NOOP("ControlPanel", "token ids apply to Embedding input only")


class TokenIdsRow(QWidget):
    """`tokens`, the field (ids split by spaces, rows by ';'), and `edit_tokens`, its
    Edit button; `drawn` is the text of the ids last drawn ("" when they describe nothing
    the panel shows)."""

    def __init__(self, say: Callable[[Callable[[str], object], str], None]) -> None:
        """`say(setter, text)` shows a fixed text now and after each language change."""
        super().__init__()
        self.drawn = ""
        self.tokens = QLineEdit()
        say(
            self.tokens.setToolTip,
            QT_TRANSLATE_NOOP(
                "ControlPanel", "ids split by spaces, rows by ';'; empty: drawn from the data seed"
            ),
        )
        self.edit_tokens = QPushButton()
        say(self.edit_tokens.setText, QT_TRANSLATE_NOOP("ControlPanel", "Edit"))
        say(
            self.edit_tokens.setToolTip,
            QT_TRANSLATE_NOOP("ControlPanel", "put the drawn ids in the field, to edit them"),
        )
        self.edit_tokens.clicked.connect(self._edit_drawn)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tokens)
        layout.addWidget(self.edit_tokens)

    def show_drawn(self, token_ids, with_ids: bool) -> None:
        """Keep the ids the data seed drew, and show them as the field's grey hint."""
        self.drawn = format_tokens(token_ids)
        self.say_hint(with_ids)

    def say_hint(self, with_ids: bool) -> None:
        """The field's grey hint: the ids drawn, what to type, or (without `with_ids`, a
        source that takes no ids) that ids do not apply."""
        if not with_ids:
            hint = translate("ControlPanel", TOKENS_NOT_USED)
        elif self.drawn:
            hint = translate("ControlPanel", "drawn: {ids}").format(ids=self.drawn)
        else:
            hint = translate("ControlPanel", TOKENS_HINT)
        self.tokens.setPlaceholderText(hint)

    def _edit_drawn(self) -> None:
        if not self.tokens.text().strip() and self.drawn:
            self.tokens.setText(self.drawn)
        self.tokens.setFocus()
