"""What the sections share: isolated settings, child processes timed like for like, and
a window opened on a spec.

Not a section (its name does not start with `bench_`). Importing it only puts the
repository first on sys.path (the working tree is what is measured); `isolate_settings()`
changes the environment, and `run.py` calls it before any section runs. Qt runs
offscreen unless QT_QPA_PLATFORM says otherwise, in process and in children alike.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # a section run on its own measures the working tree too
    sys.path.insert(0, str(REPO_ROOT))

BASE_ENV = dict(os.environ)
"""The environment the benchmark was started with, taken before any section runs
(`dropgui.engine.load_tensorflow` sets TF_CPP_MIN_LOG_LEVEL in the process): child
processes start from it, so a child sees what a user's shell gives it."""

CHILD_TIMEOUT_S = 180
"""A child process that has not finished by then has hung (e.g. grids never drawn)."""

SETTINGS_VARIABLE = "DROPGUI_BENCH_CONFIG_HOME"
"""Names the run's settings folder to the section processes run.py starts."""

_config_home: str | None = None


def isolate_settings() -> str:
    """Point XDG_CONFIG_HOME at a fresh temporary folder for this process and every child
    it starts, so that no benchmark reads or writes the user's settings (Qt's QSettings
    reads the variable once, when the first QSettings is made: call this before the
    QApplication and any window exist). Idempotent; the folder is removed at exit by the
    process that made it."""
    global _config_home
    if _config_home is None:
        inherited = os.environ.get(SETTINGS_VARIABLE)
        if inherited:  # a section's own process: run.py's folder, which run.py removes
            _config_home = inherited
        else:
            _config_home = tempfile.mkdtemp(prefix="dropgui-bench-")
            atexit.register(_remove_settings, _config_home)
        os.environ[SETTINGS_VARIABLE] = os.environ["XDG_CONFIG_HOME"] = _config_home
    return _config_home


def _remove_settings(folder: str) -> None:
    if "PySide6.QtCore" in sys.modules:  # write what QSettings holds now, not after removal
        from PySide6.QtCore import QSettings

        QSettings().sync()
    shutil.rmtree(folder, ignore_errors=True)


def child_env(**extra: str) -> dict[str, str]:
    """The environment of one child process: the benchmark's starting environment, Qt
    offscreen (unless QT_QPA_PLATFORM was set), and an empty settings folder of its own
    inside the run's temporary folder (every child starts as a first launch, whatever ran
    before it)."""
    home = tempfile.mkdtemp(prefix="child-", dir=isolate_settings())
    env = {"QT_QPA_PLATFORM": "offscreen", **BASE_ENV, "XDG_CONFIG_HOME": home, **extra}
    env.pop(SETTINGS_VARIABLE, None)
    return env


def stamped_run(code: str) -> tuple[float, dict[str, float]]:
    """Run `python -c code` in a fresh process (cwd: the repository, so the working tree
    is what runs) and return the parent's `time.time()` just before the process was
    started, and the `time.time()` stamps the child printed, as lines `<label> <time>`.

    A stamp minus the start is the time from process start to that point of the child,
    interpreter start-up included and interpreter shutdown excluded."""
    env = child_env()
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
    )
    stamps = {}
    for line in done.stdout.splitlines():
        words = line.split()
        if len(words) == 2 and words[0].startswith("stamp:"):
            stamps[words[0].removeprefix("stamp:")] = float(words[1])
    if done.returncode != 0 or not stamps:
        tail = "\n".join(done.stderr.splitlines()[-15:])
        raise RuntimeError(f"child exited with {done.returncode}, stamps {stamps}:\n{tail}")
    return start, stamps


def open_window(spec, timeout_s: float = 120.0):
    """A MainWindow as on first launch (empty settings), shown, then set to `spec` with
    its grids drawn. Returns the window and `wait_for_grids`, which runs the event loop
    until the next `sigGridsDrawn` (raising TimeoutError after `timeout_s`)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    isolate_settings()
    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from dropgui._qt.app import get_qapp
    from dropgui._qt.window import MainWindow

    get_qapp()
    QSettings().clear()  # the temporary settings a previous window saved on closing
    window = MainWindow()
    window.show()
    loop = QEventLoop()
    window.sigGridsDrawn.connect(loop.quit)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)

    def wait_for_grids() -> None:
        timer.start(int(timeout_s * 1000))
        loop.exec()
        if not timer.isActive():
            raise TimeoutError(f"no grids drawn within {timeout_s:.0f} s")
        timer.stop()

    wait_for_grids()  # the first launch's own grids
    window.controls.set_spec(spec)
    wait_for_grids()
    return window, wait_for_grids
