"""Real Qt offscreen, real TensorFlow; each Qt test gets its own settings file."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path, monkeypatch):
    """Point QSettings at a fresh folder so no test reads or writes the user's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    try:
        from PySide6.QtCore import QSettings
    except ImportError:  # the Qt-free core tests block Qt on purpose
        yield
        return
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    yield


@pytest.fixture
def window(qtbot):
    """The real window, shown, once its first grids are drawn (worker and TensorFlow
    included); closed after the test."""
    from dropgui._qt.window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.sigGridsDrawn, timeout=60_000):
        win.show()
    yield win
    win.close()


@pytest.fixture
def one_line_error():
    """`one_line_error(spec, problem)`: compute(spec) is refused with one DropguiError line
    matching `problem`; returns the error."""
    from dropgui import DropguiError, compute

    def check(spec, problem: str):
        with pytest.raises(DropguiError, match=problem) as caught:
            compute(spec)
        assert type(caught.value) is DropguiError
        message = str(caught.value)
        assert message and "\n" not in message and "Traceback" not in message
        return caught.value

    return check
