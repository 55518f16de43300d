"""Play: the seed steps on by itself at the speed chosen in the controls (steps per
second), never faster than the grids are drawn."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from .controls import ControlPanel


class Player(QObject):
    """Steps `controls` one seed on at each tick of `timer` while Play is on; a tick
    while `busy()` (a request still being computed) is skipped, not queued."""

    def __init__(
        self, controls: ControlPanel, busy: Callable[[], bool], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.controls, self._busy = controls, busy
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._step)
        controls.sigPlayToggled.connect(self._on_play_toggled)
        controls.speed.valueChanged.connect(self._on_speed)

    def _on_play_toggled(self, playing: bool) -> None:
        if playing:
            self._on_speed(self.controls.speed.value())
            self.timer.start()
        else:
            self.timer.stop()

    def _on_speed(self, steps_per_second: int) -> None:
        self.timer.setInterval(int(1000 / max(1, steps_per_second)))

    def _step(self) -> None:
        if not self._busy():  # never queue steps faster than they are drawn
            self.controls.step_seed(1)
