"""A saved Keras model, read without TensorFlow: is it safe, its Embedding, the dropout after it.

`describe(path)` reads a `.keras` archive's `config.json` or an `.h5` file's
`model_config` attribute as plain JSON (zipfile and h5py), and refuses, before anything
is deserialized, a file that is missing, damaged or not a model, that holds a Lambda
layer or a class dropgui does not know (its code would run on loading), or that is
larger than `MAX_MODEL_BYTES`. It finds every `Embedding` and every dropout that acts on
its output through layers that keep the (batch, seq, dim) meaning: Dropout (any
noise_shape), SpatialDropout1D, GaussianDropout, AlphaDropout, and the input dropout of
an LSTM, GRU or SimpleRNN fed by it. Each is a `DropoutLayer` with its real
configuration and the dropgui mode whose random draw is its own (`modes.py`): the
engine computes it as any other mode, on the model's own embedding output. Loading the
checked file with Keras and vectorizing text are in `inputs.py`.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .errors import DropguiError, os_reason
from .i18n import N_, tr
from .modes import NoiseShape

MAX_MODEL_BYTES = 256 * 2**20
"""Largest model dropgui opens: 256 MiB of file, of unpacked `.keras` archive, and of
weights declared by its HDF5 datasets (h5py reads their shapes, not their data). The
Embedding matrix must also fit `spec.MAX_CELLS` by its configuration. All are checked
before any weight is loaded: Keras would allocate the variables first."""

MAX_CONFIG_BYTES = 16 * 2**20
"""Largest model configuration (JSON) dropgui parses."""

DROPOUT_MODES = {
    "Dropout": "dropout",
    "SpatialDropout1D": "spatial",
    "GaussianDropout": "gaussian",
    "AlphaDropout": "alpha",
}
"""Dropout layers and the dropgui mode that draws and applies exactly what they do."""

RECURRENT = ("LSTM", "GRU", "SimpleRNN")
_PASS_THROUGH = """Activation ActivityRegularization BatchNormalization GaussianNoise Identity
    LayerNormalization Masking UnitNormalization"""
PASS_THROUGH = frozenset(_PASS_THROUGH.split())
"""Layers after which a (batch, seq, dim) tensor still has the embedding's positions and
channels, so a dropout further on still acts on the embedding output's structure."""

MODEL_CLASSES = ("Sequential", "Functional", "Model")
_OTHER_LAYERS = """InputLayer Embedding TextVectorization StringLookup IntegerLookup Hashing
    CategoryEncoding Dense EinsumDense ReLU LeakyReLU PReLU ELU Softmax
    Bidirectional TimeDistributed RNN LSTMCell GRUCell SimpleRNNCell StackedRNNCells
    Conv1D SeparableConv1D DepthwiseConv1D Conv1DTranspose Convolution1D
    MaxPooling1D AveragePooling1D MaxPool1D AvgPool1D GlobalAveragePooling1D
    GlobalMaxPooling1D GlobalAvgPool1D GlobalMaxPool1D Flatten Reshape Permute
    RepeatVector Cropping1D UpSampling1D ZeroPadding1D Add Subtract Multiply Average
    Maximum Minimum Concatenate Dot Attention AdditiveAttention MultiHeadAttention
    GroupQueryAttention GroupNormalization RMSNormalization"""
KNOWN_LAYERS = frozenset(
    {*DROPOUT_MODES, *RECURRENT, *PASS_THROUGH, *MODEL_CLASSES, *_OTHER_LAYERS.split()}
)
"""Built-in layers whose configuration dropgui accepts: none runs code from the file.
Lambda is refused by name; any other class (custom, or outside this list) by omission."""

CODE_CLASSES = ("Lambda", "TFOpLambda", "__lambda__")
"""Objects whose configuration carries Python code (bytecode or a function by name)."""


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
    return _describe(path, _file_key(path))


@functools.lru_cache(maxsize=8)
def _describe(path: str, key: tuple) -> ModelInfo:
    head = _head(path)
    if head.startswith(b"PK"):
        if not _named(path, (".keras",)):
            raise DropguiError(
                tr(
                    "{path} is a .keras archive; Keras opens it only under a name ending in .keras",
                    path=path,
                ),
                field="model",
            )
        config, version = _read_archive(path)
    elif head.startswith(b"\x89HDF\r\n\x1a\n"):
        if not _named(path, (".h5", ".hdf5")):
            raise DropguiError(
                tr(
                    "{path} is an HDF5 file; Keras opens it only under a name ending in .h5 "
                    "or .hdf5",
                    path=path,
                ),
                field="model",
            )
        config, version = _read_h5(path)
    else:
        raise DropguiError(
            tr(
                "{path} is not a Keras model file (neither a .keras archive nor an .h5 file)",
                path=path,
            ),
            field="model",
        )
    check_safe(config, path)
    engine = "keras3" if version.startswith("3") else "tf-keras"
    try:
        return _structure(config, path, engine, key)
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as error:
        raise _damaged(path, N_("a Keras model"), error) from None


def _file_key(path: str) -> tuple:
    """Stat `path` and refuse anything but a regular file within the size cap."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise DropguiError(_unreadable(path, error), field="model") from None
    if stat.S_ISDIR(info.st_mode):
        raise DropguiError(
            tr("model path is a folder, not a model file: {path}", path=path), field="model"
        )
    if not stat.S_ISREG(info.st_mode):
        raise DropguiError(
            tr(
                "model path {path} is not a regular file (a FIFO, device or socket); dropgui "
                "reads only regular .keras and .h5 files",
                path=path,
            ),
            field="model",
        )
    _check_size(path, info.st_size, _FILE_TOO_LARGE)
    return (os.path.realpath(path), info.st_size, info.st_mtime_ns, info.st_ino)


def _unreadable(path: str, error: OSError) -> str:
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        if os.path.islink(path):
            return tr("model path {path} is a symlink to a missing file", path=path)
        return tr("model file not found: {path}", path=path)
    return tr("cannot read model file {path}: {reason}", path=path, reason=os_reason(error))


_FILE_TOO_LARGE = N_("{path} is {size:,.0f} MiB, more than dropgui's model cap of {cap:,.0f} MiB")
_UNPACKS_TOO_LARGE = N_(
    "{path} unpacks to {size:,.0f} MiB, more than dropgui's model cap of {cap:,.0f} MiB"
)
_WEIGHTS_TOO_LARGE = N_(
    "{path} declares weights of {size:,.0f} MiB, more than dropgui's model cap of {cap:,.0f} MiB"
)


def _check_size(path: str, size: int, refusal: str) -> None:
    """Refuse `size` bytes above the cap, with `refusal` (one of the templates above)."""
    if size > MAX_MODEL_BYTES:
        raise DropguiError(
            tr(refusal, path=path, size=size / 2**20, cap=MAX_MODEL_BYTES / 2**20),
            field="model",
        )


def _head(path: str) -> bytes:
    """The first bytes of `path`, opened without blocking (a FIFO swapped in is refused)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise DropguiError(_unreadable(path, error), field="model") from None
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise DropguiError(
                tr("model path {path} is not a regular file", path=path), field="model"
            )
        return file.read(8)


def _named(path: str, suffixes: tuple[str, ...]) -> bool:
    # Keras chooses its reader by the suffix, so a file must be named for its content.
    return path.lower().endswith(suffixes)


def _damaged(path: str, kind: str, error: Exception) -> DropguiError:
    """`kind` is a marked noun phrase ("a .keras model"), said in the sentence's language."""
    detail = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
    if isinstance(error, DropguiError) and detail == str(error):
        detail = error.args[0]  # a refusal of ours, whole: said again with the sentence
    return DropguiError(
        tr(
            "cannot read {path} as {kind}: the file is damaged or truncated ({detail})",
            path=path,
            kind=tr(kind),
            detail=detail,
        ),
        field="model",
    )


def _read_archive(path: str) -> tuple[dict, str]:
    """config.json and the Keras version of a .keras archive, its sizes checked."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = {info.filename: info for info in archive.infolist()}
            _check_size(path, sum(i.file_size for i in entries.values()), _UNPACKS_TOO_LARGE)
            if "config.json" not in entries:
                raise DropguiError(
                    tr(
                        "{path} is a zip archive but not a Keras model (no config.json)",
                        path=path,
                    ),
                    field="model",
                )
            if entries["config.json"].file_size > MAX_CONFIG_BYTES:
                raise DropguiError(
                    tr("{path} has an oversized config.json", path=path), field="model"
                )
            config = _json(path, archive.read("config.json"))
            metadata = {}
            if "metadata.json" in entries:
                metadata = _json(path, archive.read("metadata.json"))
            for name in entries:
                if name.endswith(".h5"):
                    with archive.open(name) as weights:
                        _check_size(path, _declared_bytes(weights), _WEIGHTS_TOO_LARGE)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError) as error:
        raise _damaged(path, N_("a .keras model"), error) from None
    version = metadata.get("keras_version", "3") if isinstance(metadata, dict) else "3"
    return config, str(version)


def _read_h5(path: str) -> tuple[dict, str]:
    """The JSON `model_config` attribute and Keras version of an .h5 model file."""
    import h5py

    try:
        with h5py.File(path, "r") as h5:
            raw = h5.attrs.get("model_config")
            version = h5.attrs.get("keras_version", "2")
            if raw is None:
                raise DropguiError(
                    tr(
                        "{path} is an HDF5 file without a Keras model in it (weights only, or "
                        "other data); save the whole model",
                        path=path,
                    ),
                    field="model",
                )
            _check_size(path, _declared_bytes(h5), _WEIGHTS_TOO_LARGE)
    except OSError as error:
        raise _damaged(path, N_("an .h5 model"), error) from None
    text = raw.decode() if isinstance(raw, bytes) else str(raw)
    if len(text) > MAX_CONFIG_BYTES:
        raise DropguiError(tr("{path} has an oversized model_config", path=path), field="model")
    version = version.decode() if isinstance(version, bytes) else str(version)
    return _json(path, text), version


def _declared_bytes(file: Any) -> int:
    """Bytes of every dataset an HDF5 file declares, from shapes alone: a sparse file can
    declare far more than it holds."""
    import h5py

    sizes: list[int] = []

    def add(_name: str, item: Any) -> None:
        if isinstance(item, h5py.Dataset):
            sizes.append(item.size * item.dtype.itemsize)

    if isinstance(file, h5py.Group):
        file.visititems(add)
    else:
        with h5py.File(file, "r") as h5:
            h5.visititems(add)
    return sum(sizes)


def _json(path: str, text: bytes | str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise DropguiError(
            tr(
                "{path} has a model configuration that is not valid JSON ({error})",
                path=path,
                error=error,
            ),
            field="model",
        ) from None


# ----------------------------------------------------------------------- safety


def check_safe(config: Any, path: str) -> None:
    """Refuse a configuration that would run code when deserialized: a Lambda, a custom
    or unknown layer class, a model subclass, an object from a module outside Keras."""
    if not isinstance(config, dict) or config.get("class_name") not in MODEL_CLASSES:
        name = config.get("class_name") if isinstance(config, dict) else None
        if not name:
            raise DropguiError(
                tr("{path} holds no Sequential or functional Keras model", path=path),
                field="model",
            )
        raise DropguiError(
            tr(
                "{path} holds no Sequential or functional Keras model (a {name!r}, whose code "
                "dropgui does not run)",
                path=path,
                name=name,
            ),
            field="model",
        )
    for obj, is_layer in _objects({k: v for k, v in config.items() if k != "compile_config"}):
        _check_object(obj, is_layer, path)


def _check_object(obj: dict, is_layer: bool, path: str) -> None:
    name = str(obj.get("class_name"))
    module = obj.get("module")
    registered = obj.get("registered_name")
    if name in CODE_CLASSES:
        raise DropguiError(
            tr(
                "{path} holds a {name} layer, whose Python code would run on loading; "
                "dropgui never runs code from a model file",
                path=path,
                name=name,
            ),
            field="model",
        )
    custom = (isinstance(module, str) and module.split(".")[0] not in ("keras", "tf_keras")) or (
        isinstance(registered, str) and ">" in registered
    )
    if custom or (is_layer and name not in KNOWN_LAYERS):
        if isinstance(module, str):
            refusal = tr(
                "{path} holds a custom or unknown class {name!r} from {module}; dropgui loads "
                "only built-in Keras layers, so that no code from the file runs",
                path=path,
                name=name,
                module=module,
            )
        else:
            refusal = tr(
                "{path} holds a custom or unknown class {name!r}; dropgui loads only built-in "
                "Keras layers, so that no code from the file runs",
                path=path,
                name=name,
            )
        raise DropguiError(refusal, field="model")


def _objects(node: Any, is_layer: bool = False) -> Iterator[tuple[dict, bool]]:
    """Every serialized Keras object (a dict with "class_name") in a configuration, and
    whether it stands where a layer does (in "layers", or a wrapper's "layer"/"cell")."""
    if isinstance(node, list):
        for item in node:
            yield from _objects(item, is_layer)
        return
    if not isinstance(node, dict):
        return
    if "class_name" in node and node["class_name"] not in ("__keras_tensor__", "__tensor__"):
        yield node, is_layer
    for key, value in node.items():
        layer_key = key in ("layers", "layer", "cell", "cells", "forward_layer", "backward_layer")
        yield from _objects(value, layer_key)


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
