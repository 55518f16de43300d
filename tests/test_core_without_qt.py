"""The core stands without Qt: import and use it while every Qt import fails."""

import subprocess
import sys
import textwrap


def test_core_imports_and_computes_with_qt_blocked():
    script = textwrap.dedent(
        """
        import sys

        class BlockQt:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6"):
                    raise ImportError(f"Qt is blocked in this test: {name}")
                return None

        sys.meta_path.insert(0, BlockQt())
        import dropgui
        from dropgui import cli, codegen, engine, inputs, modes, result, spec

        r = dropgui.compute(dropgui.Spec(mode="spatial"))
        assert r.keep_mask.shape == (3, 3, 4)
        assert cli.main(["print", "--json"]) == 0
        from dropgui import export, stats
        import tempfile, pathlib
        folder = pathlib.Path(tempfile.mkdtemp())
        export.save_npz(r, folder / "r.npz")
        export.save_csv(r, folder / "r.csv")
        assert stats.compute_stats(dropgui.Spec(), 50).samples == 50
        assert cli.main(["stats", "--samples", "20", "--json"]) == 0
        # every data export, through the CLI too; an image export says it needs Qt
        assert cli.main(["export", "-o", str(folder / "cli.npz"), "--mode", "token"]) == 0
        assert cli.main(["export", "-o", str(folder / "cli.csv"), "--input", "embedding"]) == 0
        assert cli.main(["export", "-o", str(folder / "cli.png")]) == 2
        assert not (folder / "cli.png").exists()
        assert sorted(p.name for p in folder.iterdir()) == ["cli.csv", "cli.npz", "r.csv", "r.npz"]
        loaded = [m for m in sys.modules if m.split(".")[0] in ("PySide6", "pyqtgraph")]
        assert not loaded, loaded
        print("core ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "core ok" in done.stdout
