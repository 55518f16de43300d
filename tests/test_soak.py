"""An hour of play in one test: 10,000 seed steps through the real window and worker.

Each step is a full round trip (controls -> worker -> TensorFlow -> grids). With
PySide6 6.12 on CPython 3.11 this dies with "Fatal Python error: bool_dealloc" long
before the end (measured on these machines), which is why pyproject.toml excludes it.
"""

from PySide6.QtCore import QEventLoop, QObject, Slot

from dropgui._qt.window import MainWindow

STEPS = 10_000
WARM_UP = 1_000


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


class SeedPlayer(QObject):
    """Steps the seed each time new grids are drawn, as Play does, as fast as possible."""

    def __init__(self, window: MainWindow, loop: QEventLoop) -> None:
        super().__init__()
        self.window, self.loop = window, loop
        self.steps = 0
        self.rss_after_warm_up = 0

    @Slot(int)
    def on_drawn(self, _request_id: int) -> None:
        if self.steps == WARM_UP:
            self.rss_after_warm_up = resident_bytes()
        if self.steps == STEPS:
            self.loop.quit()
            return
        self.steps += 1
        self.window.controls.step_seed(1)


def test_ten_thousand_seed_steps(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.sigGridsDrawn, timeout=60_000):
        window.show()
    loop = QEventLoop()
    player = SeedPlayer(window, loop)
    window.sigGridsDrawn.connect(player.on_drawn)
    window.controls.step_seed(1)
    player.steps = 1
    loop.exec()
    assert player.steps == STEPS
    assert window.figure.result.spec.seed == STEPS
    growth = resident_bytes() / player.rss_after_warm_up - 1
    assert growth < 0.03, f"memory grew {growth:.1%} after warm-up"
    window.close()
