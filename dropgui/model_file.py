"""A saved Keras model file, read as plain JSON and checked before anything is loaded.

`read_config(path)` reads a `.keras` archive's `config.json` or an `.h5` file's
`model_config` attribute (zipfile and h5py, no TensorFlow), and refuses, before anything
is deserialized, a file that is missing, damaged or not a model, that holds a Lambda
layer or a class dropgui does not know (its code would run on loading, `check_safe`),
or that is larger than `MAX_MODEL_BYTES`. What the configuration says (the Embeddings
and the dropout after them) is read in `model.py`.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import zipfile
from collections.abc import Iterator
from typing import Any

from .errors import DropguiError, os_reason
from .i18n import N_, tr
from .keras_layers import CODE_CLASSES, KNOWN_LAYERS, MODEL_CLASSES

MAX_MODEL_BYTES = 256 * 2**20
"""Largest model dropgui opens: 256 MiB of file, of unpacked `.keras` archive, and of
weights declared by its HDF5 datasets (h5py reads their shapes, not their data). The
Embedding matrix must also fit `spec.MAX_CELLS` by its configuration. All are checked
before any weight is loaded: Keras would allocate the variables first."""

MAX_CONFIG_BYTES = 16 * 2**20
"""Largest model configuration (JSON) dropgui parses."""


def read_config(path: str) -> tuple[dict, str]:
    """The model configuration of the file at `path`, checked safe, and the Keras version
    that wrote it; DropguiError with one line naming the problem otherwise."""
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
    return config, version


def file_key(path: str) -> tuple:
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


def damaged(path: str, kind: str, error: Exception) -> DropguiError:
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
    except DropguiError:  # our own refusal (a ValueError too): said as it is
        raise
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError) as error:
        raise damaged(path, N_("a .keras model"), error) from None
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
        raise damaged(path, N_("an .h5 model"), error) from None
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
