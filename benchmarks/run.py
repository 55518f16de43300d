"""Run dropgui's benchmarks and print their figures: a table, or one JSON object.

    python benchmarks/run.py            # a readable table
    python benchmarks/run.py --json     # one JSON object, every figure side by side
    python benchmarks/run.py engine     # only benchmarks/bench_engine.py

Each section is a module `benchmarks/bench_<name>.py` exposing `run() -> dict` of
figures (name -> number). Sections are found by file name, so a new one needs no change
here; the dicts are merged into one object, and two sections may not share a figure name.
Each section runs in a process of its own, one after the other: a section that fails,
even by crashing its process, is reported as the figure `<section>_error` (its
traceback goes to stderr), the other sections still run, and the exit status is 1.

The whole run, and every process it starts, uses an empty temporary settings folder
(`XDG_CONFIG_HOME`, see `_common.py`): benchmarks never read or write the user's
settings. The targets (TARGETS below) are checked on the figures of the same run and
reported as `<target>_ratio` (at most 1 meets it) and `<target>_met`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
# Measure the working tree, whether or not dropgui is installed.
for folder in (str(BENCH_DIR), str(REPO_ROOT)):
    if folder not in sys.path:
        sys.path.insert(0, folder)

from _common import isolate_settings  # noqa: E402  (needs the path above)


def available_sections() -> list[str]:
    """Names of the section modules present now: bench_engine.py -> "engine"."""
    return sorted(path.stem.removeprefix("bench_") for path in BENCH_DIR.glob("bench_*.py"))


SECTION_TIMEOUT_S = 900
"""A section process still running after this has hung."""


def run_section_here(name: str) -> tuple[dict[str, object], bool]:
    """One section's figures, computed in this process, and whether it succeeded."""
    try:
        # Stray prints of a section go to stderr: stdout carries only the figures.
        with contextlib.redirect_stdout(sys.stderr):
            return importlib.import_module(f"bench_{name}").run(), True
    except Exception as error:  # reported as a figure, like a crash
        traceback.print_exc()
        return {f"{name}_error": f"{type(error).__name__}: {error}"}, False


def run_section_apart(name: str) -> tuple[dict[str, object], bool]:
    """One section's figures, computed in a process of its own (this script with
    `--child NAME`; its stderr is ours), and whether it succeeded. A crash there, such as
    a segfault in Qt, loses only that section's figures."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", name]
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, timeout=SECTION_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {f"{name}_error": f"timed out after {SECTION_TIMEOUT_S} s"}, False
    lines = done.stdout.strip().splitlines()
    try:
        section = json.loads(lines[-1])
    except (IndexError, ValueError):
        code = done.returncode
        how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
        return {f"{name}_error": f"the section's process ended ({how}) with no figures"}, False
    return section, done.returncode == 0


def run_sections(names: list[str]) -> tuple[dict[str, object], dict[str, float], bool]:
    """The named sections' figures merged into one dict, each section's time, and
    whether every section succeeded."""
    figures: dict[str, object] = {}
    seconds: dict[str, float] = {}
    ok = True
    for name in names:
        start = time.perf_counter()
        section, section_ok = run_section_apart(name)
        clash = sorted(figures.keys() & section.keys())
        if clash:
            print(f"bench_{name} repeats figure names: {', '.join(clash)}", file=sys.stderr)
            section = {f"{name}_error": f"repeats figure names: {', '.join(clash)}"}
            section_ok = False
        ok = ok and section_ok
        seconds[name] = time.perf_counter() - start
        figures.update(section)
    return figures, seconds, ok


FRAME_MS = 16.7
"""One frame at 60 Hz."""

# The issues' targets, checked on figures of the same run: (name, numerator, scale of
# the denominator, denominator, limit). A target is met when numerator <= limit *
# scale * denominator (denominator None: numerator <= limit); it is reported only when
# its figures are present. `<target>_ratio` is numerator / (limit * scale * denominator):
# e.g. `first_grids_over_script_ratio` is the figure `first_grids_over_script` / 1.2.
TARGETS = (
    # Start-up: process start to a point inside the process, all alike (bench_startup).
    ("window_shown_within_half_tf_import", "window_shown_s", 1.0, "import_tensorflow_s", 0.5),
    ("first_grids_within_1.5x_tf_import", "first_grids_s", 1.0, "import_tensorflow_s", 1.5),
    ("first_grids_over_script", "first_grids_s", 1.0, "seed_question_script_s", 1.2),
    # compute() against one call of a built Keras Dropout layer (bench_engine).
    (
        "compute_8x512x768_within_2.5x_raw_dropout_call",
        "compute_s_8x512x768",
        1.0,
        "raw_dropout_call_s_8x512x768",
        2.5,
    ),
    # Seed steps (bench_window): median and p95 in one frame at the small shapes.
    *(
        (
            f"seed_step_{stat}_{shape}_within_a_frame",
            f"seed_step_ms_{stat}_{shape}",
            1.0,
            None,
            FRAME_MS,
        )
        for shape in ("3x3x4", "4x20x16", "32x20x16")
        for stat in ("median", "p95")
    ),
    (
        "seed_step_median_8x512x768_within_2x_raw_dropout_call",
        "seed_step_ms_median_8x512x768",
        1000.0,
        "raw_dropout_call_s_8x512x768",
        2.0,
    ),
    # A zoom or pan frame of a large slice (bench_view).
    (
        "zoom_pan_frame_median_1x512x768_within_a_frame",
        "zoom_pan_frame_ms_median_1x512x768",
        1.0,
        None,
        FRAME_MS,
    ),
    # Statistics: N batched draws against one built layer called N times (bench_stats).
    *(
        (
            f"stats_{n}_draws_10x_faster_than_one_layer",
            f"stats_batched_{n}_draws_s",
            1.0,
            f"stats_one_layer_{n}_calls_s",
            0.1,
        )
        for n in (1000, 10000)
    ),
)


def check_targets(figures: dict[str, object]) -> dict[str, object]:
    """`<target>_ratio` (numerator over its limit; at most 1 meets it) and `<target>_met`."""
    checks: dict[str, object] = {}
    for name, numerator, scale, denominator, limit in TARGETS:
        if numerator not in figures or (denominator and denominator not in figures):
            continue
        bound = limit * scale * (figures[denominator] if denominator else 1.0)
        checks[f"{name}_ratio"] = figures[numerator] / bound
        checks[f"{name}_met"] = figures[numerator] <= bound
    return checks


def format_table(figures: dict[str, object]) -> str:
    width = max((len(name) for name in figures), default=0)
    lines = []
    for name, value in figures.items():
        text = f"{value:.4g}" if isinstance(value, float) else str(value)
        lines.append(f"{name:<{width}}  {text}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    present = available_sections()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "sections",
        nargs="*",
        metavar="SECTION",
        help=f"sections to run (default all present: {', '.join(present) or 'none'})",
    )
    parser.add_argument("--child", metavar="SECTION", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    isolate_settings()  # before any section makes a QApplication, QSettings or child
    if args.child:  # one section, for run_section_apart: its figures as one JSON line
        section, ok = run_section_here(args.child)
        print(json.dumps(section))
        return 0 if ok else 1
    missing = sorted(set(args.sections) - set(present))
    if missing:
        parser.error(f"no such section: {', '.join(missing)} (present: {', '.join(present)})")
    figures, seconds, ok = run_sections(args.sections or present)
    figures.update(check_targets(figures))
    if args.json:
        print(json.dumps(figures))
    else:
        print(format_table(figures))
        print()
        print("sections: " + ", ".join(f"{name} {s:.1f} s" for name, s in seconds.items()))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
