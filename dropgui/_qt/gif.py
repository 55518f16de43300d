"""The GIF encoder: rendered frames in, one animated GIF out (Qt reads GIFs, cannot write).

Frames arrive as QImages (the same renders a PNG export writes, from
`dropgui/_qt/image_export.py`) and are mapped to one palette shared by every frame with
Pillow, without dithering, so flat heatmap cells stay flat and compress well.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage

from ..errors import DropguiError
from ..result import Result
from .style import COLOR_MAP, NOISE_MAP

GIF_FRAME_MS = 700
EXACT_COLOURS = 48
"""Colours of a GIF's first frame kept exactly in the shared palette (most frequent first)."""
MAP_SAMPLES = 96
"""Samples of each colour map in the palette, so a cell colour of any later frame has a
near twin even when the first frame does not show it."""


def pil_image(image: QImage) -> Image.Image:
    """A QImage as an RGB Pillow image (a copy)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    return Image.frombuffer(
        "RGB",
        (rgb.width(), rgb.height()),
        bytes(rgb.constBits()),
        "raw",
        "RGB",
        rgb.bytesPerLine(),
        1,
    ).copy()


class _NearestColours:
    """Maps RGB frames to palette images, each pixel to its exactly nearest colour.

    Pillow's `quantize(palette=...)` matches through a coarse colour cache, which turned
    white into (251, 251, 251) although white was in the palette. Matching exactly is
    cheap: a frame has a few thousand distinct colours, and most recur in the next
    frame, so each colour is matched once and remembered in a 2**24 lookup table.
    """

    def __init__(self, palette: np.ndarray) -> None:
        self.palette = palette.astype(np.float64)
        self.flat_palette = palette.astype(np.uint8).ravel().tolist()
        self.lookup = np.full(2**24, -1, dtype=np.int16)  # packed RGB -> palette index

    def __call__(self, rgb: Image.Image) -> Image.Image:
        pixels = np.asarray(rgb, dtype=np.int32)
        packed = (pixels[..., 0] << 16) | (pixels[..., 1] << 8) | pixels[..., 2]
        index = self.lookup[packed]
        unseen = np.unique(packed[index < 0])
        if unseen.size:
            colours = np.stack([unseen >> 16, (unseen >> 8) & 255, unseen & 255], axis=1)
            # |c - p|^2 less |c|^2, which does not move the argmin: one matrix product.
            # Exact in float64: every term is a small integer.
            distance = (self.palette**2).sum(axis=1)[None, :] - 2.0 * (
                colours.astype(np.float64) @ self.palette.T
            )
            self.lookup[unseen] = distance.argmin(axis=1)
            index = self.lookup[packed]
        frame = Image.frombytes("P", rgb.size, index.astype(np.uint8).tobytes())
        frame.putpalette(self.flat_palette)
        return frame


class GifEncoder:
    """Frames in, one animated GIF out: one shared palette, no dithering, loops forever.

    The palette is fixed at the first frame: its most frequent colours exactly (white,
    the dropped red, the bands, its cells), MAP_SAMPLES samples of each colour map in
    use, and median-cut shades of the first frame for anti-aliased text.
    """

    def __init__(self, frame_ms: int = GIF_FRAME_MS, with_noise_map: bool = False) -> None:
        self.frame_ms = frame_ms
        self.with_noise_map = with_noise_map
        self.frames: list[Image.Image] = []
        self._to_palette: _NearestColours | None = None

    @classmethod
    def for_results(cls, result: Result, compare: Result | None) -> GifEncoder:
        """An encoder whose palette also covers the noise colour map when it is drawn."""
        noisy = result.noise is not None or (compare is not None and compare.noise is not None)
        return cls(with_noise_map=noisy)

    def add(self, image: QImage) -> None:
        """Map one rendered frame to the shared palette and keep it."""
        rgb = pil_image(image)
        if self._to_palette is None:
            self._to_palette = _NearestColours(self._make_palette(rgb))
        self.frames.append(self._to_palette(rgb))

    def _make_palette(self, first: Image.Image) -> np.ndarray:
        maps = [COLOR_MAP] + ([NOISE_MAP] if self.with_noise_map else [])
        samples = [
            tuple(int(c) for c in rgb[:3])
            for colour_map in maps
            for rgb in colour_map.getLookupTable(nPts=MAP_SAMPLES, mode="byte")
        ]
        counted = first.getcolors(maxcolors=first.width * first.height) or []
        exact = [colour for _, colour in sorted(counted, reverse=True)[:EXACT_COLOURS]]
        colours = list(dict.fromkeys(exact + samples))
        rest = 256 - len(colours)
        if rest > 0:  # shades of anti-aliased text and edges
            shades = first.quantize(colors=rest, method=Image.Quantize.MEDIANCUT)
            flat_shades = shades.getpalette()[: 3 * rest]
            colours += list(zip(*[iter(flat_shades)] * 3, strict=True))
        return np.array(colours[:256], dtype=np.int32)

    def encode(self, comment: str = "") -> bytes:
        """The GIF of every frame added so far, `frame_ms` each, looping forever, with
        `comment` in its comment extension (how to reproduce it)."""
        if not self.frames:
            raise DropguiError(
                QCoreApplication.translate("GifEncoder", "a GIF needs at least one frame")
            )
        out = io.BytesIO()
        self.frames[0].save(
            out,
            format="GIF",
            save_all=True,
            append_images=self.frames[1:],
            duration=self.frame_ms,
            loop=0,
            **({"comment": comment.encode()} if comment else {}),
        )
        return out.getvalue()


__all__ = ["GIF_FRAME_MS", "GifEncoder", "pil_image"]
