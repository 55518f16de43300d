"""The Grids tab: the figure, the banner that marks a stale view, and the bar under it
(slice box, hover line, Fit).

It draws so that one bad reply never breaks the view: `show_results` draws the new
results or, if drawing them raises anything (pyqtgraph refuses non-finite levels, a bug
in a panel), puts the last good view back, on a fresh figure if the old one cannot draw
it any more, and re-raises for the window to name the problem. When the controls ask
for something that is refused, `mark_stale` says over the figure that it still shows the
last good view, until the window clears it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QSignalBlocker,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..result import Result
from . import theme as themes
from .grid_text import describe
from .grids import GridFigure
from .i18n import Retranslated

# English here; shown through `translate("GridArea", ...)` in the current language.
HOVER_HINT = QT_TRANSLATE_NOOP(
    "GridArea", "hover a cell to read it · wheel: zoom · drag: pan · F: fit"
)
STALE_PREFIX = QT_TRANSLATE_NOOP("GridArea", "stale view · ")
LOADING_STYLE = "font-size: 15px; padding: 6px;"

log = logging.getLogger(__name__)
translate = QCoreApplication.translate


class GridArea(Retranslated, QWidget):
    """The figure with its stale banner and view bar. `figure` may be replaced by a fresh
    GridFigure after a failed draw: ask this object for it, never keep it."""

    sigCellClicked = Signal(object)
    """(batch, token, channel) of a clicked grid cell."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: Result | None = None
        self.stale_reason = ""
        self._hover_text = ""
        self.loading = QLabel()
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setStyleSheet(LOADING_STYLE)
        self.stale = QLabel()
        self.stale.setStyleSheet(themes.current().stale)
        self.stale.setWordWrap(True)
        self.stale.setVisible(False)
        self.hover = QLabel()
        self.hover.setStyleSheet("padding: 2px 6px;")  # the palette's text colour
        # a long hover line is cut at the window's edge rather than widening it
        self.hover.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.slice_box = QSpinBox()
        self.slice_box.valueChanged.connect(self.set_focus)
        self.slice_count = QLabel()
        self.fit_button = fit = QPushButton()
        fit.clicked.connect(self.fit)
        self.slice_bar = QWidget()
        slice_layout = QHBoxLayout(self.slice_bar)
        slice_layout.setContentsMargins(0, 0, 0, 0)
        slice_layout.addWidget(self.slice_box)
        slice_layout.addWidget(self.slice_count)
        view_bar = QWidget()
        bar_layout = QHBoxLayout(view_bar)
        bar_layout.setContentsMargins(4, 0, 4, 0)
        bar_layout.addWidget(self.slice_bar)
        bar_layout.addWidget(self.hover, 1)
        bar_layout.addWidget(fit)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.loading)
        self._layout.addWidget(self.stale)
        self.figure = self._new_figure()
        self._layout.addWidget(self.figure, 1)
        self._layout.addWidget(view_bar)
        self.retranslate()

    def restyle(self) -> None:
        """The stale banner in the theme now set."""
        if hasattr(self, "stale"):
            self.stale.setStyleSheet(themes.current().stale)

    def retranslate(self) -> None:
        """Every text of the area in the language now set (the figure does its own)."""
        self.loading.setText(translate("GridArea", "Loading TensorFlow…"))
        self.slice_box.setPrefix(translate("GridArea", "slice "))
        self.slice_box.setToolTip(
            translate("GridArea", "the batch slice shown large (PgUp / PgDown)")
        )
        self.fit_button.setText(translate("GridArea", "Fit"))
        self.fit_button.setToolTip(
            translate(
                "GridArea", "show whole slices again after zooming (wheel) or panning (drag); F"
            )
        )
        self._update_slice_count()
        if self.stale_reason:
            self._show_stale()
        self._show_hover()

    # ------------------------------------------------------------------ drawing
    def show_results(
        self,
        result: Result,
        compare: Result | None,
        last_good: tuple[Result, Result | None] | None,
    ) -> None:
        """Draw `result` and `compare`. If that raises, `last_good` (or nothing) is shown
        again, on a fresh figure if need be, and the error is raised again."""
        try:
            self.figure.show_results(result, compare)
        except Exception:
            self._restore(last_good)
            raise
        self.result = result
        self._update_slice_bar()

    def _restore(self, last_good: tuple[Result, Result | None] | None) -> None:
        """Show `last_good` again; a figure that cannot is replaced by a fresh one."""
        if last_good is not None:
            try:
                self.figure.show_results(*last_good)
                return
            except Exception:
                log.exception("the last good view could not be drawn again; new figure")
        self._replace_figure()
        if last_good is not None:
            try:
                self.figure.show_results(*last_good)
            except Exception:  # an empty figure that can draw is all that is left
                log.exception("the last good view cannot be drawn on a new figure either")
                self._replace_figure()
        self._update_slice_bar()

    def _new_figure(self) -> GridFigure:
        figure = GridFigure()
        figure.sigFocusChanged.connect(self._on_focus_changed)
        figure.sigSlicesChanged.connect(self._update_slice_bar)
        figure.sigHover.connect(self._on_hover)
        figure.sigCellClicked.connect(self.sigCellClicked)
        return figure

    def _replace_figure(self) -> None:
        old = self.figure
        self.figure = self._new_figure()
        self._layout.replaceWidget(old, self.figure)
        old.close()
        old.deleteLater()
        self.result = self.figure.result

    # ------------------------------------------------------------------ stale
    def mark_stale(self, reason: str) -> None:
        """Say over the figure that it shows the last good view, not the controls."""
        if self.result is None:
            return  # nothing shown, nothing stale
        self.stale_reason = reason
        self._show_stale()
        self.stale.setVisible(True)
        self._show_hover()

    def _show_stale(self) -> None:
        text = translate(
            "GridArea",
            "Stale view: the grids still show {view}, not the current controls: {reason}",
        )
        view = describe(self.result, self.figure.compare)
        self.stale.setText(text.format(view=view, reason=self.stale_reason))

    def clear_stale(self) -> None:
        self.stale_reason = ""
        self.stale.setVisible(False)
        self._show_hover()

    @Slot(str)
    def _on_hover(self, text: str) -> None:
        self._hover_text = text
        self._show_hover()

    def _show_hover(self) -> None:
        text = self._hover_text or translate("GridArea", HOVER_HINT)
        if self.stale_reason:
            text = translate("GridArea", STALE_PREFIX) + text
        self.hover.setText(text)

    # ------------------------------------------------------------------ focus and view
    @Slot(int)
    def set_focus(self, focus: int) -> None:
        self.figure.set_focus(focus)

    @Slot()
    def fit(self) -> None:
        self.figure.fit()

    @Slot()
    def _update_slice_bar(self) -> None:
        """The slice box shows and moves the focus when not every slice is shown."""
        result = self.figure.result
        if result is None:
            self.slice_bar.setVisible(False)
            return
        batch = result.shape[0]
        self.slice_bar.setVisible(len(self.figure.slices) < batch)
        with QSignalBlocker(self.slice_box):
            self.slice_box.setRange(0, batch - 1)
            self.slice_box.setValue(self.figure.focus)
        self._update_slice_count()

    def _update_slice_count(self) -> None:
        result = self.figure.result
        if result is not None:
            last = result.shape[0] - 1
            self.slice_count.setText(translate("GridArea", "of 0–{last}").format(last=last))

    @Slot(int)
    def _on_focus_changed(self, focus: int) -> None:
        with QSignalBlocker(self.slice_box):
            self.slice_box.setValue(focus)
