"""Run dropgui's benchmarks and print their figures: a table, or one JSON object.

    python benchmarks/run.py            # a readable table
    python benchmarks/run.py --json     # one JSON object, every figure side by side
    python benchmarks/run.py engine     # only benchmarks/bench_engine.py

Each section is a module `benchmarks/bench_<name>.py` exposing `run() -> dict` of
figures (name -> number). Sections are found by file name, so a new one needs no change
here; the dicts are merged into one object, and two sections may not share a figure name.
A section that fails is reported as the figure `<section>_error` (its traceback goes to
stderr), the other sections still run, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
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


def available_sections() -> list[str]:
    """Names of the section modules present now: bench_engine.py -> "engine"."""
    return sorted(path.stem.removeprefix("bench_") for path in BENCH_DIR.glob("bench_*.py"))


def run_sections(names: list[str]) -> tuple[dict[str, object], dict[str, float], bool]:
    """The named sections' figures merged into one dict, each section's time, and
    whether every section succeeded."""
    figures: dict[str, object] = {}
    seconds: dict[str, float] = {}
    ok = True
    for name in names:
        start = time.perf_counter()
        try:
            # Stray prints of a section go to stderr: stdout carries only the figures.
            with contextlib.redirect_stdout(sys.stderr):
                section = importlib.import_module(f"bench_{name}").run()
            clash = sorted(figures.keys() & section.keys())
            if clash:
                raise ValueError(f"bench_{name} repeats figure names: {', '.join(clash)}")
        except Exception as error:  # one broken section must not hide the others
            traceback.print_exc()
            section = {f"{name}_error": f"{type(error).__name__}: {error}"}
            ok = False
        seconds[name] = time.perf_counter() - start
        figures.update(section)
    return figures, seconds, ok


# The issues' targets, checked on figures of the same run: (name, numerator, scale of
# the denominator, denominator, limit). A target is met when numerator <= limit *
# scale * denominator; it is reported only when both figures are present.
TARGETS = (
    ("window_shown_within_half_tf_import", "window_shown_s", 1.0, "import_tensorflow_s", 0.5),
    ("first_grids_within_1.5x_tf_import", "first_grids_s", 1.0, "import_tensorflow_s", 1.5),
    ("seed_step_3x3x4_within_a_frame", "seed_step_ms_median_3x3x4", 1.0, None, 16.7),
    ("seed_step_32x20x16_within_a_frame", "seed_step_ms_median_32x20x16", 1.0, None, 16.7),
    (
        "seed_step_8x512x768_within_3x_raw_dropout",
        "seed_step_ms_median_8x512x768",
        1000.0,
        "raw_dropout_s_8x512x768",
        3.0,
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
    args = parser.parse_args(argv)
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
