"""Export, the Qt-free core: checks, plans, data files, the writer registry.

Images are made by the writers of `dropgui/_qt/image_export.py` and tested in
tests/test_image_export.py; here they are needed only where the CLI is asked for a PNG.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import dropgui._qt.image_export  # noqa: F401  registers the image writers, as the CLI does
from dropgui import DropguiError, Spec, cli, compute
from dropgui.export import (
    CSV_HEADER,
    MAX_FRAMES,
    parse_range,
    plan_export,
    register_image_writer,
    run_export,
)

REPO = Path(__file__).resolve().parent.parent


def export(*args: str) -> int:
    return cli.main(["export", *args])


def files_in(folder: Path) -> list[str]:
    """Every entry, hidden temporary files included."""
    return sorted(os.listdir(folder))


# ------------------------------------------------------------------ ranges and checks


def test_parse_range_is_half_open_and_refuses_bad_ranges():
    assert parse_range("0:10") == range(0, 10)
    assert parse_range("7:8") == range(7, 8)
    assert len(parse_range(f"0:{MAX_FRAMES}")) == MAX_FRAMES
    for text, words in (
        ("5:5", "empty"),
        ("5:2", "reversed"),
        (f"0:{MAX_FRAMES + 1}", "cap"),
        ("a:b", "two integers"),
        ("3", "two integers"),
        ("-2:3", "goes outside"),
    ):
        with pytest.raises(DropguiError, match=words):
            parse_range(text)


def _unwritable_target(tmp_path: Path) -> Path:
    """A path that cannot be written, for root too: chmod does not stop root."""
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        return locked / "out.png"
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    return blocker / "out.png"


@pytest.mark.parametrize(
    "case",
    [
        "missing folder",
        "unwritable",
        "unknown suffix",
        "empty seeds",
        "reversed seeds",
        "too many seeds",
        "no such slice",
        "range to svg",
    ],
)
def test_bad_requests_exit_2_with_one_line_and_write_nothing(tmp_path, capsys, case):
    out = tmp_path / "out"
    out.mkdir()
    target = {
        "missing folder": out / "no" / "such" / "grids.png",
        "unwritable": _unwritable_target(out),
        "unknown suffix": out / "grids.jpg",
        "range to svg": out / "grids.svg",
    }.get(case, out / "grids.gif")
    extra = {
        "empty seeds": ["--seeds", "5:5"],
        "reversed seeds": ["--seeds", "5:2"],
        "too many seeds": ["--seeds", f"0:{MAX_FRAMES + 1}"],
        "no such slice": ["--slice", "3"],
        "range to svg": ["--seeds", "0:3"],
    }.get(case, [])
    before = files_in(out)
    assert export("-o", str(target), *extra) == 2
    err = capsys.readouterr().err
    assert err.startswith("dropgui: error: ")
    assert err.count("\n") == 1, err
    assert files_in(out) == before  # not even a temporary file
    if os.geteuid() != 0 and case == "unwritable":
        os.chmod(target.parent, 0o700)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) by relative path, with its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_png_sequence_never_touches_files_that_were_there(tmp_path):
    """Issue 10, defect 2: a failed sequence export deleted a frame it had moved over an
    existing file. Frames now go to their own folder, and a failure keeps what was there."""
    (tmp_path / "seq_000.png").write_text("precious")
    (tmp_path / "seq_001.png").write_text("also mine")
    assert export("--seeds", "0:3", "-o", str(tmp_path / "seq.png")) == 0
    assert files_in(tmp_path) == ["seq", "seq_000.png", "seq_001.png"]
    assert (tmp_path / "seq_000.png").read_text() == "precious"
    assert files_in(tmp_path / "seq") == ["seq_000.png", "seq_001.png", "seq_002.png"]
    before = snapshot(tmp_path)

    # A file appears in the sequence's folder while the frames are drawn: the export
    # fails when it would replace the folder, and every file stays as it was.
    plan = plan_export(Spec(), tmp_path / "seq.png", seeds="5:8")

    def intrude(done: int, total: int) -> None:
        if done == total:
            (tmp_path / "seq" / "seq_notes.txt").write_text("written meanwhile")

    with pytest.raises(DropguiError, match=r"seq_notes\.txt"):
        run_export(plan, progress=intrude)
    assert snapshot(tmp_path) == {**before, "seq/seq_notes.txt": b"written meanwhile"}


# ------------------------------------------------------------------ data


@pytest.mark.parametrize(
    "spec",
    [
        Spec(),
        Spec(mode="spatial", source="embedding", shape=(2, 5, 3), seed=7, draw=3),
        Spec(mode="gaussian", shape=(2, 2, 3), rate=0.3),
        Spec(mode="dropout", engine="tf-keras", seed=4),
    ],
    ids=["classic", "spatial-embedding", "gaussian", "tf-keras"],
)
def test_npz_round_trips_exactly_through_compute(tmp_path, spec):
    path = tmp_path / "result.npz"
    args = ["--mode", spec.mode, "--rate", str(spec.rate), "--seed", str(spec.seed)]
    args += ["--draw", str(spec.draw), "--engine", spec.engine, "--input", spec.source]
    args += ["--shape", ",".join(map(str, spec.shape))]
    assert export(*args, "-o", str(path)) == 0
    with np.load(path, allow_pickle=False) as data:
        stored = {name: data[name] for name in data.files}
    rebuilt = Spec.from_dict(json.loads(str(stored["spec"])))
    assert rebuilt == spec
    again = compute(rebuilt)
    for name in ("input", "output", "keep_mask"):
        assert stored[name].dtype == getattr(again, name).dtype
        np.testing.assert_array_equal(stored[name], getattr(again, name))
    assert ("token_ids" in stored) == (again.token_ids is not None)
    assert ("noise" in stored) == (again.noise is not None)
    if again.token_ids is not None:
        np.testing.assert_array_equal(stored["token_ids"], again.token_ids)
    if again.noise is not None:
        np.testing.assert_array_equal(stored["noise"], again.noise)


def test_csv_has_one_row_per_cell_and_exact_values(tmp_path):
    path = tmp_path / "cells.csv"
    spec = Spec(source="embedding", shape=(2, 3, 4), seed=3)
    assert export("--input", "embedding", "--shape", "2,3,4", "--seed", "3", "-o", str(path)) == 0
    lines = path.read_text().splitlines()
    assert lines[0] == CSV_HEADER
    rows = [line.split(",") for line in lines[1:]]
    result = compute(spec)
    assert len(rows) == result.keep_mask.size == 2 * 3 * 4
    for b, s, d, before, after, kept in rows:
        cell = (int(b), int(s), int(d))
        assert np.float32(before) == result.input[cell]
        assert np.float32(after) == result.output[cell]
        assert bool(int(kept)) == result.keep_mask[cell]
    assert sorted((int(r[0]), int(r[1]), int(r[2])) for r in rows) == [
        tuple(i) for i in np.ndindex(2, 3, 4)
    ]


def test_data_export_needs_no_qt(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys

        class BlockQt:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph"):
                    raise ImportError(f"Qt is blocked in this test: {{name}}")
                return None

        sys.meta_path.insert(0, BlockQt())
        from dropgui import cli
        assert cli.main(["export", "-o", {str(tmp_path / "a.npz")!r}]) == 0
        assert cli.main(["export", "-o", {str(tmp_path / "a.csv")!r}]) == 0
        assert not [m for m in sys.modules if m.startswith(("PySide6", "pyqtgraph"))]

        # No image writer is registered without the Qt part: the core says so.
        from dropgui import DropguiError, Spec
        from dropgui.export import plan_export, run_export
        try:
            run_export(plan_export(Spec(), {str(tmp_path / "a.png")!r}))
        except DropguiError as error:
            assert "dropgui._qt.image_export" in str(error), error
        else:
            raise AssertionError("a PNG was exported without the Qt part")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert files_in(tmp_path) == ["a.csv", "a.npz"]


def test_plan_names_every_file_a_sequence_writes(tmp_path):
    plan = plan_export(Spec(), tmp_path / "a.png", draws="1:4")
    assert [p.name for p in plan.targets] == ["a_000.png", "a_001.png", "a_002.png"]
    assert [frame[0].draw for frame in plan.frames] == [1, 2, 3]
    with pytest.raises(DropguiError, match="not both"):
        plan_export(Spec(), tmp_path / "a.gif", seeds="0:2", draws="1:3")
    with pytest.raises(DropguiError, match="holds every slice"):
        plan_export(Spec(), tmp_path / "a.npz", slice_index=0)
    with pytest.raises(DropguiError, match="--slice B"):
        plan_export(Spec(shape=(9, 2, 2)), tmp_path / "a.png")
    with pytest.raises(DropguiError, match="seed must be"):
        plan_export(Spec(), tmp_path / "a.gif", seeds=range(2**31 - 5, 2**31))
    assert files_in(tmp_path) == []


@pytest.mark.parametrize(
    "target",
    [
        "/proc/dropgui-test.png",  # the kernel's file system: creating files fails
        "{tmp}/" + "n" * 300 + ".csv",  # a name longer than file systems allow
    ],
)
def test_operating_system_refusals_are_one_line(tmp_path, capsys, target):
    code = export("-o", target.format(tmp=tmp_path))
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("dropgui: error: cannot write")
    assert files_in(tmp_path) == []


def test_a_long_but_legal_name_is_written(tmp_path):
    target = tmp_path / ("n" * 250 + ".csv")  # the temporary name beside it must fit too
    assert export("-o", str(target)) == 0
    assert files_in(tmp_path) == [target.name]


def test_image_formats_only_are_registered(tmp_path):
    with pytest.raises(ValueError, match="not an image format"):
        register_image_writer("npz", lambda plan: None)
    plan = plan_export(Spec(), tmp_path / "given.csv")
    with pytest.raises(ValueError, match="not the plan's frames"):
        run_export(plan, frames=[(compute(Spec(seed=1)), None)])
    assert files_in(tmp_path) == []


def test_targets_and_memory_are_checked_before_any_computation(tmp_path):
    """Issue 10, defects 6 and 8: /proc was found unwritable after 5.7 s of work, and a
    (1, 1, 16777216) PNG was refused after 67 s and 8.5 GB. Every such request is now
    refused in well under a second, before TensorFlow is imported or a tensor allocated."""
    (tmp_path / "seq").mkdir()
    (tmp_path / "seq" / "notes.txt").write_text("mine")
    cases = [
        (["-o", "/proc/dropgui-test.npz", "--shape", "4096,4096,1"], "takes no new files"),
        (["-o", "/proc/dropgui-test.png"], "takes no new files"),
        (["-o", f"{tmp_path}/wide.png", "--shape", "1,1,16777216"], "at most 8,192"),
        (["-o", f"{tmp_path}/big.gif", "--shape", "1,4096,4096"], r"about \d+\.\d GB"),
        (["-o", f"{tmp_path}/many.gif", "--shape", "1,2048,2048", "--seeds", "0:200"], "GB"),
        (["-o", f"{tmp_path}/seq.png", "--seeds", "0:3"], "holds 'notes.txt'"),
    ]
    script = textwrap.dedent(
        f"""
        import sys, time, tracemalloc
        from dropgui import cli
        tracemalloc.start()
        for argv in {[argv for argv, _ in cases]!r}:
            start = time.perf_counter()
            code = cli.main(["export", *argv])
            print(code, time.perf_counter() - start)
        print("tensorflow" in sys.modules, tracemalloc.get_traced_memory()[1])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    *runs, last = done.stdout.splitlines()
    errors = done.stderr.splitlines()
    assert len(runs) == len(errors) == len(cases), done.stderr
    for (_, problem), run, error in zip(cases, runs, errors, strict=True):
        code, seconds = run.split()
        assert code == "2" and float(seconds) < 1.0, (run, error)
        assert error.startswith("dropgui: error: ") and re.search(problem, error), error
    tensorflow_imported, peak_bytes = last.split()
    assert tensorflow_imported == "False"
    assert int(peak_bytes) < 50_000_000  # no tensor of any of these was allocated
    assert snapshot(tmp_path) == {"seq/notes.txt": b"mine"}


@pytest.mark.parametrize("suffix", [".npz", ".csv", ".png", ".gif"])
def test_values_that_overflow_float32_write_no_file(tmp_path, capsys, suffix):
    """Issue 10, defect 4: 3e38 x 2 is inf in float32; export ended in a traceback."""
    big = tmp_path / "big.npy"
    np.save(big, np.full((1, 2, 2), 3e38, np.float32))
    args = ["--seeds", "0:2"] if suffix == ".gif" else []
    assert export("--input", str(big), *args, "-o", str(tmp_path / f"out{suffix}")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "overflow float32" in err and "3e+38" in err, err
    assert files_in(tmp_path) == ["big.npy"]
