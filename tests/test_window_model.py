"""The window on a saved Keras model (issue 11): File -> Open model…, the layer box, the
text field, words as row labels, refusals that keep the last good view.

Real window (offscreen), real TensorFlow and real model files, built and saved here."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

from dropgui import compute
from dropgui.cli import build_parser, model_spec
from dropgui.tf_loader import load_tensorflow

CORPUS = ["the movie was great", "what a boring film", "great music but a weak ending"]
TEXT = "the movie was great; what a boring film"


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """A text model (TextVectorization -> Embedding -> SpatialDropout1D -> GRU(dropout))
    and a token model with a seeded Dropout, both Keras 3, saved once for the module."""
    load_tensorflow()
    import keras
    from keras import layers

    folder = tmp_path_factory.mktemp("window-models")
    vectorizer = layers.TextVectorization(max_tokens=50, output_sequence_length=6, name="vec")
    vectorizer.adapt(CORPUS)
    text = keras.Input((1,), dtype="string")
    hidden = layers.Embedding(50, 8, name="emb")(vectorizer(text))
    hidden = layers.SpatialDropout1D(0.25, name="spatial")(hidden)
    keras.Model(text, layers.GRU(3, dropout=0.4, name="gru")(hidden)).save(folder / "text.keras")
    ids = keras.Sequential(
        [
            keras.Input((5,), dtype="int32"),
            layers.Embedding(30, 8, name="emb"),
            layers.Dropout(0.3, noise_shape=(None, 1, None), seed=7, name="drop"),
        ]
    )
    ids.save(folder / "ids.keras")
    return folder


def open_model(qtbot, window, path) -> None:
    """Open `path` as File -> Open model… would, and wait for its grids."""
    with qtbot.waitSignal(window.sigGridsDrawn, timeout=60_000):
        assert window.controls.open_model(str(path))


def set_text(qtbot, window, text: str) -> None:
    with qtbot.waitSignal(window.sigGridsDrawn, timeout=60_000):
        window.controls.text.setText(text)
        window.controls.text.editingFinished.emit()


def row_tick_strings(window) -> list[str]:
    """The left-axis labels of the focused slice's before panel, as drawn."""
    panel = window.figure.rows[0][2]
    axis = panel.left_axis
    values = [v for _, ticks in axis.tickValues(*axis.range, axis.height()) for v in ticks]
    return axis.tickStrings(values, 1, 1)


def test_the_file_menu_opens_models(window):
    file_menu = window.menuBar().actions()[0].menu()
    texts = [action.text() for action in file_menu.actions()]
    assert "Open model…" in texts


def test_a_text_model_shows_its_layer_on_the_words(qtbot, window, models):
    path = models / "text.keras"
    open_model(qtbot, window, path)
    controls = window.controls
    # the layer box lists the model's dropout layers with their real configuration
    items = [controls.layer.itemText(i) for i in range(controls.layer.count())]
    assert items[:2] == [
        "spatial: SpatialDropout1D(rate=0.25)",
        "gru: GRU(dropout=0.4), input dropout, one mask per sample, reused at every timestep",
    ]
    assert controls.layer.currentData() == "spatial"
    # the layer decides mode and rate: shown and locked; the compared mode differs
    assert controls.mode.currentData() == "spatial" and not controls.mode.isEnabled()
    assert controls.rate.value() == pytest.approx(0.25) and not controls.rate.isEnabled()
    assert controls.compare.currentData() == "dropout"

    set_text(qtbot, window, TEXT)
    result = window.result
    assert result.spec.text == ("the movie was great", "what a boring film")
    assert result.words[0][:4] == ("the", "movie", "was", "great")
    assert result.words[1][:4] == ("what", "a", "boring", "film")
    assert result.shape == (2, 6, 8)
    assert controls.dim.value() == 8 and not controls.dim.isEnabled()
    # the rows are labelled with the words themselves
    labels = row_tick_strings(window)
    assert labels and all(" · " in label for label in labels)
    for label in labels:
        row = int(label.split(" · ")[0][1:])
        assert label == f"t{row} · {result.words[0][row]}"
    assert "spatial" in result.caption and "SpatialDropout1D" in result.caption
    assert "The model's layer SpatialDropout1D 'spatial'" in result.explanation
    assert window.compare is not None and window.compare.spec.layer is None
    assert window.compare.spec.mode == "dropout"
    # the window's view is the CLI's view of the same arguments, bit for bit
    args = build_parser().parse_args(
        [
            "print",
            "--model",
            str(path),
            "--text",
            "the movie was great",
            "--text",
            "what a boring film",
        ]
    )
    cli_spec = model_spec(args, None)
    assert cli_spec == result.spec
    np.testing.assert_array_equal(compute(cli_spec).output, result.output)


def test_choosing_the_recurrent_layer_shows_its_input_dropout(qtbot, window, models):
    open_model(qtbot, window, models / "text.keras")
    set_text(qtbot, window, TEXT)
    with qtbot.waitSignal(window.sigGridsDrawn, timeout=60_000):
        window.controls.layer.setCurrentIndex(window.controls.layer.findData("gru"))
    result = window.result
    assert result.spec.layer == "gru" and result.model_layer.recurrent
    assert window.controls.rate.value() == pytest.approx(0.4)
    # one mask per sample reused at every timestep: every token of a slice drops alike
    mask = result.keep_mask
    assert (mask == mask[:, :1, :]).all() and not mask.all()
    # the last entry leaves the layers and puts the window's own mode on the embedding
    with qtbot.waitSignal(window.sigGridsDrawn, timeout=60_000):
        window.controls.layer.setCurrentIndex(window.controls.layer.count() - 1)
    assert window.result.spec.layer is None and window.controls.mode.isEnabled()


def test_a_saved_seed_starts_the_view_and_the_data_seed_draws_ids(qtbot, window, models):
    open_model(qtbot, window, models / "ids.keras")
    result = window.result
    assert result.spec.seed == 7 and result.spec.draw == 1
    assert result.spec.noise_shape == (None, 1, None)
    assert result.words is None and result.token_ids.max() < 30
    assert not window.controls.text.isEnabled()  # no TextVectorization in this model
    # whole channels: one decision per (sample, channel)
    assert (result.keep_mask == result.keep_mask[:, :1, :]).all()
    # the saved seed is where the view starts, not a lock: the seed steps on from it
    with qtbot.waitSignal(window.sigGridsDrawn, timeout=60_000):
        window.controls.step_seed(1)
    assert window.result.spec.seed == 8
    assert not np.array_equal(window.result.keep_mask, result.keep_mask)


def hostile_files(tmp_path):
    """A text file named .keras, a truncated zip, and a .keras holding a Lambda layer
    whose configuration would touch a marker file if its code ran."""
    text = tmp_path / "notes.keras"
    text.write_text("not a model")
    truncated = tmp_path / "truncated.keras"
    truncated.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    marker = tmp_path / "ran"
    touch = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "seq",
            "layers": [
                {"class_name": "Embedding", "config": {"name": "emb", "input_dim": 9}},
                {"class_name": "Lambda", "config": {"name": "code", "function": touch}},
                {"class_name": "Dropout", "config": {"name": "drop", "rate": 0.5}},
            ],
        },
    }
    lambda_model = tmp_path / "lambda.keras"
    with zipfile.ZipFile(lambda_model, "w") as archive:
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.0.0"}))
    return {"text": text, "truncated": truncated, "lambda": lambda_model}, marker


@pytest.mark.parametrize("kind", ["text", "truncated", "lambda", "missing"])
def test_a_refused_model_is_named_and_the_last_good_view_stays(qtbot, window, tmp_path, kind):
    files, marker = hostile_files(tmp_path)
    path = files.get(kind, tmp_path / "missing.keras")
    before = window.result
    source = window.controls.source.currentData()
    assert not window.controls.open_model(str(path))
    qtbot.wait(200)
    message = window.controls.input_error.text()
    assert window.controls.input_error.isVisible() and str(path.name) in message
    assert "\n" not in message and "Traceback" not in message
    assert window.result is before and window.controls.source.currentData() == source
    assert not marker.exists()


def test_a_model_that_went_away_is_refused_and_the_view_stays(qtbot, window, models, tmp_path):
    copy = tmp_path / "gone.keras"
    copy.write_bytes((models / "ids.keras").read_bytes())
    open_model(qtbot, window, copy)
    shown = window.result
    copy.unlink()
    window.controls.step_seed(1)  # asks again: the file is read again, and refused
    qtbot.waitUntil(lambda: window.controls.input_error.isVisible(), timeout=10_000)
    assert "gone.keras" in window.controls.input_error.text()
    assert window.result is shown and "gone.keras" in window.grid_area.stale_reason


def test_a_model_view_is_remembered(qtbot, models):
    from dropgui._qt.window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    with qtbot.waitSignal(first.sigGridsDrawn, timeout=60_000):
        first.show()
    open_model(qtbot, first, models / "text.keras")
    set_text(qtbot, first, TEXT)
    spec = first.result.spec
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    with qtbot.waitSignal(second.sigGridsDrawn, timeout=60_000):
        second.show()
    assert second.result.spec == spec
    assert second.controls.layer.currentData() == "spatial"
    second.close()


def test_statistics_and_keras_code_work_on_the_models_layer(qtbot, window, models):
    """The Statistics tab draws the model's own layer N times, and the Keras code tab
    loads the model file and runs that layer (the code is run here: its output is the
    window's, bit for bit)."""
    path = models / "text.keras"
    open_model(qtbot, window, path)
    set_text(qtbot, window, TEXT)
    shown = window.result
    window.stats.samples.setValue(200)
    with qtbot.waitSignal(window._worker.sigStats, timeout=60_000) as blocker:
        window.views.setCurrentWidget(window.stats)
    _, stats, error = blocker.args[0]
    assert error is None and stats.samples == 200
    assert stats.spec.layer == "spatial" and stats.drop_frequency.shape == shown.shape
    # SpatialDropout1D: one decision per (sample, channel), so a channel's tokens drop
    # together in every draw: their frequencies are equal down a column
    frequency = stats.drop_frequency
    assert np.allclose(frequency, frequency[:, :1, :])

    code = window.text.code.toPlainText()
    assert str(path) in code and "load_model" in code
    scope: dict = {}
    exec(compile(code, "keras_code", "exec"), scope)  # the tab's code, as a user runs it
    outputs = [np.asarray(v) for v in scope.values() if getattr(v, "shape", None) == shown.shape]
    assert any(np.array_equal(output, shown.output) for output in outputs)
