"""Opening a file as input, by its suffix: a .npy array or a Keras model. Drops on the
window and File -> Open Recent come here; a file drawn goes first in Open Recent.

The texts are in the "MainWindow" context: the window said them before this module.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QMimeData, QSettings

from ..spec import Spec
from .controls import ControlPanel
from .settings import add_recent
from .status_bar import StatusBar

translate = QCoreApplication.translate

MODEL_SUFFIXES = (".keras", ".h5", ".hdf5")


def file_kind(path: str) -> str | None:
    """ "npy", "model" or None: what dropgui opens a file as, by its suffix."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".npy":
        return "npy"
    return "model" if suffix in MODEL_SUFFIXES else None


def open_path(controls: ControlPanel, status: StatusBar, path: str) -> bool:
    """Open a .npy array or a Keras model file as the controls' input, by its suffix.
    False, with the reason next to the input group and in the status bar, otherwise."""
    kind = file_kind(path)
    if kind == "npy":
        controls.open_npy(path)
        return True
    if kind == "model":
        return controls.open_model(path)
    name = os.path.basename(path) or path

    def message() -> str:
        return translate(
            "MainWindow", "{name} is neither a .npy array nor a Keras model ({suffixes})"
        ).format(name=name, suffixes=", ".join(MODEL_SUFFIXES))

    controls.show_refusal(message, "source")
    status.say(
        lambda: translate("MainWindow", "Not opened: {problem}").format(problem=message()),
        8000,
    )
    return False


def dropped_file(mime: QMimeData) -> str | None:
    """The one local file a drag carries; None for none, several, or remote ones. What
    the file is decides on drop (and says so if refused)."""
    files = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
    return files[0] if len(files) == 1 else None


def remember_shown(settings: QSettings, spec: Spec) -> None:
    """A .npy file or model just drawn goes first in File -> Open Recent: shown, so worth
    reopening."""
    if spec.is_file or spec.source == "model":
        add_recent(settings, str(spec.model if spec.source == "model" else spec.source))
