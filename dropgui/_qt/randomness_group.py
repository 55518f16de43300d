"""The randomness group: the seed and the call of the layer (draw), stepped by hand or
played on a timer at a speed (the window owns the timer: `sigPlayToggled`)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from ..spec import MAX_SEED, Spec
from .control_group import BOX_NAMES, ControlGroup, row, translate
from .number_box import IntBox

ARROW_PX = 48
PLAY_TEXT = {
    False: QT_TRANSLATE_NOOP("ControlPanel", "Play seeds"),
    True: QT_TRANSLATE_NOOP("ControlPanel", "Pause"),
}


class RandomnessGroup(ControlGroup):
    """The "Randomness" group."""

    FIELDS = ("seed", "draw", "speed")
    """The fields whose refusals are named under this group."""

    sigPlayToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QT_TRANSLATE_NOOP("ControlPanel", "Randomness"), parent)
        self.seed = IntBox(BOX_NAMES["seed"], "seed")
        self.draw = IntBox(BOX_NAMES["draw"], "draw")
        previous_seed = QPushButton("◀")
        next_seed = QPushButton("▶")
        for arrow in (previous_seed, next_seed):
            arrow.setMaximumWidth(ARROW_PX)
        next_draw = QPushButton()
        self._say(next_draw.setText, QT_TRANSLATE_NOOP("ControlPanel", "next call"))
        self._say(
            previous_seed.setToolTip, QT_TRANSLATE_NOOP("ControlPanel", "previous seed (Left)")
        )
        self._say(next_seed.setToolTip, QT_TRANSLATE_NOOP("ControlPanel", "next seed (Right)"))
        self._say(
            next_draw.setToolTip,
            QT_TRANSLATE_NOOP("ControlPanel", "next call of the same layer (Up)"),
        )
        previous_seed.clicked.connect(lambda: self.step_seed(-1))
        next_seed.clicked.connect(lambda: self.step_seed(1))
        next_draw.clicked.connect(self.next_draw)
        self.play = QPushButton()
        self.play.setCheckable(True)
        self._say(
            self.play.setToolTip,
            QT_TRANSLATE_NOOP("ControlPanel", "step through seeds on a timer (Space)"),
        )
        self.play.toggled.connect(self._on_play)
        self.speed = IntBox(BOX_NAMES["speed"], "speed", 1, 60)
        self._say(self.speed.setSuffix, QT_TRANSLATE_NOOP("ControlPanel", " steps/s"))

        form = self.form
        form.addRow(
            self._label(QT_TRANSLATE_NOOP("ControlPanel", "Seed")),
            row(self.seed, previous_seed, next_seed),
        )
        form.addRow(
            self._label(QT_TRANSLATE_NOOP("ControlPanel", "Draw (call)")),
            row(self.draw, next_draw),
        )
        form.addRow(self.play, self.speed)
        form.addRow(self.error)

        for box in (self.seed, self.draw, self.speed):
            box.sigRefused.connect(self.show_refusal)
        for box in (self.seed, self.draw):  # the speed is the window's timer, not the spec's
            box.valueChanged.connect(self._changed)
        self.retranslate()

    def _retranslate(self) -> None:
        for box in (self.seed, self.draw, self.speed):
            box.name = translate("ControlPanel", BOX_NAMES[box.field])
        self.play.setText(translate("ControlPanel", PLAY_TEXT[self.play.isChecked()]))

    def spec_fields(self) -> dict:
        return dict(seed=self.seed.value(), draw=self.draw.value())

    def set_spec(self, spec: Spec) -> None:
        self.seed.setValue(spec.seed)
        self.draw.setValue(spec.draw)

    def step_seed(self, step: int) -> None:
        self.seed.setValue(min(max(self.seed.value() + step, 0), MAX_SEED))

    def next_draw(self) -> None:
        self.draw.setValue(self.draw.value() + 1)

    def _on_play(self, playing: bool) -> None:
        self.play.setText(translate("ControlPanel", PLAY_TEXT[playing]))
        self.sigPlayToggled.emit(playing)
