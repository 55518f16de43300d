"""The tabs under the grids: the explanation of what was dropped, and the Keras code."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
from ..result import Result


class TextPanel(QTabWidget):
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
        copy_code = QPushButton("Copy code")
        copy_code.clicked.connect(self.copy_code)
        code_tab = QWidget()
        code_layout = QVBoxLayout(code_tab)
        code_layout.setContentsMargins(0, 0, 0, 0)
        code_layout.addWidget(self.code)
        code_layout.addWidget(copy_code, 0, Qt.AlignmentFlag.AlignRight)
        self.addTab(self.explanation, "Explanation")
        self.addTab(code_tab, "Keras code")

    def show_results(self, result: Result, compare: Result | None = None) -> None:
        facts = (
            f"<p><b>Kept fraction</b> {result.kept_fraction:.3f} (expected "
            f"{result.expected_kept_fraction:.3f}) &nbsp; <b>scale</b> {result.scale:.4g} "
            f"&nbsp; <b>mean</b> before {result.mean_before:.4g}, after "
            f"{result.mean_after:.4g}</p>"
        )
        html = f"<p>{result.explanation}</p>{facts}"
        if compare is not None:
            html += f"<p><b>Compared:</b> {compare.explanation}</p>"
        self.explanation.setHtml(html)
        self.code.setPlainText(keras_code(result.spec))

    def copy_code(self) -> None:
        QGuiApplication.clipboard().setText(self.code.toPlainText())
