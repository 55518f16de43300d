"""The main window: controls on the left, grids in the middle, explanation and code below.

It asks the worker for the spec the controls describe and shows the reply whose request
id is still the latest; everything else is dropped. TensorFlow loads in the worker after
the window is on screen.

Nothing wedges it: a refused request (a bad value, a file the core refuses) is named in
red next to its control while the grids keep the last good view, marked stale; a reply
that fails to draw is named the same way and the last good view is put back (grid_area);
a saved spec that cannot be shown at start-up gives way to the defaults, with a message.

It speaks the language chosen in View -> Language, else the system locale's (English or
Simplified Chinese), from its first frame; a language changed while it runs is spoken
at once (`retranslate`). Status messages are kept as callables and said again.

Its parts: the status bar (status_bar.py), opening files (opening.py), Play (player.py),
the Export menu's actions (export_actions.py), menus and shortcuts (menus.py), and what
it remembers between launches (settings.py).
"""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QCoreApplication, QSettings, QSignalBlocker, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QWidget,
)

from ..errors import DropguiError
from ..spec import Spec
from . import export_actions, opening, theme
from . import settings as saved_settings
from .app import EXIT_INTERRUPTED, SigintQuit, display_problem, get_qapp
from .controls import DEFAULT_COMPARE, ControlPanel, mode_name
from .grid_area import GridArea
from .grids import GridFigure
from .i18n import Retranslated, set_language, system_language
from .menus import build_menus, build_shortcuts, retranslate_menus
from .player import Player
from .stats_panel import StatsPanel
from .status_bar import Said, StatusBar, message_of, said
from .text_panel import TextPanel
from .worker import ComputeWorker, Reply, Request

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

EXIT_NO_DISPLAY = 2
"""Bad input, as the CLI's other refusals: there is no display to show the window on."""


class MainWindow(Retranslated, QMainWindow):
    """dropgui's window. `sigGridsDrawn(request_id)` fires after new grids are drawn."""

    sigGridsDrawn = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.settings = QSettings()
        set_language(QApplication.instance(), startup_language(self.settings))
        theme.set_scheme(QApplication.instance(), saved_settings.load_scheme(self.settings))
        self.result = None
        self.compare = None
        """The last good view: the results on screen (the grids, text and statistics)."""
        self._latest_request = 0
        self._in_flight = False
        self._loaded = False
        self._refusal: Said = ""
        """Why the controls' latest request was refused ("" when it was not): until a
        good request, the grids are marked stale, whatever is drawn."""
        self._startup_spec: Spec | None = None
        """The saved spec the window opened on, until it is drawn or the controls move."""
        self._worker = ComputeWorker()

        self.controls = ControlPanel()
        scroll = QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(300)
        self.grid_area = GridArea()
        self.loading, self.hover = self.grid_area.loading, self.grid_area.hover
        self.slice_box, self.slice_bar = self.grid_area.slice_box, self.grid_area.slice_bar
        self.text = TextPanel()
        self.views = QTabWidget()
        self.views.addTab(self.grid_area, "")
        # The Statistics tab's plots are built when first needed, not before the window
        # is first on screen (they cost a tenth of its start-up): `stats`.
        self._stats: StatsPanel | None = None
        self._stats_page = QWidget()  # stands in for it in the tab bar until then
        self.views.addTab(self._stats_page, "")
        self.views.currentChanged.connect(
            lambda index: self.stats if self.views.widget(index) is self._stats_page else None
        )
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.views)
        right.addWidget(self.text)
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 0)
        right.setSizes([620, 100])  # the grids first; drag the handle to read more
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([self.controls.minimumSizeHint().width() + 20, 1000])
        self.setCentralWidget(splitter)

        self.status_bar = bar = StatusBar()
        self.setStatusBar(bar)
        self.versions_label, self.time_label = bar.versions_label, bar.time_label

        self.player = Player(self.controls, lambda: self._in_flight, self)
        self.play_timer = self.player.timer
        build_menus(self)
        build_shortcuts(self)

        self.setAcceptDrops(True)  # a .npy or a model file dropped on the window opens
        self.controls.sigChanged.connect(self.request)
        # a clicked grid cell is the one whose correlations the Statistics tab shows
        self.grid_area.sigCellClicked.connect(lambda cell: self.stats.choose_cell(cell))

        self._worker.sigLoaded.connect(self._on_loaded)
        self._worker.sigReply.connect(self._on_reply)
        self.retranslate()
        self._restore_settings()
        self._worker.start()
        self.request()
        self.warn_if_font_missing()

    # ------------------------------------------------------------------ language
    def retranslate(self) -> None:
        """The window's own texts and menus in the language now set (the panels and the
        status bar inside say theirs themselves)."""
        self.setWindowTitle(translate("MainWindow", "dropgui: what dropout does to an embedding"))
        self.views.setTabText(0, translate("MainWindow", "Grids"))
        self.views.setTabText(1, translate("MainWindow", "Statistics"))
        if hasattr(self, "menu_texts"):  # built after the widgets
            retranslate_menus(self)
        if self._refusal and self.grid_area.stale_reason:
            self.grid_area.mark_stale(said(self._refusal))

    def language_chosen(self, code: str) -> None:
        """View -> Language switched to `code`: say if no font can draw it."""
        self.warn_if_font_missing(code)

    def warn_if_font_missing(self, code: str | None = None) -> bool:
        """Say once (status bar and log) when no installed font writes the language
        spoken, naming the package that gives one. True if it said so now."""
        return self.status_bar.warn_if_font_missing(code)

    def show_status(self, message: Said, timeout: int) -> None:
        """Show `message` in the status bar for `timeout` ms; said again on a language
        change while it is shown."""
        self.status_bar.say(message, timeout)

    @property
    def figure(self) -> GridFigure:
        """The grids on screen (the grid area may replace the figure after a failed draw)."""
        return self.grid_area.figure

    # ------------------------------------------------------------------ asking
    def request(self) -> None:
        """Ask the worker for what the controls show now; a bad value is named instead."""
        try:
            spec = self.controls.spec()
        except DropguiError as error:
            self._refuse(message_of(error), error.field)
            return
        if spec != self._startup_spec:
            self._startup_spec = None  # the user moved on: their choice, not the saved one
        self._refusal = ""
        self.controls.show_error("")
        self.status_bar.clear_not_applied()  # the refused value was fixed
        compare = self.controls.compare_spec(spec)
        wanted = self.controls.compare.currentData()
        if compare is None and wanted not in (None, spec.mode):
            self.show_status(
                lambda: translate(
                    "MainWindow", "No comparison: {mode} mode does not apply to this input"
                ).format(mode=mode_name(wanted)),
                8000,
            )
        self._latest_request += 1
        self._in_flight = True
        self._worker.submit(Request(self._latest_request, spec, compare))

    def _refuse(self, message: Said, field: str = "") -> None:
        """The latest request cannot be shown: say why next to its control and in the
        status bar, and mark the grids (which keep the last good view) stale. A saved
        spec that cannot be shown at start-up gives way to the defaults."""
        self._refusal = message
        if self.result is None and self._startup_spec is not None:
            self._startup_spec = None
            self.controls.set_spec(Spec(), DEFAULT_COMPARE)  # asks for the defaults
            self.show_status(
                lambda: translate(
                    "MainWindow", "Saved settings not shown ({problem}); showing the defaults"
                ).format(problem=said(message)),
                15000,
            )
            return
        self.controls.show_error(message, field)
        self.status_bar.say(
            lambda: translate("MainWindow", "Not applied: {problem}").format(problem=said(message)),
            8000,
            not_applied=True,
        )
        self.grid_area.mark_stale(said(message))

    @Slot(object)
    def _on_loaded(self, versions: dict) -> None:
        self._loaded = True
        self.loading.hide()
        self.status_bar.show_versions(versions)

    @Slot(object)
    def _on_reply(self, reply: Reply) -> None:
        if reply.request_id != self._latest_request:
            return  # the controls have moved on; a newer reply is coming
        self._in_flight = False
        if reply.error is not None:
            self._refuse(reply.error, reply.field)
            return
        try:
            self._draw(reply)
        except Exception as error:  # never wedge: name it, keep the last good view
            self._restore_text()
            problem = f"{type(error).__name__}: {error}"
            self._refuse(
                lambda: translate("MainWindow", "not drawn: {problem}").format(problem=problem)
            )
            return
        self.sigGridsDrawn.emit(reply.request_id)
        if self._stats is not None:
            self._stats.show_for(reply.result)

    @property
    def stats(self) -> StatsPanel:
        """The Statistics tab's panel, built on first use (showing the tab, a clicked
        cell, an export of its view) and told what the grids show."""
        if self._stats is None:
            self._stats = StatsPanel(self._worker)
            index = self.views.indexOf(self._stats_page)
            current = self.views.currentIndex()
            blocker = QSignalBlocker(self.views)
            self.views.insertTab(index, self._stats, self.views.tabText(index))
            self.views.removeTab(index + 1)
            self.views.setCurrentIndex(current)
            del blocker
            self._stats_page.deleteLater()
            if self.result is not None:
                self._stats.show_for(self.result)
        return self._stats

    def _draw(self, reply: Reply) -> None:
        """Draw a reply in the grids and the text; it becomes the last good view."""
        result, compare = reply.result, reply.compare
        last_good = None if self.result is None else (self.result, self.compare)
        self.text.show_results(result, compare)
        self.grid_area.show_results(result, compare, last_good)
        self.result, self.compare = result, compare
        self._startup_spec = None
        if self._refusal:  # an earlier request, drawn after the controls were refused
            self.grid_area.mark_stale(self._refusal)
        else:
            self.grid_area.clear_stale()
        self.controls.show_file_shape(result.spec)
        opening.remember_shown(self.settings, result.spec)
        if result.token_ids is not None and result.spec.tokens is None:
            self.controls.show_drawn_tokens(result.token_ids)
        self.status_bar.show_timing(result.spec.engine, reply.seconds)

    def _restore_text(self) -> None:
        """The explanation and code of the last good view again, after a failed draw."""
        if self.result is None:
            return
        try:
            self.text.show_results(self.result, self.compare)
        except Exception:  # the grids and the message matter more than this text
            log.exception("the last good explanation could not be shown again")

    # ------------------------------------------------------------------ exporting
    def open_export(self) -> None:
        export_actions.open_export(self, self._worker)

    def copy_grids(self) -> None:
        export_actions.copy_grids(self)

    def export_stats_view(self) -> None:
        export_actions.export_stats_view(self)

    def save_stats_view(self, path: str) -> None:
        export_actions.save_stats_view(self, path)

    # ------------------------------------------------------------------ files
    def open_path(self, path: str) -> bool:
        """Open a .npy array or a Keras model file as input, by its suffix (drops and Open
        Recent come here). False, with the reason next to the input group, otherwise."""
        return opening.open_path(self.controls, self.status_bar, path)

    def dragEnterEvent(self, event) -> None:
        """Accept one local file: what it is decides on drop (and says so if refused)."""
        if opening.dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = opening.dropped_file(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.open_path(path)

    # ------------------------------------------------------------------ settings
    def reset_to_defaults(self) -> None:
        saved_settings.forget_spec(self.settings)
        self.controls.set_spec(Spec(), DEFAULT_COMPARE)

    def _restore_settings(self) -> None:
        saved_settings.restore_geometry(self, self.settings)
        saved = saved_settings.load(self.settings)
        self.controls.speed.setValue(saved.speed)
        if saved.problem:
            self.show_status(
                lambda: translate(
                    "MainWindow", "Saved settings ignored ({problem}); showing the defaults"
                ).format(problem=saved.problem),
                15000,
            )
        else:
            self._startup_spec = saved.spec
        self.controls.set_spec(saved.spec, saved.compare)

    def closeEvent(self, event) -> None:
        """Save and stop the worker, waiting at most worker.STOP_WAIT for it."""
        self.play_timer.stop()
        shown = None if self.result is None else (self.result, self.compare)
        saved_settings.save_window(self, self.settings, bool(self._refusal), shown)
        self._worker.stop()
        super().closeEvent(event)

    def worker_finished(self) -> bool:
        """False while an abandoned computation still runs on the worker thread."""
        return self._worker.is_finished()


def startup_language(settings: QSettings) -> str:
    """The language the window opens in: the one chosen in View -> Language, else the
    system locale's."""
    return saved_settings.load_language(settings) or system_language()


def run_app() -> int:
    """Open the window and run the event loop until it closes: the `dropgui` command.

    Without a display it says so in one line and returns EXIT_NO_DISPLAY. Ctrl+C in the
    terminal closes the window (EXIT_INTERRUPTED). A computation still running on the
    worker after the window closed is not waited for: the process ends at once, its
    settings already on disk, instead of through Python's teardown.
    """
    problem = display_problem()
    if problem is not None:
        print(f"dropgui: error: {problem}", file=sys.stderr)
        return EXIT_NO_DISPLAY
    app = get_qapp()
    sigint = SigintQuit(app)
    window = MainWindow()
    window.show()
    status = app.exec()
    if sigint.interrupted:
        status = EXIT_INTERRUPTED
    if not window.worker_finished():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status
