"""Keras code that reproduces a spec exactly, for the window's code panel.

The code is plain Keras and numpy, runnable on its own; a test runs it and compares
its `y` with `dropgui.compute(spec).output` bit for bit. For a saved model it loads the
file and runs the model's own Embedding and dropout layer (`model_layer_lines`).
"""

from __future__ import annotations

from .inputs import input_shape
from .model import DropoutLayer, describe
from .modes import MODES
from .spec import Spec


def keras_code(spec: Spec) -> str:
    """Python source whose variable `y` is the output dropgui shows for `spec`."""
    keras3 = spec.engine == "keras3"
    mode = MODES[spec.mode]
    lines = ["import numpy as np"]
    if keras3 or spec.source == "embedding":
        lines.append("import keras")
    if not keras3:
        lines += ["import tensorflow as tf", "import tf_keras"]
    lines.append("")
    lines += _model_input_lines(spec) if spec.source == "model" else _input_lines(spec)
    lines.append("")
    if spec.layer is not None:
        layer = describe(str(spec.model)).layer(spec.layer)
        return "\n".join(lines + model_layer_lines(spec, layer)) + "\n"

    seed_arg = f", seed={spec.seed}" if keras3 else ""
    lib = "keras" if keras3 else "tf_keras"
    target = "x"
    if mode.acts_on_matrix:
        lines.append("# Embedding-matrix dropout: drop whole rows (words) of the weights.")
        target = "embedding.embeddings"
    shape = input_shape(spec) if spec.source == "model" else spec.shape
    args = mode.code_args(spec.rate, spec.noise_shape, shape, spec.vocab) + seed_arg
    lines.append(f"layer = {lib}.layers.{mode.keras_layer}({args})")

    if not keras3:
        lines.append(f"tf.random.set_seed({spec.seed})  # tf-keras draws from the global seed")
    call = f"layer({target}, training={spec.training})"
    if spec.draw > 1 and spec.training:
        if keras3:
            lines.append(f"for _ in range({spec.draw - 1}):  # earlier calls step the seed")
            lines.append(f"    {call}")
        else:
            lines += _replay_lines(spec)
    lines.append(f"y = {call}")
    if mode.acts_on_matrix:
        lines.append("y = np.take(np.asarray(y), ids, axis=0)  # look the words up")
    return "\n".join(lines) + "\n"


def _replay_lines(spec: Spec) -> list[str]:
    return [
        f"for _ in range({spec.draw - 1}):  # earlier random ops",
        "    tf.random.uniform(())",
    ]


def _input_lines(spec: Spec) -> list[str]:
    batch, seq_len, dim = spec.shape
    if spec.source == "arange":
        count = batch * seq_len * dim
        return [
            f'x = np.arange(1, {count + 1}, dtype="float32").reshape({batch}, {seq_len}, {dim})'
        ]
    if spec.is_file:
        return [
            f'x = np.load({spec.source!r}).astype("float32")',
            "x = x[np.newaxis] if x.ndim == 2 else x  # (S, D) is one slice",
        ]
    return [
        *_ids_lines(spec, spec.vocab),
        "embedding = keras.layers.Embedding(",
        f"    {spec.vocab},",
        f"    {dim},",
        "    embeddings_initializer=keras.initializers.RandomUniform(",
        f"        -0.05, 0.05, seed={spec.data_seed}",
        "    ),",
        ")",
        "x = embedding(ids)  # dropgui builds its input with Keras 3 for both engines",
    ]


def _ids_lines(spec: Spec, vocab: int) -> list[str]:
    if spec.tokens is not None:
        return [f"ids = np.array({[list(row) for row in spec.tokens]}, dtype=np.int32)"]
    batch, seq_len, _ = spec.shape
    return [
        f"ids = np.random.default_rng({spec.data_seed}).integers(",
        f"    0, {vocab}, size=({batch}, {seq_len}), dtype=np.int32",
        ")",
    ]


def _model_input_lines(spec: Spec) -> list[str]:
    """Load the model file and run its own Embedding on the ids (or its text)."""
    info = describe(str(spec.model))
    embedding = info.embedding(info.layer(spec.layer).embedding if spec.layer else None)
    if info.engine == "keras3":
        lines = [f"model = keras.saving.load_model({spec.model!r}, compile=False, safe_mode=True)"]
    else:
        lines = [
            "# dropgui read the file's configuration first: no Lambda or custom layer",
            f"model = tf_keras.models.load_model({spec.model!r}, compile=False)",
        ]
    if spec.text is not None:
        texts = list(spec.text)
        lines.append(f"ids = model.get_layer({embedding.vectorizer!r})(np.array({texts!r}))")
    else:
        lines += _ids_lines(spec, embedding.input_dim)
    return [
        *lines,
        f"embedding = model.get_layer({embedding.name!r})  # the model's trained weights",
        "x = embedding(ids)",
    ]


def model_layer_lines(spec: Spec, layer: DropoutLayer) -> list[str]:
    """The model's dropout layer at dropgui's seed and draw: Keras 3 rebuilds it from
    its configuration with `seed`, then calls it `draw` times; tf-keras calls the saved
    layer after `tf.random.set_seed(seed)` and `draw - 1` random ops."""
    keras3 = spec.engine == "keras3"
    lines = [f"saved = model.get_layer({layer.name!r})"]
    if keras3:
        lines.append(
            f"layer = keras.layers.{layer.class_name}.from_config("
            f'{{**saved.get_config(), "seed": {spec.seed}}})'
        )
    else:
        lines += ["layer = saved  # unseeded: tf-keras draws from the global seed"]
        lines.append(f"tf.random.set_seed({spec.seed})")
        if spec.draw > 1 and spec.training:
            lines += _replay_lines(spec)
    if layer.recurrent:
        return lines + _recurrent_lines(spec, layer)
    call = f"layer(x, training={spec.training})"
    if keras3 and spec.draw > 1 and spec.training:
        lines += [f"for _ in range({spec.draw - 1}):  # earlier calls step the seed", f"    {call}"]
    return [*lines, f"y = {call}"]


def _recurrent_lines(spec: Spec, layer: DropoutLayer) -> list[str]:
    """The mask the recurrent layer's cell multiplies its input by."""
    if not spec.training:
        return ["y = x  # training=False: the cell's input is not dropped"]
    if spec.engine == "keras3":
        draw = "layer.cell.get_dropout_mask(x[:, 0, :])"
        lines = []
        if spec.draw > 1:
            lines += [
                f"for _ in range({spec.draw - 1}):  # each earlier call drew one mask",
                f"    {draw}",
                "    layer.cell.reset_dropout_mask()",
            ]
        return [*lines, f"mask = {draw}  # one mask per sample", "y = x * mask[:, None, :]"]
    count = {"LSTM": 4, "GRU": 3}.get(layer.class_name, 1)
    if layer.fused:  # tf-keras' fused kernel: masks of the whole sequence, the first used
        return [
            f"mask = layer.get_dropout_mask_for_cell(x, True, count={count})[0]",
            "y = x * mask",
        ]
    first = "[0]" if count > 1 else ""
    return [
        f"mask = layer.cell.get_dropout_mask_for_cell(x[:, 0, :], True, count={count}){first}",
        "y = x * mask[:, None, :]  # one mask per sample, at every timestep",
    ]
