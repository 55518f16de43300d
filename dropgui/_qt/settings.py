"""What the window remembers between launches (QSettings): the spec, the compared mode,
the play speed, the geometry, the recent files and the language chosen in View.

Whatever a settings file holds, reading it never fails: a value that cannot be used is
replaced by the default and the reason is returned, for the window to show. The spec
saved is one the window could draw, so a refused spec is never the next launch's start.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings

from ..errors import DropguiError
from ..result import Result
from ..spec import Spec
from .controls import DEFAULT_COMPARE
from .i18n import LANGUAGE_NAMES
from .theme import SCHEMES

DEFAULT_SPEED = 4
"""Seed steps per second of Play."""


@dataclass(frozen=True)
class Saved:
    """The settings a launch starts from. `problem` says why the saved spec was not
    used ("" when it was, or when none was saved: the first launch)."""

    spec: Spec
    compare: str | None
    speed: int
    problem: str = ""


def load(settings: QSettings) -> Saved:
    """The saved spec, compared mode and speed; the defaults where they are unusable."""
    try:
        speed = int(settings.value("speed", DEFAULT_SPEED))
    except (TypeError, ValueError):
        speed = DEFAULT_SPEED
    saved = settings.value("spec")
    if not saved:  # the first launch asks the seed question
        return Saved(Spec(), DEFAULT_COMPARE, speed)
    try:
        spec = Spec.from_dict(json.loads(saved))
        spec.validate()
    except Exception as error:  # anything a damaged or hand-edited file can hold
        return Saved(Spec(), DEFAULT_COMPARE, speed, str(error) or type(error).__name__)
    compare = settings.value("compare")
    return Saved(spec, compare if isinstance(compare, str) and compare else None, speed)


def forget_spec(settings: QSettings) -> None:
    """Drop the saved spec and compared mode: the next launch starts on the defaults."""
    settings.remove("spec")
    settings.remove("compare")


def save(settings: QSettings, spec: Spec | None, compare: str | None, speed: int) -> None:
    """Remember `spec` (None: forget it), the compared mode and the speed, on disk now:
    the process may end without Python's teardown (`run_app`)."""
    settings.setValue("speed", speed)
    if spec is None:
        forget_spec(settings)
    else:
        settings.setValue("spec", json.dumps(spec.to_dict()))
        settings.setValue("compare", compare or "")
    settings.sync()


def save_window(
    window, settings: QSettings, refused: bool, shown: tuple[Result, Result | None] | None
) -> None:
    """Remember the window's geometry, play speed and controls, or, when the controls
    are `refused`, the last good view `shown` (its result and compared result): the next
    launch must start on something it can draw."""
    controls = window.controls
    spec, compare = None, controls.compare.currentData()
    if not refused:
        try:
            spec = controls.spec()
        except DropguiError:
            spec = None
    if spec is None and shown is not None:
        result, compared = shown
        spec = result.spec
        compare = None if compared is None else compared.spec.mode
    save_geometry(window, settings)
    save(settings, spec, compare, controls.speed.value())


MAX_RECENT = 8
"""Files listed in File -> Open Recent."""


def recent_files(settings: QSettings) -> list[str]:
    """The .npy and model files last shown, newest first (whatever the file holds)."""
    value = settings.value("recent")
    try:
        paths = json.loads(value) if isinstance(value, str) else []
    except ValueError:
        return []
    if not isinstance(paths, list):
        return []
    return [path for path in paths if isinstance(path, str) and path][:MAX_RECENT]


def add_recent(settings: QSettings, path: str) -> None:
    """Put `path` first in the recent files (once), keeping MAX_RECENT."""
    paths = [path, *(other for other in recent_files(settings) if other != path)]
    settings.setValue("recent", json.dumps(paths[:MAX_RECENT]))


def clear_recent(settings: QSettings) -> None:
    settings.remove("recent")


def load_language(settings: QSettings) -> str | None:
    """The language chosen in View -> Language, or None when none was chosen (or the
    saved value is not a language dropgui speaks): the system locale decides then."""
    code = settings.value("language")
    return code if isinstance(code, str) and code in LANGUAGE_NAMES else None


def save_language(settings: QSettings, code: str) -> None:
    """Remember the language chosen in View -> Language, on disk now."""
    settings.setValue("language", code)
    settings.sync()


def load_scheme(settings: QSettings) -> str:
    """The appearance chosen in View -> Appearance: "system" (the default), "light" or
    "dark"; an unusable saved value reads as "system"."""
    scheme = settings.value("appearance")
    return scheme if isinstance(scheme, str) and scheme in SCHEMES else "system"


def save_scheme(settings: QSettings, scheme: str) -> None:
    """Remember the appearance chosen in View -> Appearance, on disk now."""
    settings.setValue("appearance", scheme)
    settings.sync()


DEFAULT_SIZE = (1500, 900)


def restore_geometry(window, settings: QSettings) -> None:
    """The window's last size and place, or a default size that fits the screen (a
    1280x720 laptop gets nine tenths of it, not a window larger than its screen)."""
    geometry = settings.value("geometry")
    if isinstance(geometry, QByteArray) and window.restoreGeometry(geometry):
        return
    width, height = DEFAULT_SIZE
    screen = window.screen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, int(room.width() * 0.9))
        height = min(height, int(room.height() * 0.9))
    window.resize(width, height)


def save_geometry(window, settings: QSettings) -> None:
    settings.setValue("geometry", window.saveGeometry())
