"""The one way to compute: real Keras layers on a real tensor, with the exact keep mask.

TensorFlow is imported on first use (`load_tensorflow`, defined in `tf_loader.py`; a
model's text may need it first), not when dropgui is imported, so the window can appear
before it and bad input is refused before it. All TensorFlow work runs under one lock:
tf-keras seeding is process-global (`tf.random.set_seed`), and two seeded computations
interleaving would get each other's random ops.

How a draw is reproduced, and how the keep mask is taken from it:

* keras3: a layer built with `seed=seed` has a SeedGenerator whose state starts at
  [seed, 0] and steps to [seed, k] after k calls; setting it to [seed, draw - 1] makes
  the next call the `draw`-th. The same state then feeds `keras.random.uniform` (or
  `normal`) of the noise shape: the very sample the layer draws inside
  `tf.nn.experimental.stateless_dropout`, which keeps cells where `uniform >= rate`.
* tf-keras: `tf.random.set_seed(seed)`, then `draw - 1` random ops, then the call: the
  `draw`-th random op after the global seed, as in a TF 2.x script. Replaying the same
  prefix before `tf.random.uniform` (or `normal`) gives the layer's own sample. The
  caller's global seed and its stream of op seeds are put back afterwards
  (`global_seed_kept`), so a script that set its own seed draws what it would have
  drawn without dropgui in between.

A saved model's input (source "model") is its own Embedding, with its trained weights,
applied to the ids; its dropout layer is the mode with that layer's configuration
(`model.DropoutLayer`), and the input dropout of a recurrent layer is applied as its
cell applies it: the input times a dropout of ones, one mask for every timestep.

Non-finite values never leave `compute`: an input whose kept cells overflow float32
under the layer's scale (3e38 x 2), or a draw whose noise factors overflow, is refused
with DropguiError (`check_finite`), so no view, file or JSON document ever holds inf.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib.metadata
import threading
import time
from collections.abc import Iterator

import numpy as np

from . import laws
from .errors import DropguiError
from .i18n import tr
from .inputs import Prepared, prepare
from .model_input import loaded_layer, words
from .modes import MODES
from .result import Result
from .spec import Spec
from .tf_loader import load_tensorflow
from .tf_loader import tf_keras_module as _tf_keras

tf_lock = threading.Lock()
"""Held by every TensorFlow computation of dropgui (compute, statistics): tf-keras
seeding is process-global, so two seeded computations must never interleave."""


def versions() -> dict[str, str]:
    """Versions of TensorFlow and both Keras engines."""
    mods = load_tensorflow()
    return {
        "tensorflow": mods.tf.__version__,
        "keras3": mods.keras.__version__,
        "tf-keras": importlib.metadata.version("tf-keras"),
    }


def compute(spec: Spec, prepared: Prepared | None = None) -> Result:
    """Run `spec` through real Keras layers; raise DropguiError if the spec is bad.

    `prepared`, the spec's input already checked and read by `inputs.prepare` (or the
    input of another spec on the same tensor, as a compared mode is), saves reading a
    file twice.
    """
    if prepared is None or prepared.spec is not spec:
        prepared = prepare(spec) if prepared is None else prepared.for_spec(spec)
    load_tensorflow()
    with tf_lock, global_seed_kept():
        start = time.perf_counter()
        result = _run(prepared)
    return dataclasses.replace(result, seconds=time.perf_counter() - start)


@contextlib.contextmanager
def global_seed_kept() -> Iterator[None]:
    """Put TensorFlow's global seed and its stream of op seeds back on leaving.

    tf-keras draws are reproduced with `tf.random.set_seed` (process state): without
    this, a caller's `tf.random.set_seed(123); dropgui.compute(...); tf.random.uniform(())`
    would draw from dropgui's seed. Eager TensorFlow keeps the global seed and a
    `random.Random` of op seeds on its context (`tensorflow/python/eager/context.py`,
    `_set_global_seed`); there is no public way to read them. Not restored: kernels of
    ops the caller gave an explicit op seed restart, as after any `set_seed` (it clears
    TensorFlow's kernel cache).
    """
    from tensorflow.python.eager import context as eager_context

    context = eager_context.context()
    seed = context._seed
    stream = getattr(context, "_rng", None)
    state = None if stream is None else stream.getstate()
    try:
        yield
    finally:
        context._seed = seed
        if stream is None:
            vars(context).pop("_rng", None)
        else:
            stream.setstate(state)
            context._rng = stream


def check_finite(spec: Spec, x: np.ndarray, values: np.ndarray) -> None:
    """Refuse `values` computed from input `x` under `spec` if any is inf or NaN.

    The input is finite (`npy_file.load_npy` refuses anything else), so a non-finite
    value means float32 overflowed under the layer's scale or a noise factor. Raised as
    DropguiError about the input (field "source"): the CLI prints one line, the window
    keeps its last good view, and no file or JSON document ever holds inf.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(values).all():
            return
    mode = MODES[spec.mode]
    layer, largest = mode.caption(spec.rate, spec.noise_shape), float(np.abs(x).max())
    if mode.drops_cells:
        refusal = tr(
            "input values overflow float32 under {layer}: kept cells are scaled by "
            "{scale:.4g} and the largest |x| is {largest:.3g}; scale the input down",
            layer=layer,
            scale=mode.scale(spec.rate),
            largest=largest,
        )
    else:
        refusal = tr(
            "input values overflow float32 under {layer}: cells are multiplied by random "
            "noise factors and the largest |x| is {largest:.3g}; scale the input down",
            layer=layer,
            largest=largest,
        )
    raise DropguiError(refusal, field="source")


def _run(prepared: Prepared) -> Result:
    mods = load_tensorflow()
    tf = mods.tf
    spec = prepared.spec
    mode = MODES[spec.mode]

    site = prepared.model.layer if prepared.model is not None else None
    if prepared.model is not None:
        embedding = loaded_layer(prepared.model.info, prepared.model.embedding.name)
        x = tf.convert_to_tensor(embedding(tf.constant(prepared.token_ids)))
    elif prepared.token_ids is not None:
        embedding = embedding_layer(spec.vocab, prepared.shape[2], spec.data_seed)
        x = embedding(tf.constant(prepared.token_ids))
    else:
        x = tf.constant(prepared.values)
    # What the layer acts on: the tensor, or the embedding matrix before the lookup.
    target = tf.convert_to_tensor(embedding.embeddings) if mode.acts_on_matrix else x
    sample_shape = mode.sample_shape(spec.noise_shape, prepared.shape, spec.vocab)
    layer = dropout_layer(
        spec.engine,
        spec.mode,
        spec.rate,
        mode.layer_noise_shape(spec.noise_shape, prepared.shape, spec.vocab),
    )

    random = spec.training and spec.rate > 0
    sample = _sample(mods, spec, layer, sample_shape) if random else None
    if site is not None and site.recurrent:
        # keras DropoutRNNCell and tf-keras DropoutRNNCellMixin: the cell's input times
        # a dropout of ones, drawn once per call (the same random op as the mode's).
        output = target * layer(tf.ones(sample_shape), training=spec.training)
    else:
        output = layer(target, training=spec.training)
    if mode.acts_on_matrix:
        output = tf.gather(output, prepared.token_ids)

    x = np.asarray(x)
    output = np.asarray(output)
    check_finite(spec, x, output)
    if random and mode.drops_cells:
        # Every draw must stay finite, not only this one: stepping seeds or taking
        # statistics keeps cells this draw dropped. A kept cell's value is monotonic
        # in x (x * scale, or Alpha's a * x + b), so the extremes of x decide.
        extremes = np.array([x.min(), x.max()], dtype=np.float32)
        with np.errstate(over="ignore"):  # an overflow is what check_finite reports
            kept_extremes, _ = mode.kept_and_dropped(extremes, spec.rate)
        check_finite(spec, x, kept_extremes)
    noise = None
    if random and mode.drops_cells:
        keep = np.asarray(sample) >= np.float32(spec.rate)
        if mode.acts_on_matrix:
            keep = keep[prepared.token_ids]  # (B, S, 1): one decision per word id
        keep_mask = np.ascontiguousarray(np.broadcast_to(keep, x.shape))
    else:  # no cell can be dropped: inference, rate 0, Gaussian noise
        keep_mask = np.ones(x.shape, dtype=bool)
    if spec.training and not mode.drops_cells:
        noise = np.asarray(sample) if random else np.ones_like(x)
    scale, extras = 1.0, {}
    if spec.training:
        scale, extras = mode.scale(spec.rate), mode.affine_extras(spec.rate)
    return Result(
        spec=spec,
        input=x,
        output=output,
        keep_mask=keep_mask,
        scale=scale,
        noise_shape=tuple(sample_shape),
        token_ids=prepared.token_ids,
        noise=noise,
        model_layer=site,
        words=None if prepared.model is None else words(prepared.model),
        **extras,
    )


def _sample(mods, spec: Spec, layer, shape: tuple):
    """The layer's own random sample for `spec.draw`: uniform, or normal around 1
    (GaussianDropout). The random state is then put back, so the layer's call draws
    the very same sample."""
    _rewind(spec, layer)
    if spec.engine == "keras3":
        random, seed = mods.keras.random, layer.seed_generator
    else:
        random, seed = mods.tf.random, None
    if MODES[spec.mode].sample_kind == "normal":
        sample = random.normal(shape, mean=1.0, stddev=laws.gaussian_stddev(spec.rate), seed=seed)
    else:
        sample = random.uniform(shape, seed=seed)
    _rewind(spec, layer)
    return sample


def _rewind(spec: Spec, layer) -> None:
    """Put the random state where the layer's `spec.draw`-th call finds it."""
    if spec.engine == "keras3":
        layer.seed_generator.state.assign(np.array([spec.seed, spec.draw - 1]))
    else:
        replay_random_ops(spec.seed, spec.draw - 1)


def replay_random_ops(seed: int, ops: int) -> None:
    """tf-keras: `tf.random.set_seed(seed)`, then `ops` random ops, so that the next
    random op is the (ops + 1)-th after the seed, as in a TF 2.x script. Call under
    `tf_lock`."""
    tf = load_tensorflow().tf
    tf.random.set_seed(seed)
    for _ in range(ops):
        tf.random.uniform(())


@functools.lru_cache(maxsize=32)
def dropout_layer(engine: str, mode: str, rate: float, noise_shape: tuple | None):
    """The Keras layer of a mode, built once and reused.

    Reuse is exact: a keras3 layer's next call is fixed by its SeedGenerator state, which
    `_sample` sets to [seed, draw - 1], the state a fresh `Layer(rate, seed=seed)` has
    before its `draw`-th call; tf-keras layers draw from the global seed and hold no
    random state. Building a layer costs about as much as calling it on a small tensor.
    """
    keras3 = engine == "keras3"
    layers = (load_tensorflow().keras if keras3 else _tf_keras()).layers
    return MODES[mode].build_layer(layers, rate, noise_shape, seeded=keras3)


@functools.lru_cache(maxsize=4)
def embedding_layer(vocab: int, dim: int, data_seed: int):
    """A built Keras 3 `Embedding(vocab, dim)` whose weights depend on data_seed only."""
    keras = load_tensorflow().keras
    layer = keras.layers.Embedding(
        vocab,
        dim,
        # Keras' default initializer, seeded: a seeded initializer repeats its values.
        embeddings_initializer=keras.initializers.RandomUniform(-0.05, 0.05, seed=data_seed),
    )
    layer.build((None, None))
    return layer
