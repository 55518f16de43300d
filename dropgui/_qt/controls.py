"""The control panel: it turns widgets into a `Spec` and shows why a value is refused.

It asks and shows only: the Spec's own checks decide what is valid, and a refused value
is named in red next to its group while the last good view stays on screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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
from ..modes import ENGINES, MODES
from ..spec import MAX_SEED, Spec, format_tokens, parse_noise_shape, parse_tokens
from .number_box import IntBox, RateBox
from .style import ERROR_STYLE

DEFAULT_COMPARE = "spatial"
"""The window opens on the question people come with: Dropout against SpatialDropout1D."""
PRESETS: dict[str, tuple[Spec, str | None]] = {
    "The seed question: Dropout(0.5) vs SpatialDropout1D(0.5), arange (3, 3, 4)": (
        Spec(),
        DEFAULT_COMPARE,
    ),
    "Model: Embedding(1000, 16), 20 tokens, Dropout(0.2) vs SpatialDropout1D": (
        Spec(shape=(4, 20, 16), source="embedding", vocab=1000, rate=0.2),
        "spatial",
    ),
    "Same model, whole tokens: noise_shape=(B, S, 1) vs Dropout": (
        Spec(shape=(4, 20, 16), source="embedding", vocab=1000, rate=0.2, mode="token"),
        "dropout",
    ),
    "Word dropout (AWD-LSTM), vocab 12, vs Dropout": (
        Spec(shape=(3, 10, 8), source="embedding", vocab=12, rate=0.3, mode="word"),
        "dropout",
    ),
}
"""Each preset: a spec and the mode to compare it with."""

SOURCE_LABELS = {"arange": "arange 1..B·S·D", "embedding": "Embedding layer", "file": ".npy file"}

FILE_SHAPE_UNKNOWN = (1, 1, 1)
"""The shape a .npy spec carries until the worker has read the file's header (the file's
own shape replaces it there, off the GUI thread, and comes back with the reply)."""
TOKENS_HINT = "drawn from the data seed; e.g. 4 8 15; 16 23 42"
TOKENS_NOT_USED = "token ids apply to Embedding input only"
TRAINING_TEXT = {True: "training=True", False: "training=False (inference)"}


class ControlPanel(QWidget):
    """All the controls of a spec, plus the mode to compare; emits specs as they change."""

    sigChanged = Signal()
    sigPlayToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._npy_path: str | None = None
        self._npy_shape: tuple[int, int, int] | None = None
        self._updating = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        self.preset = QComboBox()
        self.preset.addItems(["Presets…", *PRESETS])
        # sized to the panel, not to the longest preset name (the list shows them whole)
        self.preset.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.preset.setMinimumContentsLength(16)
        self.preset.activated.connect(self._apply_preset)
        layout.addWidget(self.preset)

        # -------------------------------------------------------------- input
        self.source = QComboBox()
        for key, label in SOURCE_LABELS.items():
            self.source.addItem(label, key)
        self.open_button = QPushButton("Open .npy…")
        self.open_button.clicked.connect(self.choose_npy)
        # The Spec's checks decide which numbers are valid; the boxes name what is not
        # a number at all (number_box.py).
        self.batch, self.seq_len, self.dim = (IntBox(name, "shape") for name in "BSD")
        self.vocab = IntBox("vocab", "vocab")
        self.tokens = QLineEdit()
        self.tokens.setPlaceholderText(TOKENS_HINT)
        self.tokens.setToolTip("ids split by spaces, rows by ';'; empty: drawn from the data seed")
        self.edit_tokens = QPushButton("Edit")
        self.edit_tokens.setToolTip("put the drawn ids in the field, to edit them")
        self.edit_tokens.clicked.connect(self._edit_drawn_tokens)
        self._drawn_tokens = ""
        self.data_seed = IntBox("data seed", "data_seed")
        source_row = _row(self.source, self.open_button)
        shape_row = _row(QLabel("B"), self.batch, QLabel("S"), self.seq_len, QLabel("D"), self.dim)
        self.input_error = _error_label()
        form = _group("Input tensor", layout)
        form.addRow("Source", source_row)
        form.addRow("Shape", shape_row)
        form.addRow("Vocab", self.vocab)
        form.addRow("Token ids", _row(self.tokens, self.edit_tokens))
        form.addRow("Data seed", self.data_seed)
        form.addRow(self.input_error)

        # -------------------------------------------------------------- dropout
        self.mode = QComboBox()
        self.compare = QComboBox()
        self.compare.addItem("none", None)
        for name, mode in MODES.items():
            self.mode.addItem(f"{name}: {mode.keras_layer}", name)
            self.compare.addItem(name, name)
        self.rate_slider = QSlider(Qt.Orientation.Horizontal)
        self.rate_slider.setRange(0, 95)
        self.rate = RateBox()
        self.rate_slider.valueChanged.connect(lambda v: self.rate.setValue(v / 100))
        self.rate.valueChanged.connect(
            lambda v: _quietly(self.rate_slider, self.rate_slider.setValue, round(v * 100))
        )
        self.noise_shape = QLineEdit()
        self.noise_shape.setPlaceholderText("None = full shape; e.g. None,1,None")
        self.engine = QComboBox()
        self.engine.addItems(ENGINES)
        self.training = QCheckBox(TRAINING_TEXT[True])
        self.training.setToolTip("untick for inference: the layer passes its input through")
        self.training.toggled.connect(lambda on: self.training.setText(TRAINING_TEXT[on]))
        self.dropout_error = _error_label()
        form = _group("Dropout", layout)
        form.addRow("Mode", self.mode)
        form.addRow("Compare with", self.compare)
        form.addRow("Rate", _row(self.rate_slider, self.rate))
        form.addRow("noise_shape", self.noise_shape)
        form.addRow("Engine", self.engine)
        form.addRow(self.training)
        form.addRow(self.dropout_error)

        # -------------------------------------------------------------- randomness
        self.seed = IntBox("seed", "seed")
        self.draw = IntBox("draw", "draw")
        previous_seed = QPushButton("◀")
        next_seed = QPushButton("▶")
        next_draw = QPushButton("next call")
        previous_seed.setToolTip("previous seed (Left)")
        next_seed.setToolTip("next seed (Right)")
        next_draw.setToolTip("next call of the same layer (Up)")
        previous_seed.clicked.connect(lambda: self.step_seed(-1))
        next_seed.clicked.connect(lambda: self.step_seed(1))
        next_draw.clicked.connect(self.next_draw)
        self.play = QPushButton("Play seeds")
        self.play.setCheckable(True)
        self.play.setToolTip("step through seeds on a timer (Space)")
        self.play.toggled.connect(self._on_play)
        self.speed = IntBox("speed", "speed", 1, 60)
        self.speed.setSuffix(" steps/s")
        self.random_error = _error_label()
        form = _group("Randomness", layout)
        form.addRow("Seed", _row(self.seed, previous_seed, next_seed))
        form.addRow("Draw (call)", _row(self.draw, next_draw))
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
        self.rate.valueChanged.connect(self._changed)
        self.training.toggled.connect(self._changed)
        for edit in (self.tokens, self.noise_shape):
            edit.editingFinished.connect(self._changed)
        self.set_spec(Spec())

    # ------------------------------------------------------------------ reading
    def spec(self) -> Spec:
        """The spec the controls describe; DropguiError names what is wrong."""
        source = self.source.currentData()
        shape = self._shape()
        if source == "file":
            if self._npy_path is None:
                raise DropguiError("choose a .npy file with Open .npy…", field="source")
            source = self._npy_path
            shape = self._npy_shape or FILE_SHAPE_UNKNOWN
        text = self.tokens.text().strip()
        tokens = parse_tokens(text) if text and source == "embedding" else None
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
        spec.validate()
        return spec

    def compare_spec(self, spec: Spec) -> Spec | None:
        """The same spec in the compared mode, or None (also None if it cannot apply)."""
        mode = self.compare.currentData()
        if mode is None or mode == spec.mode:
            return None
        noise = spec.noise_shape if MODES[mode].takes_noise_shape else None
        other = spec.replace(mode=mode, noise_shape=noise)
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

    def show_error(self, message: str, field: str = "") -> None:
        """Show `message` next to the group of the Spec `field` it is about (the input
        group when no field is named); an empty message clears all."""
        for label in (self.input_error, self.dropout_error, self.random_error):
            label.setText("")
            label.setVisible(False)
        if message:
            self.show_refusal(message, field)

    def show_refusal(self, message: str, field: str) -> None:
        """Show `message` next to the group of `field`, leaving the other groups' messages:
        text a number box refused leaves the spec, and what is wrong with it, as it was."""
        label = self._error_labels.get(field, self.input_error)
        label.setText(message)
        label.setVisible(True)

    def show_file_shape(self, spec: Spec) -> None:
        """The worker read the shape of the .npy file `spec` computed on: show it in the
        greyed shape boxes and send it with the next requests."""
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
        from_file = source == "file"
        for spin in (self.batch, self.seq_len, self.dim):
            spin.setEnabled(not from_file)
        if from_file and self._npy_shape is not None:
            self._show_shape(self._npy_shape)
        embedding = source == "embedding"
        for widget in (self.vocab, self.tokens, self.edit_tokens, self.data_seed):
            widget.setEnabled(embedding)
        if not embedding:  # ids drawn for an earlier Embedding run describe nothing now
            self._drawn_tokens = ""
            self.tokens.setPlaceholderText(TOKENS_NOT_USED)
        elif not self._drawn_tokens:
            self.tokens.setPlaceholderText(TOKENS_HINT)
        self.open_button.setEnabled(from_file or self._npy_path is None)
        self.noise_shape.setEnabled(MODES[self.mode.currentData()].takes_noise_shape)
        self.sigChanged.emit()

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
        self.tokens.setPlaceholderText("drawn: " + self._drawn_tokens)

    def _edit_drawn_tokens(self) -> None:
        if not self.tokens.text().strip() and self._drawn_tokens:
            self.tokens.setText(self._drawn_tokens)
        self.tokens.setFocus()

    def choose_npy(self) -> None:
        """Ask for a .npy file and use it as input."""
        path, _ = QFileDialog.getOpenFileName(self, "Open a (B, S, D) array", "", "NumPy (*.npy)")
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
            self.set_spec(*PRESETS[self.preset.itemText(index)])
            self.preset.setCurrentIndex(0)

    def _on_play(self, playing: bool) -> None:
        self.play.setText("Pause" if playing else "Play seeds")
        self.sigPlayToggled.emit(playing)


def _row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return row


def _group(title: str, parent_layout: QVBoxLayout) -> QFormLayout:
    box = QGroupBox(title)
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    parent_layout.addWidget(box)
    return form


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def _quietly(widget: QWidget, setter, value) -> None:
    widget.blockSignals(True)
    setter(value)
    widget.blockSignals(False)
