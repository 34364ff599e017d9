"""Which Noto Sans CJK face draws which language, what it covers, and loading it.

Han unification means one code point (骨, 直, 公, ...) has different regional glyph
forms; the card must use the face of the card's language: Korean forms on ko (and en,
because the game is Korean and Latin glyphs are the same in every face), Japanese on ja,
Traditional Chinese (Taiwan) on zh-TW.

Faces inside the .ttc collections are found by PostScript name (name ID 6), never by a
hard-coded index, so a font package that reorders the collection cannot swap scripts.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

from fontTools.ttLib import TTCollection
from PIL import ImageFont

FONT_DIR = "/usr/share/fonts/opentype/noto"
"""Default directory of NotoSansCJK-{weight}.ttc; override with $CITIZEN_FONT_DIR."""

LANGUAGES = ("ko", "en", "ja", "zh-TW")
REGION = {"ko": "kr", "en": "kr", "ja": "jp", "zh-TW": "tc"}
WEIGHTS = ("Bold", "Regular")


@dataclass(frozen=True)
class FontFace:
    """One face of a font collection: the file, its index in the file, its PostScript name."""

    path: str
    index: int
    postscript_name: str


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
    with TTCollection(path, lazy=True) as collection:
        found = []
        for index, font in enumerate(collection.fonts):
            name = font["name"].getDebugName(6)
            if name == wanted:
                return FontFace(path=path, index=index, postscript_name=wanted)
            found.append(name)
    raise LookupError(f"Font collection {path} has no face {wanted}; it contains {found}.")


@functools.cache
def _cmap(face: FontFace) -> frozenset[int]:
    with TTCollection(face.path, lazy=True) as collection:
        return frozenset(collection.fonts[face.index].getBestCmap())


def coverage(language: str) -> frozenset[int]:
    """Code points the language's face maps to a glyph (its best cmap; Bold and Regular agree).

    Only the format 4/12 cmap counts: variation selectors (format 14) are not included.
    """
    return _cmap(face_for(language, "Bold"))


@functools.lru_cache(maxsize=256)
def load(face: FontFace, size: int) -> ImageFont.FreeTypeFont:
    """A Pillow font for ``face`` at ``size`` pixels, with the BASIC (non-shaping) layout.

    BASIC layout is pixel-stable across hosts (no libraqm/HarfBuzz version drift) and is
    enough for CJK and Latin. Cached per (face, size); FreeTypeFont objects are shared, so
    do not mutate them (e.g. set_variation_*).
    """
    if size <= 0:
        raise ValueError(f"Font size must be positive, got {size}.")
    return ImageFont.truetype(face.path, size, index=face.index,
                              layout_engine=ImageFont.Layout.BASIC)
