"""The Export dialog's form: what to export and where (format, scale, slices, a seed or
draw range, a file), and the checked plan it describes.

The form only asks: `plan()` turns it into an `ExportPlan` through
`dropgui.export.plan_export` (the same checks as the CLI), and the dialog
(export_dialog.py) runs it. Its texts are in the "ExportDialog" context.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ..errors import DropguiError
from ..export_plan import MAX_FRAMES, MAX_IMAGE_SLICES, ExportPlan, plan_export
from ..result import Result
from ..spec import MAX_DRAW, MAX_SEED
from .i18n import Retranslated

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


class ExportForm(Retranslated, QWidget):
    """The rows of the Export dialog for `result` (and `compare`), the result on screen;
    `shown_slices` are the batch slices the window's grids show ("as shown"), `folder`
    the folder of the file offered. `sigChanged` fires when the format or the slices
    chosen change (what can be chosen with them changes too)."""

    sigChanged = Signal()

    def __init__(
        self,
        result: Result,
        compare: Result | None,
        shown_slices: tuple[int, ...],
        folder: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.shown_result, self.compare = result, compare
        self.shown_slices = shown_slices
        batch = result.shape[0]

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

        self.path = QLineEdit(str(Path(folder) / f"dropgui_{spec.mode}_seed{spec.seed}.png"))
        self.choose_button = choose = QPushButton()
        choose.clicked.connect(self._choose_file)
        file_row = _row(self.path, choose, stretch_first=True)

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)  # rows of the dialog, not a box of their own
        self.row_labels = [QLabel() for _ in range(5)]
        """The form's labels: Format, Scale, Slices, Frames, File."""
        fields = (self.format, self.scale, slices_row, frames_row, file_row)
        for label, field in zip(self.row_labels[:4], fields[:4], strict=True):
            form.addRow(label, field)
        form.addRow("", self.range_text)
        form.addRow(self.row_labels[4], file_row)
        self._form = form

        self.format.currentIndexChanged.connect(self._on_format)
        self.slices.currentIndexChanged.connect(self._update_enabled)
        self.over.currentIndexChanged.connect(self._on_over)
        self.start.valueChanged.connect(self._update_range_text)
        self.count.valueChanged.connect(self._update_range_text)
        self.retranslate()
        self._on_over()
        self._on_format()

    def retranslate(self) -> None:
        """Every text of the form in the language now set."""
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

    @property
    def fmt(self) -> str:
        return self.format.currentData()

    def set_editable(self, editable: bool) -> None:
        """Every row at once: off while an export runs, then back as the format allows."""
        for row in range(self._form.rowCount()):
            for role in (QFormLayout.ItemRole.FieldRole, QFormLayout.ItemRole.LabelRole):
                item = self._form.itemAt(row, role)
                if item is not None and item.widget() is not None:
                    item.widget().setEnabled(editable)
        if editable:
            self._update_enabled()

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
        self.sigChanged.emit()

    def _choose_file(self) -> None:
        key = self.fmt
        file_filter = translate("ExportDialog", next(f for k, _, _, f in FORMATS if k == key))
        # Our own overwrite question comes later, for every file a sequence writes.
        path, _ = QFileDialog.getSaveFileName(
            self.window(),
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


def _suffix(key: str) -> str:
    return next(suffix for k, _, suffix, _ in FORMATS if k == key)


def _row(*widgets: QWidget, stretch_first: bool = False) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for index, widget in enumerate(widgets):
        layout.addWidget(widget, 1 if stretch_first and index == 0 else 0)
    if not stretch_first:
        layout.addStretch(1)
    return row
