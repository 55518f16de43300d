"""A saved model's input: its spec on a layer, its checked token ids, the model loaded.

A model spec (source "model") is checked against the file's configuration
(`model.describe`, no TensorFlow) first. The checked file is then loaded with Keras
(`load_model`: Keras 3 with `safe_mode=True`, legacy files through tf-keras, never
compiled), and text becomes token ids by the model's own TextVectorization layer, so
TensorFlow is imported here, quietly (`tf_loader.load_tensorflow`). Loading and
vectorizing draw nothing from TensorFlow's global random stream (tests/test_model.py
checks it), so they need not hold `engine.tf_lock`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import DropguiError
from .i18n import tr
from .model import DropoutLayer, EmbeddingLayer, ModelInfo, describe
from .modes import MODES
from .spec import MAX_CELLS, Spec, check_shape, format_shape, mode_name
from .tf_loader import load_tensorflow, tf_keras_module


def spec_for_layer(spec: Spec, name: str | None = None, keep_seed: bool = False) -> Spec:
    """`spec` on the dropout layer `name` (default the first) of `spec.model`: the
    model's engine, the layer's mode, rate and noise_shape, the Embedding's vocabulary,
    and, unless `keep_seed`, the seed a Keras 3 layer was saved with (its first call is
    then draw 1, as in the model). No TensorFlow: the file's configuration says it all."""
    info = describe(str(spec.model))
    layer = info.layer(name)
    changes: dict[str, Any] = {
        "source": "model",
        "engine": info.engine,
        "layer": layer.name,
        "mode": layer.mode,
        "rate": layer.rate,
        "noise_shape": layer.noise_shape,
        "vocab": info.embedding(layer.embedding).input_dim,
    }
    if not keep_seed and info.engine == "keras3" and layer.seed is not None:
        changes["seed"] = layer.seed
    return spec.replace(**changes)


@dataclass(frozen=True, eq=False)
class ModelInput:
    """A model spec's input, checked: the Embedding, the chosen layer, the token ids."""

    info: ModelInfo
    embedding: EmbeddingLayer
    layer: DropoutLayer | None
    token_ids: np.ndarray
    """int32 (B, S), inside the Embedding's vocabulary."""

    @property
    def shape(self) -> tuple[int, int, int]:
        return (*self.token_ids.shape, self.embedding.output_dim)  # type: ignore[return-value]

    def for_spec(self, spec: Spec) -> ModelInput:
        """The same ids for another spec on this model (another layer, or a mode)."""
        layer = _checked_layer(spec, self.info)
        if layer is not None and layer.embedding != self.embedding.name:
            return model_input(spec)
        _check_vocab(spec, self.embedding)
        return ModelInput(self.info, self.embedding, layer, self.token_ids)


def model_input(spec: Spec) -> ModelInput:
    """Check a model spec against its file and resolve its token ids (text through the
    model's own TextVectorization, which imports TensorFlow)."""
    info = describe(str(spec.model))
    if spec.engine != info.engine:
        raise DropguiError(
            tr(
                "{model} is a {engine} model; use engine {engine}",
                model=spec.model,
                engine=info.engine,
            ),
            field="engine",
        )
    layer = _checked_layer(spec, info)
    embedding = info.embedding(layer.embedding if layer else None)
    if embedding.dtype != "float32":
        raise DropguiError(
            tr(
                "Embedding '{name}' computes in {dtype}; dropgui shows float32",
                name=embedding.name,
                dtype=embedding.dtype,
            ),
            field="model",
        )
    if min(embedding.input_dim, embedding.output_dim) < 1:
        raise DropguiError(
            tr(
                "Embedding '{name}' of {input_dim} x {output_dim} has no cells",
                name=embedding.name,
                input_dim=embedding.input_dim,
                output_dim=embedding.output_dim,
            ),
            field="model",
        )
    if embedding.input_dim * embedding.output_dim > MAX_CELLS:
        raise DropguiError(
            tr(
                "Embedding '{name}' of {input_dim} x {output_dim} is larger than the cap of "
                "{cap:,} cells",
                name=embedding.name,
                input_dim=embedding.input_dim,
                output_dim=embedding.output_dim,
                cap=MAX_CELLS,
            ),
            field="model",
        )
    _check_vocab(spec, embedding)
    ids = _token_ids(spec, info, embedding)
    check_shape((*ids.shape, embedding.output_dim))
    return ModelInput(info, embedding, layer, ids)


def _check_vocab(spec: Spec, embedding: EmbeddingLayer) -> None:
    """A mode that drops rows of the matrix draws one decision per id of the model's."""
    if MODES[spec.mode].acts_on_matrix and spec.vocab != embedding.input_dim:
        raise DropguiError(
            tr(
                "vocab must be the Embedding's input_dim {input_dim} for {mode} mode",
                input_dim=embedding.input_dim,
                mode=mode_name(spec.mode),
            ),
            field="vocab",
        )


def _checked_layer(spec: Spec, info: ModelInfo) -> DropoutLayer | None:
    """The spec's layer, once it is known to be shown as the spec says."""
    if spec.layer is None:
        return None
    layer = info.layer(spec.layer)
    if layer.problem:
        raise DropguiError(
            tr("layer {name!r}: {problem}", name=layer.name, problem=layer.problem), field="layer"
        )
    asked = (spec.mode, spec.rate, spec.noise_shape)
    if asked != (layer.mode, layer.rate, layer.noise_shape):
        raise DropguiError(
            tr(
                "layer {name!r} is {layer}; the spec asks for {asked} (`spec_for_layer` "
                "takes the layer's own configuration)",
                name=layer.name,
                layer=layer.describe(),
                asked=MODES[spec.mode].caption(spec.rate, spec.noise_shape),
            ),
            field="layer",
        )
    return layer


def _token_ids(spec: Spec, info: ModelInfo, embedding: EmbeddingLayer) -> np.ndarray:
    if spec.text is not None:
        if embedding.vectorizer is None:
            raise DropguiError(
                tr(
                    "{model} has no TextVectorization layer before its Embedding '{name}'; "
                    "give token ids instead of text",
                    model=spec.model,
                    name=embedding.name,
                ),
                field="text",
            )
        ids, field = vectorize(info, embedding.vectorizer, spec.text), "text"
        if ids.shape[1] == 0:
            raise DropguiError(tr("the text gives no tokens"), field="text")
    elif spec.tokens is not None:
        ids, field = np.asarray(spec.tokens, dtype=np.int64), "tokens"
    else:
        rng = np.random.default_rng(spec.data_seed)
        return rng.integers(0, embedding.input_dim, size=spec.shape[:2], dtype=np.int32)
    outside = ids[(ids < 0) | (ids >= embedding.input_dim)]
    if outside.size:
        raise DropguiError(
            tr(
                "token id {token} is outside the vocabulary [0, {input_dim}) of Embedding '{name}'",
                token=int(outside[0]),
                input_dim=embedding.input_dim,
                name=embedding.name,
            ),
            field=field,
        )
    return ids.astype(np.int32)


def load_model(info: ModelInfo):
    """The Keras model of a described (so checked) file, loaded once while it is unchanged.

    The file is described again first (free while it is unchanged): a file replaced
    since it was checked is refused, never loaded unchecked.
    """
    if describe(info.path).key != info.key:
        raise DropguiError(
            tr("{path} changed while dropgui read it; open it again", path=info.path),
            field="model",
        )
    return _load(info.path, info.engine, info.key)


@functools.lru_cache(maxsize=2)
def _load(path: str, engine: str, key: tuple):
    load_tensorflow()
    saving = load_tensorflow().keras.saving if engine == "keras3" else tf_keras_module().models
    try:
        # safe_mode refuses bytecode in .keras files; an .h5 file was checked by
        # `check_safe` before this line, as it has no safe mode.
        return saving.load_model(path, compile=False, safe_mode=True)
    except Exception as error:  # Keras raises many kinds; each becomes one line
        detail = " ".join(str(error).split())[:300] or type(error).__name__
        raise DropguiError(
            tr("cannot load {path}: {detail}", path=path, detail=detail), field="model"
        ) from None


def loaded_layer(info: ModelInfo, name: str):
    """A layer of the loaded model, with its trained weights."""
    return load_model(info).get_layer(name)


@functools.lru_cache(maxsize=16)
def _vectorized(info: ModelInfo, vectorizer: str, text: tuple[str, ...]) -> np.ndarray:
    layer = loaded_layer(info, vectorizer)
    ids = layer(load_tensorflow().tf.constant(list(text)))
    if hasattr(ids, "to_tensor"):  # a ragged TextVectorization
        ids = ids.to_tensor()
    ids = np.asarray(ids)
    if ids.ndim != 2 or ids.dtype.kind not in "iu":
        raise DropguiError(
            tr(
                "TextVectorization '{name}' gives {dtype} of shape {shape}, not (B, S) token "
                "ids (output_mode='int')",
                name=vectorizer,
                dtype=ids.dtype,
                shape=format_shape(ids.shape),
            ),
            field="text",
        )
    ids.flags.writeable = False
    return ids


def vectorize(info: ModelInfo, vectorizer: str, text: tuple[str, ...]) -> np.ndarray:
    """Token ids (B, S) of `text` by the model's own TextVectorization layer."""
    return _vectorized(info, vectorizer, tuple(text))


def words(model: ModelInput) -> tuple[tuple[str, ...], ...] | None:
    """The vocabulary entry of every position, for row labels; None without a
    TextVectorization. Padding (id 0, "") reads "[PAD]", as Keras writes "[UNK]"."""
    if model.embedding.vectorizer is None:
        return None
    vocabulary = _vocabulary(model.info, model.embedding.vectorizer)
    return tuple(
        tuple((vocabulary[i] or "[PAD]") if i < len(vocabulary) else str(i) for i in row.tolist())
        for row in model.token_ids
    )


@functools.lru_cache(maxsize=4)
def _vocabulary(info: ModelInfo, vectorizer: str) -> tuple[str, ...]:
    vocabulary = loaded_layer(info, vectorizer).get_vocabulary()
    return tuple(w.decode() if isinstance(w, bytes) else str(w) for w in vocabulary)
