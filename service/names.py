"""Validation and normalisation of the name printed on a citizen card (SPEC §5)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from service import fonts
from service.errors import InvalidName
from service.name_messages import message
from service.render import itemize

MAX_RAW_LENGTH = 1000
"""Raw inputs longer than this (in code points) are rejected before any other work."""
MAX_CLUSTERS = 24
MAX_EMOJI = 8
MAX_MARKS_PER_BASE = 2
MAX_CODE_POINTS_PER_CLUSTER = 8
MAX_CODE_POINTS_PER_EMOJI = 10
"""A drawable cluster is a base, up to two marks, or a short conjoining-jamo syllable;
anything longer (e.g. 500 Hangul leading jamo, which form one cluster) is rejected. An
emoji sequence may be longer (a kiss with two skin tones is 10 code points)."""

_SPACES = re.compile(r"\s+")
"""Runs of spaces (U+0020, U+00A0, U+3000, ...: the other ``\\s`` are controls and line
separators, refused before this applies)."""
_LINE_BREAKS = {"\u2028", "\u2029"}
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5")
"""Letters that draw nothing (Hangul fillers, Braille blank, Khmer inherent vowels)."""
_FALLBACK_NAMES = {
    "Cc": "control character",
    "Cf": "format character",
    "Cs": "surrogate",
    "Co": "private-use character",
    "Cn": "unassigned code point",
}


def describe(ch: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``, or ``"준" (U+C900 HANGUL SYLLABLE JUN)`` when visible."""
    category = unicodedata.category(ch)
    name = unicodedata.name(ch, "") or _FALLBACK_NAMES.get(category, "unnamed character")
    code = f"U+{ord(ch):04X}"
    if not _visible(ch):  # invisible, control, combining or space: never echo the raw char
        return f"{code} ({name})"
    return f'"{ch}" ({code} {name})'


def _visible(ch: str) -> bool:
    return unicodedata.category(ch)[0] not in "CMZ" and ch not in INVISIBLE


def _refuse(key: str, language: str, ch: str | None = None, code: str | None = None, **values: object) -> InvalidName:
    shown = "" if ch is None else (ch if _visible(ch) else f"U+{ord(ch):04X}")
    return InvalidName(message(key, language, char=shown, **values), code=code or key, character=ch)


def _marks(cluster: str) -> list[str]:
    """Combining marks of a cluster, counted in NFD so that é and e+U+0301 count alike
    (an emoji's VS16 and keycap mark are part of the emoji, not accents)."""
    skip = itemize.IGNORED_IN_EMOJI | {"\u20e3"} if itemize.is_emoji(cluster) else ()
    return [c for c in unicodedata.normalize("NFD", cluster) if unicodedata.category(c)[0] == "M" and c not in skip]


def _allowed_format(ch: str, cluster: str, at: int) -> bool:
    """ZWJ inside an emoji ZWJ sequence, tag characters inside a subdivision flag."""
    if ch == "\u200d":
        return itemize.is_emoji(cluster) and 0 < at < len(cluster) - 1
    return 0xE0020 <= ord(ch) <= 0xE007F and cluster[0] == "\U0001f3f4"


def validate_name(name: object, language: str, *, fits: Callable[[str], bool] | None = None,
                  coverage: Sequence | None = None) -> str:
    """Return the normalised card name, or raise InvalidName (422, field ``nameOnCard``)
    whose message is written for players in the card's ``language``.

    Rules, checked in this order (error code in brackets):

    1. the name must be a str [name_not_string];
    2. at most 1000 code points as received, checked before any other work [name_too_long];
    3. no control characters (Cc: tab, CR, LF, VT, FF, U+001C-001F, U+0085, ...) or line
       and paragraph separators (U+2028/2029): refused, not collapsed
       [name_forbidden_character];
    4. NFC-normalise, collapse every run of spaces (Zs, e.g. U+00A0, U+3000) to one
       U+0020, trim both ends; something must remain [name_empty];
    5. no format (Cf: bidi overrides and isolates, zero-width space and joiners, word
       joiner, BOM, soft hyphen, ...) or surrogate (Cs) characters, except a ZWJ inside an
       emoji sequence and tags inside a flag [name_forbidden_character]; no invisible
       fillers (U+115F, U+1160, U+3164, U+FFA0, ...): a name must show a glyph
       [name_forbidden_character]; no unassigned code points [name_unassigned_character];
    6. no combining mark (M*) that starts a grapheme cluster or follows a space
       [name_lone_combining_mark]; at most 2 combining marks on one base, counted in NFD
       [name_too_many_marks];
    7. 1..24 grapheme clusters (``\\X``; an emoji sequence is one), each of at most 8
       code points (10 for an emoji) [name_too_long]; at most 8 emoji [name_too_many_emoji];
    8. every cluster must be drawable by one face of the language's fallback chain (cmap
       coverage, per face, ``coverage``) [name_unsupported_character];
    9. if ``fits`` is given, ``fits(normalised)`` must be true: the name must fit the
       name slot, on one line or two at the floor size [name_too_long].

    The error carries the offending character and its code point in separate fields.
    """
    if language not in fonts.REGION:
        raise ValueError(f"Unsupported card language {language!r}.")
    if not isinstance(name, str):
        raise _refuse("name_not_string", language)
    if len(name) > MAX_RAW_LENGTH:
        raise _refuse("name_too_long", language, max=MAX_CLUSTERS)
    for ch in name:
        if unicodedata.category(ch) == "Cc" or ch in _LINE_BREAKS:
            raise _refuse("name_forbidden_character", language, ch)

    text = _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip(" ")
    if not text:
        raise _refuse("name_empty", language)

    clusters = itemize.CLUSTER.findall(text)
    for cluster in clusters:
        for at, ch in enumerate(cluster):
            category = unicodedata.category(ch)
            if category == "Cs" or (category == "Cf" and not _allowed_format(ch, cluster, at)):
                raise _refuse("name_forbidden_character", language, ch)
            if ch in INVISIBLE:
                raise _refuse("name_invisible_character", language, ch, code="name_forbidden_character")
            if category == "Cn":
                raise _refuse("name_unassigned_character", language, ch)

    emoji = 0
    for cluster in clusters:
        for i, ch in enumerate(cluster):
            if unicodedata.category(ch)[0] == "M" and (i == 0 or cluster[i - 1] == " "):
                raise _refuse("name_lone_combining_mark", language, ch)
        if len(_marks(cluster)) > MAX_MARKS_PER_BASE:
            raise _refuse("name_too_many_marks", language, cluster[0], max=MAX_MARKS_PER_BASE)
        is_emoji = itemize.is_emoji(cluster)
        emoji += is_emoji
        if len(cluster) > (MAX_CODE_POINTS_PER_EMOJI if is_emoji else MAX_CODE_POINTS_PER_CLUSTER):
            raise _refuse("name_too_long", language, cluster[0], max=MAX_CLUSTERS)
    if len(clusters) > MAX_CLUSTERS:
        raise _refuse("name_too_long", language, max=MAX_CLUSTERS)
    if emoji > MAX_EMOJI:
        raise _refuse("name_too_many_emoji", language, max=MAX_EMOJI)

    chain = _chain_coverage(language) if coverage is None else coverage
    emoji_face = len(chain) - 1
    for cluster, face in zip(clusters, itemize.faces(clusters, chain, emoji_face)):
        if face is None:
            culprit = next((c for c in cluster if not any(ord(c) in f for f in chain)), cluster[-1])
            raise _refuse("name_unsupported_character", language, culprit)

    if fits is not None and not fits(text):
        raise _refuse("name_does_not_fit", language, code="name_too_long")
    return text


def _chain_coverage(language: str) -> list[fonts.Coverage]:
    """Coverage read from the fonts themselves (tools and tests; servers pass the
    manifest's, emoji face last)."""
    return [_face_coverage(face) for face in fonts.chain_for(language, "Bold")]


_COVERAGE: dict[fonts.FontFace, fonts.Coverage] = {}


def _face_coverage(face: fonts.FontFace) -> fonts.Coverage:
    if face not in _COVERAGE:
        _COVERAGE[face] = fonts.Coverage(fonts.cmap_ranges(face))
    return _COVERAGE[face]
