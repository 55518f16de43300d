"""The data formats of an export, written without Qt: `.npz` and `.csv`.

Each file says how it was made (the `.npz` holds the spec) and is written whole or not
at all (`files.atomic_write`).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable

import numpy as np

from .files import atomic_write
from .result import Result

CSV_HEADER = "batch,token,channel,before,after,kept"


def save_npz(result: Result, path: str | os.PathLike[str]) -> None:
    """input, output, keep_mask, scale, the spec as JSON, and token_ids/noise if any.

    `Spec.from_dict(json.loads(str(npz["spec"])))` rebuilds the spec, and
    `dropgui.compute()` of it gives these arrays bit for bit: the file says how it was
    made. Written uncompressed so numpy loads it without pickle.
    """
    arrays = {
        "input": np.asarray(result.input),
        "output": np.asarray(result.output),
        "keep_mask": np.asarray(result.keep_mask),
        "scale": np.float64(result.scale),
        "spec": np.array(json.dumps(result.spec.to_dict())),
    }
    if result.token_ids is not None:
        arrays["token_ids"] = np.asarray(result.token_ids)
    if result.noise is not None:
        arrays["noise"] = np.asarray(result.noise)
    atomic_write(path, lambda file: np.savez(file, **arrays))


def save_csv(result: Result, path: str | os.PathLike[str]) -> None:
    """One row per cell, B*S*D rows: batch,token,channel,before,after,kept.

    Values are printed in the shortest form that reads back to the same float32
    (numpy's repr), so `np.float32(text)` round-trips every cell exactly.
    """
    atomic_write(path, lambda file: file.writelines(csv_lines(result)))


def csv_lines(result: Result, rows_per_chunk: int = 65_536) -> Iterable[bytes]:
    """The CSV as encoded chunks, so a large tensor is never one string in memory."""
    batch, seq_len, dim = result.shape
    before = np.asarray(result.input, dtype=np.float32).ravel()
    after = np.asarray(result.output, dtype=np.float32).ravel()
    kept = np.asarray(result.keep_mask).ravel()
    yield (CSV_HEADER + "\n").encode()
    for start in range(0, before.size, rows_per_chunk):
        stop = min(before.size, start + rows_per_chunk)
        b, s, d = np.unravel_index(np.arange(start, stop), (batch, seq_len, dim))
        chunk = io.StringIO()
        for row in zip(
            b.tolist(),
            s.tolist(),
            d.tolist(),
            map(str, before[start:stop]),
            map(str, after[start:stop]),
            kept[start:stop].astype(np.uint8).tolist(),
            strict=True,
        ):
            chunk.write(",".join(map(str, row)) + "\n")
        yield chunk.getvalue().encode()
