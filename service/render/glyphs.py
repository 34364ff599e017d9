"""Text lines from cached glyph masks: FreeType rasterises each (font, character) once.

Pillow's BASIC layout draws a line by rendering every glyph at an integer origin and
placing it at the pen position rounded from 26.6 fixed point, then blending the line's
mask with the ink once. We do the same from a per-character cache of those masks, so a
card's five lines cost a few array copies instead of ~20 FreeType renders. Where two
glyphs' masks share pixels they are composited "over" with Pillow's own integer
arithmetic, so lines are pixel-identical to ImageDraw.text (tests/test_text.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont


@dataclass(frozen=True, slots=True)
class Glyph:
    mask: np.ndarray  # uint8 (height, width): the glyph's own getmask2 output
    dx: int  # mask position relative to the pen on the baseline
    dy: int
    advance: int  # 26.6 fixed point


def _pixel(value: int) -> int:
    """FreeType's rounding of 26.6 fixed point to whole pixels (Pillow's PIXEL macro)."""
    return ((value + 32) & -64) >> 6


def _over(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Pillow's glyph compositing: s + t*(255-s)/255 where both are set (MULDIV255)."""
    s, t = source.astype(np.uint32), target.astype(np.uint32)
    tmp = t * (255 - s) + 128
    over = np.minimum(s + (((tmp >> 8) + tmp) >> 8), 255)
    return np.where(s > 0, np.where(t > 0, over, s), t).astype(np.uint8)


class GlyphCache:
    """Masks per (font, character); one instance per process, fonts are long-lived."""

    def __init__(self) -> None:
        self._glyphs: dict[tuple[int, str], Glyph] = {}
        self._fonts: dict[int, ImageFont.FreeTypeFont] = {}  # keeps ids stable

    def glyph(self, font: ImageFont.FreeTypeFont, char: str) -> Glyph:
        key = (id(font), char)
        found = self._glyphs.get(key)
        if found is None:
            self._fonts[id(font)] = font
            core, (dx, dy) = font.getmask2(char, "L", anchor="ls")
            mask = np.asarray(Image.frombytes("L", core.size, bytes(core)) if core.size[0] else
                              Image.new("L", (0, core.size[1])))
            found = Glyph(mask, dx, dy, round(font.getlength(char) * 64))
            self._glyphs[key] = found
        return found

    def draw(self, draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, font: ImageFont.FreeTypeFont,
             fill) -> None:
        """Draw one line with its left end of the baseline at xy (anchor "ls")."""
        placed, pen = [], 0
        for char in text:
            glyph = self.glyph(font, char)
            if glyph.mask.size:
                placed.append((_pixel(pen) + glyph.dx, glyph.dy, glyph.mask))
            pen += glyph.advance
        if not placed:
            return
        left = min(x for x, _, _ in placed)
        top = min(y for _, y, _ in placed)
        right = max(x + m.shape[1] for x, _, m in placed)
        bottom = max(y + m.shape[0] for _, y, m in placed)
        line = np.zeros((bottom - top, right - left), np.uint8)
        for x, y, mask in placed:
            target = line[y - top:y - top + mask.shape[0], x - left:x - left + mask.shape[1]]
            if target.any():
                target[:] = _over(mask, target)
            else:
                target[:] = mask
        draw.bitmap((xy[0] + left, xy[1] + top), Image.fromarray(line), fill=fill)
