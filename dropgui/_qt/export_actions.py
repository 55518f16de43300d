"""The Export menu's actions on the window: open the Export dialog on the view shown,
copy the grids to the clipboard, save the Statistics view as PNG or SVG; each says how
it went in the status bar.

`window` is dropgui's MainWindow (typed as QMainWindow: window.py imports this module
and it must not import window.py back). The texts are in the "MainWindow" context: the
window said them before this module.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QMainWindow

from ..errors import DropguiError
from ..i18n import translated
from .export_dialog import SETTINGS_FOLDER, ExportDialog, copy_grids_to_clipboard
from .image_export import save_view
from .status_bar import message_of
from .worker import ComputeWorker

translate = QCoreApplication.translate


def open_export(window: QMainWindow, worker: ComputeWorker) -> None:
    """Export…: the dialog on the result shown; `worker` computes a range's frames."""
    window.stats.cancel()  # the export's frames need TensorFlow now, not after them
    if window.result is None:
        window.show_status(lambda: translate("MainWindow", "Nothing to export yet"), 4000)
        return
    dialog = ExportDialog(
        window.result, window.compare, window.figure.slices, parent=window, worker=worker
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one dialog per Export…
    dialog.sigExported.connect(lambda paths: _say_exported(window, paths))
    dialog.open()


def _say_exported(window: QMainWindow, paths) -> None:
    names = ", ".join(str(p) for p in paths[:3]) + (" …" if len(paths) > 3 else "")
    window.show_status(
        lambda: translate("MainWindow", "Exported {files}").format(files=names), 8000
    )


def copy_grids(window: QMainWindow) -> None:
    """Copy grids to clipboard, as an image."""
    copy_grids_to_clipboard(window.figure)
    window.show_status(lambda: translate("MainWindow", "Grids copied to the clipboard"), 4000)


def export_stats_view(window: QMainWindow) -> None:
    """Save the Statistics view as PNG (2x) or SVG, like the grids."""
    if window.stats.view.stats is None:
        window.show_status(lambda: translate("MainWindow", "Open the Statistics tab first"), 4000)
        return
    folder = window.settings.value(SETTINGS_FOLDER, "")
    path, _ = QFileDialog.getSaveFileName(
        window,
        translate("MainWindow", "Export statistics"),
        folder,
        translate("MainWindow", "PNG image (*.png);;SVG image (*.svg)"),
    )
    if path:
        window.save_stats_view(path)


def save_stats_view(window: QMainWindow, path: str) -> None:
    """Write the Statistics view to `path` (.png at 2x, or .svg); a refusal is said."""
    try:
        save_view(window.stats.view.figure, path, scale=2)
    except DropguiError as error:
        problem = message_of(error)
        window.show_status(
            lambda: translate("MainWindow", "Not exported: {problem}").format(
                problem=translated(problem)
            ),
            8000,
        )
        return
    window.show_status(lambda: translate("MainWindow", "Exported {files}").format(files=path), 8000)
