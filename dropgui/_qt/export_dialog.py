"""The Export dialog: format, scale, slices, a seed or draw range, a file; then write.

How the window opens it (Export menu, Ctrl+E; `export_actions.open_export`)::

    dialog = ExportDialog(
        window.result, window.compare, window.figure.slices, parent=window, worker=worker
    )
    dialog.sigExported.connect(...)
    dialog.open()

and copies the grids (Ctrl+Shift+C) with `copy_grids_to_clipboard(window.figure)`.

The form (`ExportForm`, export_form.py) says what to export and where; everything is
checked by `dropgui.export.plan_export` (the same checks as the CLI) before any work.
This dialog runs the plan: a single image or data file is written at once from the
result already on screen (`run_export` with the shown frame). The frames of a GIF or
PNG sequence are computed by the window's compute worker (`dropgui/_qt/worker.py`),
never on the GUI thread, and drawn as they arrive by a `FrameExport`
(`dropgui/_qt/frame_export.py`), with a progress bar and Cancel; the files are written
atomically once the last frame is drawn. A cancelled or failed export leaves no file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ..errors import DropguiError
from ..export import run_export
from ..export_plan import ExportPlan
from ..i18n import translated
from ..result import Result
from .export_form import ExportForm
from .frame_export import FrameExport
from .grids import GridFigure
from .i18n import Retranslated
from .image_export import grid_image  # importing it registers the image writers
from .theme import current as current_theme
from .worker import ComputeWorker

translate = QCoreApplication.translate

SETTINGS_FOLDER = "export/folder"
"""The folder of the last export: the next one starts there."""


def copy_grids_to_clipboard(figure: GridFigure) -> None:
    """Put the window's grids on the clipboard as an image (Ctrl+Shift+C)."""
    QGuiApplication.clipboard().setImage(grid_image(figure))


class ExportDialog(Retranslated, QDialog):
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
        self.shown_slices = tuple(shown_slices)

        folder = self.settings.value(SETTINGS_FOLDER) or str(Path.home())
        self.form = form = ExportForm(result, compare, self.shown_slices, folder)
        # the form's fields, as the dialog's own (tests and callers fill them in)
        self.format, self.scale, self.slices = form.format, form.scale, form.slices
        self.slice_index, self.over, self.path = form.slice_index, form.over, form.path
        self.start, self.count, self.range_text = form.start, form.count, form.range_text

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

        layout = QVBoxLayout(self)
        layout.addWidget(form)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        form.sigChanged.connect(lambda: self._show_message(lambda: ""))
        self.retranslate()

    def retranslate(self) -> None:
        """The dialog's own texts in the language now set (the form says its own)."""
        self.setWindowTitle(translate("ExportDialog", "Export"))
        self.export_button.setText(translate("ExportDialog", "Export"))
        self.message.setText(self._message_text())

    def plan(self) -> ExportPlan:
        """The checked plan the form describes; DropguiError names the first problem."""
        return self.form.plan()

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
            self._show_error(error.args[0])
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
            self._show_error(error.args[0])
            return
        job.sigProgress.connect(self.progress.setValue)
        job.sigFinished.connect(self._on_finished)
        job.sigFailed.connect(self._on_failed)
        self._job = job
        self.progress.setRange(0, job.frame_count)
        self.progress.setValue(0)
        self.progress.show()
        self.form.set_editable(False)
        self.export_button.setEnabled(False)
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
        self.form.set_editable(True)
        self.export_button.setEnabled(True)

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

    def _show_message(self, text) -> None:
        """Show `text()` (a callable, asked again after a language change)."""
        self._message_text = text
        self.message.setText(text())

    def _show_error(self, text: str) -> None:
        """An error in red; a core refusal (a `Message`) is said again in the language
        set when the language changes."""
        colour = current_theme().error
        self._show_message(lambda: f"<span style='color:{colour}'>{translated(text)}</span>")


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


__all__ = ["ExportDialog", "copy_grids_to_clipboard", "grid_image"]
