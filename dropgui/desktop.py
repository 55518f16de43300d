"""dropgui as the desktop sees it: its version, its icon and its launcher. No Qt.

The icon and the freedesktop entry are plain files in the top-level resources/ folder,
shipped in the wheel as the package data `dropgui.resources` (`resource`).
`install_desktop_entry` copies both into the user's data folder, so the desktop's
application menu lists dropgui; the window (`dropgui._qt.app.get_qapp`) takes its icon
and its desktop file name from here, so the task switcher matches it to that entry.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import os
import re
import sys
import sysconfig
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DropguiError
from .files import atomic_write, os_errors_named

if TYPE_CHECKING:  # importlib.resources.abc is 3.11+; importlib.abc's copy warns on 3.12+
    from importlib.resources.abc import Traversable

APP_ID = "dropgui"
"""The desktop file id without `.desktop`: Qt's desktop file name, which Wayland task
switchers use as the app id, and the name X11's WM_CLASS carries (StartupWMClass)."""
DESKTOP_FILE = f"{APP_ID}.desktop"
ICON_NAME = "dropgui"
"""The entry's Icon=, looked up in the icon theme (hicolor) by this name."""
ICON_FILE = f"{ICON_NAME}.svg"

_EXEC_RESERVED = re.compile(r"""[\s"'\\><~|&;$*?#()`]""")
"""Characters that oblige an Exec argument to be quoted (Desktop Entry Specification,
"The Exec key")."""
_EXEC_ESCAPED = re.compile(r"""(["`$\\])""")
"""Inside a quoted Exec argument these take a backslash."""


def app_version() -> str:
    """dropgui's version: the installed distribution's, else the package's own (a source
    checkout that was never installed has no distribution metadata)."""
    try:
        return importlib.metadata.version("dropgui")
    except importlib.metadata.PackageNotFoundError:
        from . import __version__

        return __version__


def resource(name: str) -> Traversable:
    """The file `name` of resources/, e.g. `resource(ICON_FILE).read_bytes()`.

    Installed from a wheel, resources/ is the package `dropgui.resources`. Run from a
    source checkout (the tests, `pip install -e`), `dropgui` is the checkout's folder,
    which holds no resources/, and setuptools' editable finder cannot import a folder
    without `__init__.py`: there resources/ is found beside dropgui/.
    """
    try:
        folder: Traversable = importlib.resources.files("dropgui.resources")
    except ModuleNotFoundError:
        folder = Path(__file__).resolve().parent.parent / "resources"
    return folder / name


def data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share when it is unset, empty or relative (the XDG
    Base Directory Specification says a relative path there is to be ignored)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def launcher_command() -> list[str]:
    """The command the installed entry runs, absolute, so the menu works outside the
    virtual environment dropgui lives in (the desktop's PATH does not include it).

    In order: the `dropgui` script this process was started as (sys.argv[0]), the
    `dropgui` script of this interpreter's scripts folder (for `python -m dropgui`),
    else this interpreter with `-m dropgui`. Each is the dropgui being run now;
    `shutil.which("dropgui")` is not asked, as it may find another installation, of
    another version. Paths are made absolute but symlinks are kept: a pipx link in
    ~/.local/bin survives reinstalls, and resolving a virtual environment's python
    link would leave the environment.
    """
    scripts = [Path(sysconfig.get_path("scripts")) / APP_ID]
    if sys.argv and Path(sys.argv[0]).name == APP_ID:
        scripts.insert(0, Path(sys.argv[0]))
    for script in scripts:
        if script.is_file() and os.access(script, os.X_OK):
            return [os.path.abspath(script)]
    if sys.executable:
        return [sys.executable, "-m", "dropgui"]
    return [APP_ID]


def exec_value(command: list[str]) -> str:
    """`command` as the value of an Exec key: each argument quoted when it holds a
    reserved character, % doubled, then backslashes doubled by the string escape rule
    (so one literal backslash in a quoted argument is written as four)."""
    arguments = []
    for argument in command:
        _check_value(argument)
        if _EXEC_RESERVED.search(argument):
            argument = '"' + _EXEC_ESCAPED.sub(r"\\\1", argument) + '"'
        arguments.append(argument.replace("%", "%%"))
    return " ".join(arguments).replace("\\", "\\\\")


def _check_value(text: str) -> None:
    """A desktop file is UTF-8 text of one line per key: refuse what cannot be one."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise DropguiError(
            f"cannot write a desktop entry for {text!r}: the path is not valid UTF-8"
        ) from None
    if any(ord(character) < 32 for character in text):
        raise DropguiError(
            f"cannot write a desktop entry for {text!r}: the path holds a control character"
        )


def installed_entry(command: list[str]) -> str:
    """The shipped entry with Exec= running `command`, and TryExec= naming its program,
    so the menu hides the entry once that program is gone (a deleted environment)."""
    _check_value(command[0])
    try_exec = command[0].replace("\\", "\\\\")
    shipped = resource(DESKTOP_FILE).read_text(encoding="utf-8")
    entry, replaced = re.subn(
        r"^Exec=.*$",
        lambda _: f"Exec={exec_value(command)}\nTryExec={try_exec}",
        shipped,
        count=1,
        flags=re.MULTILINE,
    )
    assert replaced == 1, f"{DESKTOP_FILE} has no Exec= line"
    return entry


def install_desktop_entry(data_home_folder: Path | None = None) -> list[Path]:
    """Install the entry and the icon for the current user; return the two files.

    They go to `data_home_folder` (default `data_home()`) as
    applications/dropgui.desktop and icons/hicolor/scalable/apps/dropgui.svg, and
    nowhere else. Each is written whole or not at all (`atomic_write`), the icon first,
    so the entry never names a missing icon; if the entry fails, an icon this call
    created is removed again. Folders are created private (0700), as the XDG spec asks.
    `update-desktop-database` is not run: it only builds the MIME cache, and the entry
    declares no MIME types (desktops watch the applications folder themselves).
    Raises DropguiError naming the file when a folder or file cannot be written.
    """
    root = data_home() if data_home_folder is None else Path(data_home_folder)
    entry_path = root / "applications" / DESKTOP_FILE
    icon_path = root / "icons" / "hicolor" / "scalable" / "apps" / ICON_FILE
    entry = installed_entry(launcher_command()).encode("utf-8")
    icon = resource(ICON_FILE).read_bytes()
    for folder in (entry_path.parent, icon_path.parent):
        _make_private_folders(folder)
    icon_existed = icon_path.exists()
    atomic_write(icon_path, lambda file: file.write(icon))
    try:
        atomic_write(entry_path, lambda file: file.write(entry))
    except BaseException:
        if not icon_existed:
            icon_path.unlink(missing_ok=True)
        raise
    return [entry_path, icon_path]


def _make_private_folders(folder: Path) -> None:
    """Create `folder` and its missing parents with mode 0700 (`mkdir -p` would give
    the parents the default mode). A DropguiError names the one that fails."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        if path.exists() or path.is_symlink():  # a file, or a link to nowhere, has the name
            raise DropguiError(f"cannot write into {path}: it is not a folder")
        with os_errors_named(path):
            path.mkdir(mode=0o700)


__all__ = [
    "APP_ID",
    "DESKTOP_FILE",
    "ICON_FILE",
    "ICON_NAME",
    "app_version",
    "data_home",
    "exec_value",
    "install_desktop_entry",
    "launcher_command",
    "resource",
]
