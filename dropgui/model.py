"""A saved Keras model's structure, from its configuration: its Embedding, the dropout after it.

`describe(path)` reads the model file's configuration (`model_file.read_config`: checked
safe, no TensorFlow, no code run) and finds every `Embedding` and every dropout that acts
on its output through layers that keep the (batch, seq, dim) meaning: Dropout (any
noise_shape), SpatialDropout1D, GaussianDropout, AlphaDropout, and the input dropout of
an LSTM, GRU or SimpleRNN fed by it. Each is a `DropoutLayer` with its real
configuration and the dropgui mode whose random draw is its own (`modes.py`): the
engine computes it as any other mode, on the model's own embedding output. Loading the
checked file with Keras and vectorizing text are in `model_input.py`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .errors import DropguiError
from .i18n import N_, tr
from .keras_layers import DROPOUT_MODES, PASS_THROUGH, RECURRENT
from .model_file import damaged, file_key, read_config
from .modes import NoiseShape


@dataclass(frozen=True)
class EmbeddingLayer:
    """An Embedding of the model, with the TextVectorization feeding it, if any."""

    name: str
    input_dim: int
    output_dim: int
    dtype: str
    vectorizer: str | None = None
    """Name of the TextVectorization layer whose int ids it looks up."""


@dataclass(frozen=True)
class DropoutLayer:
    """A dropout acting on an Embedding's output: its real configuration, and the dropgui
    mode that draws the same random sample and applies it the same way."""

    name: str
    class_name: str
    rate: float
    noise_shape: NoiseShape | None
    seed: int | None
    embedding: str
    mode: str
    recurrent: bool = False
    """The input dropout of an LSTM/GRU/SimpleRNN: the cell multiplies its input by a
    dropout of ones (keras `DropoutRNNCell`), the same mask at every timestep (mode
    "spatial")."""
    fused: bool = False
    """tf-keras' fused LSTM/GRU: a new input mask at every timestep (mode "dropout")."""
    problem: str = ""
    """Why dropgui cannot show this layer exactly ("" when it can): a `Message`, said
    again in the language of whoever shows it."""

    def describe(self) -> str:
        """One line for a list: "drop: Dropout(rate=0.3, noise_shape=(None, 1, None))"
        (a `Message` when it has words: a recurrent layer's, or the reason it is not shown)."""
        text: str
        if self.recurrent:
            seed = "" if self.seed is None else f", seed={self.seed}"
            call = f"{self.class_name}(dropout={self.rate:g}{seed})"
            if self.fused:
                text = tr(
                    "{name}: {call}, input dropout, a new mask at every timestep (tf-keras' "
                    "fused kernel)",
                    name=self.name,
                    call=call,
                )
            else:
                text = tr(
                    "{name}: {call}, input dropout, one mask per sample, reused at every timestep",
                    name=self.name,
                    call=call,
                )
        else:
            options = [f"rate={self.rate:g}"]
            if self.noise_shape is not None:
                options.append(f"noise_shape={_noise_text(self.noise_shape)}")
            if self.seed is not None:
                options.append(f"seed={self.seed}")
            text = f"{self.name}: {self.class_name}({', '.join(options)})"
        if not self.problem:
            return text
        return tr("{line} [not shown: {problem}]", line=text, problem=self.problem)

    @property
    def caption(self) -> str:
        """The layer in one phrase, for grids and the explanation."""
        if self.recurrent:
            return tr(
                "{layer_class} '{name}' input dropout({rate:g})",
                layer_class=self.class_name,
                name=self.name,
                rate=self.rate,
            )
        layer = f"{self.class_name} '{self.name}'({self.rate:g})"
        if self.noise_shape is not None:
            layer += f" noise_shape={_noise_text(self.noise_shape)}"
        return layer


def _noise_text(noise_shape: NoiseShape) -> str:
    return "(" + ", ".join("None" if n is None else str(n) for n in noise_shape) + ")"


@dataclass(frozen=True)
class ModelInfo:
    """What dropgui knows of a model file from its configuration alone."""

    path: str
    engine: str
    """"keras3" for Keras 3 files, "tf-keras" for files written by Keras 2 / tf-keras."""
    embeddings: tuple[EmbeddingLayer, ...]
    layers: tuple[DropoutLayer, ...]
    """Dropouts after an Embedding, in the model's layer order; the first is the default."""
    key: tuple
    """(real path, size, mtime, inode): a changed file is read again."""

    def layer(self, name: str | None = None) -> DropoutLayer:
        """The dropout layer called `name`, or the first; DropguiError if there is none."""
        if not self.layers:
            after = ", ".join(f"'{e.name}'" for e in self.embeddings)
            raise DropguiError(
                tr(
                    "{path} has no dropout after its Embedding {after} (no Dropout, "
                    "SpatialDropout1D, GaussianDropout, AlphaDropout or recurrent dropout= "
                    "acts on its output)",
                    path=self.path,
                    after=after,
                ),
                field="layer",
            )
        if name is None:
            return self.layers[0]
        for layer in self.layers:
            if layer.name == name:
                return layer
        listed: str = self.layers[0].describe()
        for layer in self.layers[1:]:
            listed = tr("{first}; {second}", first=listed, second=layer.describe())
        raise DropguiError(
            tr(
                "{path} has no dropout layer {name!r} after its Embedding; it has {layers}",
                path=self.path,
                name=name,
                layers=listed,
            ),
            field="layer",
        )

    def embedding(self, name: str | None = None) -> EmbeddingLayer:
        """The Embedding called `name`, or the first."""
        return next(e for e in self.embeddings if name is None or e.name == name)

    def listing(self) -> str:
        """The model in a few lines: its Embeddings and the dropout layers after them.

        The CLI's (`--list-layers`), so English; the window says the model itself."""
        lines = [f"model {self.path} ({self.engine})"]
        for embedding in self.embeddings:
            text = f" after {embedding.vectorizer!r}" if embedding.vectorizer else ""
            lines.append(
                f"  Embedding '{embedding.name}': {embedding.input_dim} ids x "
                f"{embedding.output_dim} channels{text}"
            )
        lines += [f"  {layer.describe()}" for layer in self.layers]
        return "\n".join(lines)


# ----------------------------------------------------------------------- reading


def describe(path: str) -> ModelInfo:
    """The model file at `path`, read and checked without TensorFlow; DropguiError with
    one line naming the problem otherwise. Cached while the file is unchanged."""
    return _describe(path, file_key(path))


@functools.lru_cache(maxsize=8)
def _describe(path: str, key: tuple) -> ModelInfo:
    config, version = read_config(path)
    engine = "keras3" if version.startswith("3") else "tf-keras"
    try:
        return _structure(config, path, engine, key)
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as error:
        raise damaged(path, N_("a Keras model"), error) from None


# ----------------------------------------------------------------------- structure


def _name(entry: dict) -> str:
    return str(entry.get("name") or entry.get("config", {}).get("name"))


def _inbound(model_config: dict) -> tuple[list[dict], dict[str, list[str]]]:
    """The top-level layers in order and, for each, the layers that feed it."""
    entries = [e for e in model_config["config"].get("layers", []) if isinstance(e, dict)]
    inbound: dict[str, list[str]] = {}
    previous: list[str] = []
    for entry in entries:
        name = _name(entry)
        if model_config["class_name"] == "Sequential":
            inbound[name], previous = previous, [name]
        else:
            inbound[name] = list(dict.fromkeys(_history(entry.get("inbound_nodes", []))))
    return entries, inbound


def _history(node: Any) -> Iterator[str]:
    """Layer names a node reads from: Keras 3 `keras_history` entries, or tf-keras'
    [name, node_index, tensor_index, kwargs] lists."""
    if isinstance(node, dict):
        config = node.get("config")
        if isinstance(config, dict) and "keras_history" in config:
            yield str(config["keras_history"][0])
        for value in node.values():
            yield from _history(value)
    elif isinstance(node, list):
        if len(node) >= 3 and isinstance(node[0], str) and isinstance(node[1], int):
            yield node[0]
        else:
            for item in node:
                yield from _history(item)


def _structure(config: dict, path: str, engine: str, key: tuple) -> ModelInfo:
    entries, inbound = _inbound(config)
    by_name = {_name(e): e for e in entries}
    order = {name: index for index, name in enumerate(by_name)}
    outbound: dict[str, list[str]] = {name: [] for name in by_name}
    for name, sources in inbound.items():
        for source in sources:
            outbound.setdefault(source, []).append(name)
    embeddings = tuple(
        _embedding(entry, [by_name[s] for s in inbound[_name(entry)] if s in by_name])
        for entry in entries
        if entry.get("class_name") == "Embedding"
    )
    if not embeddings:
        raise DropguiError(
            tr(
                "{path} has no Embedding layer; dropgui shows dropout on an embedding's output",
                path=path,
            ),
            field="model",
        )
    found: dict[str, DropoutLayer] = {}
    for embedding in embeddings:
        for name in _reached(embedding.name, outbound, by_name):
            found.setdefault(name, _dropout_layer(by_name[name], embedding.name, engine))
    layers = tuple(
        sorted(
            (f for f in found.values() if f.rate > 0 or not f.recurrent),
            key=lambda layer: order[layer.name],
        )
    )
    return ModelInfo(path, engine, embeddings, layers, key)


def _embedding(entry: dict, sources: list[dict]) -> EmbeddingLayer:
    config = entry.get("config", {})
    vectorizer = next((s for s in sources if s.get("class_name") == "TextVectorization"), None)
    return EmbeddingLayer(
        name=_name(entry),
        input_dim=int(config.get("input_dim", 0)),
        output_dim=int(config.get("output_dim", 0)),
        dtype=_dtype(config.get("dtype")),
        vectorizer=_name(vectorizer) if vectorizer else None,
    )


def _dtype(value: Any) -> str:
    """The compute dtype of a layer's "dtype" entry (a name or a dtype policy)."""
    if isinstance(value, dict):
        value = value.get("config", {}).get("name")
    return str(value or "float32")


def _reached(start: str, outbound: dict[str, list[str]], by_name: dict) -> Iterator[str]:
    """Dropout and recurrent layers that `start`'s output reaches through dropout and
    pass-through layers."""
    queue, seen = list(outbound.get(start, [])), set()
    while queue:
        name = queue.pop(0)
        if name in seen or name not in by_name:
            continue
        seen.add(name)
        class_name = by_name[name].get("class_name")
        if class_name in DROPOUT_MODES or class_name in RECURRENT:
            yield name
        if class_name in DROPOUT_MODES or class_name in PASS_THROUGH:
            queue.extend(outbound.get(name, []))


def _dropout_layer(entry: dict, embedding: str, engine: str) -> DropoutLayer:
    config, class_name = entry.get("config", {}), str(entry.get("class_name"))
    if class_name in RECURRENT:
        rate = float(config.get("dropout") or 0.0)
        fused, problem = _recurrent_mask(class_name, config, engine)
        mode = "dropout" if fused else "spatial"
        seed = config.get("seed")  # Keras 3 cells have one; tf-keras cells draw unseeded
        return DropoutLayer(
            _name(entry), class_name, rate, None, seed, embedding, mode, True, fused, problem
        )
    noise = config.get("noise_shape")
    noise_shape = tuple(noise) if isinstance(noise, list) else None
    problem: str = ""
    if noise_shape is not None and len(noise_shape) != 3:
        problem = tr("noise_shape {noise_shape} is not (batch, seq, dim)", noise_shape=noise)
    seed = config.get("seed")
    if engine == "tf-keras" and seed is not None:
        problem = tr(
            "tf-keras draws a layer saved with seed={seed} from op seeds {seed}, {next}, ...; "
            "dropgui reproduces unseeded tf-keras layers (global seed)",
            seed=seed,
            next=seed + 1,
        )
    return DropoutLayer(
        name=_name(entry),
        class_name=class_name,
        rate=float(config.get("rate", 0.0)),
        noise_shape=noise_shape,  # type: ignore[arg-type]
        seed=seed,
        embedding=embedding,
        mode=DROPOUT_MODES[class_name],
        problem=problem,
    )


def _recurrent_mask(class_name: str, config: dict, engine: str) -> tuple[bool, str]:
    """Whether the cell's input mask is drawn anew at every timestep, and why it cannot be
    shown ("" when it can).

    Keras 3 cells (`DropoutRNNCell`) draw one (batch, dim) mask per call and reuse it at
    every timestep. tf-keras' fused LSTM/GRU (tanh, sigmoid, no recurrent_dropout, no
    unroll, bias; GRU reset_after: its `_could_use_gpu_kernel`) draws a mask of the whole
    (batch, seq, dim) input instead. LSTM and GRU with implementation 1 (forced by
    recurrent_dropout) draw one mask per gate.
    """
    if class_name == "SimpleRNN":
        return False, ""
    if engine == "tf-keras":
        fused = (
            config.get("activation") == "tanh"
            and config.get("recurrent_activation") == "sigmoid"
            and not config.get("recurrent_dropout")
            and not config.get("unroll")
            and config.get("use_bias", True)
            and (class_name == "LSTM" or config.get("reset_after", True))
        )
        if fused:
            return True, ""
    if config.get("recurrent_dropout") or config.get("implementation", 2) == 1:
        gates = 4 if class_name == "LSTM" else 3
        return False, tr(
            "it applies {gates} input masks, one per gate (implementation 1, or "
            "recurrent_dropout > 0)",
            gates=gates,
        )
    return False, ""
