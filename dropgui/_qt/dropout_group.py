"""The dropout group: the mode and the mode to compare it with, the rate, noise_shape,
the engine, and training=True or False."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSlider, QWidget

from ..model import DropoutLayer
from ..modes import ENGINES, MODES, NoiseShape
from ..spec import Spec, parse_noise_shape
from .control_group import BOX_NAMES, ControlGroup, mode_label, quietly, row, translate
from .number_box import RateBox

TRAINING_TEXT = {
    True: QT_TRANSLATE_NOOP("ControlPanel", "training=True"),
    False: QT_TRANSLATE_NOOP("ControlPanel", "training=False (inference)"),
}


class DropoutGroup(ControlGroup):
    """The "Dropout" group. A saved model's layer puts its own configuration here
    (`show_layer`) and greys what it decides (`follow_input`)."""

    FIELDS = ("mode", "rate", "noise_shape", "engine")
    """The Spec fields whose refusals are named under this group."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QT_TRANSLATE_NOOP("ControlPanel", "Dropout"), parent)
        self.mode = QComboBox()
        self.compare = QComboBox()
        self.compare.addItem("", None)
        for name in MODES:
            self.mode.addItem("", name)
            self.compare.addItem("", name)
        self.rate_slider = QSlider(Qt.Orientation.Horizontal)
        self.rate_slider.setRange(0, 95)
        self.rate = RateBox()
        self.rate_slider.valueChanged.connect(lambda v: self.rate.setValue(v / 100))
        self.rate.valueChanged.connect(
            lambda v: quietly(self.rate_slider, self.rate_slider.setValue, round(v * 100))
        )
        self.noise_shape = QLineEdit()
        self._say(
            self.noise_shape.setPlaceholderText,
            QT_TRANSLATE_NOOP("ControlPanel", "None = full shape; e.g. None,1,None"),
        )
        self.engine = QComboBox()
        self.engine.addItems(ENGINES)
        self.training = QCheckBox()
        self._say(
            self.training.setToolTip,
            QT_TRANSLATE_NOOP(
                "ControlPanel", "untick for inference: the layer passes its input through"
            ),
        )
        self.training.toggled.connect(self._say_training)

        form = self.form
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Mode")), self.mode)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Compare with")), self.compare)
        form.addRow(
            self._label(QT_TRANSLATE_NOOP("ControlPanel", "Rate")),
            row(self.rate_slider, self.rate),
        )
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "noise_shape")), self.noise_shape)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Engine")), self.engine)
        form.addRow(self.training)
        form.addRow(self.error)

        self.rate.sigRefused.connect(self.show_refusal)
        for combo in (self.mode, self.compare, self.engine):
            combo.currentIndexChanged.connect(self._changed)
        self.rate.valueChanged.connect(self._changed)
        self.training.toggled.connect(self._changed)
        self.noise_shape.editingFinished.connect(self._changed)
        self.retranslate()

    # ------------------------------------------------------------------ language
    def _retranslate(self) -> None:
        self.compare.setItemText(0, translate("ControlPanel", "none"))
        for index, name in enumerate(MODES):
            self.mode.setItemText(index, mode_label(name))
            self.compare.setItemText(index + 1, mode_label(name))
        self.rate.name = translate("ControlPanel", BOX_NAMES["rate"])
        self._say_training(self.training.isChecked())

    def _say_training(self, on: bool) -> None:
        self.training.setText(translate("ControlPanel", TRAINING_TEXT[on]))

    # ------------------------------------------------------------------ reading
    def spec_fields(self) -> dict:
        """The Spec's dropout fields; a noise_shape that does not parse raises DropguiError."""
        noise_text = self.noise_shape.text().strip()
        mode = self.mode.currentData()
        return dict(
            mode=mode,
            rate=round(self.rate.value(), 6),
            engine=self.engine.currentText(),
            noise_shape=(
                parse_noise_shape(noise_text)
                if noise_text and MODES[mode].takes_noise_shape
                else None
            ),
            training=self.training.isChecked(),
        )

    # ------------------------------------------------------------------ writing
    def set_spec(self, spec: Spec, compare: str | None) -> None:
        """Show `spec`'s dropout and the mode to compare (the panel holds back changes)."""
        self.mode.setCurrentIndex(self.mode.findData(spec.mode))
        self.compare.setCurrentIndex(max(0, self.compare.findData(compare)))
        self.rate.setValue(spec.rate)
        self._show_noise_shape(spec.noise_shape)
        self.engine.setCurrentText(spec.engine)
        self.training.setChecked(spec.training)

    def show_layer(self, site: DropoutLayer, engine: str) -> None:
        """Put a saved model's dropout layer (`site`) and the model's engine in the boxes."""
        self.mode.setCurrentIndex(self.mode.findData(site.mode))
        self.rate.setValue(site.rate)
        self._show_noise_shape(site.noise_shape)
        self.engine.setCurrentText(engine)
        if self.compare.currentData() == site.mode:  # the same mode would show the same drop
            other = "spatial" if site.mode == "dropout" else "dropout"
            self.compare.setCurrentIndex(self.compare.findData(other))

    def _show_noise_shape(self, noise_shape: NoiseShape | None) -> None:
        self.noise_shape.setText(
            ""
            if noise_shape is None
            else ",".join("None" if n is None else str(n) for n in noise_shape)
        )

    def follow_input(self, from_model: bool, by_layer: bool) -> None:
        """Grey what the input decides: a model's layer decides the dropout, and a model's
        engine is the one that wrote the file."""
        for widget in (self.mode, self.rate, self.rate_slider):
            widget.setEnabled(not by_layer)
        self.engine.setEnabled(not from_model)
        takes_noise_shape = MODES[self.mode.currentData()].takes_noise_shape
        self.noise_shape.setEnabled(takes_noise_shape and not by_layer)
