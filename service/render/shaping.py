"""Lines of text shaped by HarfBuzz over a language's chain of faces.

A line is itemized into runs (service.render.itemize: face per cluster, bidi order), each
run is shaped by HarfBuzz with the face's OpenType features (kerning, ligatures, mark
positioning, Arabic joining, Indic conjuncts; ``palt`` for Japanese), and the result is
kept in em units, so one shaping serves every font size: widths scale linearly (glyph
positions are unhinted) and fitting a name costs one shaping, not one per size tried.

Korean and Traditional Chinese are set on the CJK face's default (full-width) metrics, as
those typesetting traditions do; Japanese names get proportional kana and punctuation
(``palt``), as Japanese display type conventionally does.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import uharfbuzz as hb

from service import fonts
from service.render import itemize

CACHE_LINES = 256
"""Shaped lines kept per shaper (LRU): enough for the lines of a request and for texts that
recur; unique ones (numbers, addresses, names) must not grow the process."""
SIMPLE = ((0x20, 0x7E), (0xA0, 0xFF), (0x3000, 0x303F), (0x3041, 0x30FF), (0x4E00, 0x9FA5), (0xAC00, 0xD7A3),
          (0xFF01, 0xFF60))
"""Left-to-right code points with no emoji presentation and no combining marks: a line made
only of those that the first face covers is one run of it (what itemize would find),
without the itemizer's per-cluster work (numbers, dates, most addresses and names)."""
_LANGUAGE_TAGS = {"ko": "ko", "en": "en", "ja": "ja", "zh-TW": "zh-Hant"}


@dataclass(frozen=True, slots=True)
class ShapedLine:
    """Glyphs of one line: (face index in the chain, glyph id, x, y), x from the line's
    left end to the glyph origin and y upwards, both in em; width is the advance in em."""

    glyphs: tuple[tuple[int, int, float, float], ...]
    width: float


class UncoveredCharacter(ValueError):
    """No face of the chain can draw this character (names.py refuses such names first)."""

    def __init__(self, char: str) -> None:
        super().__init__(f"no face covers U+{ord(char):04X}")
        self.char = char


class Shaper:
    """Shapes lines for one card language and weight; lines are cached by text."""

    def __init__(self, chain: Sequence[fonts.FontFace], coverage: Sequence[itemize.Covers], language: str) -> None:
        self.chain = tuple(chain)
        self.coverage = tuple(coverage)
        self.emoji = next(i for i, face in enumerate(self.chain) if fonts.is_emoji(face))
        self.language = language
        self._fonts: dict[int, tuple[hb.Font, int]] = {}
        self._lines: OrderedDict[str, ShapedLine] = OrderedDict()
        self._simple = _simple_pattern(self.coverage[0])

    def _font(self, index: int) -> tuple[hb.Font, int]:
        found = self._fonts.get(index)
        if found is None:
            face = self.chain[index]
            hb_face = hb.Face(hb.Blob.from_file_path(face.path), face.index)
            found = self._fonts[index] = (hb.Font(hb_face), hb_face.upem)
        return found

    def runs(self, text: str) -> list[itemize.Run]:
        """The line's runs in visual order; raises UncoveredCharacter."""
        if self._simple is not None and self._simple.fullmatch(text):
            return [itemize.Run(text, 0, False)]
        clusters = itemize.CLUSTER.findall(text)
        chosen = itemize.faces(clusters, self.coverage, self.emoji)
        for cluster, face in zip(clusters, chosen):
            if face is None:
                raise UncoveredCharacter(next((c for c in cluster if not any(ord(c) in f for f in self.coverage)),
                                              cluster[0]))
        return itemize.runs(clusters, chosen)  # type: ignore[arg-type]

    def shape(self, text: str) -> ShapedLine:
        """The shaped line (cached; raises UncoveredCharacter)."""
        line = self._lines.get(text)
        if line is not None:
            self._lines.move_to_end(text)
            return line
        glyphs: list[tuple[int, int, float, float]] = []
        pen = 0.0
        for run in self.runs(text):
            font, upem = self._font(run.face)
            buffer = hb.Buffer()
            buffer.add_str(run.text)
            buffer.guess_segment_properties()
            buffer.direction = "rtl" if run.rtl else "ltr"
            buffer.language = _LANGUAGE_TAGS.get(self.language, "en")
            features = {"palt": True} if self.language == "ja" and run.face == 0 else {}
            hb.shape(font, buffer, features)
            for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions):
                glyphs.append((run.face, info.codepoint, pen + pos.x_offset / upem, pos.y_offset / upem))
                pen += pos.x_advance / upem
        line = ShapedLine(tuple(glyphs), pen)
        self._lines[text] = line
        if len(self._lines) > CACHE_LINES:
            self._lines.popitem(last=False)
        return line

    def width(self, text: str) -> float:
        """Advance width of a line in em."""
        return self.shape(text).width


def _simple_pattern(first: itemize.Covers) -> re.Pattern | None:
    """A regex of the SIMPLE code points the first face covers (None if its coverage is not
    a fonts.Coverage, whose ranges this intersects)."""
    ranges = getattr(first, "ranges", None)
    if ranges is None:
        return None
    parts = []
    for lo, hi in SIMPLE:
        for a, b in ranges:
            if a <= hi and b >= lo:
                parts.append(f"\\U{max(a, lo):08x}-\\U{min(b, hi):08x}")
    return re.compile(f"[{''.join(parts)}]+") if parts else None
