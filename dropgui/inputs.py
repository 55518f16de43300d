"""The input side of a computation, checked and resolved, TensorFlow only for text.

`prepare(spec)` runs every check (so bad input fails fast and before TensorFlow is
imported), loads a .npy file safely, and draws token ids. The embedding lookup itself
is a Keras layer and happens in the engine.

A saved model's input (source "model") is checked against the file's configuration
(`model.describe`, no TensorFlow) first. The checked file is then loaded with Keras
(`load_model`: Keras 3 with `safe_mode=True`, legacy files through tf-keras, never
compiled), and text becomes token ids by the model's own TextVectorization layer, so
TensorFlow is imported here, quietly (`load_tensorflow`, which the engine re-exports).
Loading and vectorizing draw nothing from TensorFlow's global random stream
(tests/test_model.py checks it), so they need not hold `engine.tf_lock`.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import math
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any

import numpy as np

from .errors import DropguiError, os_reason
from .i18n import N_, Message, tr
from .model import DropoutLayer, EmbeddingLayer, ModelInfo, describe
from .modes import MODES
from .spec import MAX_CELLS, Spec, check_noise_shape, check_shape, format_shape, mode_name


@dataclass(frozen=True, eq=False)
class Prepared:
    """A checked spec with its input resolved: what the engine needs to run."""

    spec: Spec
    shape: tuple[int, int, int]
    values: np.ndarray | None
    """float32 (B, S, D) for arange and .npy input; None for embedding input."""
    token_ids: np.ndarray | None
    """int32 (B, S) for embedding and model input; None otherwise."""
    model: ModelInput | None = None
    """A saved model's Embedding, chosen layer and ids, for source "model"."""

    @property
    def noise_shape(self) -> tuple[int, ...]:
        """Shape of the layer's random sample for this input (the mode decides)."""
        return MODES[self.spec.mode].sample_shape(
            self.spec.noise_shape, self.shape, self.spec.vocab
        )

    def for_spec(self, spec: Spec) -> Prepared:
        """The same input for another spec that reads it alike (a compared mode, another
        seed or draw), checked without reading the file again."""
        if _input_fields(spec) != _input_fields(self.spec):
            return prepare(spec)
        spec.validate()
        if spec.noise_shape is not None:
            check_noise_shape(spec.noise_shape, self.shape)
        resolved = None if self.model is None else self.model.for_spec(spec)
        return Prepared(spec, self.shape, self.values, self.token_ids, resolved)


def _input_fields(spec: Spec) -> tuple:
    """What decides the input tensor (the vocabulary and the engine too, as a model's
    checks depend on them)."""
    return (
        spec.source,
        spec.shape,
        spec.tokens,
        spec.data_seed,
        spec.vocab,
        spec.model,
        spec.text,
        spec.engine if spec.source == "model" else None,
    )


def prepare(spec: Spec) -> Prepared:
    """Check `spec` and resolve its input; raise DropguiError on any problem."""
    spec.validate()
    token_ids = resolved = None
    if spec.source == "model":
        resolved = model_input(spec)
        shape, values, token_ids = resolved.shape, None, resolved.token_ids
    elif spec.source == "arange":
        shape = spec.shape
        values = arange_tensor(shape)
    elif spec.source == "embedding":
        shape = spec.shape
        values = None
        token_ids = draw_token_ids(spec)
    else:
        values = load_npy(Path(spec.source))
        shape = values.shape
    if spec.noise_shape is not None:
        check_noise_shape(spec.noise_shape, shape)
    return Prepared(spec, shape, values, token_ids, resolved)


@functools.lru_cache(maxsize=4)
def arange_tensor(shape: tuple[int, int, int]) -> np.ndarray:
    """1..B*S*D as float32 (B, S, D), read-only: stepping seeds reuses it."""
    values = np.arange(1, math.prod(shape) + 1, dtype=np.float32).reshape(shape)
    values.flags.writeable = False
    return values


def draw_token_ids(spec: Spec) -> np.ndarray:
    """The explicit ids, or ids drawn uniformly from [0, vocab) with `data_seed`."""
    if spec.tokens is not None:
        return np.asarray(spec.tokens, dtype=np.int32)
    rng = np.random.default_rng(spec.data_seed)
    return rng.integers(0, spec.vocab, size=spec.shape[:2], dtype=np.int32)


def input_shape(spec: Spec) -> tuple[int, int, int]:
    """The (B, S, D) shape `spec` computes on, once the spec and its noise_shape are
    checked; a .npy source's header is read, not its data, and a model's configuration
    (text is vectorized): plans and memory estimates know the size before any work."""
    spec.validate()
    if spec.source == "model":
        shape = model_input(spec).shape
    else:
        shape = npy_shape(Path(spec.source)) if spec.is_file else spec.shape
    if spec.noise_shape is not None:
        check_noise_shape(spec.noise_shape, shape)
    return shape


def npy_shape(path: Path) -> tuple[int, int, int]:
    """The (B, S, D) shape of a .npy file, from its header alone, once every check that
    needs no data has passed: the window learns a file's shape without reading it."""
    with _open_regular(path) as file:
        shape = _checked_header(file, path)
    return (1, *shape) if len(shape) == 2 else shape  # type: ignore[return-value]


def load_npy(path: Path) -> np.ndarray:
    """A numeric (B, S, D) or (S, D) array from a .npy file, as float32 (B, S, D).

    The header is read first, so a file too large or of the wrong kind is refused
    before its data is allocated; pickled objects are never loaded. The file is opened
    once, so the header checked is the header of the data read.
    """
    with _open_regular(path) as file:
        _checked_header(file, path)
        file.seek(0)
        try:
            array = np.load(file, allow_pickle=False)
        except (OSError, ValueError, EOFError) as error:
            raise DropguiError(
                tr("cannot read {path} as a .npy file: {error}", path=path, error=error),
                field="source",
            ) from None
    # float64 beyond float32's range becomes inf here; say so below, without numpy's
    # RuntimeWarning lines on stderr.
    with np.errstate(over="ignore", invalid="ignore"):
        values = np.ascontiguousarray(array, dtype=np.float32)
    if not np.isfinite(values).all():
        if np.isfinite(array).all():
            largest = float(np.abs(array).max())
            raise DropguiError(
                tr(
                    "{path} holds values beyond float32's range (largest |x| is "
                    "{largest:.3g}); dropgui computes in float32, as Keras does",
                    path=path,
                    largest=largest,
                ),
                field="source",
            )
        raise DropguiError(tr("{path} contains NaN or infinite values", path=path), field="source")
    return values[np.newaxis] if values.ndim == 2 else values


_NO_WAIT = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
"""Open flags that never wait for a writer (a FIFO) or take a terminal (POSIX only)."""


@contextlib.contextmanager
def _open_regular(path: Path) -> Iterator[IO[bytes]]:
    """`path` open for reading, once it is known to be a regular file.

    `os.stat` names what is wrong before anything is opened (a FIFO or a device could
    block an open, or a read, for ever); the open itself does not block and its file is
    checked again, so a FIFO put in the file's place in between is refused too.
    """
    try:
        _check_regular(path, os.stat(path).st_mode)
        descriptor = os.open(path, os.O_RDONLY | _NO_WAIT)
    except OSError as error:
        raise DropguiError(_unreadable(path, error), field="source") from None
    with os.fdopen(descriptor, "rb") as file:
        _check_regular(path, os.fstat(descriptor).st_mode)
        yield file


def _check_regular(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise DropguiError(
            tr("input path is a folder, not a .npy file: {path}", path=path), field="source"
        )
    kinds = (
        (stat.S_ISFIFO, N_("a FIFO (named pipe)")),
        (stat.S_ISCHR, N_("a device")),
        (stat.S_ISBLK, N_("a device")),
        (stat.S_ISSOCK, N_("a socket")),
    )
    kind = next((name for test, name in kinds if test(mode)), N_("not a regular file"))
    raise DropguiError(
        tr(
            "input path {path} is {kind}; dropgui reads only regular .npy files",
            path=path,
            kind=tr(kind),
        ),
        field="source",
    )


def _unreadable(path: Path, error: OSError) -> str:
    """Why `path` cannot be opened, in the user's words."""
    if error.errno == errno.ELOOP:
        return tr("input path {path} is a symlink loop", path=path)
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        if os.path.islink(path):
            return tr("input path {path} is a symlink to a missing file", path=path)
        return tr("input file not found: {path}", path=path)
    return tr("cannot read {path}: {reason}", path=path, reason=os_reason(error))


def _checked_header(file: IO[bytes], path: Path) -> tuple[int, ...]:
    """The shape in the .npy header of `file`, or DropguiError naming why it cannot be used."""
    try:
        version = _read_magic(file)
        read_header = (
            np.lib.format.read_array_header_1_0
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0  # 3.0 differs only in encoding
        )
        shape, _, dtype = read_header(file)
    except (OSError, ValueError) as error:
        said = error.args[0] if isinstance(error.args[0], Message) else error
        raise DropguiError(
            tr("cannot read {path} as a .npy file: {error}", path=path, error=said),
            field="source",
        ) from None
    if dtype.hasobject:
        raise DropguiError(
            tr("{path} holds pickled Python objects; dropgui loads no pickles", path=path),
            field="source",
        )
    if dtype.kind not in "biuf":
        raise DropguiError(
            tr("{path} holds {dtype} values; dropgui needs numbers", path=path, dtype=dtype),
            field="source",
        )
    if len(shape) not in (2, 3):
        raise DropguiError(
            tr(
                "{path} has shape {shape}; dropgui needs (B, S, D) or (S, D)",
                path=path,
                shape=format_shape(shape),
            ),
            field="source",
        )
    if min(shape) == 0:
        raise DropguiError(
            tr(
                "{path} has shape {shape} with an empty axis",
                path=path,
                shape=format_shape(shape),
            ),
            field="source",
        )
    if math.prod(shape) > MAX_CELLS:
        raise DropguiError(
            tr(
                "{path} has {cells:,} cells, more than the cap of {cap:,}",
                path=path,
                cells=math.prod(shape),
                cap=MAX_CELLS,
            ),
            field="source",
        )
    return shape


def _read_magic(file: IO[bytes]) -> tuple[int, int]:
    """numpy's `read_magic`, its refusal of a file that is no .npy at all said in the
    current language (in English, word for word what numpy says)."""
    start = file.tell()
    try:
        return np.lib.format.read_magic(file)
    except ValueError:
        file.seek(start)
        magic = file.read(np.lib.format.MAGIC_LEN)
        if len(magic) != np.lib.format.MAGIC_LEN:
            raise ValueError(
                tr(
                    "EOF: reading magic string, expected {expected} bytes got {got}",
                    expected=np.lib.format.MAGIC_LEN,
                    got=len(magic),
                )
            ) from None
        if magic[:-2] == np.lib.format.MAGIC_PREFIX:
            raise  # a version numpy does not know: numpy's own words
        raise ValueError(
            tr(
                "the magic string is not correct; expected {expected!r}, got {got!r}",
                expected=np.lib.format.MAGIC_PREFIX,
                got=magic[:-2],
            )
        ) from None


# ----------------------------------------------------------------------- saved models


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


# ----------------------------------------------------------------------- TensorFlow


@functools.cache
def load_tensorflow() -> SimpleNamespace:
    """Import TensorFlow and Keras 3 once; later calls are free.

    tf-keras costs another 0.4 s and is imported only when asked (`tf_keras_module`).
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # TensorFlow's C++ start-up lines (oneDNN, CUDA probing, CPU features) are written
    # to fd 2 before its logging is set up, so no setting silences them; they are noise
    # for our users. Python errors still surface: they are raised, not printed here.
    with _stderr_silenced():
        import keras
        import tensorflow as tf

        tf.constant(0.0) + 1.0  # the first op prints its own start-up lines
    return SimpleNamespace(tf=tf, keras=keras)


@functools.cache
def tf_keras_module():
    """The tf-keras package (Keras 2), imported on first use."""
    load_tensorflow()
    import tf_keras

    return tf_keras


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


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
