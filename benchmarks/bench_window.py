"""Window figures: start-up to window and to first grids, and seed-step latency.

Start-up is measured in fresh processes from the moment the parent starts them. A step
is timed from the seed change to the grids painted: the worker's round trip, the
drawing, and the one paint the event loop then delivers (as on screen).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import textwrap
import time

import numpy as np

STARTUP_SCRIPT = textwrap.dedent(
    """
    import time
    from dropgui._qt.app import get_qapp
    app = get_qapp()
    from dropgui._qt.window import MainWindow
    window = MainWindow()
    window.show()
    app.processEvents()
    print("shown", time.time(), flush=True)
    def drawn(_):
        app.processEvents()  # the grids paint once, as they do on screen
        print("drawn", time.time(), flush=True)
        window.close()
    window.sigGridsDrawn.connect(drawn)
    app.exec()
    """
)

SIZES = ((3, 3, 4), (32, 20, 16), (8, 512, 768))


def _startup_once() -> tuple[float, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": "/tmp/dropgui-bench"}
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", STARTUP_SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    stamps = dict(
        line.split() for line in out.splitlines() if line.split()[0] in ("shown", "drawn")
    )
    return float(stamps["shown"]) - start, float(stamps["drawn"]) - start


def _step_latencies(shape, steps: int) -> list[float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from dropgui import Spec
    from dropgui._qt.app import get_qapp
    from dropgui._qt.window import MainWindow

    get_qapp()
    window = MainWindow()
    window.show()
    loop = QEventLoop()
    window.sigGridsDrawn.connect(loop.quit)
    loop.exec()
    window.controls.set_spec(Spec(shape=shape))
    loop.exec()
    latencies = []
    for _ in range(steps):
        start = time.perf_counter()
        window.controls.step_seed(1)
        loop.exec()
        QApplication.processEvents()  # the grids paint once, as they do on screen
        latencies.append(time.perf_counter() - start)
    window.close()
    return latencies


def run() -> dict:
    runs = [_startup_once() for _ in range(3)]
    figures = {
        "window_shown_s": statistics.median(r[0] for r in runs),
        "first_grids_s": statistics.median(r[1] for r in runs),
    }
    for shape in SIZES:
        steps = 60 if shape[1] * shape[2] < 10_000 else 20
        latencies = np.array(_step_latencies(shape, steps)[2:]) * 1000
        key = "x".join(map(str, shape))
        figures[f"seed_step_ms_median_{key}"] = float(np.median(latencies))
        figures[f"seed_step_ms_p95_{key}"] = float(np.percentile(latencies, 95))
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
