"""The tabs under the grids: the explanation of what was dropped, and the Keras code."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..codegen import keras_code
from ..i18n import translated
from ..result import Result
from .i18n import Retranslated

translate = QCoreApplication.translate


class TextPanel(Retranslated, QTabWidget):
    """ "Explanation" (the result in words, with its key figures) and "Keras code" (code
    that reproduces the view bit for bit, with a Copy button)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.explanation = QTextBrowser()
        self.code = QPlainTextEdit()
        self.code.setReadOnly(True)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.code.setFont(mono)
        self.shown: tuple[Result, Result | None] | None = None
        self.copy_button = copy_code = QPushButton()
        copy_code.clicked.connect(self.copy_code)
        code_tab = QWidget()
        code_layout = QVBoxLayout(code_tab)
        code_layout.setContentsMargins(0, 0, 0, 0)
        code_layout.addWidget(self.code)
        code_layout.addWidget(copy_code, 0, Qt.AlignmentFlag.AlignRight)
        self.addTab(self.explanation, "")
        self.addTab(code_tab, "")
        self.retranslate()

    def retranslate(self) -> None:
        """Tabs, button and the explanation shown, in the language now set."""
        self.setTabText(0, translate("TextPanel", "Explanation"))
        self.setTabText(1, translate("TextPanel", "Keras code"))
        self.copy_button.setText(translate("TextPanel", "Copy code"))
        if self.shown is not None:
            self._show_explanation(*self.shown)

    def show_results(self, result: Result, compare: Result | None = None) -> None:
        self.shown = (result, compare)
        self._show_explanation(result, compare)
        self.code.setPlainText(keras_code(result.spec))

    def _show_explanation(self, result: Result, compare: Result | None) -> None:
        facts = translate(
            "TextPanel",
            "<b>Kept fraction</b> {kept:.3f} (expected {expected:.3f}) &nbsp; <b>scale</b> "
            "{scale:.4g} &nbsp; <b>mean</b> before {before:.4g}, after {after:.4g}",
        ).format(
            kept=result.kept_fraction,
            expected=result.expected_kept_fraction,
            scale=result.scale,
            before=result.mean_before,
            after=result.mean_after,
        )
        html = f"<p>{translated(result.explanation)}</p><p>{facts}</p>"
        if compare is not None:
            compared = translate("TextPanel", "<b>Compared:</b> {explanation}")
            html += f"<p>{compared.format(explanation=translated(compare.explanation))}</p>"
        self.explanation.setHtml(html)

    def copy_code(self) -> None:
        QGuiApplication.clipboard().setText(self.code.toPlainText())
