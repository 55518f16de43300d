"""Bring the window's Qt catalogs up to date: lupdate, then lrelease.

    .venv/bin/python resources/i18n/update.py

`pyside6-lupdate` reads every module of dropgui/_qt for strings marked with
`QCoreApplication.translate("Context", "text")`, `translate(...)`, `self.tr(...)` or
`QT_TRANSLATE_NOOP(...)`, and merges them into dropgui_<lang>.ts: a new string comes in
as an unfinished message, to translate (in Qt Linguist, `pyside6-linguist`, or by hand);
a string no longer in the code is dropped. `pyside6-lrelease` then compiles the .ts
into the .qm the window loads. Commit both. tests/test_i18n.py fails while a marked
string has no translation, or while the .qm is not what the .ts compiles to.

The core's sentences are not here: they are in core_<lang>.json (dropgui/i18n.py).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LANGUAGES = ("zh_CN",)


def tool(name: str) -> str:
    """pyside6-lupdate or pyside6-lrelease, next to this Python first (the venv)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: it ships with PySide6")
    return found


def sources() -> list[str]:
    """The modules whose strings the window shows: every module of dropgui/_qt."""
    return [str(path) for path in sorted((ROOT / "dropgui" / "_qt").glob("*.py"))]


def lupdate(ts: Path) -> str:
    """Merge the marked strings of the sources into `ts` (created if missing).

    No source locations (line numbers would change the .ts at every edit) and no
    obsolete messages (a string gone from the code leaves the catalog)."""
    done = subprocess.run(
        [tool("pyside6-lupdate"), "-locations", "none", "-no-obsolete", *sources(), "-ts", str(ts)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout + done.stderr


def lrelease(ts: Path, qm: Path) -> str:
    """Compile `ts` into `qm`; unfinished messages are left out (Qt shows the English)."""
    done = subprocess.run(
        [tool("pyside6-lrelease"), str(ts), "-qm", str(qm)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout + done.stderr


def main() -> None:
    for code in LANGUAGES:
        ts, qm = HERE / f"dropgui_{code}.ts", HERE / f"dropgui_{code}.qm"
        print(lupdate(ts), end="")
        print(lrelease(ts, qm), end="")


if __name__ == "__main__":
    main()
