"""Keras code that reproduces a spec exactly, for the window's code panel.

The code is plain Keras and numpy, runnable on its own; a test runs it and compares
its `y` with `dropgui.compute(spec).output` bit for bit.
"""

from __future__ import annotations

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
    lines += _input_lines(spec)
    lines.append("")

    seed_arg = f", seed={spec.seed}" if keras3 else ""
    lib = "keras" if keras3 else "tf_keras"
    target = "x"
    if mode.acts_on_matrix:
        lines.append("# Embedding-matrix dropout: drop whole rows (words) of the weights.")
        target = "embedding.embeddings"
    args = mode.code_args(spec.rate, spec.noise_shape, spec.shape, spec.vocab) + seed_arg
    lines.append(f"layer = {lib}.layers.{mode.keras_layer}({args})")

    if not keras3:
        lines.append(f"tf.random.set_seed({spec.seed})  # tf-keras draws from the global seed")
    call = f"layer({target}, training={spec.training})"
    if spec.draw > 1 and spec.training:
        if keras3:
            lines.append(f"for _ in range({spec.draw - 1}):  # earlier calls step the seed")
            lines.append(f"    {call}")
        else:
            lines.append(f"for _ in range({spec.draw - 1}):  # earlier random ops")
            lines.append("    tf.random.uniform(())")
    lines.append(f"y = {call}")
    if mode.acts_on_matrix:
        lines.append("y = np.take(np.asarray(y), ids, axis=0)  # look the words up")
    return "\n".join(lines) + "\n"


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
    if spec.tokens is not None:
        ids = [f"ids = np.array({[list(row) for row in spec.tokens]}, dtype=np.int32)"]
    else:
        ids = [
            f"ids = np.random.default_rng({spec.data_seed}).integers(",
            f"    0, {spec.vocab}, size=({batch}, {seq_len}), dtype=np.int32",
            ")",
        ]
    return [
        *ids,
        "embedding = keras.layers.Embedding(",
        f"    {spec.vocab},",
        f"    {dim},",
        "    embeddings_initializer=keras.initializers.RandomUniform(",
        f"        -0.05, 0.05, seed={spec.data_seed}",
        "    ),",
        ")",
        "x = embedding(ids)  # dropgui builds its input with Keras 3 for both engines",
    ]
