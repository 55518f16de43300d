"""The GIF encoder alone: one shared palette that keeps flat colours exact."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from PySide6.QtGui import QColor, QImage

from dropgui import DropguiError
from dropgui._qt.gif import GifEncoder, pil_image
from dropgui._qt.style import COLOR_MAP, DROPPED


def flat_image(colours: list[tuple[int, int, int]], width: int = 20) -> QImage:
    """Vertical stripes, one per colour, `width` pixels each."""
    image = QImage(width * len(colours), 10, QImage.Format.Format_RGB32)
    for index, colour in enumerate(colours):
        for x in range(index * width, (index + 1) * width):
            for y in range(10):
                image.setPixelColor(x, y, QColor(*colour))
    return image


def decoded(gif: bytes) -> list[np.ndarray]:
    with Image.open(io.BytesIO(gif)) as animation:
        frames = []
        for index in range(animation.n_frames):
            animation.seek(index)
            frames.append(np.asarray(animation.convert("RGB")).astype(int))
    return frames


def test_flat_colours_stay_exact_and_later_cells_find_a_near_twin(qapp):
    white = (255, 255, 255)
    first_cell, later_cell = (
        tuple(int(c) for c in COLOR_MAP.map(value, mode="byte")[:3]) for value in (0.1, 0.73)
    )
    frames = [
        flat_image([white, DROPPED, first_cell]),
        flat_image([white, later_cell, DROPPED]),  # a cell colour the first frame lacks
    ]
    encoder = GifEncoder()
    for frame in frames:
        encoder.add(frame)
    first, second = decoded(encoder.encode())
    assert first.shape == second.shape == (10, 60, 3)
    assert (first[:, :20] == white).all() and (first[:, 20:40] == DROPPED).all()
    assert (first[:, 40:] == first_cell).all()
    assert (second[:, 40:] == DROPPED).all()
    assert np.abs(second[:, 20:40] - later_cell).max() <= 6
    np.testing.assert_array_equal(np.asarray(pil_image(frames[0])), first)


def test_a_gif_needs_a_frame():
    with pytest.raises(DropguiError, match="at least one frame"):
        GifEncoder().encode()
