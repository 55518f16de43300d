"""Window figures: seed-step latency, in process, offscreen.

One window (opened as on first launch, with empty temporary settings) is set to each
spec in turn. A step is timed from the seed change (`controls.step_seed(1)`) to the
grids painted: the worker's round trip (`compute()` on its thread), the drawing, and the
one paint the event loop then delivers (`QApplication.processEvents()`), as on screen.
Per spec: 60 steps (20 at (8, 512, 768); fewer when the steps have taken more than
15 s, but at least 8); the first two are dropped as warm-up; the median and the 95th
percentile of the rest, in milliseconds.

The specs: (3, 3, 4), (32, 20, 16) and (8, 512, 768) with arange input, Dropout(0.5);
(4, 20, 16) with Embedding input, as the window's preset "Embedding(1000, 16), 20
tokens": `source="embedding"`, vocab 1000, Dropout(0.2), token ids from the data seed.
Targets (run.py): median and p95 within one 60 Hz frame (16.7 ms) at the three small
specs; at (8, 512, 768) the median within 2x one call of a built Keras Dropout layer on
the same tensor (`raw_dropout_call_s_8x512x768`, from bench_engine). Start-up figures
are in bench_startup.
"""

from __future__ import annotations

import time

import numpy as np
from _common import open_window

STEPS = 60
LARGE_STEPS = 20
WARM_UP = 2
MIN_TIMED_STEPS = 6
BUDGET_S = 15.0
"""After this many seconds of steps at one spec, stop once WARM_UP + MIN_TIMED_STEPS are
done: a slow step must not stretch the run by minutes (fewer steps are then timed)."""


def _specs():
    from dropgui import Spec

    return (
        Spec(shape=(3, 3, 4)),
        Spec(shape=(4, 20, 16), source="embedding", vocab=1000, rate=0.2),
        Spec(shape=(32, 20, 16)),
        Spec(shape=(8, 512, 768)),
    )


def run() -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    figures: dict[str, float] = {}
    specs = _specs()
    window, wait_for_grids = open_window(specs[0])
    try:
        for spec in specs:
            if spec is not specs[0]:
                window.controls.set_spec(spec)
                wait_for_grids()
            seq_len, dim = spec.shape[1:]
            steps = STEPS if seq_len * dim < 10_000 else LARGE_STEPS
            latencies = []
            began = time.perf_counter()
            for i in range(steps):
                if i >= WARM_UP + MIN_TIMED_STEPS and time.perf_counter() - began > BUDGET_S:
                    break
                start = time.perf_counter()
                window.controls.step_seed(1)
                wait_for_grids()
                QApplication.processEvents()  # the grids paint once, as they do on screen
                latencies.append(time.perf_counter() - start)
            ms = np.array(latencies[WARM_UP:]) * 1000
            key = "x".join(map(str, spec.shape))
            figures[f"seed_step_ms_median_{key}"] = float(np.median(ms))
            figures[f"seed_step_ms_p95_{key}"] = float(np.percentile(ms, 95))
    finally:
        window.close()
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
