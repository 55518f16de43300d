"""What to compute: the immutable `Spec`, its checks, and parsers for its text forms.

No TensorFlow and no Qt here, so a bad request is refused in milliseconds, before
TensorFlow is imported, with the same message in the CLI, the window and the API.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any

from .errors import DropguiError
from .i18n import N_, tr
from .modes import ENGINES, MODES, SOURCES, NoiseShape

MAX_CELLS = 2**24
"""Largest tensor (B * S * D cells, and vocab * D for the embedding matrix) dropgui
will build: 16,777,216 float32 cells, 64 MiB. Larger requests are refused before
anything is allocated."""

MAX_SEED = 2**31 - 3
"""Keras 3 reduces seeds modulo 2**31 - 2; below that both engines see the seed as given."""

MAX_TEXT_CHARS = 100_000
"""Most characters of text (all rows together) a model's TextVectorization is given."""

MAX_DRAW = 10_000
"""With tf-keras the k-th draw replays k - 1 random ops after `tf.random.set_seed`."""

MEMORY_BUDGET = 2 * 2**30
"""Most memory one request may add to an idle dropgui process (TensorFlow loaded): 2 GiB
of peak RSS. A request whose estimate is larger is refused before anything is allocated
(`check_memory`); the estimates come from measured bytes per cell, sample and random op
(the statistics plan, the export plan, the CLI's JSON cap). One `compute` stays well
inside it by the caps above: at MAX_CELLS a computation peaks about 0.5 GB above idle,
and a tf-keras draw of MAX_DRAW adds about 0.4 GB of TensorFlow's kernel cache
(tests/test_resources.py measures the largest requests in a child process)."""


@dataclass(frozen=True)
class Spec:
    """One dropout computation, complete: the same Spec always gives the same bits.

    `source` is "arange" (1..B*S*D), "embedding" (a Keras Embedding layer applied to
    token ids), "model" (the Embedding of the saved Keras model at `model`, with its
    trained weights, applied to `tokens`, to `text` through the model's own
    TextVectorization, or to ids drawn from `data_seed` in (B, S) of `shape`) or the
    path of a .npy file. A file's or a model's input has its own shape, which replaces
    `shape` (a model's Embedding sets D).
    `layer` names a dropout layer of the model: `mode`, `rate` and `noise_shape` must
    then be that layer's own (`model_input.spec_for_layer` fills them in); without it, the
    spec's mode acts on the model's embedding output, as on any tensor.
    `draw` k >= 1 selects the k-th call of the seeded layer (keras3) or the k-th random
    op after `tf.random.set_seed(seed)` (tf-keras). `tokens`, when given, are B rows of
    S ids; otherwise ids are drawn from `data_seed`, which also seeds the embedding
    weights, so stepping `seed` changes the mask and nothing else.
    """

    shape: tuple[int, int, int] = (3, 3, 4)
    mode: str = "dropout"
    rate: float = 0.5
    seed: int = 0
    draw: int = 1
    engine: str = "keras3"
    source: str = "arange"
    data_seed: int = 0
    vocab: int = 1000
    tokens: tuple[tuple[int, ...], ...] | None = None
    noise_shape: NoiseShape | None = None
    training: bool = True
    model: str | None = None
    layer: str | None = None
    text: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        # Lists where tuples belong, as Keras takes them (noise_shape=[20, 1, 10]) and
        # JSON gives them back: the same spec either way, and hashable.
        for name in ("shape", "noise_shape"):
            value = getattr(self, name)
            if isinstance(value, list):
                object.__setattr__(self, name, tuple(value))
        if isinstance(self.tokens, list | tuple):
            rows = tuple(tuple(row) if isinstance(row, list) else row for row in self.tokens)
            object.__setattr__(self, "tokens", rows)
        if isinstance(self.text, list):
            object.__setattr__(self, "text", tuple(self.text))

    def replace(self, **changes: Any) -> Spec:
        """A copy with some fields changed (the spec itself never changes)."""
        return replace(self, **changes)

    @property
    def is_file(self) -> bool:
        return self.source not in SOURCES

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready fields, for export files and `--json`."""
        return asdict(self)

    @classmethod
    def from_dict(cls, fields: dict[str, Any]) -> Spec:
        """The inverse of `to_dict` (lists from JSON become tuples in `__post_init__`)."""
        return cls(**fields)

    def validate(self) -> None:
        """Raise DropguiError naming the first problem; checks that need no file.

        A spec never changes, so a spec that passed is not checked again: the CLI, the
        window, export and `compute` may all ask, and only the first pays.
        """
        try:
            known = self in _VALID
        except TypeError:  # a list where a tuple belongs: the checks name it
            known = False
        if known:
            return
        self._check()
        if len(_VALID) > 10_000:
            _VALID.clear()
        _VALID.add(self)

    def _check(self) -> None:
        if self.mode not in MODES:
            raise DropguiError(
                tr(
                    "unknown mode {mode!r}; choose one of {choices}",
                    mode=self.mode,
                    choices=", ".join(MODES),
                ),
                field="mode",
            )
        if self.engine not in ENGINES:
            raise DropguiError(
                tr(
                    "unknown engine {engine!r}; choose one of {choices}",
                    engine=self.engine,
                    choices=", ".join(ENGINES),
                ),
                field="engine",
            )
        check_shape(self.shape)
        if (
            isinstance(self.rate, bool)
            or not isinstance(self.rate, int | float)
            or not 0.0 <= self.rate < 1.0
        ):
            raise DropguiError(
                tr(
                    "rate must be at least 0 and below 1 for {mode} (got {rate})",
                    mode=mode_name(self.mode),
                    rate=self.rate,
                ),
                field="rate",
            )
        check_int("seed", self.seed, 0, MAX_SEED)
        check_int("draw", self.draw, 1, MAX_DRAW)
        check_int("data seed", self.data_seed, 0, MAX_SEED)
        mode = MODES[self.mode]
        if mode.needs_embedding and self.source not in ("embedding", "model"):
            raise DropguiError(
                tr(
                    "{mode} mode drops rows of the embedding matrix and needs embedding input",
                    mode=mode_name(self.mode),
                ),
                field="mode",
            )
        if self.noise_shape is not None and not mode.takes_noise_shape:
            raise DropguiError(
                tr(
                    "{mode} mode sets its own noise_shape; noise_shape applies to {modes}",
                    mode=mode_name(self.mode),
                    modes=modes_named([name for name, m in MODES.items() if m.takes_noise_shape]),
                ),
                field="noise_shape",
            )
        if self.source == "embedding":
            check_int("vocab", self.vocab, 1, MAX_CELLS)
            if self.vocab * self.shape[2] > MAX_CELLS:
                raise DropguiError(
                    tr(
                        "embedding matrix of {vocab} x {dim} is larger than the cap of "
                        "{cap:,} cells",
                        vocab=self.vocab,
                        dim=self.shape[2],
                        cap=MAX_CELLS,
                    ),
                    field="vocab",
                )
            if self.tokens is not None:
                check_tokens(self.tokens, self.shape, self.vocab)
        elif self.tokens is not None and self.source != "model":
            raise DropguiError(
                tr("token ids apply to model and embedding input only"), field="tokens"
            )
        if self.source == "model" or self.model is not None:
            self._check_model()
        if self.layer is not None and self.source != "model":
            raise DropguiError(tr("layer applies to a model's input only"), field="layer")
        if self.text is not None and self.source != "model":
            raise DropguiError(tr("text applies to a model's input only"), field="text")
        if self.source in ("arange", "embedding") and self.noise_shape is not None:
            check_noise_shape(self.noise_shape, self.shape)
        if (
            self.engine == "tf-keras"
            and not mode.tf_keras_noise_shape_takes_none
            and isinstance(self.noise_shape, tuple)
            and None in self.noise_shape
        ):
            raise DropguiError(
                tr(
                    "tf-keras' {layer} cannot take None in noise_shape (it fails on "
                    "{noise_shape}); give every size, or use keras3",
                    layer=mode.keras_layer,
                    noise_shape=format_shape(self.noise_shape),
                ),
                field="noise_shape",
            )

    def _check_model(self) -> None:
        """The model fields that need no file: the file's own checks come in `prepare`."""
        if self.source != "model":
            raise DropguiError(tr("a model file needs source 'model'"), field="source")
        if not isinstance(self.model, str) or not self.model.strip():
            raise DropguiError(tr("source 'model' needs the path of a model file"), field="model")
        if self.layer is not None and (not isinstance(self.layer, str) or not self.layer):
            raise DropguiError(
                tr("layer must be a layer's name (got {layer!r})", layer=self.layer), field="layer"
            )
        if self.tokens is not None and self.text is not None:
            raise DropguiError(tr("give token ids or text, not both"), field="text")
        if self.tokens is not None:
            check_token_rows(self.tokens)
        if self.text is not None:
            check_text(self.text)


MODE_NAMES = {
    "dropout": N_("dropout"),
    "spatial": N_("spatial"),
    "token": N_("token"),
    "word": N_("word"),
    "gaussian": N_("gaussian"),
    "alpha": N_("alpha"),
}
"""A mode as a refusal names it: its id (the CLI's --mode) in English; in Chinese, in
quotes, the name the window's mode box gives it (what it drops)."""

_SAID_NAMES = {"data seed": N_("data seed"), "vocab": N_("vocab")}
"""Spec fields `check_int` names in words; seed and draw are kept as they are."""


def mode_name(mode: str) -> str:
    """The mode `mode` said in the current language (its id when it is not a mode)."""
    return tr(MODE_NAMES[mode]) if mode in MODE_NAMES else mode


def modes_named(modes: list[str]) -> str:
    """Modes said as one list in the current language: "dropout and alpha"."""
    said: str = mode_name(modes[0])
    for mode in modes[1:]:
        said = tr("{first} and {second}", first=said, second=mode_name(mode))
    return said


_VALID: set[Spec] = set()
"""Specs that passed `validate` (hashable and immutable, so the answer never changes).
Bounded in practice by what a session asks for; cleared when it grows large."""


def check_memory(estimate: int, what: str, advice: str, field: str = "") -> None:
    """Refuse a request estimated at more than MEMORY_BUDGET bytes, with the numbers.

    `what` (a noun phrase: "this export (...)") and `advice` (a clause) are messages of
    their own, said in the same language as the sentence around them."""
    if estimate > MEMORY_BUDGET:
        raise DropguiError(
            tr(
                "{what} would take about {gigabytes:.1f} GB of memory, more than dropgui's "
                "budget of {budget:g} GB; {advice}",
                what=what,
                gigabytes=estimate / 2**30,
                budget=MEMORY_BUDGET / 2**30,
                advice=advice,
            ),
            field=field,
        )


def check_int(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DropguiError(
            tr(
                "{name} must be an integer from {low} to {high:,} (got {value})",
                name=tr(_SAID_NAMES[name]) if name in _SAID_NAMES else name,
                low=low,
                high=high,
                value=value,
            ),
            field=name.replace(" ", "_"),
        )


def check_shape(shape: object) -> None:
    if (
        not isinstance(shape, tuple)
        or len(shape) != 3
        or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in shape)
    ):
        raise DropguiError(
            tr("shape must be three positive integers B,S,D (got {shape})", shape=shape),
            field="shape",
        )
    cells = math.prod(shape)
    if cells > MAX_CELLS:
        raise DropguiError(
            tr(
                "shape {shape} has {cells:,} cells, more than the cap of {cap:,}",
                shape=format_shape(shape),
                cells=cells,
                cap=MAX_CELLS,
            ),
            field="shape",
        )


def check_tokens(tokens: tuple[tuple[int, ...], ...], shape: tuple[int, int, int], vocab: int):
    batch, seq_len, _ = shape
    if len(tokens) != batch or any(len(row) != seq_len for row in tokens):
        lengths = ", ".join(str(len(row)) for row in tokens)
        raise DropguiError(
            tr(
                "token ids must be {batch} rows of {seq_len} ids for shape {shape} "
                "(got rows of {lengths})",
                batch=batch,
                seq_len=seq_len,
                shape=format_shape(shape),
                lengths=lengths,
            ),
            field="tokens",
        )
    for row in tokens:
        for token in row:
            if not 0 <= token < vocab:
                raise DropguiError(
                    tr(
                        "token id {token} is outside [0, {vocab}) for vocab {vocab}",
                        token=token,
                        vocab=vocab,
                    ),
                    field="tokens",
                )


def check_token_rows(tokens: object) -> None:
    """B rows of S non-negative integer ids (a model's vocabulary bounds them later)."""
    if (
        not isinstance(tokens, tuple)
        or not tokens
        or not all(isinstance(row, tuple) and row for row in tokens)
        or len({len(row) for row in tokens}) != 1
    ):
        raise DropguiError(
            tr("token ids must be rows of the same number of ids, at least one"), field="tokens"
        )
    for row in tokens:
        for token in row:
            if isinstance(token, bool) or not isinstance(token, int) or token < 0:
                raise DropguiError(
                    tr("token ids must be integers from 0 (got {token!r})", token=token),
                    field="tokens",
                )


def check_text(text: object) -> None:
    """One string per batch row, within MAX_TEXT_CHARS in all."""
    if (
        not isinstance(text, tuple)
        or not text
        or not all(isinstance(row, str) and row.strip() for row in text)
    ):
        raise DropguiError(tr("text must be one or more rows of words"), field="text")
    chars = sum(len(row) for row in text)
    if chars > MAX_TEXT_CHARS:
        raise DropguiError(
            tr(
                "text has {chars:,} characters, more than the cap of {cap:,}",
                chars=chars,
                cap=MAX_TEXT_CHARS,
            ),
            field="text",
        )


def check_noise_shape(noise_shape: NoiseShape, shape: tuple[int, ...]) -> None:
    """Keras broadcasts the mask over axes whose noise_shape entry is 1."""
    if not isinstance(noise_shape, tuple) or len(noise_shape) != 3:
        raise DropguiError(
            tr(
                "noise_shape must have 3 entries for a (B, S, D) tensor (got {noise_shape})",
                noise_shape=noise_shape,
            ),
            field="noise_shape",
        )
    for axis, (entry, size) in enumerate(zip(noise_shape, shape, strict=True)):
        if entry not in (None, 1, size):
            raise DropguiError(
                tr(
                    "noise_shape entry {axis} is {entry}; it must be 1, {size} (the full size) "
                    "or None",
                    axis=axis,
                    entry=entry,
                    size=size,
                ),
                field="noise_shape",
            )


def format_shape(shape: tuple[int | None, ...]) -> str:
    return "(" + ", ".join(str(n) for n in shape) + ")"


# ----------------------------------------------------------------------- text forms


def parse_shape(text: str) -> tuple[int, int, int]:
    """'3,3,4' -> (3, 3, 4)."""
    parts = [p.strip() for p in text.replace("x", ",").split(",")]
    try:
        shape = tuple(int(p) for p in parts)
    except ValueError:
        raise DropguiError(
            tr("shape must be three positive integers B,S,D (got {text!r})", text=text),
            field="shape",
        ) from None
    check_shape(shape)
    return shape  # type: ignore[return-value]


def parse_noise_shape(text: str) -> NoiseShape:
    """'3,1,4' or 'None,1,None' -> a 3-tuple; the size check needs the tensor shape."""
    entries: list[int | None] = []
    for part in text.split(","):
        part = part.strip()
        if part.lower() in ("none", ""):
            entries.append(None)
            continue
        try:
            entries.append(int(part))
        except ValueError:
            raise DropguiError(
                tr("noise_shape entries must be integers or None (got {part!r})", part=part),
                field="noise_shape",
            ) from None
    if len(entries) != 3:
        raise DropguiError(
            tr(
                "noise_shape must have 3 entries for a (B, S, D) tensor (got {count})",
                count=len(entries),
            ),
            field="noise_shape",
        )
    return tuple(entries)  # type: ignore[return-value]


def parse_tokens(text: str) -> tuple[tuple[int, ...], ...]:
    """'1 2 3; 4 5 6' (rows split by ';', ids by spaces or commas) -> nested tuples."""
    rows = []
    for row_text in text.split(";"):
        ids = row_text.replace(",", " ").split()
        if not ids:
            raise DropguiError(tr("token ids: every row needs at least one id"), field="tokens")
        try:
            rows.append(tuple(int(i) for i in ids))
        except ValueError:
            raise DropguiError(
                tr("token ids must be integers (got {row!r})", row=row_text.strip()),
                field="tokens",
            ) from None
    return tuple(rows)


def format_tokens(tokens: tuple[tuple[int, ...], ...] | Any) -> str:
    """The inverse of `parse_tokens`."""
    return "; ".join(" ".join(str(int(t)) for t in row) for row in tokens)
