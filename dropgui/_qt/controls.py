"""The control panel: it turns widgets into a `Spec` and shows why a value is refused.

It asks and shows only: the Spec's own checks decide what is valid, and a refused value
is named in red next to its group while the last good view stays on screen.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ..errors import DropguiError
from ..i18n import Message, translated
from ..inputs import spec_for_layer
from ..model import ModelInfo, describe
from ..modes import ENGINES, MODES
from ..spec import MAX_SEED, Spec, format_tokens, parse_noise_shape, parse_tokens
from .number_box import IntBox, RateBox
from .theme import error_style

translate = QCoreApplication.translate

# Every text of the panel is English here, marked for lupdate, and shown through
# `translate("ControlPanel", ...)` in the language now set (`retranslate`).
DEFAULT_COMPARE = "spatial"
"""The window opens on the question people come with: Dropout against SpatialDropout1D."""
PRESETS: dict[str, tuple[Spec, str | None]] = {
    QT_TRANSLATE_NOOP(
        "ControlPanel", "The seed question: Dropout(0.5) vs SpatialDropout1D(0.5), arange (3, 3, 4)"
    ): (
        Spec(),
        DEFAULT_COMPARE,
    ),
    QT_TRANSLATE_NOOP(
        "ControlPanel", "Model: Embedding(1000, 16), 20 tokens, Dropout(0.2) vs SpatialDropout1D"
    ): (
        Spec(shape=(4, 20, 16), source="embedding", vocab=1000, rate=0.2),
        "spatial",
    ),
    QT_TRANSLATE_NOOP(
        "ControlPanel", "Same model, whole tokens: noise_shape=(B, S, 1) vs Dropout"
    ): (
        Spec(shape=(4, 20, 16), source="embedding", vocab=1000, rate=0.2, mode="token"),
        "dropout",
    ),
    QT_TRANSLATE_NOOP("ControlPanel", "Word dropout (AWD-LSTM), vocab 12, vs Dropout"): (
        Spec(shape=(3, 10, 8), source="embedding", vocab=12, rate=0.3, mode="word"),
        "dropout",
    ),
}
"""Each preset, by its English name: a spec and the mode to compare it with."""
PRESETS_TEXT = QT_TRANSLATE_NOOP("ControlPanel", "Presets…")

SOURCE_LABELS = {
    "arange": QT_TRANSLATE_NOOP("ControlPanel", "arange 1..B·S·D"),
    "embedding": QT_TRANSLATE_NOOP("ControlPanel", "Embedding layer"),
    "file": QT_TRANSLATE_NOOP("ControlPanel", ".npy file"),
    "model": QT_TRANSLATE_NOOP("ControlPanel", "Saved Keras model"),
}
OPEN_TEXT = {
    "file": QT_TRANSLATE_NOOP("ControlPanel", "Open .npy…"),
    "model": QT_TRANSLATE_NOOP("ControlPanel", "Open model…"),
}
MODE_NAMES = {
    "dropout": QT_TRANSLATE_NOOP("ControlPanel", "dropout"),
    "spatial": QT_TRANSLATE_NOOP("ControlPanel", "spatial"),
    "token": QT_TRANSLATE_NOOP("ControlPanel", "token"),
    "word": QT_TRANSLATE_NOOP("ControlPanel", "word"),
    "gaussian": QT_TRANSLATE_NOOP("ControlPanel", "gaussian"),
    "alpha": QT_TRANSLATE_NOOP("ControlPanel", "alpha"),
}
"""A mode by its id (the CLI's --mode) in English; in Chinese, what it drops. A mode
missing here is shown by its id."""
MODEL_FILTER = QT_TRANSLATE_NOOP("ControlPanel", "Keras models (*.keras *.h5 *.hdf5)")
ON_EMBEDDING_OUTPUT = QT_TRANSLATE_NOOP("ControlPanel", "any mode below, on the embedding output")
"""The layer box's last entry: the model's Embedding, with the window's own dropout."""
NO_DROPOUT = QT_TRANSLATE_NOOP(
    "ControlPanel", "no dropout layer acts on its Embedding: the mode below is shown on its output"
)
SHAPE_BOX_PX = 64
ARROW_PX = 48
TEXT_HINT = QT_TRANSLATE_NOOP(
    "ControlPanel", "text for the model's TextVectorization; rows split by ';'"
)

FILE_SHAPE_UNKNOWN = (1, 1, 1)
"""The shape a .npy spec carries until the worker has read the file's header (the file's
own shape replaces it there, off the GUI thread, and comes back with the reply)."""
TOKENS_HINT = QT_TRANSLATE_NOOP("ControlPanel", "drawn from the data seed; e.g. 4 8 15; 16 23 42")
TOKENS_NOT_USED = QT_TRANSLATE_NOOP("ControlPanel", "token ids apply to Embedding input only")
TRAINING_TEXT = {
    True: QT_TRANSLATE_NOOP("ControlPanel", "training=True"),
    False: QT_TRANSLATE_NOOP("ControlPanel", "training=False (inference)"),
}
PLAY_TEXT = {
    False: QT_TRANSLATE_NOOP("ControlPanel", "Play seeds"),
    True: QT_TRANSLATE_NOOP("ControlPanel", "Pause"),
}
BOX_NAMES = {
    "vocab": QT_TRANSLATE_NOOP("ControlPanel", "vocab"),
    "data_seed": QT_TRANSLATE_NOOP("ControlPanel", "data seed"),
    "seed": QT_TRANSLATE_NOOP("ControlPanel", "seed"),
    "draw": QT_TRANSLATE_NOOP("ControlPanel", "draw"),
    "speed": QT_TRANSLATE_NOOP("ControlPanel", "speed"),
    "rate": QT_TRANSLATE_NOOP("ControlPanel", "rate"),
}
"""The names the number boxes give in their refusals, by the box's Spec field."""


class Marked(Message):
    """A text of the panel's catalog that says itself again in the language now set:
    the panel's own refusals travel as DropguiError messages (a str), and whoever shows
    one later asks `i18n.translated()` for it, as for the core's messages."""

    def __new__(cls, source: str):
        self = str.__new__(cls, translate("ControlPanel", source))
        self.template, self.values = source, {}
        return self

    def translated(self, code: str | None = None) -> str:
        return translate("ControlPanel", self.template)


def mode_name(mode: str) -> str:
    """A mode for the user, in the language now set (its id in English)."""
    return translate("ControlPanel", MODE_NAMES[mode]) if mode in MODE_NAMES else mode


def mode_label(mode: str) -> str:
    """A mode with the Keras layer that draws it ("spatial: SpatialDropout1D")."""
    return translate("ControlPanel", "{name}: {keras_layer}").format(
        name=mode_name(mode), keras_layer=MODES[mode].keras_layer
    )


class ControlPanel(QWidget):
    """All the controls of a spec, plus the mode to compare; emits specs as they change."""

    sigChanged = Signal()
    sigPlayToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._npy_path: str | None = None
        self._npy_shape: tuple[int, int, int] | None = None
        self._model_path: str | None = None
        self._model: ModelInfo | None = None
        self._model_shape: tuple[int, int, int] | None = None
        self._updating = False
        self._texts: list[tuple[Callable[[str], object], str]] = []
        """(setter, English text): every fixed text, said again by `retranslate`."""
        self._messages: dict[QLabel, Callable[[], str]] = {}
        """What each red label says, asked again after a language change."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        self.preset = QComboBox()
        self.preset.addItem("", None)
        for name in PRESETS:
            self.preset.addItem("", name)
        # sized to the panel, not to the longest preset name (the list shows them whole)
        self.preset.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.preset.setMinimumContentsLength(16)
        self.preset.activated.connect(self._apply_preset)
        layout.addWidget(self.preset)

        # -------------------------------------------------------------- input
        self.source = QComboBox()
        for key in SOURCE_LABELS:
            self.source.addItem("", key)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self._choose_file)
        # The Spec's checks decide which numbers are valid; the boxes name what is not
        # a number at all (number_box.py).
        self.batch, self.seq_len, self.dim = (IntBox(name, "shape") for name in "BSD")
        for box in (self.batch, self.seq_len, self.dim):
            # a box sized for the largest allowed value would make the panel wider than
            # the grids can spare at 1280x720; the field scrolls for a long number
            box.setMinimumWidth(SHAPE_BOX_PX)
        self.vocab = IntBox(BOX_NAMES["vocab"], "vocab")
        self.tokens = QLineEdit()
        self._say(
            self.tokens.setToolTip,
            QT_TRANSLATE_NOOP(
                "ControlPanel", "ids split by spaces, rows by ';'; empty: drawn from the data seed"
            ),
        )
        self.edit_tokens = QPushButton()
        self._say(self.edit_tokens.setText, QT_TRANSLATE_NOOP("ControlPanel", "Edit"))
        self._say(
            self.edit_tokens.setToolTip,
            QT_TRANSLATE_NOOP("ControlPanel", "put the drawn ids in the field, to edit them"),
        )
        self.edit_tokens.clicked.connect(self._edit_drawn_tokens)
        self._drawn_tokens = ""
        self.data_seed = IntBox(BOX_NAMES["data_seed"], "data_seed")
        # a saved model: its file, the dropout layer to show, and text for its vectorizer
        self.model_label = QLabel()
        self.model_label.setWordWrap(True)
        self.layer = QComboBox()
        self.layer.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.layer.setMinimumContentsLength(16)
        self._say(
            self.layer.setToolTip,
            QT_TRANSLATE_NOOP(
                "ControlPanel", "the model's dropout layer whose own configuration is shown"
            ),
        )
        self.text = QLineEdit()
        self._say(self.text.setPlaceholderText, TEXT_HINT)
        self._say(
            self.text.setToolTip,
            QT_TRANSLATE_NOOP(
                "ControlPanel",
                "words go through the model's own TextVectorization; the rows are labelled "
                "with them. Empty: token ids (the field above) or ids drawn from the data seed",
            ),
        )
        source_row = _row(self.source, self.open_button)
        shape_row = _row(QLabel("B"), self.batch, QLabel("S"), self.seq_len, QLabel("D"), self.dim)
        self.input_error = _error_label()
        form = self._group(QT_TRANSLATE_NOOP("ControlPanel", "Input tensor"), layout)
        self.input_form = form
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Source")), source_row)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Model")), self.model_label)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Layer")), self.layer)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Text")), self.text)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Shape")), shape_row)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Vocab")), self.vocab)
        form.addRow(
            self._label(QT_TRANSLATE_NOOP("ControlPanel", "Token ids")),
            _row(self.tokens, self.edit_tokens),
        )
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Data seed")), self.data_seed)
        form.addRow(self.input_error)

        # -------------------------------------------------------------- dropout
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
            lambda v: _quietly(self.rate_slider, self.rate_slider.setValue, round(v * 100))
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
        self.dropout_error = _error_label()
        form = self._group(QT_TRANSLATE_NOOP("ControlPanel", "Dropout"), layout)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Mode")), self.mode)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Compare with")), self.compare)
        form.addRow(
            self._label(QT_TRANSLATE_NOOP("ControlPanel", "Rate")),
            _row(self.rate_slider, self.rate),
        )
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "noise_shape")), self.noise_shape)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Engine")), self.engine)
        form.addRow(self.training)
        form.addRow(self.dropout_error)

        # -------------------------------------------------------------- randomness
        self.seed = IntBox(BOX_NAMES["seed"], "seed")
        self.draw = IntBox(BOX_NAMES["draw"], "draw")
        previous_seed = QPushButton("◀")
        next_seed = QPushButton("▶")
        for arrow in (previous_seed, next_seed):
            arrow.setMaximumWidth(ARROW_PX)
        next_draw = QPushButton()
        self._say(next_draw.setText, QT_TRANSLATE_NOOP("ControlPanel", "next call"))
        self._say(
            previous_seed.setToolTip, QT_TRANSLATE_NOOP("ControlPanel", "previous seed (Left)")
        )
        self._say(next_seed.setToolTip, QT_TRANSLATE_NOOP("ControlPanel", "next seed (Right)"))
        self._say(
            next_draw.setToolTip,
            QT_TRANSLATE_NOOP("ControlPanel", "next call of the same layer (Up)"),
        )
        previous_seed.clicked.connect(lambda: self.step_seed(-1))
        next_seed.clicked.connect(lambda: self.step_seed(1))
        next_draw.clicked.connect(self.next_draw)
        self.play = QPushButton()
        self.play.setCheckable(True)
        self._say(
            self.play.setToolTip,
            QT_TRANSLATE_NOOP("ControlPanel", "step through seeds on a timer (Space)"),
        )
        self.play.toggled.connect(self._on_play)
        self.speed = IntBox(BOX_NAMES["speed"], "speed", 1, 60)
        self._say(self.speed.setSuffix, QT_TRANSLATE_NOOP("ControlPanel", " steps/s"))
        self.random_error = _error_label()
        form = self._group(QT_TRANSLATE_NOOP("ControlPanel", "Randomness"), layout)
        form.addRow(
            self._label(QT_TRANSLATE_NOOP("ControlPanel", "Seed")),
            _row(self.seed, previous_seed, next_seed),
        )
        form.addRow(
            self._label(QT_TRANSLATE_NOOP("ControlPanel", "Draw (call)")),
            _row(self.draw, next_draw),
        )
        form.addRow(self.play, self.speed)
        form.addRow(self.random_error)
        layout.addStretch(1)
        self._error_labels = {
            **dict.fromkeys(("seed", "draw", "speed"), self.random_error),
            **dict.fromkeys(("mode", "rate", "noise_shape", "engine"), self.dropout_error),
        }  # shape, vocab, tokens, data_seed and the source go to the input group

        boxes = (self.batch, self.seq_len, self.dim, self.vocab, self.data_seed, self.rate)
        for box in (*boxes, self.seed, self.draw, self.speed):
            box.sigRefused.connect(lambda message, box=box: self.show_refusal(message, box.field))
        for box in (self.batch, self.seq_len, self.dim, self.vocab, self.data_seed):
            box.valueChanged.connect(self._changed)
        for box in (self.seed, self.draw):
            box.valueChanged.connect(self._changed)
        for combo in (self.source, self.mode, self.compare, self.engine):
            combo.currentIndexChanged.connect(self._changed)
        self.layer.currentIndexChanged.connect(self._on_layer)
        self.rate.valueChanged.connect(self._changed)
        self.training.toggled.connect(self._changed)
        for edit in (self.tokens, self.noise_shape, self.text):
            edit.editingFinished.connect(self._changed)
        self.retranslate()
        self.set_spec(Spec())

    # ------------------------------------------------------------------ language
    def _say(self, setter: Callable[[str], object], text: str) -> None:
        """Show `text` (English, marked) with `setter`, now and after each language change."""
        self._texts.append((setter, text))

    def _label(self, text: str) -> QLabel:
        """A form row's label, said again after a language change."""
        label = QLabel()
        self._say(label.setText, text)
        return label

    def _group(self, title: str, parent_layout: QVBoxLayout) -> QFormLayout:
        box = QGroupBox()
        self._say(box.setTitle, title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        parent_layout.addWidget(box)
        return form

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:  # light or dark: refusals stay legible
            for label in (self.input_error, self.dropout_error, self.random_error):
                label.setStyleSheet(error_style())
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Every text of the panel in the language now set; the values stay."""
        for setter, text in self._texts:
            setter(translate("ControlPanel", text))
        self.preset.setItemText(0, translate("ControlPanel", PRESETS_TEXT))
        for index in range(1, self.preset.count()):
            self.preset.setItemText(index, translate("ControlPanel", self.preset.itemData(index)))
        for index, key in enumerate(SOURCE_LABELS):
            self.source.setItemText(index, translate("ControlPanel", SOURCE_LABELS[key]))
        self.compare.setItemText(0, translate("ControlPanel", "none"))
        for index, name in enumerate(MODES):
            self.mode.setItemText(index, mode_label(name))
            self.compare.setItemText(index + 1, mode_label(name))
        self.rate.name = translate("ControlPanel", BOX_NAMES["rate"])
        for box in (self.vocab, self.data_seed, self.seed, self.draw, self.speed):
            box.name = translate("ControlPanel", BOX_NAMES[box.field])
        self._say_training(self.training.isChecked())
        self.play.setText(translate("ControlPanel", PLAY_TEXT[self.play.isChecked()]))
        self._say_open_button()
        self._say_tokens_hint()
        if self._model is not None:
            self._say_model(self._model)
        for label, message in self._messages.items():
            label.setText(message())

    def _say_training(self, on: bool) -> None:
        self.training.setText(translate("ControlPanel", TRAINING_TEXT[on]))

    def _say_open_button(self) -> None:
        source = self.source.currentData()
        self.open_button.setText(
            translate("ControlPanel", OPEN_TEXT.get(source, OPEN_TEXT["file"]))
        )

    def _say_tokens_hint(self) -> None:
        """The token field's grey hint: the ids drawn, what to type, or that ids do not apply."""
        if self.source.currentData() not in ("embedding", "model"):
            hint = translate("ControlPanel", TOKENS_NOT_USED)
        elif self._drawn_tokens:
            hint = translate("ControlPanel", "drawn: {ids}").format(ids=self._drawn_tokens)
        else:
            hint = translate("ControlPanel", TOKENS_HINT)
        self.tokens.setPlaceholderText(hint)

    # ------------------------------------------------------------------ reading
    def spec(self) -> Spec:
        """The spec the controls describe; DropguiError names what is wrong."""
        source = self.source.currentData()
        shape = self._shape()
        if source == "file":
            if self._npy_path is None:
                raise DropguiError(
                    Marked(QT_TRANSLATE_NOOP("ControlPanel", "choose a .npy file with Open .npy…")),
                    field="source",
                )
            source = self._npy_path
            shape = self._npy_shape or FILE_SHAPE_UNKNOWN
        text = self.tokens.text().strip()
        tokens = parse_tokens(text) if text and source in ("embedding", "model") else None
        noise_text = self.noise_shape.text().strip()
        mode = self.mode.currentData()
        spec = Spec(
            shape=shape,
            mode=mode,
            rate=round(self.rate.value(), 6),
            seed=self.seed.value(),
            draw=self.draw.value(),
            engine=self.engine.currentText(),
            source=source,
            data_seed=self.data_seed.value(),
            vocab=self.vocab.value(),
            tokens=tokens,
            noise_shape=(
                parse_noise_shape(noise_text)
                if noise_text and MODES[mode].takes_noise_shape
                else None
            ),
            training=self.training.isChecked(),
        )
        if source == "model":
            return self._model_spec(spec)
        spec.validate()
        return spec

    def _model_spec(self, spec: Spec) -> Spec:
        """`spec` on the open model: its Embedding and engine, and the chosen layer's own
        mode, rate and noise_shape (the seed box keeps the seed, which starts on the
        layer's saved seed). The file is read again if it changed on disk."""
        if self._model_path is None:
            raise DropguiError(
                Marked(QT_TRANSLATE_NOOP("ControlPanel", "choose a model file with Open model…")),
                field="model",
            )
        info = describe(self._model_path)  # refused if the file went or changed for the worse
        text = self.text.text().strip()
        rows = tuple(row.strip() for row in text.split(";") if row.strip()) if text else None
        name = self.layer.currentData()
        embedding = info.embedding(info.layer(name).embedding if name else None)
        spec = spec.replace(
            source="model",
            model=info.path,
            text=rows,
            tokens=None if rows else spec.tokens,
            engine=info.engine,
            vocab=embedding.input_dim,
            shape=(*spec.shape[:2], embedding.output_dim),
        )
        if name is not None:
            spec = spec_for_layer(spec, name, keep_seed=True)
        spec.validate()
        return spec

    def compare_spec(self, spec: Spec) -> Spec | None:
        """The same spec in the compared mode, or None (also None if it cannot apply)."""
        mode = self.compare.currentData()
        if mode is None or (mode == spec.mode and spec.layer is None):
            return None
        noise = spec.noise_shape if MODES[mode].takes_noise_shape else None
        # a model's layer is compared with a mode on the same embedding output
        other = spec.replace(mode=mode, noise_shape=noise, layer=None)
        try:
            other.validate()
        except DropguiError:
            return None
        return other

    def _shape(self) -> tuple[int, int, int]:
        return (self.batch.value(), self.seq_len.value(), self.dim.value())

    # ------------------------------------------------------------------ writing
    def set_spec(self, spec: Spec, compare: str | None = None) -> None:
        """Show `spec` in the widgets without emitting a change per widget."""
        self._updating = True
        try:
            if spec.is_file:
                self._npy_path, self._npy_shape = spec.source, spec.shape
                self.source.setCurrentIndex(self.source.findData("file"))
            elif spec.source == "model":
                self._model_path, self._model_shape = str(spec.model), spec.shape
                try:
                    self._show_model(describe(self._model_path), spec.layer)
                except DropguiError:  # gone since it was saved: spec() names the problem
                    self._model = None
                self.source.setCurrentIndex(self.source.findData("model"))
                self.text.setText("; ".join(spec.text or ()))
            else:
                self.source.setCurrentIndex(self.source.findData(spec.source))
            for spin, value in zip((self.batch, self.seq_len, self.dim), spec.shape, strict=True):
                spin.setValue(value)
            self.vocab.setValue(spec.vocab)
            self.tokens.setText(format_tokens(spec.tokens) if spec.tokens else "")
            self.data_seed.setValue(spec.data_seed)
            self.mode.setCurrentIndex(self.mode.findData(spec.mode))
            self.compare.setCurrentIndex(max(0, self.compare.findData(compare)))
            self.rate.setValue(spec.rate)
            self.noise_shape.setText(
                ""
                if spec.noise_shape is None
                else ",".join("None" if n is None else str(n) for n in spec.noise_shape)
            )
            self.engine.setCurrentText(spec.engine)
            self.training.setChecked(spec.training)
            self.seed.setValue(spec.seed)
            self.draw.setValue(spec.draw)
        finally:
            self._updating = False
        self._changed()

    def step_seed(self, step: int) -> None:
        self.seed.setValue(min(max(self.seed.value() + step, 0), MAX_SEED))

    def next_draw(self) -> None:
        self.draw.setValue(self.draw.value() + 1)

    def show_error(self, message: str | Callable[[], str], field: str = "") -> None:
        """Show `message` next to the group of the Spec `field` it is about (the input
        group when no field is named); an empty message clears all."""
        for label in (self.input_error, self.dropout_error, self.random_error):
            label.setText("")
            label.setVisible(False)
        self._messages.clear()
        if message:
            self.show_refusal(message, field)

    def show_refusal(self, message: str | Callable[[], str], field: str) -> None:
        """Show `message` next to the group of `field`, leaving the other groups' messages:
        text a number box refused leaves the spec, and what is wrong with it, as it was.

        `message` is a text (a core `Message` is said again in each language; other
        text, such as a number box's refusal, stays as it was said) or a callable that
        says it in the language now set."""
        label = self._error_labels.get(field, self.input_error)
        self._messages[label] = message if callable(message) else lambda: translated(message)
        label.setText(self._messages[label]())
        label.setVisible(True)

    def show_file_shape(self, spec: Spec) -> None:
        """The worker read the shape of the .npy file `spec` computed on, or of a model's
        ids and Embedding: show it in the greyed shape boxes (a .npy's is also sent with
        the next requests)."""
        if spec.source == "model":
            if spec.model == self._model_path:
                self._model_shape = spec.shape
                if self.source.currentData() == "model":
                    self._show_model_shape()
            return
        if not spec.is_file or spec.source != self._npy_path:
            return
        self._npy_shape = spec.shape
        if self.source.currentData() == "file":
            self._show_shape(spec.shape)

    # ------------------------------------------------------------------ reacting
    def _changed(self) -> None:
        if self._updating:
            return
        source = self.source.currentData()
        from_file, from_model = source == "file", source == "model"
        for row in (self.model_label, self.layer, self.text):
            self.input_form.setRowVisible(row, from_model)
        for spin in (self.batch, self.seq_len, self.dim):
            spin.setEnabled(not from_file)
        if from_file and self._npy_shape is not None:
            self._show_shape(self._npy_shape)
        with_ids = source in ("embedding", "model")
        for widget in (self.tokens, self.edit_tokens, self.data_seed):
            widget.setEnabled(with_ids)
        self.vocab.setEnabled(source == "embedding")
        if not with_ids:  # ids drawn for an earlier Embedding run describe nothing now
            self._drawn_tokens = ""
        self._say_tokens_hint()
        if from_model:
            self._show_model_shape()
        self._say_open_button()
        self.open_button.setEnabled(
            from_file or from_model or self._npy_path is None or self._model is None
        )
        # a model's layer decides the dropout; its engine is the one that wrote the file
        by_layer = from_model and self.layer.currentData() is not None
        for widget in (self.mode, self.rate, self.rate_slider):
            widget.setEnabled(not by_layer)
        self.engine.setEnabled(not from_model)
        takes_noise_shape = MODES[self.mode.currentData()].takes_noise_shape
        self.noise_shape.setEnabled(takes_noise_shape and not by_layer)
        self.sigChanged.emit()

    def _show_model_shape(self) -> None:
        """A model's D is its Embedding's; B and S are the ids' own when ids or text are
        given (the worker's reply shows them), else the boxes' (ids drawn for them)."""
        given = bool(self.tokens.text().strip() or self.text.text().strip())
        self.dim.setEnabled(False)
        self.batch.setEnabled(not given)
        self.seq_len.setEnabled(not given)
        if self._model is None:
            return
        shape = self._model_shape if given and self._model_shape else self._shape()
        name = self.layer.currentData()
        info = self._model
        dim = info.embedding(info.layer(name).embedding if name else None).output_dim
        self._show_shape((*shape[:2], dim))

    def _show_shape(self, shape: tuple[int, int, int]) -> None:
        """Put a file's shape in the greyed shape boxes without asking for anything."""
        self._updating = True
        try:
            for spin, value in zip((self.batch, self.seq_len, self.dim), shape, strict=True):
                spin.setValue(value)
        finally:
            self._updating = False

    def show_drawn_tokens(self, token_ids) -> None:
        """Show the ids the data seed drew (greyed) in the empty token field, while the
        source is still the Embedding layer."""
        if self.source.currentData() != "embedding":
            return
        self._drawn_tokens = format_tokens(token_ids)
        self._say_tokens_hint()

    def _edit_drawn_tokens(self) -> None:
        if not self.tokens.text().strip() and self._drawn_tokens:
            self.tokens.setText(self._drawn_tokens)
        self.tokens.setFocus()

    def _choose_file(self) -> None:
        """The Open button opens what the source needs: a model file or a .npy file."""
        if self.source.currentData() == "model":
            self.choose_model()
        else:
            self.choose_npy()

    def choose_model(self) -> None:
        """Ask for a saved Keras model and use it as input."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            translate("ControlPanel", "Open a saved Keras model"),
            "",
            translate("ControlPanel", MODEL_FILTER),
        )
        if path:
            self.open_model(path)

    def open_model(self, path: str) -> bool:
        """Use the model file at `path` as input, on its first dropout layer (or, with
        none, the mode below on its Embedding's output). Its configuration is read and
        checked here, without TensorFlow and without running any code of the file; a
        refused file is named next to the input group, and the last good view stays.
        True if the model was opened."""
        try:
            info = describe(path)
        except DropguiError as error:
            self.show_refusal(error.args[0] if error.args else str(error), "model")
            return False
        first = next((layer.name for layer in info.layers if not layer.problem), None)
        self._updating = True
        try:
            self._model_shape = None
            self.text.setText("")
            self.tokens.setText("")
            self._show_model(info, first)
            self._show_layer()
            self.source.setCurrentIndex(self.source.findData("model"))
        finally:
            self._updating = False
        self._changed()
        return True

    def _show_model(self, info: ModelInfo, layer: str | None) -> None:
        """List the model's dropout layers in the layer box and select `layer`."""
        self._model_path, self._model = info.path, info
        blocked = self.layer.blockSignals(True)
        self.layer.clear()
        for site in info.layers:
            self.layer.addItem("", site.name)
            if site.problem:  # listed with the reason, but not selectable
                item = self.layer.model().item(self.layer.count() - 1)
                item.setEnabled(False)
                item.setToolTip(translated(site.problem))
        self.layer.addItem("", None)
        self.layer.setCurrentIndex(max(0, self.layer.findData(layer)))
        self.layer.blockSignals(blocked)
        self._say_model(info)
        self.text.setEnabled(any(e.vectorizer for e in info.embeddings))

    def _say_model(self, info: ModelInfo) -> None:
        """The model's file, Embeddings and dropout layers, in the language now set."""
        for index, site in enumerate(info.layers):
            self.layer.setItemText(index, translated(site.describe()))
        self.layer.setItemText(len(info.layers), translate("ControlPanel", ON_EMBEDDING_OUTPUT))
        embeddings = [_embedding_text(e) for e in info.embeddings]
        name = html.escape(os.path.basename(info.path), quote=False)
        note = "" if info.layers else f"<br><i>{translate('ControlPanel', NO_DROPOUT)}</i>"
        listed = html.escape("; ".join(embeddings), quote=False)
        self.model_label.setText(f"{name} ({info.engine})<br><small>{listed}</small>{note}")
        lines = [f"{info.path} ({info.engine})", *embeddings]
        self.model_label.setToolTip(
            "\n".join(lines + [translated(s.describe()) for s in info.layers])
        )

    def _on_layer(self) -> None:
        """Another layer of the model: show its own configuration, then ask for it."""
        if self._updating:
            return
        self._updating = True
        try:
            self._show_layer()
        finally:
            self._updating = False
        self._changed()

    def _show_layer(self) -> None:
        """Put the chosen layer's mode, rate, noise_shape and saved seed in the boxes."""
        name = self.layer.currentData()
        if self._model is None or name is None:
            return
        site = self._model.layer(name)
        self.mode.setCurrentIndex(self.mode.findData(site.mode))
        self.rate.setValue(site.rate)
        self.noise_shape.setText(
            ""
            if site.noise_shape is None
            else ",".join("None" if n is None else str(n) for n in site.noise_shape)
        )
        self.engine.setCurrentText(self._model.engine)
        if site.seed is not None and self._model.engine == "keras3":
            self.seed.setValue(site.seed)  # the layer's first call is draw 1, as in the model
        if self.compare.currentData() == site.mode:  # the same mode would show the same drop
            other = "spatial" if site.mode == "dropout" else "dropout"
            self.compare.setCurrentIndex(self.compare.findData(other))

    def choose_npy(self) -> None:
        """Ask for a .npy file and use it as input."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            translate("ControlPanel", "Open a (B, S, D) array"),
            "",
            translate("ControlPanel", "NumPy arrays (*.npy)"),
        )
        if path:
            self.open_npy(path)

    def open_npy(self, path: str) -> None:
        """Use a .npy file as input. Nothing is read here: the worker reads the file, its
        shape included, off the GUI thread (a FIFO or a slow disk never blocks the
        window); a bad file is refused in its reply and the last good view stays."""
        self._npy_path, self._npy_shape = path, None
        self.source.setToolTip(path)
        if self.source.currentData() == "file":
            self._changed()
        else:
            self.source.setCurrentIndex(self.source.findData("file"))

    def _apply_preset(self, index: int) -> None:
        if index > 0:
            self.set_spec(*PRESETS[self.preset.itemData(index)])
            self.preset.setCurrentIndex(0)

    def _on_play(self, playing: bool) -> None:
        self.play.setText(translate("ControlPanel", PLAY_TEXT[playing]))
        self.sigPlayToggled.emit(playing)


def _embedding_text(embedding) -> str:
    """An Embedding of a model in one phrase: its name, ids, channels and vectorizer."""
    text = translate("ControlPanel", "Embedding '{name}' {ids} ids × {dim}").format(
        name=embedding.name, ids=embedding.input_dim, dim=embedding.output_dim
    )
    if embedding.vectorizer:
        text += translate("ControlPanel", " after '{vectorizer}'").format(
            vectorizer=embedding.vectorizer
        )
    return text


def _row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return row


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(error_style())
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def _quietly(widget: QWidget, setter, value) -> None:
    widget.blockSignals(True)
    setter(value)
    widget.blockSignals(False)
