"""Start-up figures, each from process start to a point inside a fresh process.

Every figure is the same kind of interval, measured the same way: from the parent's
`time.time()` just before it starts `python -c ...` to the `time.time()` the child
prints at the point of interest. Interpreter start-up counts; the child's shutdown does
not (TensorFlow's teardown alone is most of a second). Each child runs with the
benchmark's starting environment, Qt offscreen, and an empty settings folder of its own
(a first launch); the three kinds of child run interleaved, three times, and each figure
is the median of its three runs.

* `window_shown_s`: the window (`MainWindow`, as on first launch) shown and one event
  pass done. `first_grids_s`: in the same child, the first grids drawn
  (`sigGridsDrawn`) and painted once by the event loop.
* `import_tensorflow_s`: `import tensorflow` done.
* `seed_question_script_s`: the seed question's own script, the baseline of the first
  grids: `import numpy as np, keras; print(keras.layers.Dropout(0.5)(np.ones((3,3,4),
  'float32'), training=True))`, stamped right after its result is printed.
* `first_grids_over_script`: `first_grids_s / seed_question_script_s`, the ratio of the
  two medians (target, run.py: at most 1.2).
"""

from __future__ import annotations

import statistics
import textwrap

from _common import stamped_run

WINDOW = textwrap.dedent(
    """
    import time
    from dropgui._qt.app import get_qapp
    app = get_qapp()
    from dropgui._qt.window import MainWindow
    window = MainWindow()
    window.show()
    app.processEvents()
    print("stamp:shown", time.time(), flush=True)
    def drawn(_):
        app.processEvents()  # the grids paint once, as they do on screen
        print("stamp:drawn", time.time(), flush=True)
        window.close()
    window.sigGridsDrawn.connect(drawn)
    app.exec()
    """
)

IMPORT_TENSORFLOW = "import tensorflow, time; print('stamp:imported', time.time(), flush=True)"

SEED_QUESTION = (
    "import numpy as np, keras; "
    "print(keras.layers.Dropout(0.5)(np.ones((3,3,4), 'float32'), training=True)); "
    "import time; print('stamp:printed', time.time(), flush=True)"
)

RUNS = 3


def run() -> dict[str, float]:
    times: dict[str, list[float]] = {
        "window_shown_s": [],
        "first_grids_s": [],
        "import_tensorflow_s": [],
        "seed_question_script_s": [],
    }
    for _ in range(RUNS):  # interleaved, so that a change in machine load hits all alike
        start, stamps = stamped_run(WINDOW)
        times["window_shown_s"].append(stamps["shown"] - start)
        times["first_grids_s"].append(stamps["drawn"] - start)
        start, stamps = stamped_run(IMPORT_TENSORFLOW)
        times["import_tensorflow_s"].append(stamps["imported"] - start)
        start, stamps = stamped_run(SEED_QUESTION)
        times["seed_question_script_s"].append(stamps["printed"] - start)
    figures = {name: statistics.median(values) for name, values in times.items()}
    figures["first_grids_over_script"] = (
        figures["first_grids_s"] / figures["seed_question_script_s"]
    )
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
