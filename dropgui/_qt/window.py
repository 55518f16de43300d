"""The main window: controls on the left, grids in the middle, explanation and code below.

It asks the worker for the spec the controls describe and shows the reply whose request
id is still the latest; everything else is dropped. TensorFlow loads in the worker after
the window is on screen.
"""

from __future__ import annotations

import contextlib
import json

from PySide6.QtCore import QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..codegen import keras_code
from ..errors import DropguiError
from ..spec import Spec
from .controls import ControlPanel
from .export_dialog import ExportDialog, copy_grids_to_clipboard
from .grids import GridFigure
from .render import save_view
from .stats_view import StatsView
from .worker import ComputeWorker, Reply, Request, StatsRequest

SHORTCUTS = (
    ("Right", "next seed"),
    ("Left", "previous seed"),
    ("Up", "next call (draw) of the same layer"),
    ("Space", "play / pause stepping through seeds"),
    ("PgDown / PgUp", "next / previous page of slices"),
    ("Ctrl+E", "export"),
    ("Ctrl+Shift+C", "copy the grids to the clipboard"),
    ("F1", "this help"),
    ("Ctrl+Q", "quit"),
)


class MainWindow(QMainWindow):
    """dropgui's window. `sigGridsDrawn(request_id)` fires after new grids are drawn."""

    sigGridsDrawn = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("dropgui: what dropout does to an embedding")
        self.settings = QSettings()
        self.result = None
        self.compare = None
        self._latest_request = 0
        self._in_flight = False
        self._loaded = False

        self.controls = ControlPanel()
        scroll = QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(380)

        self.figure = GridFigure()
        self.loading = QLabel("Loading TensorFlow…")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setStyleSheet("font-size: 15px; color: #555; padding: 6px;")
        self.previous_page = QPushButton("◀ previous slices")
        self.next_page = QPushButton("next slices ▶")
        self.page_label = QLabel()
        self.previous_page.clicked.connect(lambda: self.show_page(self.figure.page - 1))
        self.next_page.clicked.connect(lambda: self.show_page(self.figure.page + 1))
        pager = QWidget()
        pager_layout = QHBoxLayout(pager)
        pager_layout.setContentsMargins(0, 0, 0, 0)
        pager_layout.addWidget(self.previous_page)
        pager_layout.addWidget(self.page_label, 1, Qt.AlignmentFlag.AlignCenter)
        pager_layout.addWidget(self.next_page)
        self.pager = pager
        self.hover = QLabel(" ")
        self.hover.setStyleSheet("color: #333; padding: 2px 6px;")

        self.explanation = QTextBrowser()
        self.code = QPlainTextEdit()
        self.code.setReadOnly(True)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.code.setFont(mono)
        copy_code = QPushButton("Copy code")
        copy_code.clicked.connect(lambda: QApplication.clipboard().setText(self.code.toPlainText()))
        code_tab = QWidget()
        code_layout = QVBoxLayout(code_tab)
        code_layout.setContentsMargins(0, 0, 0, 0)
        code_layout.addWidget(self.code)
        code_layout.addWidget(copy_code, 0, Qt.AlignmentFlag.AlignRight)
        self.panels = QTabWidget()
        self.panels.addTab(self.explanation, "Explanation")
        self.panels.addTab(code_tab, "Keras code")

        grids = QWidget()
        grids_layout = QVBoxLayout(grids)
        grids_layout.setContentsMargins(0, 0, 0, 0)
        grids_layout.addWidget(self.loading)
        grids_layout.addWidget(self.figure, 1)
        grids_layout.addWidget(pager)
        grids_layout.addWidget(self.hover)
        self.views = QTabWidget()
        self.views.addTab(grids, "Grids")
        self.views.addTab(self._build_stats_tab(), "Statistics")
        self.views.currentChanged.connect(lambda _: self.request_stats())
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.views)
        right.addWidget(self.panels)
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        self.setCentralWidget(splitter)

        self.versions_label = QLabel("TensorFlow loading…")
        self.time_label = QLabel("")
        self.statusBar().addPermanentWidget(self.time_label)
        self.statusBar().addPermanentWidget(self.versions_label)

        self.play_timer = QTimer(self)
        self.play_timer.timeout.connect(self._play_step)
        self._build_menus()
        self._build_shortcuts()

        self.controls.sigChanged.connect(self.request)
        self.controls.sigPlayToggled.connect(self._on_play_toggled)
        self.controls.speed.valueChanged.connect(self._on_speed)
        self.figure.sigHover.connect(self.hover.setText)
        # a clicked grid cell is the one whose correlations the Statistics tab shows
        self.figure.sigCellClicked.connect(self._on_stats_cell)

        self._worker = ComputeWorker()
        self._worker.sigLoaded.connect(self._on_loaded)
        self._worker.sigReply.connect(self._on_reply)
        self._worker.sigStats.connect(self._on_stats)
        self._worker.sigStatsProgress.connect(self._on_stats_progress)
        self._restore_settings()
        self._worker.start()
        self.request()

    # ------------------------------------------------------------------ asking
    def request(self) -> None:
        """Ask the worker for what the controls show now; a bad value is named instead."""
        try:
            spec = self.controls.spec()
        except DropguiError as error:
            self.controls.show_error(str(error))
            self.statusBar().showMessage(f"Not applied: {error}", 8000)
            return
        self.controls.show_error("")
        compare = self.controls.compare_spec(spec)
        wanted = self.controls.compare.currentData()
        if compare is None and wanted not in (None, spec.mode):
            self.statusBar().showMessage(
                f"No comparison: {wanted} mode does not apply to this input", 8000
            )
        self._latest_request += 1
        self._in_flight = True
        self._worker.submit(Request(self._latest_request, spec, compare))

    @Slot(object)
    def _on_loaded(self, versions: dict) -> None:
        self._loaded = True
        self.loading.hide()
        self.versions_label.setText(
            f"TensorFlow {versions['tensorflow']} · keras {versions['keras3']} · "
            f"tf-keras {versions['tf-keras']}"
        )

    @Slot(object)
    def _on_reply(self, reply: Reply) -> None:
        if reply.request_id != self._latest_request:
            return  # the controls have moved on; a newer reply is coming
        self._in_flight = False
        if reply.error is not None:
            self.controls.show_error(reply.error)
            self.statusBar().showMessage(f"Not applied: {reply.error}", 8000)
            return
        self.result, self.compare = reply.result, reply.compare
        if reply.result.token_ids is not None and reply.result.spec.tokens is None:
            self.controls.show_drawn_tokens(reply.result.token_ids)
        self.figure.show_results(reply.result, reply.compare, self.figure.page)
        self._update_pager()
        self._show_text(reply)
        self.sigGridsDrawn.emit(reply.request_id)
        self.request_stats()

    def _show_text(self, reply: Reply) -> None:
        result = reply.result
        spec = result.spec
        self.time_label.setText(f"{spec.engine} · computed in {reply.seconds * 1000:.1f} ms")
        facts = (
            f"<p><b>Kept fraction</b> {result.kept_fraction:.3f} (expected "
            f"{result.expected_kept_fraction:.3f}) &nbsp; <b>scale</b> {result.scale:.4g} "
            f"&nbsp; <b>mean</b> before {result.mean_before:.4g}, after "
            f"{result.mean_after:.4g}</p>"
        )
        html = f"<p>{result.explanation}</p>{facts}"
        if reply.compare is not None:
            html += f"<p><b>Compared:</b> {reply.compare.explanation}</p>"
        self.explanation.setHtml(html)
        self.code.setPlainText(keras_code(spec))

    def show_page(self, page: int) -> None:
        if self.result is not None:
            self.figure.show_results(self.result, self.compare, page)
            self._update_pager()

    def _update_pager(self) -> None:
        pages = self.figure.page_count()
        self.pager.setVisible(pages > 1)
        self.page_label.setText(f"slices page {self.figure.page + 1} of {pages}")
        self.previous_page.setEnabled(self.figure.page > 0)
        self.next_page.setEnabled(self.figure.page < pages - 1)

    # ------------------------------------------------------------------ statistics
    def _build_stats_tab(self) -> QWidget:
        self.stats_view = StatsView()
        self.stats_samples = QSpinBox()
        self.stats_samples.setRange(1, 100_000)
        self.stats_samples.setValue(1000)
        self.stats_samples.setKeyboardTracking(False)
        self.stats_samples.setPrefix("N = ")
        self.stats_over = QComboBox()
        self.stats_over.addItem("over draws of this seed", "draws")
        self.stats_over.addItem("over successive seeds", "seeds")
        self.stats_progress = QProgressBar()
        self.stats_cancel = QPushButton("Cancel")
        self.stats_cancel.setEnabled(False)
        self.stats_cancel.clicked.connect(self._cancel_stats)
        self.stats_message = QLabel("")
        self.stats_cell = (0, 0, 0)
        self._stats_request = 0
        self.stats_samples.valueChanged.connect(lambda _: self.request_stats())
        self.stats_over.currentIndexChanged.connect(lambda _: self.request_stats())
        self.stats_view.sigCellChosen.connect(self._on_stats_cell)
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.stats_samples, self.stats_over, self.stats_progress):
            row.addWidget(widget)
        row.addWidget(self.stats_cancel)
        row.addWidget(self.stats_message, 1)
        self.stats_tab = QWidget()
        layout = QVBoxLayout(self.stats_tab)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(bar)
        layout.addWidget(self.stats_view, 1)
        return self.stats_tab

    def request_stats(self) -> None:
        """Recompute the statistics view for the shown spec, if it is on screen."""
        if self.result is None or self.views.currentWidget() is not self.stats_tab:
            return
        batch, seq_len, dim = self.result.shape
        b, s, d = self.stats_cell
        self.stats_cell = (min(b, batch - 1), min(s, seq_len - 1), min(d, dim - 1))
        self._stats_request += 1
        self.stats_progress.setValue(0)
        self.stats_cancel.setEnabled(True)
        self.stats_message.setText("computing…")
        self._worker.submit_stats(
            StatsRequest(
                self._stats_request,
                self.result.spec,
                self.stats_samples.value(),
                self.stats_over.currentData(),
                self.stats_cell,
            )
        )

    def _cancel_stats(self) -> None:
        self._worker.cancel_stats()

    @Slot(object)
    def _on_stats_cell(self, cell) -> None:
        self.stats_cell = tuple(cell)
        self.request_stats()

    @Slot(object)
    def _on_stats_progress(self, update) -> None:
        request_id, done, total = update
        if request_id == self._stats_request:
            self.stats_progress.setMaximum(total)
            self.stats_progress.setValue(done)

    @Slot(object)
    def _on_stats(self, reply) -> None:
        request_id, stats, error = reply
        if request_id != self._stats_request:
            return
        self.stats_cancel.setEnabled(False)
        if stats is None:
            self.stats_message.setText(error)
            return
        self.stats_message.setText(f"{stats.method}, {stats.seconds * 1000:.0f} ms")
        self.stats_progress.setValue(self.stats_progress.maximum())
        self.stats_view.show_stats(stats, self.result)

    # ------------------------------------------------------------------ exporting
    def open_export(self) -> None:
        self._cancel_stats()  # the export's frames need TensorFlow now, not after them
        if self.result is None:
            self.statusBar().showMessage("Nothing to export yet", 4000)
            return
        dialog = ExportDialog(self.result, self.compare, page=self.figure.page, parent=self)
        dialog.sigExported.connect(self._on_exported)
        dialog.open()

    @Slot(object)
    def _on_exported(self, paths) -> None:
        names = ", ".join(str(p) for p in paths[:3]) + (" …" if len(paths) > 3 else "")
        self.statusBar().showMessage(f"Exported {names}", 8000)

    def export_stats_view(self) -> None:
        """Save the Statistics view as PNG (2x) or SVG, like the grids."""
        if self.stats_view.stats is None:
            self.statusBar().showMessage("Open the Statistics tab first", 4000)
            return
        folder = self.settings.value("export/folder", "")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export statistics", folder, "PNG image (*.png);;SVG image (*.svg)"
        )
        if path:
            self.save_stats_view(path)

    def save_stats_view(self, path: str) -> None:
        try:
            save_view(self.stats_view.figure, path, scale=2)
        except DropguiError as error:
            self.statusBar().showMessage(f"Not exported: {error}", 8000)
            return
        self.statusBar().showMessage(f"Exported {path}", 8000)

    def copy_grids(self) -> None:
        copy_grids_to_clipboard(self.figure)
        self.statusBar().showMessage("Grids copied to the clipboard", 4000)

    # ------------------------------------------------------------------ playing
    def _on_play_toggled(self, playing: bool) -> None:
        if playing:
            self._on_speed(self.controls.speed.value())
            self.play_timer.start()
        else:
            self.play_timer.stop()

    def _on_speed(self, steps_per_second: int) -> None:
        self.play_timer.setInterval(int(1000 / steps_per_second))

    def _play_step(self) -> None:
        if not self._in_flight:  # never queue steps faster than they are drawn
            self.controls.step_seed(1)

    # ------------------------------------------------------------------ menus
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.export_menu = self.menuBar().addMenu("&Export")
        view_menu = self.menuBar().addMenu("&View")
        help_menu = self.menuBar().addMenu("&Help")
        open_action = QAction("Open .npy…", self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.controls._choose_npy)
        quit_action = QAction("Quit", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addActions([open_action, quit_action])
        export_action = QAction("Export…", self)
        export_action.setShortcut(QKeySequence("Ctrl+E"))
        export_action.triggered.connect(self.open_export)
        copy_action = QAction("Copy grids to clipboard", self)
        copy_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        copy_action.triggered.connect(self.copy_grids)
        stats_action = QAction("Export statistics view…", self)
        stats_action.triggered.connect(self.export_stats_view)
        self.export_menu.addActions([export_action, copy_action, stats_action])
        reset = QAction("Reset to defaults", self)
        reset.triggered.connect(self.reset_to_defaults)
        view_menu.addAction(reset)
        keys = QAction("Keyboard shortcuts", self)
        keys.setShortcut(QKeySequence("F1"))
        keys.triggered.connect(self._show_shortcuts)
        about = QAction("About dropgui", self)
        about.triggered.connect(
            lambda: QMessageBox.about(
                self,
                "About dropgui",
                "dropgui shows exactly what dropout does to the output of an embedding "
                "layer, computed by real TensorFlow/Keras layers.",
            )
        )
        help_menu.addActions([keys, about])

    def _build_shortcuts(self) -> None:
        for key, slot in (
            ("Right", lambda: self.controls.step_seed(1)),
            ("Left", lambda: self.controls.step_seed(-1)),
            ("Up", self.controls.next_draw),
            ("Space", self.controls.play.toggle),
            ("PgDown", lambda: self.show_page(self.figure.page + 1)),
            ("PgUp", lambda: self.show_page(self.figure.page - 1)),
        ):
            QShortcut(QKeySequence(key), self, slot)

    def _show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in SHORTCUTS)
        QMessageBox.information(self, "Keyboard shortcuts", f"<table>{rows}</table>")

    # ------------------------------------------------------------------ settings
    def reset_to_defaults(self) -> None:
        self.settings.remove("spec")
        self.settings.remove("compare")
        self.controls.set_spec(Spec())

    def _restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1500, 900)
        saved = self.settings.value("spec")
        if not saved:
            return
        try:
            spec = Spec.from_dict(json.loads(saved))
            spec.validate()
        except (DropguiError, ValueError, TypeError, KeyError) as error:
            self.statusBar().showMessage(f"Saved settings ignored: {error}", 8000)
            return
        self.controls.speed.setValue(int(self.settings.value("speed", 4)))
        self.controls.set_spec(spec, self.settings.value("compare") or None)

    def _save_settings(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("speed", self.controls.speed.value())
        self.settings.setValue("compare", self.controls.compare.currentData() or "")
        with contextlib.suppress(DropguiError):  # else keep the last good spec saved
            self.settings.setValue("spec", json.dumps(self.controls.spec().to_dict()))

    def closeEvent(self, event) -> None:
        self.play_timer.stop()
        self._save_settings()
        self._worker.stop()
        super().closeEvent(event)
