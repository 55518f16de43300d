"""TensorFlow and Keras, imported once, on first use, and quietly.

`import dropgui` imports no TensorFlow: a computation (`engine.py`) or a saved model's
text (`model_input.py`) loads it here when it first needs it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Iterator
from types import SimpleNamespace


@functools.cache
def load_tensorflow() -> SimpleNamespace:
    """Import TensorFlow and Keras 3 once; later calls are free.

    tf-keras costs another 0.4 s and is imported only when asked (`tf_keras_module`).
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # TensorFlow's C++ start-up lines (oneDNN, CUDA probing, CPU features) are written
    # to fd 2 before its logging is set up, so no setting silences them; they are noise
    # for our users. Python errors still surface: they are raised, not printed here.
    with _stderr_silenced():
        import keras
        import tensorflow as tf

        tf.constant(0.0) + 1.0  # the first op prints its own start-up lines
    return SimpleNamespace(tf=tf, keras=keras)


@functools.cache
def tf_keras_module():
    """The tf-keras package (Keras 2), imported on first use."""
    load_tensorflow()
    import tf_keras

    return tf_keras


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
