"""Which Noto Sans CJK face draws which language, what it covers, and loading it.

Han unification means one code point (骨, 直, 公, ...) has different regional glyph
forms; the card must use the face of the card's language: Korean forms on ko (and en,
because the game is Korean and Latin glyphs are the same in every face), Japanese on ja,
Traditional Chinese (Taiwan) on zh-TW.

Faces inside the .ttc collections are found by PostScript name (name ID 6), never by a
hard-coded index, so a font package that reorders the collection cannot swap scripts.

What the CJK face lacks comes from a fallback chain (``chain_for``): Noto Sans (Latin
Extended, Greek, Cyrillic), Noto Sans Thai, Arabic, Hebrew, Devanagari and the other
scripts of FALLBACKS (Debian fonts-noto-core) and Noto Color Emoji (fonts-noto-color-emoji). The atlas builder records
each language's chain and every face's cmap in the manifest; servers read them there.
"""

from __future__ import annotations

import bisect
import functools
import os
from PIL import ImageFont

from service.atlas.format import FontFace, FontTable

FONT_DIR = "/usr/share/fonts/opentype/noto"
"""Default directory of NotoSansCJK-{weight}.ttc; override with $CITIZEN_FONT_DIR."""
FALLBACK_DIR = "/usr/share/fonts/truetype/noto"
"""Directory of the fallback faces (fonts-noto-core, fonts-noto-color-emoji)."""
FALLBACKS = ("NotoSans", "NotoSansThai", "NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari",
             "NotoSansArmenian", "NotoSansGeorgian", "NotoSansBengali", "NotoSansTamil", "NotoSansTelugu",
             "NotoSansGujarati", "NotoSansGurmukhi", "NotoSansKannada", "NotoSansMalayalam", "NotoSansSinhala",
             "NotoSansKhmer", "NotoSansLao", "NotoSansMyanmar", "NotoSansEthiopic")
"""Tried in this order after the language's CJK face; each exists in Bold and Regular."""
EMOJI = "NotoColorEmoji"
"""The colour emoji face (CBDT bitmaps at one strike), last in every chain."""

LANGUAGES = ("ko", "en", "ja", "zh-TW")
REGION = {"ko": "kr", "en": "kr", "ja": "jp", "zh-TW": "tc"}
WEIGHTS = ("Bold", "Regular")


def font_dir() -> str:
    """The directory holding the Noto Sans CJK collections (the only reader of the env var)."""
    return os.environ.get("CITIZEN_FONT_DIR") or FONT_DIR


def _region(language: str) -> str:
    try:
        return REGION[language]
    except KeyError:
        raise ValueError(
            f"Unsupported card language {language!r}; expected one of {', '.join(LANGUAGES)}."
        ) from None


@functools.cache
def face_for(language: str, weight: str = "Bold") -> FontFace:
    """The face that draws ``language`` in ``weight`` (e.g. ja/Bold -> NotoSansCJKjp-Bold).

    Raises ValueError for an unknown language or weight, FileNotFoundError if the
    collection is missing and LookupError if it has no face of that PostScript name.
    Cached: call ``face_for.cache_clear()`` after changing $CITIZEN_FONT_DIR.
    """
    region = _region(language)
    if weight not in WEIGHTS:
        raise ValueError(f"Unsupported font weight {weight!r}; expected one of {', '.join(WEIGHTS)}.")
    path = os.path.join(font_dir(), f"NotoSansCJK-{weight}.ttc")
    wanted = f"NotoSansCJK{region}-{weight}"
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"Font collection {path} not found (needed for {wanted}); install fonts-noto-cjk "
            f"or point CITIZEN_FONT_DIR at a directory containing NotoSansCJK-{weight}.ttc."
        )
    from fontTools.ttLib import TTCollection  # build time only (see cmap_ranges)

    with TTCollection(path, lazy=True) as collection:
        found = []
        for index, font in enumerate(collection.fonts):
            name = font["name"].getDebugName(6)
            if name == wanted:
                return FontFace(path=path, index=index, postscript_name=wanted)
            found.append(name)
    raise LookupError(f"Font collection {path} has no face {wanted}; it contains {found}.")


@functools.cache
def fallback_face(family: str, weight: str = "Bold") -> FontFace:
    """A face of the fallback chain (``NotoSansThai`` + ``Bold`` -> NotoSansThai-Bold.ttf);
    the emoji face has one weight. Raises FileNotFoundError naming the Debian package."""
    name = family if family == EMOJI else f"{family}-{weight}"
    path = os.path.join(FALLBACK_DIR, f"{name}.ttf")
    if not os.path.isfile(path):
        package = "fonts-noto-color-emoji" if family == EMOJI else "fonts-noto-core"
        raise FileNotFoundError(f"Font {path} not found; install {package}.")
    return FontFace(path=path, index=0, postscript_name=name)


def chain_for(language: str, weight: str = "Bold") -> list[FontFace]:
    """The faces that may draw a cluster on a ``language`` card, in order of preference."""
    return [face_for(language, weight), *(fallback_face(f, weight) for f in FALLBACKS), fallback_face(EMOJI)]


def is_emoji(face: FontFace) -> bool:
    """Whether a face is the colour bitmap face."""
    return face.postscript_name == EMOJI


class Coverage:
    """The code points a face maps to a glyph, as sorted ranges (a few KB, not a set of 45k ints)."""

    def __init__(self, ranges: list[list[int]] | list[tuple[int, int]]) -> None:
        self.ranges = [(int(a), int(b)) for a, b in ranges]
        self._starts = [a for a, _ in self.ranges]

    def __contains__(self, code_point: int) -> bool:
        i = bisect.bisect_right(self._starts, code_point) - 1
        return i >= 0 and code_point <= self.ranges[i][1]


def cmap_ranges(face: FontFace) -> list[tuple[int, int]]:
    """The face's best cmap (format 4/12; not the format 14 variation selectors) as ranges.

    Read with fontTools at atlas build time; servers get the ranges from the manifest.
    """
    from fontTools.ttLib import TTCollection, TTFont  # build time only: servers and workers never load it

    if face.path.endswith(".ttc"):
        with TTCollection(face.path, lazy=True) as collection:
            points = sorted(collection.fonts[face.index].getBestCmap())
    else:
        with TTFont(face.path, lazy=True) as font:
            points = sorted(font.getBestCmap())
    ranges: list[tuple[int, int]] = []
    for point in points:
        if ranges and point == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], point)
        else:
            ranges.append((point, point))
    return ranges


@functools.cache
def coverage(language: str) -> Coverage:
    """What the language's CJK face can draw, read from the font (Bold and Regular agree)."""
    return Coverage(cmap_ranges(face_for(language, "Bold")))


def chain_coverage(language: str) -> dict[str, list[tuple[int, int]]]:
    """cmap ranges of every face in the language's Bold chain, by PostScript name (for the
    manifest; the Regular faces cover the same code points, checked in tests)."""
    return {face.postscript_name: cmap_ranges(face) for face in chain_for(language, "Bold")}


@functools.cache
def font_table() -> FontTable:
    """The manifest's font sections for every card language, read from the installed fonts
    (the builder writes them; the reference renderer, which draws without an atlas, uses them
    as they are now)."""
    chains = {lang: {w: tuple(chain_for(lang, w)) for w in WEIGHTS} for lang in LANGUAGES}
    coverage: dict[str, tuple[tuple[int, int], ...]] = {}
    for lang in LANGUAGES:
        for face in chains[lang]["Bold"]:
            if face.postscript_name not in coverage:
                coverage[face.postscript_name] = tuple(cmap_ranges(face))
    return FontTable(chains, coverage)


@functools.lru_cache(maxsize=256)
def load(face: FontFace, size: int) -> ImageFont.FreeTypeFont:
    """A Pillow font for ``face`` at ``size`` pixels, with the BASIC (non-shaping) layout.

    Cards are not drawn with it (service.render.shaping and glyphs draw every line); tests
    and tools use it to look at a face. Cached per (face, size); FreeTypeFont objects are
    shared, so do not mutate them (e.g. set_variation_*).
    """
    if size <= 0:
        raise ValueError(f"Font size must be positive, got {size}.")
    return ImageFont.truetype(face.path, size, index=face.index,
                              layout_engine=ImageFont.Layout.BASIC)
