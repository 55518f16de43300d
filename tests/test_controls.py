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


def type_into(qtbot, box, text: str) -> None:
    """Replace a number box's text by typing, then press Enter."""
    from PySide6.QtCore import Qt

    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


@pytest.mark.parametrize(
    ("box", "typed", "field", "problem"),
    [
        ("rate", "1.5", "rate", "rate must be at least 0 and below 1"),
        ("rate", "-0.2", "rate", "rate must be at least 0 and below 1"),
        ("batch", "0", "shape", "shape must be three positive integers"),
        ("draw", "10001", "draw", "draw must be an integer from 1 to 10,000"),
        ("vocab", "0", "vocab", "vocab must be an integer"),
    ],
)
def test_a_typed_number_reaches_the_spec_which_names_the_problem(
    qtbot, panel, box, typed, field, problem
):
    """The box keeps what was typed; the Spec refuses it with its own words."""
    if box == "vocab":
        panel.source.setCurrentIndex(panel.source.findData("embedding"))
    type_into(qtbot, getattr(panel, box), typed)
    assert getattr(panel, box).value() == float(typed)
    with pytest.raises(DropguiError, match=problem) as caught:
        panel.spec()
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("box", "typed", "group", "says", "kept"),
    [
        ("seed", "x", "random_error", "seed takes a whole number; 'x' is not one", 0),
        ("batch", "b", "input_error", "B takes a whole number; 'b' is not one", 3),
        ("rate", "a", "dropout_error", "rate takes a number; 'a' is not one", 0.5),
        ("rate", "0.1234", "dropout_error", "rate takes at most 3 decimals", 0.123),
        ("speed", "0", "random_error", "speed takes a whole number from 1 to 60; 0 is not", 1),
        ("speed", "", "random_error", "speed is empty", 1),
    ],
)
def test_text_a_number_box_refuses_is_named_next_to_it(qtbot, panel, box, typed, group, says, kept):
    from PySide6.QtCore import Qt

    widget = getattr(panel, box)
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, typed) if typed else qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClick(widget, Qt.Key.Key_Return)
    label = getattr(panel, group)
    assert label.isVisible() and says in label.text()
    assert widget.value() == pytest.approx(kept)


def test_a_refused_keystroke_leaves_other_groups_messages(qtbot, panel):
    panel.show_error("noise_shape is wrong", "noise_shape")
    type_into(qtbot, panel.seed, "q")
    assert panel.dropout_error.isVisible() and panel.random_error.isVisible()


def test_the_training_box_says_its_state(panel):
    panel.training.setChecked(False)
    assert panel.training.text() == "training=False (inference)"
    panel.training.setChecked(True)
    assert panel.training.text() == "training=True"


def test_drawn_token_ids_are_not_kept_for_another_source(panel, tmp_path):
    import numpy as np

    panel.source.setCurrentIndex(panel.source.findData("embedding"))
    panel.show_drawn_tokens(np.array([[4, 8, 15], [16, 23, 42], [1, 2, 3]]))
    assert "drawn: 4 8 15" in panel.tokens.placeholderText()
    panel.source.setCurrentIndex(panel.source.findData("arange"))
    assert "drawn" not in panel.tokens.placeholderText()
    panel.edit_tokens.click()
    assert panel.tokens.text() == ""
    panel.open_npy(str(tmp_path / "x.npy"))
    assert "drawn" not in panel.tokens.placeholderText()
    # a reply for the Embedding run arriving late does not bring them back
    panel.show_drawn_tokens(np.array([[4, 8, 15], [16, 23, 42], [1, 2, 3]]))
    assert "drawn" not in panel.tokens.placeholderText()


def test_opening_a_file_reads_nothing_and_its_shape_comes_from_the_reply(panel, tmp_path):
    path = tmp_path / "missing.npy"  # not even there: the worker will say so
    panel.open_npy(str(path))
    spec = panel.spec()
    assert spec.source == str(path) and spec.shape == (1, 1, 1)
    panel.show_file_shape(Spec(source=str(path), shape=(2, 5, 3)))
    assert panel.spec().shape == (2, 5, 3)
    assert (panel.batch.value(), panel.seq_len.value(), panel.dim.value()) == (2, 5, 3)
