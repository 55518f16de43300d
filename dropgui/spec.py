"""What to compute: the immutable `Spec`, its checks, and parsers for its text forms.

No TensorFlow and no Qt here, so a bad request is refused in milliseconds, before
TensorFlow is imported, with the same message in the CLI, the window and the API.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any

from .errors import DropguiError
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
    then be that layer's own (`inputs.spec_for_layer` fills them in); without it, the
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
                f"unknown mode {self.mode!r}; choose one of {', '.join(MODES)}", field="mode"
            )
        if self.engine not in ENGINES:
            raise DropguiError(
                f"unknown engine {self.engine!r}; choose one of {', '.join(ENGINES)}",
                field="engine",
            )
        check_shape(self.shape)
        if (
            isinstance(self.rate, bool)
            or not isinstance(self.rate, int | float)
            or not 0.0 <= self.rate < 1.0
        ):
            raise DropguiError(
                f"rate must be at least 0 and below 1 for {self.mode} (got {self.rate})",
                field="rate",
            )
        check_int("seed", self.seed, 0, MAX_SEED)
        check_int("draw", self.draw, 1, MAX_DRAW)
        check_int("data seed", self.data_seed, 0, MAX_SEED)
        mode = MODES[self.mode]
        if mode.needs_embedding and self.source not in ("embedding", "model"):
            raise DropguiError(
                f"{self.mode} mode drops rows of the embedding matrix and needs embedding input",
                field="mode",
            )
        if self.noise_shape is not None and not mode.takes_noise_shape:
            raise DropguiError(
                f"{self.mode} mode sets its own noise_shape; noise_shape applies to "
                + " and ".join(name for name, m in MODES.items() if m.takes_noise_shape),
                field="noise_shape",
            )
        if self.source == "embedding":
            check_int("vocab", self.vocab, 1, MAX_CELLS)
            if self.vocab * self.shape[2] > MAX_CELLS:
                raise DropguiError(
                    f"embedding matrix of {self.vocab} x {self.shape[2]} is larger than "
                    f"the cap of {MAX_CELLS:,} cells",
                    field="vocab",
                )
            if self.tokens is not None:
                check_tokens(self.tokens, self.shape, self.vocab)
        elif self.tokens is not None and self.source != "model":
            raise DropguiError("token ids apply to model and embedding input only", field="tokens")
        if self.source == "model" or self.model is not None:
            self._check_model()
        for name in ("layer", "text"):
            if getattr(self, name) is not None and self.source != "model":
                raise DropguiError(f"{name} applies to a model's input only", field=name)
        if self.source in ("arange", "embedding") and self.noise_shape is not None:
            check_noise_shape(self.noise_shape, self.shape)
        if (
            self.engine == "tf-keras"
            and not mode.tf_keras_noise_shape_takes_none
            and isinstance(self.noise_shape, tuple)
            and None in self.noise_shape
        ):
            raise DropguiError(
                f"tf-keras' {mode.keras_layer} cannot take None in noise_shape (it fails "
                f"on {format_shape(self.noise_shape)}); give every size, or use keras3",
                field="noise_shape",
            )

    def _check_model(self) -> None:
        """The model fields that need no file: the file's own checks come in `prepare`."""
        if self.source != "model":
            raise DropguiError("a model file needs source 'model'", field="source")
        if not isinstance(self.model, str) or not self.model.strip():
            raise DropguiError("source 'model' needs the path of a model file", field="model")
        if self.layer is not None and (not isinstance(self.layer, str) or not self.layer):
            raise DropguiError(f"layer must be a layer's name (got {self.layer!r})", field="layer")
        if self.tokens is not None and self.text is not None:
            raise DropguiError("give token ids or text, not both", field="text")
        if self.tokens is not None:
            check_token_rows(self.tokens)
        if self.text is not None:
            check_text(self.text)


_VALID: set[Spec] = set()
"""Specs that passed `validate` (hashable and immutable, so the answer never changes).
Bounded in practice by what a session asks for; cleared when it grows large."""


def check_memory(estimate: int, what: str, advice: str, field: str = "") -> None:
    """Refuse a request estimated at more than MEMORY_BUDGET bytes, with the numbers."""
    if estimate > MEMORY_BUDGET:
        raise DropguiError(
            f"{what} would take about {estimate / 2**30:.1f} GB of memory, more than "
            f"dropgui's budget of {MEMORY_BUDGET / 2**30:g} GB; {advice}",
            field=field,
        )


def check_int(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DropguiError(
            f"{name} must be an integer from {low} to {high:,} (got {value})",
            field=name.replace(" ", "_"),
        )


def check_shape(shape: object) -> None:
    if (
        not isinstance(shape, tuple)
        or len(shape) != 3
        or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in shape)
    ):
        raise DropguiError(
            f"shape must be three positive integers B,S,D (got {shape})", field="shape"
        )
    cells = math.prod(shape)
    if cells > MAX_CELLS:
        raise DropguiError(
            f"shape {format_shape(shape)} has {cells:,} cells, more than the cap of {MAX_CELLS:,}",
            field="shape",
        )


def check_tokens(tokens: tuple[tuple[int, ...], ...], shape: tuple[int, int, int], vocab: int):
    batch, seq_len, _ = shape
    if len(tokens) != batch or any(len(row) != seq_len for row in tokens):
        lengths = ", ".join(str(len(row)) for row in tokens)
        raise DropguiError(
            f"token ids must be {batch} rows of {seq_len} ids for shape "
            f"{format_shape(shape)} (got rows of {lengths})",
            field="tokens",
        )
    for row in tokens:
        for token in row:
            if not 0 <= token < vocab:
                raise DropguiError(
                    f"token id {token} is outside [0, {vocab}) for vocab {vocab}", field="tokens"
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
            "token ids must be rows of the same number of ids, at least one", field="tokens"
        )
    for row in tokens:
        for token in row:
            if isinstance(token, bool) or not isinstance(token, int) or token < 0:
                raise DropguiError(
                    f"token ids must be integers from 0 (got {token!r})", field="tokens"
                )


def check_text(text: object) -> None:
    """One string per batch row, within MAX_TEXT_CHARS in all."""
    if (
        not isinstance(text, tuple)
        or not text
        or not all(isinstance(row, str) and row.strip() for row in text)
    ):
        raise DropguiError("text must be one or more rows of words", field="text")
    chars = sum(len(row) for row in text)
    if chars > MAX_TEXT_CHARS:
        raise DropguiError(
            f"text has {chars:,} characters, more than the cap of {MAX_TEXT_CHARS:,}",
            field="text",
        )


def check_noise_shape(noise_shape: NoiseShape, shape: tuple[int, ...]) -> None:
    """Keras broadcasts the mask over axes whose noise_shape entry is 1."""
    if not isinstance(noise_shape, tuple) or len(noise_shape) != 3:
        raise DropguiError(
            f"noise_shape must have 3 entries for a (B, S, D) tensor (got {noise_shape})",
            field="noise_shape",
        )
    for axis, (entry, size) in enumerate(zip(noise_shape, shape, strict=True)):
        if entry not in (None, 1, size):
            raise DropguiError(
                f"noise_shape entry {axis} is {entry}; it must be 1, {size} (the full size) "
                "or None",
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
            f"shape must be three positive integers B,S,D (got {text!r})", field="shape"
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
                f"noise_shape entries must be integers or None (got {part!r})",
                field="noise_shape",
            ) from None
    if len(entries) != 3:
        raise DropguiError(
            f"noise_shape must have 3 entries for a (B, S, D) tensor (got {len(entries)})",
            field="noise_shape",
        )
    return tuple(entries)  # type: ignore[return-value]


def parse_tokens(text: str) -> tuple[tuple[int, ...], ...]:
    """'1 2 3; 4 5 6' (rows split by ';', ids by spaces or commas) -> nested tuples."""
    rows = []
    for row_text in text.split(";"):
        ids = row_text.replace(",", " ").split()
        if not ids:
            raise DropguiError("token ids: every row needs at least one id", field="tokens")
        try:
            rows.append(tuple(int(i) for i in ids))
        except ValueError:
            raise DropguiError(
                f"token ids must be integers (got {row_text.strip()!r})", field="tokens"
            ) from None
    return tuple(rows)


def format_tokens(tokens: tuple[tuple[int, ...], ...] | Any) -> str:
    """The inverse of `parse_tokens`."""
    return "; ".join(" ".join(str(int(t)) for t in row) for row in tokens)
