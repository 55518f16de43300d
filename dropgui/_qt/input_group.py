"""The input group: where the (B, S, D) tensor comes from (arange, an Embedding layer,
a .npy file or a saved model), its shape, and the ids and data seed of an Embedding.

A .npy file is not read here: the worker reads it, its shape included, off the GUI
thread, and the reply's shape is shown in the greyed boxes (`show_file_shape`).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QPushButton, QWidget

from ..errors import DropguiError
from ..model import describe
from ..spec import Spec, format_tokens, parse_tokens
from .control_group import BOX_NAMES, ControlGroup, Marked, row, translate
from .model_input import ModelInput
from .number_box import IntBox
from .token_ids import TokenIdsRow

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
SHAPE_BOX_PX = 64
FILE_SHAPE_UNKNOWN = (1, 1, 1)
"""The shape a .npy spec carries until the worker has read the file's header (the file's
own shape replaces it there, off the GUI thread, and comes back with the reply)."""


class InputGroup(ControlGroup):
    """The "Input tensor" group; `sigLayerChosen` says that the saved model's layer to
    show changed (another layer chosen, or a model opened), for the panel to put that
    layer's own configuration in the other groups."""

    sigLayerChosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QT_TRANSLATE_NOOP("ControlPanel", "Input tensor"), parent)
        self._npy_path: str | None = None
        self._npy_shape: tuple[int, int, int] | None = None
        self.source = QComboBox()
        for key in SOURCE_LABELS:
            self.source.addItem("", key)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self._choose_file)
        # The Spec's checks decide which numbers are valid; the boxes name what is not
        # a number at all (number_box.py).
        self.batch, self.seq_len, self.dim = (IntBox(name, "shape") for name in "BSD")
        for box in self.shape_boxes:
            # a box sized for the largest allowed value would make the panel wider than
            # the grids can spare at 1280x720; the field scrolls for a long number
            box.setMinimumWidth(SHAPE_BOX_PX)
        self.vocab = IntBox(BOX_NAMES["vocab"], "vocab")
        self.token_ids = TokenIdsRow(self._say)
        self.tokens, self.edit_tokens = self.token_ids.tokens, self.token_ids.edit_tokens
        self.data_seed = IntBox(BOX_NAMES["data_seed"], "data_seed")
        # a saved model: its file, the dropout layer to show, and text for its vectorizer
        self.model = ModelInput(self._say)
        self.model_label, self.layer, self.text = self.model.rows

        form = self.form
        form.addRow(
            self._label(QT_TRANSLATE_NOOP("ControlPanel", "Source")),
            row(self.source, self.open_button),
        )
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Model")), self.model_label)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Layer")), self.layer)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Text")), self.text)
        form.addRow(
            self._label(QT_TRANSLATE_NOOP("ControlPanel", "Shape")),
            row(QLabel("B"), self.batch, QLabel("S"), self.seq_len, QLabel("D"), self.dim),
        )
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Vocab")), self.vocab)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Token ids")), self.token_ids)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ControlPanel", "Data seed")), self.data_seed)
        form.addRow(self.error)

        for box in (*self.shape_boxes, self.vocab, self.data_seed):
            box.sigRefused.connect(self.show_refusal)
            box.valueChanged.connect(self._changed)
        self.source.currentIndexChanged.connect(self._changed)
        self.layer.currentIndexChanged.connect(self._on_layer)
        for edit in (self.tokens, self.text):
            edit.editingFinished.connect(self._changed)
        self.retranslate()

    @property
    def shape_boxes(self) -> tuple[IntBox, IntBox, IntBox]:
        return (self.batch, self.seq_len, self.dim)

    def _with_ids(self) -> bool:
        """True when the source takes token ids: an Embedding layer or a saved model."""
        return self.source.currentData() in ("embedding", "model")

    def from_model(self) -> bool:
        return self.source.currentData() == "model"

    def by_layer(self) -> bool:
        """True when a saved model's dropout layer, not the panel, decides the dropout."""
        return self.from_model() and self.layer.currentData() is not None

    # ------------------------------------------------------------------ language
    def _retranslate(self) -> None:
        for index, key in enumerate(SOURCE_LABELS):
            self.source.setItemText(index, translate("ControlPanel", SOURCE_LABELS[key]))
        self.vocab.name = translate("ControlPanel", BOX_NAMES["vocab"])
        self.data_seed.name = translate("ControlPanel", BOX_NAMES["data_seed"])
        self._say_open_button()
        self.token_ids.say_hint(self._with_ids())
        self.model.say_model()

    def _say_open_button(self) -> None:
        source = self.source.currentData()
        self.open_button.setText(
            translate("ControlPanel", OPEN_TEXT.get(source, OPEN_TEXT["file"]))
        )

    # ------------------------------------------------------------------ reading
    def spec_fields(self) -> dict:
        """The Spec's input fields (source, shape, vocab, tokens, data_seed); a missing
        .npy file or unreadable ids raise DropguiError. A saved model's own fields are
        added by `model.on_model` once the spec is built."""
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
        return dict(
            shape=shape,
            source=source,
            data_seed=self.data_seed.value(),
            vocab=self.vocab.value(),
            tokens=tokens,
        )

    def _shape(self) -> tuple[int, int, int]:
        return (self.batch.value(), self.seq_len.value(), self.dim.value())

    # ------------------------------------------------------------------ writing
    def set_spec(self, spec: Spec) -> None:
        """Show `spec`'s input in the widgets (the panel holds back its changes)."""
        if spec.is_file:
            self._npy_path, self._npy_shape = spec.source, spec.shape
            self.source.setCurrentIndex(self.source.findData("file"))
        elif spec.source == "model":
            self.model.path, self.model.shape = str(spec.model), spec.shape
            try:
                self.model.show(describe(self.model.path), spec.layer)
            except DropguiError:  # gone since it was saved: spec() names the problem
                self.model.info = None
            self.source.setCurrentIndex(self.source.findData("model"))
            self.text.setText("; ".join(spec.text or ()))
        else:
            self.source.setCurrentIndex(self.source.findData(spec.source))
        for spin, value in zip(self.shape_boxes, spec.shape, strict=True):
            spin.setValue(value)
        self.vocab.setValue(spec.vocab)
        self.tokens.setText(format_tokens(spec.tokens) if spec.tokens else "")
        self.data_seed.setValue(spec.data_seed)

    def show_file_shape(self, spec: Spec) -> None:
        """The worker read the shape of the .npy file `spec` computed on, or of a model's
        ids and Embedding: show it in the greyed shape boxes (a .npy's is also sent with
        the next requests)."""
        if spec.source == "model":
            if spec.model == self.model.path:
                self.model.shape = spec.shape
                if self.from_model():
                    self._show_model_shape()
            return
        if not spec.is_file or spec.source != self._npy_path:
            return
        self._npy_shape = spec.shape
        if self.source.currentData() == "file":
            self._show_shape(spec.shape)

    def show_drawn_tokens(self, token_ids) -> None:
        """Show the ids the data seed drew (greyed) in the empty token field, while the
        source is still the Embedding layer."""
        if self.source.currentData() != "embedding":
            return
        self.token_ids.show_drawn(token_ids, self._with_ids())

    # ------------------------------------------------------------------ reacting
    def show_source(self) -> None:
        """The rows, enabled boxes, shape and hints the source now chosen asks for."""
        source = self.source.currentData()
        from_file, from_model = source == "file", source == "model"
        for widget in self.model.rows:
            self.form.setRowVisible(widget, from_model)
        for spin in self.shape_boxes:
            spin.setEnabled(not from_file)
        if from_file and self._npy_shape is not None:
            self._show_shape(self._npy_shape)
        with_ids = self._with_ids()
        for widget in (self.tokens, self.edit_tokens, self.data_seed):
            widget.setEnabled(with_ids)
        self.vocab.setEnabled(source == "embedding")
        if not with_ids:  # ids drawn for an earlier Embedding run describe nothing now
            self.token_ids.drawn = ""
        self.token_ids.say_hint(with_ids)
        if from_model:
            self._show_model_shape()
        self._say_open_button()
        self.open_button.setEnabled(
            from_file or from_model or self._npy_path is None or self.model.info is None
        )

    def _show_model_shape(self) -> None:
        """A model's D is its Embedding's; B and S are the ids' own when ids or text are
        given (the worker's reply shows them), else the boxes' (ids drawn for them)."""
        given = bool(self.tokens.text().strip() or self.text.text().strip())
        self.dim.setEnabled(False)
        self.batch.setEnabled(not given)
        self.seq_len.setEnabled(not given)
        dim = self.model.embedding_dim()
        if dim is None:
            return
        shape = self.model.shape if given and self.model.shape else self._shape()
        self._show_shape((*shape[:2], dim))

    def _show_shape(self, shape: tuple[int, int, int]) -> None:
        """Put a file's shape in the greyed shape boxes without asking for anything."""
        self._updating = True
        try:
            for spin, value in zip(self.shape_boxes, shape, strict=True):
                spin.setValue(value)
        finally:
            self._updating = False

    def _on_layer(self) -> None:
        if not self._updating:
            self.sigLayerChosen.emit()

    # ------------------------------------------------------------------ files
    def _choose_file(self) -> None:
        """The Open button opens what the source needs: a model file or a .npy file."""
        if self.from_model():
            self.choose_model()
        else:
            self.choose_npy()

    def choose_model(self) -> None:
        """Ask for a saved Keras model and use it as input."""
        path = ModelInput.ask_path(self)
        if path:
            self.open_model(path)

    def open_model(self, path: str) -> bool:
        """Use the model file at `path` as input, on its first dropout layer (or, with
        none, the mode below on its Embedding's output). Its configuration is read and
        checked here, without TensorFlow and without running any code of the file; a
        refused file is named under the group, and the last good view stays.
        True if the model was opened."""
        try:
            info = describe(path)
        except DropguiError as error:
            self.show_refusal(error.args[0] if error.args else str(error))
            return False
        self._updating = True
        try:
            self.tokens.setText("")
            self.model.open(info)
            self.source.setCurrentIndex(self.source.findData("model"))
        finally:
            self._updating = False
        self.sigLayerChosen.emit()  # the panel shows the layer's configuration, then asks
        return True

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
