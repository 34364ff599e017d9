"""Shaped lines drawn from cached glyph masks: FreeType rasterises each (face, glyph id,
size) once per process, so a card's lines cost a few array copies, not ~20 renders.

Outline glyphs are rendered the way Pillow renders them (FreeType, FT_LOAD_DEFAULT,
normal anti-aliasing, at an integer origin, placed at the pen position rounded from 26.6
fixed point) and composited "over" with Pillow's integer arithmetic into one mask per
line, which is blended with the ink once. freetype-py is bound to the system FreeType,
the library pillow-simd links, so masks equal Pillow's (tests/test_text.py). Masks are
Pillow images, not numpy arrays: a worker without numpy is 7 MiB of heap and 6 MiB of
libraries smaller (measured, docs/BENCHMARKS.md).

Colour emoji come from a CBDT bitmap font with one strike (109 px): each glyph is read
once, premultiplied, scaled to the line's size with a Lanczos filter and cached.
"""

from __future__ import annotations

import ctypes
import functools
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import freetype
from PIL import Image, ImageDraw

from service import fonts
from service.render.shaping import ShapedLine


CACHE_LINES = 384
"""Composed lines kept per process (a two-line reason at 28 px is about 25 KB)."""
CACHE_BYTES = 16 * 2**20
"""Glyph masks and emoji kept per process, all languages together; past this the oldest
quarter is dropped (names in every script at every size from 42 to 64 px, and 3,700 emoji,
must not grow a worker without bound). 16 MiB is about 6,000 CJK glyphs at name sizes:
random CJK names drew no more text CPU per card than with four caches of 48 MiB, which
grew a worker by 50 MiB in 4,000 cards (docs/BENCHMARKS.md, memory steps)."""
GLYPH_OVERHEAD = 832
"""Bytes a cached glyph costs beyond its pixels (the array and Glyph objects, the dict entry
and its key, malloc's headers): measured as anonymous memory over 12,000 CJK glyphs."""


@dataclass(frozen=True, slots=True)
class Glyph:
    mask: Image.Image  # "L" coverage, or an RGBA emoji image
    dx: int  # top-left corner relative to the glyph origin on the baseline
    dy: int


def _pixel(value: int) -> int:
    """FreeType's rounding of 26.6 fixed point to whole pixels (Pillow's PIXEL macro)."""
    return ((value + 32) & -64) >> 6


def _size(glyph: Glyph) -> int:
    mask = glyph.mask
    return GLYPH_OVERHEAD + mask.width * mask.height * (1 if mask.mode == "L" else 4)


def _bitmap_bytes(bitmap: freetype.Bitmap, size: int) -> bytes:
    """The bitmap's pixels in one copy (freetype-py's ``buffer`` builds a list of ints)."""
    return ctypes.string_at(bitmap._FT_Bitmap.buffer, size)


_EMPTY = Image.new("L", (0, 0))  # a glyph with no pixels (a space)


class GlyphCache:
    """Masks per (face, glyph id, pixel size); one instance per process (``process_cache``)."""

    def __init__(self, budget: int = CACHE_BYTES) -> None:
        self.budget, self.bytes = budget, 0
        # Keyed by (face number, glyph id, size): a FontFace's dataclass hash is a Python call,
        # too dear for every glyph of every line; each face gets its number once.
        self._glyphs: dict[tuple[int, int, int], Glyph] = {}
        self._face_numbers: dict[fonts.FontFace, int] = {}
        self._faces: dict[fonts.FontFace, freetype.Face] = {}
        self._lines: OrderedDict[Hashable, tuple] = OrderedDict()
        self._inks: dict[tuple, tuple[bytes, int, int]] = {}  # fill -> (solid RGBX rows, width, height)

    def _face(self, face: fonts.FontFace) -> freetype.Face:
        found = self._faces.get(face)
        if found is None:
            found = self._faces[face] = freetype.Face(face.path, face.index)
        return found

    def glyph(self, face: fonts.FontFace, gid: int, size: int) -> Glyph:
        return self._glyph(self._face_number(face), face, gid, size)

    def _face_number(self, face: fonts.FontFace) -> int:
        return self._face_numbers.setdefault(face, len(self._face_numbers))

    def _glyph(self, number: int, face: fonts.FontFace, gid: int, size: int) -> Glyph:
        key = (number, gid, size)
        found = self._glyphs.get(key)
        if found is None:
            found = self._glyphs[key] = self._emoji(face, gid, size) if fonts.is_emoji(face) else \
                self._outline(face, gid, size)
            self.bytes += _size(found)
            if self.bytes > self.budget:
                self._evict()
        return found

    def _evict(self) -> None:
        """Drop the oldest glyphs (insertion order) until a quarter of the budget is free."""
        while self.bytes > self.budget * 3 // 4 and self._glyphs:
            self.bytes -= _size(self._glyphs.pop(next(iter(self._glyphs))))

    def _outline(self, face: fonts.FontFace, gid: int, size: int) -> Glyph:
        ft = self._face(face)
        ft.set_pixel_sizes(0, size)
        ft.load_glyph(gid, freetype.FT_LOAD_DEFAULT)
        slot = ft.glyph
        slot.render(freetype.FT_RENDER_MODE_NORMAL)
        bitmap = slot.bitmap
        rows, width, pitch = bitmap.rows, bitmap.width, bitmap.pitch
        if not rows or not width:
            return Glyph(_EMPTY, 0, 0)
        mask = Image.frombytes("L", (width, rows), _bitmap_bytes(bitmap, rows * pitch), "raw", "L", pitch, 1)
        return Glyph(mask, slot.bitmap_left, -slot.bitmap_top)

    def _emoji(self, face: fonts.FontFace, gid: int, size: int) -> Glyph:
        ft = self._face(face)
        ft.select_size(0)
        strike = ft.available_sizes[0].y_ppem / 64
        ft.load_glyph(gid, freetype.FT_LOAD_COLOR)
        slot = ft.glyph
        bitmap = slot.bitmap
        rows, width = bitmap.rows, bitmap.width
        if not rows or not width:
            return Glyph(_EMPTY, 0, 0)
        scale = size / strike
        target = (max(1, round(width * scale)), max(1, round(rows * scale)))
        pixels = _bitmap_bytes(bitmap, rows * bitmap.pitch)  # BGRA, premultiplied, as CBDT stores it
        image = Image.frombytes("RGBa", (width, rows), pixels, "raw", "BGRa", bitmap.pitch, 1).resize(target, Image.LANCZOS)
        return Glyph(image.convert("RGBA"), round(slot.bitmap_left * scale), round(-slot.bitmap_top * scale))

    def draw(self, image: Image.Image | None, draw: ImageDraw.ImageDraw | None, xy: tuple[int, int],
             line: ShapedLine, chain: Sequence[fonts.FontFace], size: int, fill, key: Hashable | None = None) -> None:
        """Draw a shaped line at ``size`` px with the left end of its baseline at xy.

        Outline glyphs take the ink ``fill``; emoji are pasted in colour onto ``image``
        (the image ``draw`` draws on; either may be None, not both), after the ink, in line
        order. With a ``key`` (the caller's name for this line at this size, for texts that
        recur: reasons, dates) the composed line is kept, in a small LRU, and reused.
        """
        found = None if key is None else self._lines.get(key)
        if found is None:
            found = self._compose(line, chain, size)
            if key is not None:
                self._lines[key] = found
                if len(self._lines) > CACHE_LINES:
                    self._lines.popitem(last=False)
        else:
            self._lines.move_to_end(key)
        corner, mask, colour = found
        if mask is not None:
            where = (xy[0] + corner[0], xy[1] + corner[1])
            if image is not None and image.mode == "RGB":
                # A paste of solid ink through the mask blends each pixel as the fill does
                # (the same BLEND, exact), but in the masked paste that gcc vectorises in
                # pillow-simd -O3: 41 against 226 us for a 500x70 line, measured (2x in stock
                # Pillow), where ImageDraw's fill loops per channel with an alpha test.
                image.im.paste(self._ink(fill, mask.size), (*where, where[0] + mask.width, where[1] + mask.height),
                               mask.im)
            else:
                (draw or ImageDraw.Draw(image)).bitmap(where, mask, fill=fill)
        if colour:
            if image is None:
                raise ValueError("colour glyphs need the image to paste onto")
            for x, y, emoji in colour:
                image.paste(emoji, (xy[0] + x, xy[1] + y), emoji)

    def _ink(self, fill, size: tuple[int, int]):
        """Solid `fill` of `size` for a core paste: an RGBX view into rows kept per colour, so
        no image is filled per line (0.01 ms a line, measured). RGBX has RGB's 4-byte pixels
        with the pad byte at 255: pasted into an RGB image it blends exactly as RGB ink does."""
        width, height = size
        rows, have_width, have_height = self._inks.get(fill, (b"", 0, 0))
        if width > have_width or height > have_height:
            have_width, have_height = max(width, have_width), max(height, have_height)
            rows = Image.new("RGBX", (have_width, have_height), (*fill, 255)).tobytes()
            self._inks[fill] = rows, have_width, have_height
        return Image.core.map_buffer(rows, size, "raw", 0, ("RGBX", have_width * 4, 1))

    def _compose(self, line: ShapedLine, chain: Sequence[fonts.FontFace], size: int) -> tuple:
        """((left, top), the line's coverage mask or None, [(x, y, emoji image)])."""
        placed, colour = [], []
        glyph_of, glyphs = self._glyph, self._glyphs
        numbers: dict[int, int] = {}  # face index in the chain (of ~20 faces, a line uses one or two)
        scale = size * 64
        left = top = right = bottom = None
        for face_index, gid, x, y in line.glyphs:
            number = numbers.get(face_index)
            if number is None:
                number = numbers[face_index] = self._face_number(chain[face_index])
            glyph = glyphs.get((number, gid, size)) or glyph_of(number, chain[face_index], gid, size)
            mask = glyph.mask
            px = _pixel(round(x * scale)) + glyph.dx
            py = glyph.dy - _pixel(round(y * scale))
            if mask.mode != "L":
                colour.append((px, py, mask))
            elif mask.width:
                width, height = mask.size
                placed.append((px, py, mask, width, height))
                if left is None:
                    left, top, right, bottom = px, py, px + width, py + height
                else:
                    left, top = min(left, px), min(top, py)
                    right, bottom = max(right, px + width), max(bottom, py + height)
        if not placed:
            return (0, 0), None, colour
        composed = Image.new("L", (right - left, bottom - top), 0)
        target = composed.im
        reach = 0  # every glyph placed so far lies left of this column
        for x, y, glyph_mask, width, height in placed:
            x, y = x - left, y - top
            box = (x, y, x + width, y + height)
            # Most glyphs start right of every earlier one, on zeros: a plain copy. A box
            # that reaches back over earlier glyphs (kerning, marks, joined scripts) is
            # composited "over" them: white pasted through the glyph's coverage s onto t
            # is DIV255(t * (255 - s) + 255 * s) = s + MULDIV255(t, 255 - s), exactly
            # Pillow's glyph compositing (s where t is 0, t where s is 0).
            if x < reach:
                target.paste(255, box, glyph_mask.im)
            else:
                target.paste(glyph_mask.im, box)
            if x + width > reach:
                reach = x + width
        return (left, top), composed, colour


@functools.cache
def process_cache() -> GlyphCache:
    """The process's glyph cache, shared by every painter: one budget for all languages (a
    cache per language was four budgets per worker, and the faces after the CJK one are the
    same in every language's chain)."""
    return GlyphCache()
