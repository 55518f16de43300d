"""The control panel alone, offscreen: widgets become a Spec, errors go to their group."""

import pytest

from dropgui import DropguiError, Spec
from dropgui._qt.controls import PRESETS, ControlPanel


@pytest.fixture
def panel(qtbot):
    widget = ControlPanel()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_opens_on_the_default_spec(panel):
    assert panel.spec() == Spec()


@pytest.mark.parametrize("name", list(PRESETS))
def test_each_preset_shows_its_spec(panel, name):
    panel.preset.setCurrentIndex(panel.preset.findText(name))
    panel.preset.activated.emit(panel.preset.currentIndex())
    spec, compare = PRESETS[name]
    assert panel.spec() == spec
    assert panel.compare.currentData() == compare


def test_the_first_preset_asks_the_seed_question():
    spec, compare = next(iter(PRESETS.values()))
    assert (spec.mode, spec.rate, spec.source, spec.shape) == ("dropout", 0.5, "arange", (3, 3, 4))
    assert compare == "spatial"


@pytest.mark.parametrize(
    ("field", "group"),
    [
        ("seed", "random_error"),
        ("draw", "random_error"),
        ("rate", "dropout_error"),
        ("noise_shape", "dropout_error"),
        ("mode", "dropout_error"),
        ("engine", "dropout_error"),
        ("shape", "input_error"),
        ("tokens", "input_error"),
        ("source", "input_error"),
        ("", "input_error"),
    ],
)
def test_an_error_is_shown_in_the_group_of_its_field(panel, field, group):
    # The text mentions another group's words: the field decides, not the text.
    panel.show_error("seed and rate and shape are all named here", field)
    for name in ("input_error", "dropout_error", "random_error"):
        label = getattr(panel, name)
        assert label.isVisible() == (name == group)
    assert getattr(panel, group).text().startswith("seed and rate")
    panel.show_error("")
    assert not getattr(panel, group).isVisible()


@pytest.mark.parametrize(
    ("set_bad_value", "field"),
    [
        (lambda p: p.noise_shape.setText("a,b,c"), "noise_shape"),
        (lambda p: p.noise_shape.setText("5,1,1"), "noise_shape"),
        (lambda p: (p.source.setCurrentIndex(1), p.tokens.setText("1 x")), "tokens"),
        (lambda p: [s.setValue(4096) for s in (p.batch, p.seq_len, p.dim)], "shape"),
        (lambda p: p.mode.setCurrentIndex(p.mode.findData("word")), "mode"),
    ],
)
def test_a_refused_spec_names_its_field(panel, set_bad_value, field):
    set_bad_value(panel)
    with pytest.raises(DropguiError) as caught:
        panel.spec()
    assert caught.value.field == field
