"""The `dropgui` command: the window by default, `print`, `export`, `stats` headless, and
`--version` and `--install-desktop-entry`, which need neither TensorFlow nor Qt.

Every subcommand builds one `Spec` from the same options and hands it to the core.
Bad input prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import signal
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .desktop import app_version, install_desktop_entry
from .errors import DropguiError
from .inputs import input_shape
from .model import describe
from .model_file import MAX_MODEL_BYTES
from .model_input import spec_for_layer
from .modes import ENGINES, MODES
from .spec import (
    MAX_CELLS,
    MAX_DRAW,
    Spec,
    format_shape,
    parse_noise_shape,
    parse_shape,
    parse_tokens,
)

if TYPE_CHECKING:
    from .stats import Stats

EXIT_BAD_INPUT = 2

MAX_JSON_CELLS = 2**20
"""Largest tensor `--json` prints: 1,048,576 cells. JSON spells every value out (about
20 bytes each) and Python builds it from lists (about 100 bytes a value while it does),
so a document of MAX_CELLS would take minutes and several GB; up to this cap `print
--json` and `stats --json` stay far inside the memory budget (`spec.MEMORY_BUDGET`,
measured in tests/test_resources.py). Larger tensors go to .npz files (`dropgui export`).
"""

_NEGATIVE_VALUE = re.compile(r"-(\d|\.|,|:|inf|nan)", re.IGNORECASE)
"""A value that starts like a negative number (-1,3,4 -inf -5:3 -.5): argparse would
take it for an option and say "expected one argument" instead of what is wrong with it."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr, not a usage block."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _spec_options() -> argparse.ArgumentParser:
    options = _Parser(add_help=False)
    group = options.add_argument_group("the tensor and the dropout")
    group.add_argument(
        "--mode",
        choices=list(MODES),
        default=None,
        help="dropout: keras Dropout (independent cells); spatial: SpatialDropout1D (whole "
        "channels); token: Dropout with noise_shape=(B, S, 1) (whole tokens); word: "
        "embedding-matrix dropout (a word id everywhere); gaussian: GaussianDropout; "
        "alpha: AlphaDropout (default: dropout)",
    )
    group.add_argument("--rate", type=float, default=None, help="drop rate in [0, 1) (default 0.5)")
    group.add_argument(
        "--shape",
        default=None,
        help=f"B,S,D: batch, sequence length, embedding dim (default 3,3,4; at most "
        f"{MAX_CELLS:,} cells). With --tokens, B and S default to the ids' layout",
    )
    group.add_argument(
        "--input",
        default=None,
        metavar="arange|embedding|PATH.npy",
        help="arange: 1..B*S*D; embedding: a Keras Embedding(vocab, D) layer on token ids; "
        "or a .npy file of shape (B, S, D) or (S, D) (default arange)",
    )
    group.add_argument("--vocab", type=int, default=None, help="vocabulary size (default 1000)")
    group.add_argument(
        "--tokens",
        default=None,
        help="token ids for embedding input: ids split by spaces or commas, rows by ';' "
        "(default: drawn from --data-seed)",
    )
    group.add_argument(
        "--data-seed",
        type=int,
        default=0,
        help="seed of the embedding weights and drawn token ids (default 0)",
    )
    group.add_argument(
        "--noise-shape",
        default=None,
        help="noise_shape for dropout and alpha, e.g. 3,1,4 or None,1,None; each entry 1, "
        "the full size, or None (full)",
    )
    group.add_argument(
        "--seed",
        type=int,
        default=None,
        help="dropout seed (default 0, or the seed a --model layer was saved with)",
    )
    group.add_argument(
        "--draw",
        type=int,
        default=1,
        help=f"which call of the seeded layer, 1..{MAX_DRAW} (default 1)",
    )
    group.add_argument(
        "--engine",
        choices=ENGINES,
        default=None,
        help="keras3: a layer built with seed=SEED, its DRAW-th call; tf-keras: "
        "tf.random.set_seed(SEED), then the DRAW-th dropout call (default keras3, or the "
        "engine that wrote --model)",
    )
    group.add_argument(
        "--inference", action="store_true", help="call the layer with training=False"
    )
    saved = options.add_argument_group("a saved Keras model")
    saved.add_argument(
        "--model",
        default=None,
        metavar="PATH",
        help=f"a .keras file (Keras 3, or tf-keras) or a legacy .h5 file (tf-keras): its own "
        "Embedding on --tokens, --text or ids drawn from --data-seed, and its dropout layer "
        "--layer with that layer's own rate and noise_shape. Refused without running any "
        f"code: Lambda and custom layers, and files above {MAX_MODEL_BYTES // 2**20} MiB",
    )
    saved.add_argument(
        "--layer",
        default=None,
        metavar="NAME",
        help="the --model's dropout layer to show: a Dropout, SpatialDropout1D, "
        "GaussianDropout or AlphaDropout after its Embedding, or an LSTM/GRU/SimpleRNN "
        "whose dropout= acts on it (default: the first)",
    )
    saved.add_argument(
        "--text",
        action="append",
        default=None,
        help="text for a --model that starts with a TextVectorization layer, which turns it "
        "into token ids; repeat for more rows",
    )
    return options


def spec_from_args(args: argparse.Namespace) -> Spec:
    """The Spec that a command line describes; DropguiError if it cannot be one."""
    tokens = parse_tokens(args.tokens) if args.tokens is not None else None
    if args.model is not None:
        return model_spec(args, tokens)
    for option, value in (("--layer", args.layer), ("--text", args.text)):
        if value is not None:
            raise DropguiError(f"{option} applies to a --model only", field=option[2:])
    if args.shape is not None:
        shape = parse_shape(args.shape)
    elif tokens is not None:
        shape = (len(tokens), len(tokens[0]), Spec.shape[2])
    else:
        shape = Spec.shape
    spec = Spec(
        shape=shape,
        mode=_given(args.mode, Spec.mode),
        rate=_given(args.rate, Spec.rate),
        seed=_given(args.seed, Spec.seed),
        draw=args.draw,
        engine=_given(args.engine, Spec.engine),
        source=_given(args.input, Spec.source),
        data_seed=args.data_seed,
        vocab=_given(args.vocab, Spec.vocab),
        tokens=tokens,
        noise_shape=parse_noise_shape(args.noise_shape) if args.noise_shape else None,
        training=not args.inference,
    )
    spec.validate()
    return spec


def _given(value: Any, default: Any) -> Any:
    return default if value is None else value


def model_spec(args: argparse.Namespace, tokens: tuple[tuple[int, ...], ...] | None) -> Spec:
    """`--model`: the layer's own configuration, on the model's Embedding. The file's
    configuration is read and checked here, before TensorFlow (text needs it)."""
    given = {"--mode": args.mode, "--rate": args.rate, "--noise-shape": args.noise_shape}
    given |= {"--input": args.input, "--vocab": args.vocab}
    if tokens is not None or args.text is not None:  # the ids' own layout is the shape
        given["--shape"] = args.shape
    for option, value in given.items():
        if value is not None:
            raise DropguiError(
                f"{option} does not apply with --model: the model and its --layer decide it",
                field=option[2:].replace("-", "_"),
            )
    spec = Spec(
        shape=parse_shape(args.shape) if args.shape is not None else Spec.shape,
        seed=_given(args.seed, Spec.seed),
        draw=args.draw,
        source="model",
        data_seed=args.data_seed,
        tokens=tokens,
        training=not args.inference,
        model=args.model,
        text=tuple(args.text) if args.text is not None else None,
    )
    spec.validate()
    spec = spec_for_layer(spec, args.layer, keep_seed=args.seed is not None)
    if args.engine is not None:
        spec = spec.replace(engine=args.engine)
    return spec.replace(shape=input_shape(spec))


def build_parser() -> argparse.ArgumentParser:
    spec_options = _spec_options()
    parser = _Parser(
        prog="dropgui",
        description="See exactly what dropout does to the output of an embedding layer. "
        "With no command, opens the window.",
    )
    # Both answer at once, without TensorFlow or Qt.
    once = parser.add_mutually_exclusive_group()
    once.add_argument("--version", action="store_true", help="print dropgui's version and exit")
    once.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add dropgui to the desktop's application menu for the current user: "
        "$XDG_DATA_HOME/applications/dropgui.desktop (running this dropgui) and its icon "
        "in $XDG_DATA_HOME/icons/hicolor (XDG_DATA_HOME defaults to ~/.local/share)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    show = commands.add_parser(
        "print",
        parents=[spec_options],
        help="print input, output and keep mask, then the explanation",
        description="Print the input, the output and the keep mask in numpy's array "
        "format, then a plain-English explanation.",
    )
    show.add_argument("--json", action="store_true", help="print one JSON object instead")

    export = commands.add_parser(
        "export",
        parents=[spec_options],
        help="write the grids (.png .svg .gif) or the tensors (.npz .csv) to a file",
        description="Export the grids as an image or animation, or the tensors as data. "
        "The format follows the suffix of -o. Works with no display.",
    )
    export.add_argument("-o", "--output", required=True, metavar="PATH", help="file to write")
    export.add_argument(
        "--seeds", metavar="A:B", help="seeds A..B-1, one frame each (.gif, or numbered .png)"
    )
    export.add_argument(
        "--draws", metavar="A:B", help="draws A..B-1 of one seed, one frame each (.gif, .png)"
    )
    export.add_argument(
        "--scale", type=int, choices=(1, 2, 4), default=1, help="PNG and GIF pixel scale"
    )
    export.add_argument(
        "--slice", type=int, default=None, metavar="B", help="export batch slice B only"
    )

    stats = commands.add_parser(
        "stats",
        parents=[spec_options],
        help="Monte Carlo statistics of the masks over many draws",
        description="Draw N masks of the spec and report drop frequencies, the kept-fraction "
        "distribution, correlations and the expectation check.",
    )
    stats.add_argument("--samples", type=int, default=1000, help="number of draws N")
    stats.add_argument(
        "--over",
        choices=("draws", "seeds"),
        default="draws",
        help="draws 1..N of --seed, or seeds SEED..SEED+N-1 at --draw (default draws)",
    )
    stats.add_argument("--cell", default=None, metavar="b,s,d", help="cell for correlations")
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def attach_negative_values(argv: Sequence[str]) -> list[str]:
    """`--shape -1,3,4` -> `--shape=-1,3,4`, so the value reaches its check.

    Only a long option followed by a token shaped like a negative number is joined; no
    dropgui option starts with "-" and a digit, so such a token is always a value.
    """
    joined: list[str] = []
    for token in argv:
        previous = joined[-1] if joined else ""
        if (
            previous.startswith("--")
            and previous != "--"
            and "=" not in previous
            and _NEGATIVE_VALUE.match(token)
        ):
            joined[-1] = f"{previous}={token}"
        else:
            joined.append(token)
    return joined


def launch_window() -> int:
    """Import the window and run it; Ctrl+C while its modules load quits with 130.

    Python's default handler would raise KeyboardInterrupt inside an import (a
    traceback, or shiboken's ImportError); the window installs its own handler once up.
    """
    interrupted: list[bool] = []
    previous = signal.signal(signal.SIGINT, lambda *_: interrupted.append(True))
    try:
        from ._qt.window import run_app
    finally:
        signal.signal(signal.SIGINT, previous)
    return 130 if interrupted else run_app()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `dropgui` console script and `python -m dropgui`."""
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser()
    args = parser.parse_args(attach_negative_values(argv))
    if args.version:
        print(f"dropgui {app_version()}")
        return 0
    if args.install_desktop_entry and args.command is not None:
        parser.error(f"--install-desktop-entry takes no command (got {args.command!r})")
    if args.command is None and not args.install_desktop_entry:
        return launch_window()
    try:
        if args.install_desktop_entry:
            return install_command()
        spec = spec_from_args(args)
        if getattr(args, "json", False):
            check_json_size(input_shape(spec))
        if args.command == "print":
            return _print(spec, args.json)
        if args.command == "export":
            return export_command(spec, args)
        return stats_command(spec, args)
    except DropguiError as error:
        one_line = str(error).replace("\n", "\\n")  # a path may hold a newline
        print(f"dropgui: error: {one_line}", file=sys.stderr)
        return EXIT_BAD_INPUT


def install_command() -> int:
    """`dropgui --install-desktop-entry`: install the entry and the icon, say where."""
    for path in install_desktop_entry():
        print(f"wrote {path}")
    return 0


def check_json_size(shape: tuple[int, int, int]) -> None:
    """Refuse `--json` of a tensor above MAX_JSON_CELLS, before any work."""
    cells = math.prod(shape)
    if cells > MAX_JSON_CELLS:
        raise DropguiError(
            f"--json prints at most {MAX_JSON_CELLS:,} cells (a larger document takes "
            f"minutes and GBs to build); {format_shape(shape)} has {cells:,}: write it "
            "with `dropgui export -o FILE.npz`, or leave out --json"
        )


def export_command(spec: Spec, args: argparse.Namespace) -> int:
    """`dropgui export`: check the whole request (target, frames, memory), then write.

    Bad input raises DropguiError before anything is computed or written.
    """
    from .export import IMAGE_FORMATS, plan_export, run_export

    plan = plan_export(
        spec,
        args.output,
        seeds=args.seeds,
        draws=args.draws,
        scale=args.scale,
        slice_index=args.slice,
    )
    if plan.fmt in IMAGE_FORMATS:
        try:
            from ._qt import image_export  # noqa: F401  registers the image writers
        except ImportError as error:  # Qt is not installed, or cannot load
            raise DropguiError(
                f"{plan.fmt.upper()} export needs Qt (PySide6 and pyqtgraph), which cannot "
                f"be imported here: {error}; .npz and .csv work without it"
            ) from None
    written = run_export(plan)
    if plan.sequence_folder is not None:
        print(
            f"wrote {len(written)} files in {plan.sequence_folder}: {written[0].name} ... "
            f"{written[-1].name}"
        )
    else:
        print(f"wrote {written[0]}")
    sys.stdout.flush()
    return 0


def _print(spec: Spec, as_json: bool) -> int:
    from .engine import compute

    result = compute(spec)
    if as_json:
        # Strict JSON: compute never returns inf or NaN, and if it did this would say so.
        write_json(result_json(result))
        return 0
    if spec.model is not None:
        print(describe(spec.model).listing() + "\n")
    if result.words is not None:
        print("words:\n" + "\n".join(" ".join(row) for row in result.words) + "\n")
    arrays = [("input", result.input), ("output", result.output), ("keep_mask", result.keep_mask)]
    if result.noise is not None:
        arrays.append(("noise", result.noise))
    with np.printoptions(linewidth=100):
        for name, array in arrays:
            print(f"{name} {array.shape} {array.dtype}:\n{array}\n")
    print(result.explanation)
    return 0


def write_json(document: dict[str, Any]) -> None:
    """Print `document` as one line of strict JSON, one top-level value at a time.

    Top-level numpy arrays become nested lists only as they are written, so the lists
    and text of one array at most exist at once (a third of the memory of building the
    whole document). `allow_nan=False`: compute refuses inf and NaN, and a value that
    slipped through would fail here rather than print `Infinity`, which is not JSON.
    """
    out = sys.stdout
    out.write("{")
    for index, (key, value) in enumerate(document.items()):
        if isinstance(value, np.ndarray):
            value = value.tolist()
        out.write(", " * (index > 0) + json.dumps(key) + ": ")
        out.write(json.dumps(value, allow_nan=False))
    out.write("}\n")


def result_json(result: Any) -> dict[str, Any]:
    """A Result as JSON types, its arrays left as numpy arrays for `write_json`."""
    spec = result.spec
    return {
        "mode": spec.mode,
        "engine": spec.engine,
        "seed": spec.seed,
        "draw": spec.draw,
        "rate": spec.rate,
        "training": spec.training,
        "shape": list(result.shape),
        "noise_shape": list(result.noise_shape),
        "scale": result.scale,
        "input": result.input,
        "output": result.output,
        "keep_mask": result.keep_mask,
        "noise": result.noise,
        "token_ids": result.token_ids,
        "layer": None if result.model_layer is None else result.model_layer.describe(),
        "words": result.words,
        "dropped_rows": [rows.tolist() for rows in result.dropped_rows],
        "dropped_columns": [cols.tolist() for cols in result.dropped_columns],
        "kept_fraction": result.kept_fraction,
        "expected_kept_fraction": result.expected_kept_fraction,
        "explanation": result.explanation,
        "spec": spec.to_dict(),
    }


# ------------------------------------------------------------------------ stats


def stats_command(spec: Spec, args: argparse.Namespace) -> int:
    """`dropgui stats`: print the figures (or one JSON object with --json)."""
    from .stats import compute_stats, parse_cell

    cell = parse_cell(args.cell) if args.cell is not None else None
    stats = compute_stats(spec, args.samples, over=args.over, cell=cell)
    if args.json:
        write_json(stats_json(stats))
    else:
        print(stats_text(stats))
    return 0


def stats_json(stats: Stats) -> dict[str, Any]:
    """The figures as JSON types (no NaN: every figure is defined), per-cell arrays left
    as numpy arrays for `write_json`."""
    theory = stats.kept_fraction_theory
    return {
        "mode": stats.spec.mode,
        "engine": stats.spec.engine,
        "rate": stats.spec.rate,
        "shape": list(stats.shape),
        "samples": stats.samples,
        "over": stats.over,
        "method": stats.method,
        "stochastic": stats.stochastic,
        "note": stats.note,
        "drop_frequency": stats.drop_frequency,
        "expected_drop_frequency": stats.expected_drop_frequency,
        "mean_drop_frequency": stats.mean_drop_frequency,
        "mean_drop_frequency_se": stats.mean_drop_frequency_se,
        "mean_drop_frequency_se_observed": stats.mean_drop_frequency_se_observed,
        "drop_frequency_spread": stats.drop_frequency_spread,
        "cell_drop_frequency_se": stats.cell_drop_frequency_se,
        "kept_fraction_histogram": {
            "bins": stats.kept_fraction_grid.tolist(),
            "counts": stats.kept_fraction_counts.tolist(),
            "theory": None if theory is None else theory.tolist(),
            "law": stats.kept_fraction_law,
            "units_per_slice": stats.units_per_slice,
        },
        "cell": list(stats.cell),
        "correlation_of": stats.correlation_of,
        "correlation": stats.correlation,
        "input": stats.input,
        "mean_output": stats.mean_output,
        "expected_output": stats.expected_output,
        "output_variance": stats.output_variance,
        "output_variance_theory": stats.output_variance_theory,
        "mean_output_se": stats.mean_output_se,
        "output_theory": stats.output_theory,
        "token_ids": stats.token_ids,
        "seconds": stats.seconds,
        "spec": stats.spec.to_dict(),
    }


def stats_text(stats: Stats) -> str:
    """A readable summary: the figures first, then the per-cell arrays."""
    lines = [stats.note + f", {stats.seconds:.2f} s."]
    if stats.stochastic:
        lines.append(
            f"Drop frequency per cell: mean {stats.mean_drop_frequency:.4f} against the "
            f"rate {stats.expected_drop_frequency:g} ({stats.drop_frequency_z:+.2f} "
            f"standard errors of {stats.mean_drop_frequency_se:.2g}); spread across cells "
            f"{stats.drop_frequency_spread:.4f} (one cell by chance: "
            f"{stats.cell_drop_frequency_se:.4f}); range {stats.drop_frequency.min():.4f}"
            f"..{stats.drop_frequency.max():.4f}."
        )
    lines.append(f"Kept fraction per slice, {stats.kept_fraction_law}:")
    lines.append(f"  {'kept':>8} {'observed':>10} {'theory':>10}")
    total = stats.kept_fraction_counts.sum()
    theory = stats.kept_fraction_theory
    rows = range(len(stats.kept_fraction_grid))
    if len(rows) > 25:  # show the central 25 rows around the largest count
        centre = int(np.argmax(stats.kept_fraction_counts))
        start = min(max(0, centre - 12), len(rows) - 25)
        rows = range(start, start + 25)
        lines.append(f"  (rows {start}..{start + 24} of {len(stats.kept_fraction_grid)})")
    for i in rows:
        law = "none" if theory is None else f"{theory[i]:.4f}"
        lines.append(
            f"  {stats.kept_fraction_grid[i]:>8.4f} "
            f"{stats.kept_fraction_counts[i] / total:>10.4f} {law:>10}"
        )
    correlation = stats.correlation
    ones = int((correlation == 1.0).sum())
    others = np.abs(correlation[correlation != 1.0])
    rest = f"; elsewhere |r| <= {others.max():.3f}" if others.size else ""
    lines.append(
        f"Correlation of cell {format_shape(stats.cell)}'s {stats.correlation_of} with "
        f"every cell: exactly 1 on {ones} cells{rest}."
    )
    z = np.abs(stats.output_z)
    lines.append(
        f"E[output] against theory ({stats.output_theory}): largest gap "
        f"{z.max():.2f} standard errors over {z.size} cells."
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        theory_var = stats.output_variance_theory
        ratio = stats.output_variance[theory_var > 0] / theory_var[theory_var > 0]
    if ratio.size:
        lines.append(
            f"Variance added by dropout: observed / theory is {ratio.mean():.3f} on "
            f"average (range {ratio.min():.3f}..{ratio.max():.3f})."
        )
    with np.printoptions(linewidth=100, precision=4, suppress=True):
        for name, array in (
            ("drop_frequency", stats.drop_frequency),
            ("correlation", stats.correlation),
            ("mean_output", stats.mean_output),
            ("input", stats.input),
        ):
            lines.append(f"\n{name} {array.shape}:\n{array}")
    return "\n".join(lines)
