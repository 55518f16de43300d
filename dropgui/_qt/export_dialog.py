"""The Export dialog: format, scale, slices, a seed or draw range, a file; then write.

How the window opens it (Export menu, Ctrl+E)::

    dialog = ExportDialog(
        self.result, self.compare, self.figure.slices, parent=self, worker=self._worker
    )
    dialog.sigExported.connect(self._on_exported)
    dialog.open()

and copies the grids (Ctrl+Shift+C) with `copy_grids_to_clipboard(self.figure)`.

Everything is checked by `dropgui.export.plan_export` (the same checks as the CLI)
before any work. A single image or data file is written at once from the result already
on screen (`run_export` with the shown frame). The frames of a GIF or PNG sequence are
computed by the window's compute worker (`dropgui/_qt/worker.py`), never on the GUI
thread, and drawn as they arrive by a `FrameExport` (`dropgui/_qt/frame_export.py`),
with a progress bar and Cancel; the files are written atomically once the last frame
is drawn. A cancelled or failed export leaves no file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QSettings, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..errors import DropguiError
from ..export import MAX_FRAMES, MAX_IMAGE_SLICES, ExportPlan, plan_export, run_export
from ..result import Result
from ..spec import MAX_DRAW, MAX_SEED
from .frame_export import FrameExport
from .grids import GridFigure
from .image_export import grid_image  # importing it registers the image writers
from .theme import current as current_theme
from .worker import ComputeWorker

translate = QCoreApplication.translate

FORMATS = (
    # key, label, suffix, file-dialog filter (marked for pyside6-lupdate, English here:
    # shown through translate("ExportDialog", ...))
    (
        "png",
        QT_TRANSLATE_NOOP("ExportDialog", "PNG image"),
        ".png",
        QT_TRANSLATE_NOOP("ExportDialog", "PNG image (*.png)"),
    ),
    (
        "svg",
        QT_TRANSLATE_NOOP("ExportDialog", "SVG image (vector)"),
        ".svg",
        QT_TRANSLATE_NOOP("ExportDialog", "SVG image (*.svg)"),
    ),
    (
        "gif",
        QT_TRANSLATE_NOOP("ExportDialog", "GIF animation (a seed or draw range)"),
        ".gif",
        QT_TRANSLATE_NOOP("ExportDialog", "GIF animation (*.gif)"),
    ),
    (
        "sequence",
        QT_TRANSLATE_NOOP("ExportDialog", "PNG sequence (a seed or draw range)"),
        ".png",
        QT_TRANSLATE_NOOP("ExportDialog", "PNG images (*.png)"),
    ),
    (
        "npz",
        QT_TRANSLATE_NOOP("ExportDialog", "NPZ arrays (numpy)"),
        ".npz",
        QT_TRANSLATE_NOOP("ExportDialog", "numpy arrays (*.npz)"),
    ),
    (
        "csv",
        QT_TRANSLATE_NOOP("ExportDialog", "CSV table (one row per cell)"),
        ".csv",
        QT_TRANSLATE_NOOP("ExportDialog", "CSV table (*.csv)"),
    ),
)
RASTER = ("png", "gif", "sequence")
ANIMATED = ("gif", "sequence")
IMAGES = ("png", "svg", "gif", "sequence")
SETTINGS_FOLDER = "export/folder"


def copy_grids_to_clipboard(figure: GridFigure) -> None:
    """Put the window's grids on the clipboard as an image (Ctrl+Shift+C)."""
    QGuiApplication.clipboard().setImage(grid_image(figure))


class ExportDialog(QDialog):
    """Export the result on screen, or a seed/draw range of its spec.

    `result` and `compare` are what the window shows; `shown_slices` are the batch
    slices its grids show ("as shown"); `worker` computes the frames of a seed or draw
    range (without one, only single images and data can be exported).
    `sigExported(list[Path])` fires after files are written; the dialog then closes.
    """

    sigExported = Signal(object)

    def __init__(
        self,
        result: Result,
        compare: Result | None = None,
        shown_slices: tuple[int, ...] = (0,),
        parent: QWidget | None = None,
        worker: ComputeWorker | None = None,
    ) -> None:
        super().__init__(parent)
        self.shown_result, self.compare = result, compare
        self.worker = worker
        self.settings = QSettings()
        self._job: FrameExport | None = None

        batch = result.shape[0]
        self.shown_slices = tuple(shown_slices)

        self.format = QComboBox()
        for key, _, _, _ in FORMATS:
            self.format.addItem("", key)
        self.scale = QComboBox()
        for factor in (1, 2, 4):
            self.scale.addItem(f"{factor}x", factor)

        self.slices = QComboBox()
        shown = self.shown_slices
        self.slices.addItem("", "shown")
        if len(shown) < batch <= MAX_IMAGE_SLICES:
            self.slices.addItem("", "all")
        self.slices.addItem("", "one")
        self.slice_index = QSpinBox()
        self.slice_index.setRange(0, batch - 1)
        self.slice_index.setValue(shown[0])
        slices_row = _row(self.slices, self.slice_index)

        spec = result.spec
        self.over = QComboBox()
        self.over.addItem("", "seeds")
        self.over.addItem("", "draws")
        self.start = QSpinBox()
        self.count = QSpinBox()
        self.count.setRange(1, MAX_FRAMES)
        self.count.setValue(10)
        self.range_text = QLabel()
        self.from_label = QLabel()
        frames_row = _row(self.over, self.from_label, self.start, self.count)

        folder = self.settings.value(SETTINGS_FOLDER) or str(Path.home())
        self.path = QLineEdit(str(Path(folder) / f"dropgui_{spec.mode}_seed{spec.seed}.png"))
        self.choose_button = choose = QPushButton()
        choose.clicked.connect(self._choose_file)
        file_row = _row(self.path, choose, stretch_first=True)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self._message_text = lambda: ""
        """What the message line says, asked again after a language change."""
        self.progress = QProgressBar()
        self.progress.hide()
        # Cancel is Qt's standard button (Qt's own catalog translates it); Export is ours:
        # a standard Ok would be renamed back to "OK" by the box on every language change.
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        self.row_labels = [QLabel() for _ in range(5)]
        """The form's labels: Format, Scale, Slices, Frames, File."""
        fields = (self.format, self.scale, slices_row, frames_row, file_row)
        for label, field in zip(self.row_labels[:4], fields[:4], strict=True):
            form.addRow(label, field)
        form.addRow("", self.range_text)
        form.addRow(self.row_labels[4], file_row)
        self._form = form
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

        self.format.currentIndexChanged.connect(self._on_format)
        self.slices.currentIndexChanged.connect(self._update_enabled)
        self.over.currentIndexChanged.connect(self._on_over)
        self.start.valueChanged.connect(self._update_range_text)
        self.count.valueChanged.connect(self._update_range_text)
        self.retranslate()
        self._on_over()
        self._on_format()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Every text of the dialog in the language now set."""
        self.setWindowTitle(translate("ExportDialog", "Export"))
        for index, (_, label, _, _) in enumerate(FORMATS):
            self.format.setItemText(index, translate("ExportDialog", label))
        shown = self.shown_slices
        if len(shown) == 1:
            shown_text = translate("ExportDialog", "slice {index}").format(index=shown[0])
        else:
            shown_text = translate("ExportDialog", "slices {first}–{last}").format(
                first=shown[0], last=shown[-1]
            )
        texts = {
            "shown": translate("ExportDialog", "as shown ({slices})").format(slices=shown_text),
            "all": translate("ExportDialog", "all {batch} slices").format(
                batch=self.shown_result.shape[0]
            ),
            "one": translate("ExportDialog", "one slice:"),
        }
        for index in range(self.slices.count()):
            self.slices.setItemText(index, texts[self.slices.itemData(index)])
        self.over.setItemText(0, translate("ExportDialog", "seeds"))
        self.over.setItemText(1, translate("ExportDialog", "draws of this seed"))
        self.count.setSuffix(translate("ExportDialog", " frames"))
        self.from_label.setText(translate("ExportDialog", "from"))
        self.choose_button.setText(translate("ExportDialog", "Choose…"))
        self.export_button.setText(translate("ExportDialog", "Export"))
        labels = (
            translate("ExportDialog", "Format"),
            translate("ExportDialog", "Scale"),
            translate("ExportDialog", "Slices"),
            translate("ExportDialog", "Frames"),
            translate("ExportDialog", "File"),
        )
        for label, text in zip(self.row_labels, labels, strict=True):
            label.setText(text)
        self._update_range_text()
        self.message.setText(self._message_text())

    # ------------------------------------------------------------------ the form
    @property
    def fmt(self) -> str:
        return self.format.currentData()

    def _on_format(self) -> None:
        suffix = _suffix(self.fmt)
        text = self.path.text().strip()
        if text and Path(text).name:  # "/" or "x/" have no name to give a suffix
            self.path.setText(str(Path(text).with_suffix(suffix)))
        self._update_enabled()

    def _on_over(self) -> None:
        spec = self.shown_result.spec
        if self.over.currentData() == "seeds":
            self.start.setRange(0, MAX_SEED)
            self.start.setValue(spec.seed)
        else:
            self.start.setRange(1, MAX_DRAW)
            self.start.setValue(spec.draw)
        self._update_range_text()

    def _update_range_text(self) -> None:
        start, stop = self.start.value(), self.start.value() + self.count.value()
        if self.over.currentData() == "seeds":
            text = translate("ExportDialog", "seeds {start} to {last}  (--seeds {start}:{stop})")
        else:
            text = translate("ExportDialog", "draws {start} to {last}  (--draws {start}:{stop})")
        self.range_text.setText(text.format(start=start, last=stop - 1, stop=stop))

    def _update_enabled(self) -> None:
        fmt = self.fmt
        self.scale.setEnabled(fmt in RASTER)
        self.slices.setEnabled(fmt in IMAGES)
        self.slice_index.setEnabled(fmt in IMAGES and self.slices.currentData() == "one")
        for widget in (self.over, self.start, self.count, self.range_text):
            widget.setEnabled(fmt in ANIMATED)
        self._show_message(lambda: "")

    def _choose_file(self) -> None:
        key = self.fmt
        file_filter = translate("ExportDialog", next(f for k, _, _, f in FORMATS if k == key))
        # Our own overwrite question comes later, for every file a sequence writes.
        path, _ = QFileDialog.getSaveFileName(
            self,
            translate("ExportDialog", "Export to"),
            self.path.text(),
            file_filter,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.path.setText(str(Path(path).with_suffix(_suffix(key))))

    def plan(self) -> ExportPlan:
        """The checked plan the form describes; DropguiError names the first problem."""
        fmt = self.fmt
        path = self.path.text().strip()
        if not path:
            raise DropguiError(translate("ExportDialog", "choose a file to export to"))
        suffix = _suffix(fmt)
        if Path(path).suffix.lower() != suffix:
            raise DropguiError(
                translate(
                    "ExportDialog", "the file name must end in {suffix} for this format"
                ).format(suffix=suffix)
            )
        frames = None
        if fmt in ANIMATED:
            frames = range(self.start.value(), self.start.value() + self.count.value())
        slices = None
        if fmt in IMAGES:
            choice = self.slices.currentData()
            if choice == "shown":
                slices = self.shown_slices
            elif choice == "one":
                slices = (self.slice_index.value(),)
        over = self.over.currentData()
        return plan_export(
            self.shown_result.spec,
            path,
            seeds=frames if over == "seeds" else None,
            draws=frames if over == "draws" else None,
            scale=self.scale.currentData() if fmt in RASTER else 1,
            slices=slices,
            compare=None if self.compare is None else self.compare.spec,
        )

    # ------------------------------------------------------------------ running
    @property
    def running(self) -> bool:
        return self._job is not None

    @property
    def frames_done(self) -> int:
        """Frames of the running export drawn so far (0 when none runs)."""
        return 0 if self._job is None else self._job.frames_done

    @Slot()
    def start_export(self) -> None:
        """Check, ask before overwriting, then write (at once, or frame by frame)."""
        if self.running:
            return
        try:
            plan = self.plan()
        except DropguiError as error:
            self._show_error(str(error))
            return
        if plan.animated and self.worker is None:
            self._show_error(
                translate("ExportDialog", "a seed or draw range needs the window's compute worker")
            )
            return
        existing = [target for target in plan.targets if target.exists()]
        if existing and not _confirm_overwrite(self, existing):
            return
        self.settings.setValue(SETTINGS_FOLDER, str(plan.path.parent))
        try:
            if not plan.animated:
                self._done(run_export(plan, frames=[(self.shown_result, self.compare)]))
                return
            job = FrameExport(plan, self.worker, parent=self)
        except DropguiError as error:
            self._show_error(str(error))
            return
        job.sigProgress.connect(self.progress.setValue)
        job.sigFinished.connect(self._on_finished)
        job.sigFailed.connect(self._on_failed)
        self._job = job
        self.progress.setRange(0, job.frame_count)
        self.progress.setValue(0)
        self.progress.show()
        self._set_form_enabled(False)
        count = job.frame_count
        self._show_message(
            lambda: translate("ExportDialog", "Drawing {count} frames…").format(count=count)
        )
        job.start()

    @Slot(object)
    def _on_finished(self, written: list[Path]) -> None:
        self._stop_job()
        self._done(written)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._stop_job()
        self._show_error(message)

    def cancel_export(self) -> None:
        """Stop a running export; the worker stops too, every frame is discarded."""
        if self.running:
            self._stop_job()
            self._show_message(
                lambda: translate("ExportDialog", "Export cancelled; nothing was written.")
            )

    def _stop_job(self) -> None:
        job, self._job = self._job, None
        if job is not None:
            job.cancel()  # nothing left to stop when it finished or failed
            job.deleteLater()
        self.progress.hide()
        self._set_form_enabled(True)

    def _done(self, written: list[Path]) -> None:
        self.sigExported.emit(written)
        self.accept()

    def reject(self) -> None:
        """Cancel: stop a running export first, close on a second press."""
        if self.running:
            self.cancel_export()
            return
        super().reject()

    def closeEvent(self, event) -> None:
        self.cancel_export()
        super().closeEvent(event)

    def _set_form_enabled(self, enabled: bool) -> None:
        for row in range(self._form.rowCount()):
            for role in (QFormLayout.ItemRole.FieldRole, QFormLayout.ItemRole.LabelRole):
                item = self._form.itemAt(row, role)
                if item is not None and item.widget() is not None:
                    item.widget().setEnabled(enabled)
        self.export_button.setEnabled(enabled)
        if enabled:
            self._update_enabled()

    def _show_message(self, text) -> None:
        """Show `text()` (a callable, asked again after a language change)."""
        self._message_text = text
        self.message.setText(text())

    def _show_error(self, text: str) -> None:
        """An error in red; the core's refusals come in English (not translated yet)."""
        colour = current_theme().error
        self._show_message(lambda: f"<span style='color:{colour}'>{text}</span>")


def _suffix(key: str) -> str:
    return next(suffix for k, _, suffix, _ in FORMATS if k == key)


def _confirm_overwrite(parent: QWidget, existing: list[Path]) -> bool:
    if len(existing) == 1:
        question = translate("ExportDialog", "{name} already exists in {folder}. Replace?")
    else:
        question = translate("ExportDialog", "{count} files already exist in {folder}. Replace?")
    answer = QMessageBox.question(
        parent,
        translate("ExportDialog", "Replace?"),
        question.format(name=existing[0].name, count=len(existing), folder=existing[0].parent),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def _row(*widgets: QWidget, stretch_first: bool = False) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for index, widget in enumerate(widgets):
        layout.addWidget(widget, 1 if stretch_first and index == 0 else 0)
    if not stretch_first:
        layout.addStretch(1)
    return row


__all__ = ["ExportDialog", "copy_grids_to_clipboard", "grid_image"]
