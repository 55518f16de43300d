"""dropgui: see exactly what dropout does to the output of an embedding layer.

The core (this package without `_qt`) imports no Qt and imports TensorFlow only when a
computation runs:

>>> import dropgui
>>> result = dropgui.compute(dropgui.Spec(shape=(3, 3, 4), mode="spatial", rate=0.5))
>>> result.keep_mask.shape
(3, 3, 4)
"""

import importlib

from .engine import compute, versions
from .errors import DropguiError
from .modes import ENGINES, MODES, Mode
from .result import Result
from .spec import MAX_CELLS, MAX_DRAW, Spec

__all__ = [
    "ENGINES",
    "MAX_CELLS",
    "MAX_DRAW",
    "MODES",
    "DropguiError",
    "Mode",
    "Result",
    "Spec",
    "compute",
    "versions",
]
__version__ = "0.1.0"


def __getattr__(name: str):
    """`dropgui.figure` (PNG of a spec or result, drawn by Qt offscreen) is loaded on first
    use, so `import dropgui` stays free of Qt."""
    if name == "figure":
        return importlib.import_module("dropgui.notebook").figure
    raise AttributeError(f"module 'dropgui' has no attribute {name!r}")
