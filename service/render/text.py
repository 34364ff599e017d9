"""Card text: fonts per language and weight, auto-fit, wrapping, baseline-aligned drawing.

Shared by the fast path (compositor), the reference path and the template baker, so all
three draw text identically. Geometry comes from the layout, multiplied by `scale`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from PIL import ImageDraw, ImageFont

from service import fonts

SIZE_STEP = 2


def _breaks_anywhere(char: str) -> bool:
    """CJK ideographs, kana and fullwidth forms may break between any two characters."""
    return unicodedata.east_asian_width(char) in ("W", "F") and not ("\uac00" <= char <= "\ud7a3")


@dataclass
class TextPainter:
    """Draws text fields for one language at one scale.

    faces maps a weight ("Bold", "Regular") to the FontFace chosen for the language.
    """

    faces: dict[str, fonts.FontFace]
    layout: dict
    scale: float = 1.0
    _advances: dict = field(default_factory=dict, repr=False)  # (weight, px size, char) -> 26.6 advance
    _glyphs: object = field(default=None, repr=False)  # GlyphCache, made on first draw

    def font(self, weight: str, size: float) -> ImageFont.FreeTypeFont:
        return fonts.load(self.faces[weight], round(size * self.scale))

    def width(self, text: str, weight: str, size: float) -> float:
        """Advance width in layout units: what Pillow's BASIC getlength gives (no kerning in
        Noto Sans CJK), summed from per-character advances cached on first use."""
        px, advances = round(size * self.scale), self._advances
        total = 0
        for char in text:
            key = (weight, px, char)
            advance = advances.get(key)
            if advance is None:
                advance = advances[key] = round(self.font(weight, size).getlength(char) * 64)
            total += advance
        return total / 64 / self.scale

    @property
    def glyphs(self):
        """Cached glyph masks for drawing (imported on first use: the server process only
        measures text, and this keeps numpy out of it)."""
        if self._glyphs is None:
            from service.render.glyphs import GlyphCache

            self._glyphs = GlyphCache()
        return self._glyphs

    def fit_size(self, text: str, spec: dict) -> int | None:
        """The largest size from spec["size"] down to spec["min_size"] at which text fits
        spec["width"] on one line, or None if it does not fit even at the floor."""
        size, floor, width = spec["size"], spec.get("min_size", spec["size"]), spec["width"]
        at_max = self.width(text, spec["weight"], size)
        if at_max <= width:
            return size
        # Text width scales about linearly with size: jump close, then step down to the floor.
        size = min(size, max(floor, int(size * width / at_max) + SIZE_STEP))
        while True:
            if self.width(text, spec["weight"], size) <= width:
                return size
            if size == floor:
                return None
            size = max(floor, size - SIZE_STEP)

    def wrap(self, text: str, spec: dict, size: int) -> list[str] | None:
        """Greedy line breaking into at most spec["lines"] lines, or None if it overflows."""
        lines: list[str] = []
        rest = text
        while rest:
            if len(lines) == spec.get("lines", 1):
                return None
            if self.width(rest, spec["weight"], size) <= spec["width"]:
                lines.append(rest)
                break
            cut = self._last_break_that_fits(rest, spec, size)
            if cut == 0:
                return None
            lines.append(rest[:cut].rstrip())
            rest = rest[cut:].lstrip()
        return lines

    def _last_break_that_fits(self, text: str, spec: dict, size: int) -> int:
        best = 0
        for i in range(1, len(text)):
            breakable = text[i] == " " or _breaks_anywhere(text[i - 1]) or _breaks_anywhere(text[i])
            if not breakable:
                continue
            if self.width(text[:i].rstrip(), spec["weight"], size) > spec["width"]:
                break
            best = i
        return best

    def layout_block(self, text: str, spec: dict) -> tuple[int, list[str]] | None:
        """Size and lines for a (possibly multi-line) field, shrinking to the floor if needed."""
        size = spec["size"]
        floor = spec.get("min_size", size)
        while size >= floor:
            lines = self.wrap(text, spec, size)
            if lines is not None:
                return size, lines
            size -= SIZE_STEP
        return None

    def draw(self, draw: ImageDraw.ImageDraw, text: str, x: float, baseline: float, *,
             weight: str, size: float, color, anchor: str = "ls", dy: int = 0) -> None:
        """Draw one line; `dy` shifts it in output pixels (drawing into a band of the card)."""
        s = self.scale
        xy, font = (round(x * s), round(baseline * s) + dy), self.font(weight, size)
        if anchor == "ls":  # the per-card fields: from cached glyphs, pixel-identical
            self.glyphs.draw(draw, xy, text, font, tuple(color))
        else:
            draw.text(xy, text, font=font, fill=tuple(color), anchor=anchor)

    def draw_field(self, draw: ImageDraw.ImageDraw, text: str, spec: dict, dy: int = 0) -> None:
        """Draw a field value on its baseline: auto-fit on one line, or wrapped blocks."""
        if spec.get("lines", 1) > 1:
            block = self.layout_block(text, spec)
            if block is None:
                raise ValueError(f"text does not fit its box: {text!r}")
            size, lines = block
        else:
            size = self.fit_size(text, spec)
            if size is None:
                raise ValueError(f"text does not fit its box: {text!r}")
            lines = [text]
        for i, line in enumerate(lines):
            self.draw(draw, line, spec["x"], spec["baseline"] + i * spec.get("line_height", 0),
                      weight=spec["weight"], size=size, color=spec["color"], dy=dy)


def painter_for(manifest_fonts: dict, language: str, layout: dict, scale: float = 1.0) -> TextPainter:
    """A TextPainter from the fonts section of an atlas manifest."""
    faces = {weight: fonts.FontFace(**face) for weight, face in manifest_fonts[language].items()}
    return TextPainter(faces, layout, scale)
