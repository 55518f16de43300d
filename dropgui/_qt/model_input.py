"""A saved Keras model as input: its file, the dropout layer to show, and text for its
vectorizer, as three rows of the input group.

The file's configuration is read here (`model.describe`: no TensorFlow, no code of the
file run); the worker loads the model itself. What the chosen layer does (its mode, rate
and noise_shape) goes into the spec through `dropgui.model_input.spec_for_layer`.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QLineEdit, QWidget

from ..errors import DropguiError
from ..i18n import translated
from ..model import DropoutLayer, ModelInfo, describe
from ..model_input import spec_for_layer
from ..spec import Spec
from .control_group import Marked, translate

MODEL_FILTER = QT_TRANSLATE_NOOP("ControlPanel", "Keras models (*.keras *.h5 *.hdf5)")
ON_EMBEDDING_OUTPUT = QT_TRANSLATE_NOOP("ControlPanel", "any mode below, on the embedding output")
"""The layer box's last entry: the model's Embedding, with the window's own dropout."""
NO_DROPOUT = QT_TRANSLATE_NOOP(
    "ControlPanel", "no dropout layer acts on its Embedding: the mode below is shown on its output"
)
TEXT_HINT = QT_TRANSLATE_NOOP(
    "ControlPanel", "text for the model's TextVectorization; rows split by ';'"
)


class ModelInput:
    """The saved-model rows of the input group (`model_label`, `layer`, `text`) and the
    model they show: `path` (the file asked for), `info` (its configuration, None until
    read) and `shape` (the (B, S, D) of its ids, as the worker last replied)."""

    def __init__(self, say: Callable[[Callable[[str], object], str], None]) -> None:
        """`say(setter, text)` shows a fixed text now and after each language change."""
        self.path: str | None = None
        self.info: ModelInfo | None = None
        self.shape: tuple[int, int, int] | None = None
        self.model_label = QLabel()
        self.model_label.setWordWrap(True)
        self.layer = QComboBox()
        self.layer.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.layer.setMinimumContentsLength(16)
        say(
            self.layer.setToolTip,
            QT_TRANSLATE_NOOP(
                "ControlPanel", "the model's dropout layer whose own configuration is shown"
            ),
        )
        self.text = QLineEdit()
        say(self.text.setPlaceholderText, TEXT_HINT)
        say(
            self.text.setToolTip,
            QT_TRANSLATE_NOOP(
                "ControlPanel",
                "words go through the model's own TextVectorization; the rows are labelled "
                "with them. Empty: token ids (the field above) or ids drawn from the data seed",
            ),
        )

    @property
    def rows(self) -> tuple[QWidget, ...]:
        """The widgets of the rows shown only for a saved model."""
        return (self.model_label, self.layer, self.text)

    # ------------------------------------------------------------------ choosing
    @staticmethod
    def ask_path(parent: QWidget) -> str:
        """Ask for a saved Keras model's file; "" if none was chosen."""
        path, _ = QFileDialog.getOpenFileName(
            parent,
            translate("ControlPanel", "Open a saved Keras model"),
            "",
            translate("ControlPanel", MODEL_FILTER),
        )
        return path

    def open(self, info: ModelInfo) -> None:
        """Show a newly opened model on its first dropout layer that can be shown (the
        Embedding's output when there is none), without the text of the one before."""
        first = next((layer.name for layer in info.layers if not layer.problem), None)
        self.shape = None
        self.text.setText("")
        self.show(info, first)

    def show(self, info: ModelInfo, layer: str | None) -> None:
        """List the model's dropout layers in the layer box and select `layer`."""
        self.path, self.info = info.path, info
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
        self.say_model()
        self.text.setEnabled(any(e.vectorizer for e in info.embeddings))

    def say_model(self) -> None:
        """The model's file, Embeddings and dropout layers, in the language now set."""
        info = self.info
        if info is None:
            return
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

    # ------------------------------------------------------------------ reading
    def chosen_layer(self) -> DropoutLayer | None:
        """The dropout layer chosen in the layer box (None: the Embedding's own output)."""
        name = self.layer.currentData()
        if self.info is None or name is None:
            return None
        return self.info.layer(name)

    def embedding_dim(self) -> int | None:
        """D: the channels of the Embedding the chosen layer acts on (None, no model)."""
        if self.info is None:
            return None
        name = self.layer.currentData()
        return self.info.embedding(self.info.layer(name).embedding if name else None).output_dim

    def on_model(self, spec: Spec) -> Spec:
        """`spec` on the open model: its Embedding and engine, and the chosen layer's own
        mode, rate and noise_shape (the seed box keeps the seed, which starts on the
        layer's saved seed). The file is read again if it changed on disk."""
        if self.path is None:
            raise DropguiError(
                Marked(QT_TRANSLATE_NOOP("ControlPanel", "choose a model file with Open model…")),
                field="model",
            )
        info = describe(self.path)  # refused if the file went or changed for the worse
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
        return spec


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
