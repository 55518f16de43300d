"""dropgui as a desktop citizen: the icon, the window's identity, the freedesktop entry,
`dropgui --install-desktop-entry`, `dropgui --version` and Help -> About.

Real files, real Qt offscreen, the real `desktop-file-validate` (desktop-file-utils,
which .ci/run installs), and the real command in child processes with their own HOME
and XDG_DATA_HOME.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import re
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

import dropgui
from dropgui import cli
from dropgui.desktop import (
    APP_ID,
    DESKTOP_FILE,
    ICON_FILE,
    ICON_NAME,
    app_version,
    exec_value,
    install_desktop_entry,
    installed_entry,
    launcher_command,
    resource,
)
from dropgui.errors import DropguiError

SCRIPT = Path(sys.executable).with_name("dropgui")
"""The `dropgui` console script of this environment (pip put it beside python)."""
ENTRY_PATH = Path("applications") / DESKTOP_FILE
ICON_PATH = Path("icons") / "hicolor" / "scalable" / "apps" / ICON_FILE
HEAVY_MODULES = ("tensorflow", "keras", "tf_keras", "PySide6", "shiboken6", "pyqtgraph")
DROPPED_RED = (214, 39, 40)
"""style.DROPPED, the icon's dropped cells."""


def expected_version() -> str:
    try:
        return importlib.metadata.version("dropgui")
    except importlib.metadata.PackageNotFoundError:
        return dropgui.__version__


def validate(path: Path) -> None:
    """desktop-file-validate says nothing about `path`: no error, warning or hint."""
    tool = shutil.which("desktop-file-validate")
    assert tool, "desktop-file-validate is missing: install desktop-file-utils (.ci/run does)"
    done = subprocess.run([tool, str(path)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and not done.stdout and not done.stderr, done.stdout + done.stderr


def entry_keys(text: str) -> dict[str, str]:
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:])


def child_env(home: Path, **changes: str | None) -> dict[str, str]:
    """This environment with HOME=`home` and no XDG_DATA_HOME, then `changes` (None
    unsets)."""
    env = {k: v for k, v in os.environ.items() if k != "XDG_DATA_HOME"}
    env["HOME"] = str(home)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def files_under(folder: Path) -> set[Path]:
    """Every file, link and folder under `folder`, relative to it."""
    return {
        (Path(root) / name).relative_to(folder)
        for root, folders, files in os.walk(folder)
        for name in folders + files
    }


def only_files_under(folder: Path) -> set[Path]:
    return {path for path in files_under(folder) if not (folder / path).is_dir()}


def pixel(image, x: int, y: int) -> tuple[int, int, int, int]:
    colour = image.pixelColor(x, y)
    return colour.red(), colour.green(), colour.blue(), colour.alpha()


# ------------------------------------------------------------------ the icon


@pytest.fixture
def dropgui_app(qapp):
    """The QApplication as the `dropgui` command has it: get_qapp gives it dropgui's
    icon and desktop file name (pytest-qt created it, without them)."""
    from dropgui._qt.app import get_qapp

    return get_qapp()


@pytest.mark.parametrize("size", [16, 32, 48, 256])
def test_icon_renders_sharp_grid_with_dropped_column(dropgui_app, size):
    """The SVG loads and draws a non-blank icon at each size, and even at 16 px the
    dropped channel is a solid red bar and the kept cells are not red."""
    from PySide6.QtCore import QSize

    from dropgui._qt.app import app_icon

    icon = app_icon()
    assert not icon.isNull()
    image = icon.pixmap(QSize(size, size), 1.0).toImage()
    assert (image.width(), image.height()) == (size, size)
    unit = size / 16  # the SVG's edges lie on a 16-unit grid
    colours = {pixel(image, x, y) for x in range(size) for y in range(size)}
    assert len(colours) >= 8, "a blank or single-colour icon"
    # Channel 1 (x 5..8 of 16) from token 0 to token 3 (y 2..14) is dropped whole.
    for y in range(int(2.5 * unit) + 1, int(13.5 * unit)):  # clear of the cell outlines
        assert pixel(image, int(6.5 * unit), y) == (*DROPPED_RED, 255)
    # Token 0 of channel 0 and channel 2 (x 2..5 and 8..11 of 16) are kept values.
    for x in (3.5, 9.5):
        red, green, _blue, alpha = pixel(image, int(x * unit), int(3.5 * unit))
        assert alpha == 255 and green > red


def test_window_has_dropguis_icon_and_desktop_identity(dropgui_app, window):
    """The window inherits the application's icon, the one drawn from the SVG, and the
    application names the shipped desktop entry (Wayland's app id)."""
    from PySide6.QtCore import QSize

    from dropgui._qt.app import app_icon

    assert dropgui_app.desktopFileName() == APP_ID
    assert resource(DESKTOP_FILE).is_file()
    icon = window.windowIcon()
    assert not icon.isNull()
    for size in (16, 256):
        drawn = icon.pixmap(QSize(size, size), 1.0).toImage()
        assert drawn == app_icon().pixmap(QSize(size, size), 1.0).toImage()


# ------------------------------------------------------------------ the entry


def test_shipped_entry_validates_and_names_the_icon():
    """The entry passes desktop-file-validate, runs `dropgui` (no %F: the command takes
    no file for the window), names the shipped icon, and matches the app id."""
    entry = resource(DESKTOP_FILE)
    validate(Path(str(entry)))
    keys = entry_keys(entry.read_text(encoding="utf-8"))
    assert keys["Exec"] == "dropgui"
    assert keys["Icon"] == ICON_NAME and resource(f"{keys['Icon']}.svg").is_file()
    assert keys["StartupWMClass"] == APP_ID
    assert f"{APP_ID}.desktop" == DESKTOP_FILE


def run_install(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "dropgui"]
    return subprocess.run(
        [*command, "--install-desktop-entry"],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("xdg_data_home", "root"),
    [
        ("data", "data"),
        (None, "home/.local/share"),  # unset: the default
        ("", "home/.local/share"),  # empty counts as unset
        ("relative/data", "home/.local/share"),  # the XDG spec: a relative path is ignored
    ],
)
def test_install_writes_two_files_there_and_nowhere_else(tmp_path, xdg_data_home, root):
    """`dropgui --install-desktop-entry` (twice: it replaces its own files) writes the
    entry and the icon under the data home and nothing else under the temporary HOME
    and data home; the installed entry validates and runs this dropgui by absolute path."""
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"  # the child's working folder, where a relative path would go
    work.mkdir()
    value = str(tmp_path / xdg_data_home) if xdg_data_home == "data" else xdg_data_home
    env = child_env(home, XDG_DATA_HOME=value)
    for _ in range(2):
        done = run_install(env, work)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
    data = tmp_path / root
    assert done.stdout.splitlines() == [f"wrote {data / ENTRY_PATH}", f"wrote {data / ICON_PATH}"]
    everything = {tmp_path / path for path in only_files_under(tmp_path)}
    assert everything == {data / ENTRY_PATH, data / ICON_PATH}
    assert files_under(work) == set()
    if xdg_data_home == "data":
        assert files_under(home) == set()

    assert (data / ICON_PATH).read_bytes() == resource(ICON_FILE).read_bytes()
    validate(data / ENTRY_PATH)
    installed = entry_keys((data / ENTRY_PATH).read_text(encoding="utf-8"))
    shipped = entry_keys(resource(DESKTOP_FILE).read_text(encoding="utf-8"))
    program = str(SCRIPT) if SCRIPT.exists() else sys.executable
    assert installed.pop("TryExec") == program
    assert installed.pop("Exec").startswith(program)
    shipped.pop("Exec")
    assert installed == shipped


@pytest.mark.parametrize("how", ["link", "module"])
def test_installed_exec_is_the_dropgui_being_run(tmp_path, how):
    """Run through a symlink (as pipx installs it), the entry runs the link, not its
    target, so it survives a reinstall; run as `python -m dropgui`, it runs the script
    beside this python."""
    if not SCRIPT.exists():
        pytest.fail(f"no dropgui script beside {sys.executable}: is dropgui installed?")
    data = tmp_path / "data"
    env = child_env(tmp_path / "home", XDG_DATA_HOME=str(data))
    if how == "link":
        link = tmp_path / "bin" / "dropgui"
        link.parent.mkdir()
        link.symlink_to(SCRIPT)
        command, program = [str(link)], str(link)
    else:
        command, program = [sys.executable, "-m", "dropgui"], str(SCRIPT)
    done = subprocess.run(
        [*command, "--install-desktop-entry"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    installed = entry_keys((data / ENTRY_PATH).read_text(encoding="utf-8"))
    assert (installed["Exec"], installed["TryExec"]) == (program, program)


def test_without_a_script_the_entry_runs_this_python(tmp_path, monkeypatch):
    """No `dropgui` script to be found (started by `python -c`, none among this python's
    scripts): the entry runs `python -m dropgui` with this interpreter, and validates."""
    monkeypatch.setattr(sys, "argv", ["-c"])
    monkeypatch.setattr(sysconfig, "get_path", lambda name, *args, **kwargs: str(tmp_path))
    assert launcher_command() == [sys.executable, "-m", "dropgui"]
    installed = install_desktop_entry(tmp_path / "data")
    validate(installed[0])
    keys = entry_keys(installed[0].read_text(encoding="utf-8"))
    assert keys["Exec"] == exec_value([sys.executable, "-m", "dropgui"])


@pytest.mark.parametrize(
    ("blocker", "problem"),
    [
        ("data", "cannot write into .*/data: it is not a folder"),  # the data home is a file
        ("data/applications", "cannot write into .*/applications: it is not a folder"),
        ("data/icons/hicolor", "cannot write into .*/hicolor: it is not a folder"),
        # The entry's own name is taken by a folder: the icon, written first, goes again.
        ("data/applications/dropgui.desktop/", "cannot write .*/applications/dropgui.desktop"),
    ],
)
def test_unwritable_data_home_is_one_line_and_exit_2(tmp_path, blocker, problem):
    """Nothing is left behind (no file, no temporary), stderr is one line, no traceback."""
    home = tmp_path / "home"
    home.mkdir()
    target = tmp_path / blocker
    target.parent.mkdir(parents=True, exist_ok=True)
    if blocker.endswith("/"):
        target.mkdir()
    else:
        target.write_text("not a folder\n")
    before = files_under(tmp_path)
    done = run_install(child_env(home, XDG_DATA_HOME=str(tmp_path / "data")), tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert re.fullmatch(f"dropgui: error: {problem}.*", lines[0]), lines[0]
    created = files_under(tmp_path) - before
    assert all((tmp_path / path).is_dir() for path in created), created  # folders at most


def test_exec_value_quotes_and_escapes_and_still_validates(tmp_path):
    """A path with a space, $, % and a backslash is quoted and escaped as the Desktop
    Entry Specification asks (a literal backslash in a quoted argument is four), and
    the entry validates; a plain path is written as it is; a newline is refused."""
    assert exec_value(["/opt/venv/bin/dropgui"]) == "/opt/venv/bin/dropgui"
    awkward = "/tmp/a b/$HOME/100%/back\\slash/dropgui"
    assert exec_value([awkward]) == '"/tmp/a b/\\\\$HOME/100%%/back\\\\\\\\slash/dropgui"'
    assert exec_value(["/usr/bin/python3", "-m", "dropgui"]) == "/usr/bin/python3 -m dropgui"
    entry = tmp_path / DESKTOP_FILE
    entry.write_text(installed_entry([awkward]), encoding="utf-8")
    validate(entry)
    with pytest.raises(DropguiError, match="control character"):
        exec_value(["/tmp/new\nline/dropgui"])


# ------------------------------------------------------------------ --version


@pytest.mark.parametrize("how", ["script", "module"])
def test_version_prints_the_version(how):
    if how == "script" and not SCRIPT.exists():
        pytest.fail(f"no dropgui script beside {sys.executable}: is dropgui installed?")
    command = [str(SCRIPT)] if how == "script" else [sys.executable, "-m", "dropgui"]
    done = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"dropgui {app_version()}\n", "")
    assert app_version() == expected_version()


def test_version_and_install_import_neither_tensorflow_nor_qt(tmp_path):
    """Both flags answer without loading TensorFlow, Keras or Qt (seconds, otherwise)."""
    script = textwrap.dedent(
        f"""
        import contextlib, io, sys
        from dropgui import cli
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            statuses = [cli.main(["--version"]), cli.main(["--install-desktop-entry"])]
        print(statuses, out.getvalue().splitlines()[0])
        print(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))
        """
    )
    env = child_env(tmp_path / "home", XDG_DATA_HOME=str(tmp_path / "data"))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"[0, 0] dropgui {expected_version()}", "[]"]
    assert (tmp_path / "data" / ENTRY_PATH).is_file()


def test_install_takes_no_command(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["--install-desktop-entry", "print"])
    assert exited.value.code == 2
    assert capsys.readouterr().err == (
        "dropgui: error: --install-desktop-entry takes no command (got 'print')\n"
    )


# ------------------------------------------------------------------ About


def test_about_names_every_version(dropgui_app, qtbot):
    """Help -> About shows the icon, dropgui's version and each component's version as
    the package metadata (and Qt and Python themselves) give it, next to its name."""
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QWidget

    from dropgui._qt.about import show_about

    parent = QWidget()
    qtbot.addWidget(parent)
    box = show_about(parent)
    assert box.isVisible()
    document = QTextDocument()
    document.setHtml(box.text())
    text = document.toPlainText()
    expected = {
        "dropgui": expected_version(),
        "TensorFlow": importlib.metadata.version("tensorflow"),
        "Keras 3": importlib.metadata.version("keras"),
        "tf-keras": importlib.metadata.version("tf-keras"),
        "Qt": qVersion(),
        "PySide6": importlib.metadata.version("PySide6-Essentials"),
        "pyqtgraph": importlib.metadata.version("pyqtgraph"),
        "NumPy": importlib.metadata.version("numpy"),
        "Python": platform.python_version(),
    }
    for name, version in expected.items():
        assert re.search(rf"^{re.escape(name)}\s+{re.escape(version)}$", text, re.M), (name, text)
    assert "not installed" not in text
    assert not box.iconPixmap().isNull()
    box.close()


def test_about_does_not_import_tensorflow():
    """Asking TensorFlow its version would import it on the GUI thread: 2 s frozen."""
    script = textwrap.dedent(
        """
        import sys
        from dropgui._qt.app import get_qapp
        from PySide6.QtWidgets import QWidget
        from dropgui._qt.about import show_about
        app = get_qapp()
        parent = QWidget()
        box = show_about(parent)
        print("TensorFlow" in box.text(), "tensorflow" in sys.modules, "keras" in sys.modules)
        """
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False", "False"]
