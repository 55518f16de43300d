"""The main window: controls on the left, grids in the middle, explanation and code below.

It asks the worker for the spec the controls describe and shows the reply whose request
id is still the latest; everything else is dropped. TensorFlow loads in the worker after
the window is on screen.
"""

from __future__ import annotations

import contextlib
import json

from PySide6.QtCore import QSettings, QSignalBlocker, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..errors import DropguiError
from ..spec import Spec
from .app import get_qapp
from .controls import DEFAULT_COMPARE, ControlPanel
from .export_dialog import ExportDialog, copy_grids_to_clipboard
from .grids import GridFigure
from .image_export import save_view
from .stats_panel import StatsPanel
from .text_panel import TextPanel
from .worker import ComputeWorker, Reply, Request

SHORTCUTS = (
    ("Right", "next seed"),
    ("Left", "previous seed"),
    ("Up", "next call (draw) of the same layer"),
    ("Space", "play / pause stepping through seeds"),
    ("PgDown / PgUp", "next / previous batch slice (when one is shown large)"),
    ("Wheel / drag", "zoom / pan the grids (all panels follow)"),
    ("F", "fit: whole slices again"),
    ("Ctrl+E", "export"),
    ("Ctrl+Shift+C", "copy the grids to the clipboard"),
    ("F1", "this help"),
    ("Ctrl+Q", "quit"),
)


HOVER_HINT = "hover a cell to read it · wheel: zoom · drag: pan · F: fit"


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
        self._worker = ComputeWorker()

        self.controls = ControlPanel()
        scroll = QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(300)

        self.figure = GridFigure()
        self.loading = QLabel("Loading TensorFlow…")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setStyleSheet("font-size: 15px; color: #555; padding: 6px;")
        self.hover = QLabel(HOVER_HINT)
        self.hover.setStyleSheet("color: #333; padding: 2px 6px;")
        # a long hover line is cut at the window's edge rather than widening it
        self.hover.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.slice_box = QSpinBox()
        self.slice_box.setPrefix("slice ")
        self.slice_box.setToolTip("the batch slice shown large (PgUp / PgDown)")
        self.slice_box.valueChanged.connect(self.figure.set_focus)
        self.slice_count = QLabel()
        self.figure.sigFocusChanged.connect(self._on_focus_changed)
        self.figure.sigSlicesChanged.connect(self._update_slice_bar)
        fit = QPushButton("Fit")
        fit.setToolTip("show whole slices again after zooming (wheel) or panning (drag); F")
        fit.clicked.connect(self.figure.fit)
        view_bar = QWidget()
        bar_layout = QHBoxLayout(view_bar)
        bar_layout.setContentsMargins(4, 0, 4, 0)
        self.slice_bar = QWidget()
        slice_layout = QHBoxLayout(self.slice_bar)
        slice_layout.setContentsMargins(0, 0, 0, 0)
        slice_layout.addWidget(self.slice_box)
        slice_layout.addWidget(self.slice_count)
        bar_layout.addWidget(self.slice_bar)
        bar_layout.addWidget(self.hover, 1)
        bar_layout.addWidget(fit)

        self.text = TextPanel()

        grids = QWidget()
        grids_layout = QVBoxLayout(grids)
        grids_layout.setContentsMargins(0, 0, 0, 0)
        grids_layout.addWidget(self.loading)
        grids_layout.addWidget(self.figure, 1)
        grids_layout.addWidget(view_bar)
        self.views = QTabWidget()
        self.views.addTab(grids, "Grids")
        self.stats = StatsPanel(self._worker)
        self.views.addTab(self.stats, "Statistics")
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
        self.figure.sigHover.connect(lambda text: self.hover.setText(text or HOVER_HINT))
        # a clicked grid cell is the one whose correlations the Statistics tab shows
        self.figure.sigCellClicked.connect(self.stats.choose_cell)

        self._worker.sigLoaded.connect(self._on_loaded)
        self._worker.sigReply.connect(self._on_reply)
        self._restore_settings()
        self._worker.start()
        self.request()

    # ------------------------------------------------------------------ asking
    def request(self) -> None:
        """Ask the worker for what the controls show now; a bad value is named instead."""
        try:
            spec = self.controls.spec()
        except DropguiError as error:
            self.controls.show_error(str(error), error.field)
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
            self.controls.show_error(reply.error, reply.field)
            self.statusBar().showMessage(f"Not applied: {reply.error}", 8000)
            return
        self.result, self.compare = reply.result, reply.compare
        if reply.result.token_ids is not None and reply.result.spec.tokens is None:
            self.controls.show_drawn_tokens(reply.result.token_ids)
        self.figure.show_results(reply.result, reply.compare)
        self._update_slice_bar()
        self.time_label.setText(
            f"{reply.result.spec.engine} · computed in {reply.seconds * 1000:.1f} ms"
        )
        self.text.show_results(reply.result, reply.compare)
        self.sigGridsDrawn.emit(reply.request_id)
        self.stats.show_for(reply.result)

    def _update_slice_bar(self) -> None:
        """The slice box shows and moves the focus when not every slice is shown."""
        if self.result is None:
            return
        batch = self.result.shape[0]
        self.slice_bar.setVisible(len(self.figure.slices) < batch)
        with QSignalBlocker(self.slice_box):
            self.slice_box.setRange(0, batch - 1)
            self.slice_box.setValue(self.figure.focus)
        self.slice_count.setText(f"of 0–{batch - 1}")

    @Slot(int)
    def _on_focus_changed(self, focus: int) -> None:
        with QSignalBlocker(self.slice_box):
            self.slice_box.setValue(focus)

    # ------------------------------------------------------------------ exporting
    def open_export(self) -> None:
        self.stats.cancel()  # the export's frames need TensorFlow now, not after them
        if self.result is None:
            self.statusBar().showMessage("Nothing to export yet", 4000)
            return
        dialog = ExportDialog(
            self.result, self.compare, self.figure.slices, parent=self, worker=self._worker
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one dialog per Export…
        dialog.sigExported.connect(self._on_exported)
        dialog.open()

    @Slot(object)
    def _on_exported(self, paths) -> None:
        names = ", ".join(str(p) for p in paths[:3]) + (" …" if len(paths) > 3 else "")
        self.statusBar().showMessage(f"Exported {names}", 8000)

    def export_stats_view(self) -> None:
        """Save the Statistics view as PNG (2x) or SVG, like the grids."""
        if self.stats.view.stats is None:
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
            save_view(self.stats.view.figure, path, scale=2)
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
        open_action.triggered.connect(self.controls.choose_npy)
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
            ("PgDown", lambda: self.figure.set_focus(self.figure.focus + 1)),
            ("PgUp", lambda: self.figure.set_focus(self.figure.focus - 1)),
            ("F", self.figure.fit),
        ):
            QShortcut(QKeySequence(key), self, slot)

    def _show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in SHORTCUTS)
        QMessageBox.information(self, "Keyboard shortcuts", f"<table>{rows}</table>")

    # ------------------------------------------------------------------ settings
    def reset_to_defaults(self) -> None:
        self.settings.remove("spec")
        self.settings.remove("compare")
        self.controls.set_spec(Spec(), DEFAULT_COMPARE)

    def _restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1500, 900)
        saved = self.settings.value("spec")
        if not saved:  # the first launch asks the seed question
            self.controls.set_spec(Spec(), DEFAULT_COMPARE)
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


def run_app() -> int:
    """Open the window and run the event loop until it closes: the `dropgui` command."""
    app = get_qapp()
    window = MainWindow()
    window.show()
    return app.exec()
