"""Card text: shaped lines over a fallback chain of faces, fitting, wrapping, drawing.

Shared by the fast path (compositor), the reference path and the template baker, so all
three draw text identically. Geometry comes from the layout, multiplied by `scale`.

The name fits its slot by one rule (SPEC §5): the largest size from spec.size down to
spec.min_size at which it fits on one line; else two lines at spec.min_size, broken
at a space, or when no space break fits between CJK characters, or as a last resort (a
24-letter word of W's) between any two graphemes, never inside one, the most balanced
break first; else it does not fit and is refused. A line is
centred on the slot's middle line (the ideographic em box of the full-size line), so a
shrunk or two-line name does not sit on the slot's bottom (spec.middle, or the middle
of the full-size line's ideographic em box). The decision (a NameFit) is
made when the name is validated and stored in the recipe, so a print re-render at
another scale draws the same lines at the same size.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

from service import fonts
from service.atlas.format import FontTable
from service.atlas.sections import FieldSpec, Layout
from service.render import itemize
from service.render.shaping import Shaper

MIDDLE = 0.38
"""Middle of the ideographic em box above the baseline, in em (it spans -0.12 .. 0.88)."""
MAX_LINES_CACHED = 1024


@dataclass(frozen=True, slots=True)
class NameFit:
    """How the name is set: font size in layout px and its one or two lines."""

    size: int
    lines: tuple[str, ...]

    def as_recipe(self) -> tuple[int, tuple[str, ...]]:
        """The form service.recipe.Recipe.name_fit keeps (plain, picklable)."""
        return (self.size, self.lines)


def _breaks_anywhere(char: str) -> bool:
    """In our own texts (address, reason): ideographs, kana and fullwidth forms may break
    between any two characters; Korean breaks at spaces."""
    return unicodedata.east_asian_width(char) in ("W", "F") and not ("\uac00" <= char <= "\ud7a3")


def _cjk(cluster: str) -> bool:
    """Ideographs, kana, Hangul and fullwidth forms may break between any two characters."""
    return unicodedata.east_asian_width(cluster[0]) in ("W", "F") and not itemize.is_emoji(cluster)


@dataclass
class TextPainter:
    """Draws text fields for one language at one scale.

    chains maps a weight ("Bold", "Regular") to the language's fallback chain of faces;
    coverage[i] is what face i of the chain covers (the manifest's cmap ranges).
    """

    chains: dict[str, tuple[fonts.FontFace, ...]]
    layout: Layout
    coverage: list
    language: str = "en"
    scale: float = 1.0
    _shapers: dict = field(default_factory=dict, repr=False)
    _blocks: dict = field(default_factory=dict, repr=False)  # (text, field width) -> (size, lines)
    _glyphs: object = field(default=None, repr=False)  # the process's GlyphCache, taken on first draw
    # Names this painter's lines in the shared glyph cache's line LRU: another painter of the
    # same language may have other faces (another atlas's font table, the tests' tiny fonts).
    _lines_key: object = field(default_factory=object, repr=False, compare=False)

    def shaper(self, weight: str) -> Shaper:
        found = self._shapers.get(weight)
        if found is None:
            found = self._shapers[weight] = Shaper(self.chains[weight], self.coverage, self.language)
        return found

    def font(self, weight: str, size: float) -> ImageFont.FreeTypeFont:
        """The language's CJK face as a Pillow font (tests compare against it)."""
        return fonts.load(self.chains[weight][0], round(size * self.scale))

    def width(self, text: str, weight: str, size: float) -> float:
        """Advance width in layout units at ``size``: shaped once, scaled linearly."""
        return self.shaper(weight).width(text) * size

    @property
    def glyphs(self):
        """Cached glyph masks for drawing, the process's one cache (imported on first use: the
        server process only measures text, and this keeps numpy and FreeType out of it)."""
        if self._glyphs is None:
            from service.render.glyphs import process_cache

            self._glyphs = process_cache()
        return self._glyphs

    def fit_size(self, text: str, spec: FieldSpec) -> int | None:
        """The largest integer size from spec.size down to spec.min_size at which text fits
        spec.width on one line, or None if it does not fit at the floor."""
        em = self.shaper(spec.weight).width(text)
        size = spec.size if em == 0 else min(spec.size, int(spec.width / em + 1e-9))
        return size if size >= spec.min_size else None

    def fit_name(self, text: str, spec: FieldSpec) -> NameFit | None:
        """The name's size and lines by the rule in the module docstring, or None."""
        size = self.fit_size(text, spec)
        if size is not None:
            return NameFit(size, (text,))
        if spec.lines < 2:
            return None
        size, shaper = spec.min_size, self.shaper(spec.weight)
        clusters = itemize.CLUSTER.findall(text)
        spaces = [i for i, c in enumerate(clusters) if c == " "]
        between = [i for i in range(1, len(clusters)) if _cjk(clusters[i - 1]) and _cjk(clusters[i])]
        anywhere = [i for i in range(1, len(clusters)) if " " not in (clusters[i - 1], clusters[i])]
        for candidates in (spaces, between, anywhere):
            best = None
            for i in candidates:
                first = "".join(clusters[:i]).rstrip(" ")
                second = "".join(clusters[i:]).lstrip(" ")
                widest = max(shaper.width(first), shaper.width(second)) * size
                if first and second and widest <= spec.width and (best is None or widest < best[0]):
                    best = (widest, (first, second))
            if best is not None:
                return NameFit(size, best[1])
        return None

    def wrap(self, text: str, spec: FieldSpec, size: int) -> list[str] | None:
        """Greedy line breaking into at most spec.lines lines, or None if it overflows."""
        lines: list[str] = []
        rest = text
        while rest:
            if len(lines) == spec.lines:
                return None
            if self.width(rest, spec.weight, size) <= spec.width:
                lines.append(rest)
                break
            cut = self._last_break_that_fits(rest, spec, size)
            if cut == 0:
                return None
            lines.append(rest[:cut].rstrip())
            rest = rest[cut:].lstrip()
        return lines

    def _last_break_that_fits(self, text: str, spec: FieldSpec, size: int) -> int:
        best = 0
        for i in range(1, len(text)):
            breakable = text[i] == " " or _breaks_anywhere(text[i - 1]) or _breaks_anywhere(text[i])
            if not breakable:
                continue
            if self.width(text[:i].rstrip(), spec.weight, size) > spec.width:
                break
            best = i
        return best

    def layout_block(self, text: str, spec: FieldSpec) -> tuple[int, list[str]] | None:
        """Size and lines for a (possibly multi-line) field, shrinking to the floor if needed
        (cached: the texts of these fields come from a few fixed lists)."""
        key = (text, spec.width, spec.size, spec.lines)
        if key in self._blocks:
            return self._blocks[key]
        size, floor, found = spec.size, spec.min_size, None
        while size >= floor and found is None:
            lines = self.wrap(text, spec, size)
            if lines is not None:
                found = (size, lines)
            size -= 2
        if len(self._blocks) < MAX_LINES_CACHED:
            self._blocks[key] = found
        return found

    def draw(self, draw: ImageDraw.ImageDraw | None, text: str, x: float, baseline: float, *,
             weight: str, size: float, color, anchor: str = "ls", dy: int = 0,
             image: Image.Image | None = None, recurs: bool = False) -> None:
        """Draw one shaped line; anchor "ls" (left end of the baseline) or "rs" (right end).
        `dy` shifts it in output pixels (drawing into a band of the card); colour emoji
        need `image`, the image `draw` draws on (`draw` may be None when `image` is given);
        `recurs` marks a text drawn on many cards (its composed line is cached)."""
        s, line = self.scale, self.shaper(weight).shape(text)
        px = round(size * s)
        left = x * s - (line.width * px if anchor == "rs" else 0)
        key = (self._lines_key, weight, px, text) if recurs else None
        self.glyphs.draw(image, draw, (round(left), round(baseline * s) + dy), line, self.chains[weight], px,
                         tuple(color), key)

    def draw_name(self, image: Image.Image, text: str, spec: FieldSpec, dy: int = 0,
                  fit: tuple[int, tuple[str, ...]] | None = None) -> None:
        """Draw the name by its fit, a NameFit or the recipe's (size, lines) (computed here
        if the recipe carries none)."""
        fit = self.fit_name(text, spec) if fit is None else NameFit(fit[0], tuple(fit[1]))
        if fit is None:
            raise ValueError(f"name does not fit its box: {text!r}")
        middle = spec.baseline - MIDDLE * spec.size if spec.middle is None else spec.middle
        first = middle + MIDDLE * fit.size - spec.line_height * (len(fit.lines) - 1) / 2
        draw = None  # the glyph cache pastes into image; a Draw is only made if it must
        for i, line in enumerate(fit.lines):
            self.draw(draw, line, spec.x, first + i * spec.line_height, weight=spec.weight,
                      size=fit.size, color=spec.color, dy=dy, image=image)

    def draw_field(self, image: Image.Image, text: str, spec: FieldSpec, dy: int = 0,
                   recurs: bool = False) -> None:
        """Draw a field value on its baseline: auto-fit on one line, or wrapped blocks;
        `recurs`: the value comes from a short list (reasons, dates), keep its lines."""
        if spec.lines > 1:
            block = self.layout_block(text, spec)
        else:
            size = self.fit_size(text, spec)
            block = None if size is None else (size, [text])
        if block is None:
            raise ValueError(f"text does not fit its box: {text!r}")
        size, lines = block
        draw = None  # the glyph cache pastes into image; a Draw is only made if it must
        for i, line in enumerate(lines):
            self.draw(draw, line, spec.x, spec.baseline + i * spec.line_height,
                      weight=spec.weight, size=size, color=spec.color, dy=dy, image=image, recurs=recurs)


def painter_for(font_table: FontTable, language: str, layout: Layout, scale: float = 1.0) -> TextPainter:
    """A TextPainter from an atlas's font table (a manifest's, or fonts.font_table())."""
    chains = dict(font_table.chains[language])
    coverage = [fonts.Coverage(font_table.coverage[face.postscript_name]) for face in chains["Bold"]]
    return TextPainter(chains, layout, coverage, language, scale)
