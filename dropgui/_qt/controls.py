"""The control panel: it turns its groups' widgets into a `Spec` and shows why a value is
refused.

It asks and shows only: the Spec's own checks decide what is valid, and a refused value
is named in red next to its group while the last good view stays on screen. Each group
is a module of its own (input_group.py with model_input.py, dropout_group.py,
randomness_group.py; what they share in control_group.py); the panel lays them out,
offers the presets, reads and writes a `Spec` through them, and carries what one group
decides for another (a saved model's layer sets the dropout and the seed).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import QComboBox, QVBoxLayout, QWidget

from ..errors import DropguiError
from ..modes import MODES
from ..spec import Spec
from .control_group import ControlGroup, Marked, mode_label, mode_name, translate
from .dropout_group import DropoutGroup
from .i18n import Retranslated
from .input_group import InputGroup
from .randomness_group import RandomnessGroup

# Every text of the panel is English, marked for lupdate, and shown through
# `translate("ControlPanel", ...)` in the language now set (control_group.py).
DEFAULT_COMPARE = "spatial"
"""The window opens on the question people come with: Dropout against SpatialDropout1D."""
PRESETS: dict[str, tuple[Spec, str | None]] = {
    QT_TRANSLATE_NOOP(
        "ControlPanel", "The seed question: Dropout(0.5) vs SpatialDropout1D(0.5), arange (3, 3, 4)"
    ): (
        Spec(),
        DEFAULT_COMPARE,
    ),
    QT_TRANSLATE_NOOP(
        "ControlPanel", "Model: Embedding(1000, 16), 20 tokens, Dropout(0.2) vs SpatialDropout1D"
    ): (
        Spec(shape=(4, 20, 16), source="embedding", vocab=1000, rate=0.2),
        "spatial",
    ),
    QT_TRANSLATE_NOOP(
        "ControlPanel", "Same model, whole tokens: noise_shape=(B, S, 1) vs Dropout"
    ): (
        Spec(shape=(4, 20, 16), source="embedding", vocab=1000, rate=0.2, mode="token"),
        "dropout",
    ),
    QT_TRANSLATE_NOOP("ControlPanel", "Word dropout (AWD-LSTM), vocab 12, vs Dropout"): (
        Spec(shape=(3, 10, 8), source="embedding", vocab=12, rate=0.3, mode="word"),
        "dropout",
    ),
}
"""Each preset, by its English name: a spec and the mode to compare it with."""
PRESETS_TEXT = QT_TRANSLATE_NOOP("ControlPanel", "Presets…")


class ControlPanel(Retranslated, QWidget):
    """All the controls of a spec, plus the mode to compare; emits specs as they change.

    The groups' widgets are attributes of the panel too (`controls.seed`,
    `controls.layer`, `controls.input_error`, ...), as are the input's file actions
    (`open_npy`, `open_model`, ...) and the seed's steps (`step_seed`, `next_draw`)."""

    sigChanged = Signal()
    sigPlayToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._updating = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        self.preset = QComboBox()
        self.preset.addItem("", None)
        for name in PRESETS:
            self.preset.addItem("", name)
        # sized to the panel, not to the longest preset name (the list shows them whole)
        self.preset.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.preset.setMinimumContentsLength(16)
        self.preset.activated.connect(self._apply_preset)
        layout.addWidget(self.preset)

        self.input_group = InputGroup()
        self.dropout_group = DropoutGroup()
        self.randomness_group = RandomnessGroup()
        self._groups: tuple[ControlGroup, ...] = (
            self.input_group,
            self.dropout_group,
            self.randomness_group,
        )
        for group in self._groups:
            layout.addWidget(group)
            group.sigChanged.connect(self._changed)
        layout.addStretch(1)
        self._group_of_field: dict[str, ControlGroup] = {
            **dict.fromkeys(RandomnessGroup.FIELDS, self.randomness_group),
            **dict.fromkeys(DropoutGroup.FIELDS, self.dropout_group),
        }  # shape, vocab, tokens, data_seed, the source and the model go to the input group
        self.input_group.sigLayerChosen.connect(self._on_layer)
        self.randomness_group.sigPlayToggled.connect(self.sigPlayToggled)

        # the groups' widgets and actions, by the names the window and the tests use
        group = self.input_group
        self.source, self.open_button, self.input_form = group.source, group.open_button, group.form
        self.batch, self.seq_len, self.dim = group.shape_boxes
        self.vocab, self.tokens, self.edit_tokens = group.vocab, group.tokens, group.edit_tokens
        self.data_seed, self.input_error = group.data_seed, group.error
        self.model_label, self.layer, self.text = group.model.rows
        self.choose_npy, self.open_npy = group.choose_npy, group.open_npy
        self.choose_model, self.open_model = group.choose_model, group.open_model
        self.show_file_shape, self.show_drawn_tokens = (
            group.show_file_shape,
            group.show_drawn_tokens,
        )
        group = self.dropout_group
        self.mode, self.compare, self.engine = group.mode, group.compare, group.engine
        self.rate, self.rate_slider = group.rate, group.rate_slider
        self.noise_shape, self.training, self.dropout_error = (
            group.noise_shape,
            group.training,
            group.error,
        )
        group = self.randomness_group
        self.seed, self.draw, self.play, self.speed = (
            group.seed,
            group.draw,
            group.play,
            group.speed,
        )
        self.step_seed, self.next_draw = group.step_seed, group.next_draw
        self.random_error = group.error

        self.retranslate()
        self.set_spec(Spec())

    # ------------------------------------------------------------------ language
    def retranslate(self) -> None:
        """The presets in the language now set (each group says its own texts again on
        the same LanguageChange)."""
        self.preset.setItemText(0, translate("ControlPanel", PRESETS_TEXT))
        for index in range(1, self.preset.count()):
            self.preset.setItemText(index, translate("ControlPanel", self.preset.itemData(index)))

    # ------------------------------------------------------------------ reading
    def spec(self) -> Spec:
        """The spec the controls describe; DropguiError names what is wrong."""
        spec = Spec(
            **self.input_group.spec_fields(),
            **self.dropout_group.spec_fields(),
            **self.randomness_group.spec_fields(),
        )
        if spec.source == "model":
            spec = self.input_group.model.on_model(spec)
        spec.validate()
        return spec

    def compare_spec(self, spec: Spec) -> Spec | None:
        """The same spec in the compared mode, or None (also None if it cannot apply)."""
        mode = self.compare.currentData()
        if mode is None or (mode == spec.mode and spec.layer is None):
            return None
        noise = spec.noise_shape if MODES[mode].takes_noise_shape else None
        # a model's layer is compared with a mode on the same embedding output
        other = spec.replace(mode=mode, noise_shape=noise, layer=None)
        try:
            other.validate()
        except DropguiError:
            return None
        return other

    # ------------------------------------------------------------------ writing
    def set_spec(self, spec: Spec, compare: str | None = None) -> None:
        """Show `spec` in the widgets without emitting a change per widget."""
        self._updating = True
        try:
            self.input_group.set_spec(spec)
            self.dropout_group.set_spec(spec, compare)
            self.randomness_group.set_spec(spec)
        finally:
            self._updating = False
        self._changed()

    def show_error(self, message: str | Callable[[], str], field: str = "") -> None:
        """Show `message` next to the group of the Spec `field` it is about (the input
        group when no field is named); an empty message clears all."""
        for group in self._groups:
            group.clear_refusal()
        if message:
            self.show_refusal(message, field)

    def show_refusal(self, message: str | Callable[[], str], field: str) -> None:
        """Show `message` next to the group of `field`, leaving the other groups' messages:
        text a number box refused leaves the spec, and what is wrong with it, as it was.

        `message` is a text (a core `Message` is said again in each language; other
        text, such as a number box's refusal, stays as it was said) or a callable that
        says it in the language now set."""
        self._group_of_field.get(field, self.input_group).show_refusal(message)

    # ------------------------------------------------------------------ reacting
    def _changed(self) -> None:
        if self._updating:
            return
        self.input_group.show_source()
        self.dropout_group.follow_input(self.input_group.from_model(), self.input_group.by_layer())
        self.sigChanged.emit()

    def _on_layer(self) -> None:
        """Another layer of the model, or another model: show the layer's own
        configuration, then ask for it."""
        if self._updating:
            return
        self._updating = True
        try:
            self._show_layer()
        finally:
            self._updating = False
        self._changed()

    def _show_layer(self) -> None:
        """Put the chosen layer's mode, rate, noise_shape and saved seed in the boxes."""
        model = self.input_group.model
        site = model.chosen_layer()
        if model.info is None or site is None:
            return
        self.dropout_group.show_layer(site, model.info.engine)
        if site.seed is not None and model.info.engine == "keras3":
            self.seed.setValue(site.seed)  # the layer's first call is draw 1, as in the model

    def _apply_preset(self, index: int) -> None:
        if index > 0:
            self.set_spec(*PRESETS[self.preset.itemData(index)])
            self.preset.setCurrentIndex(0)


__all__ = ["DEFAULT_COMPARE", "PRESETS", "ControlPanel", "Marked", "mode_label", "mode_name"]
