"""Validation and normalisation of the name printed on a citizen card (SPEC §5)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container

import regex

from service import fonts
from service.errors import InvalidName

MAX_RAW_LENGTH = 1000
"""Raw inputs longer than this (in code points) are rejected before any other work."""
MAX_CLUSTERS = 24
MAX_MARKS_PER_BASE = 2
MAX_CODE_POINTS_PER_CLUSTER = 8
"""A drawable cluster is a base, up to two marks, or a short conjoining-jamo syllable;
anything longer (e.g. 500 Hangul leading jamo, which form one cluster) is rejected."""

_WHITESPACE = re.compile(r"\s+")
_CLUSTER = regex.compile(r"\X")
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
    if category[0] in "CMZ":  # invisible, control, combining or space: never echo the raw char
        return f"{code} ({name})"
    return f'"{ch}" ({code} {name})'


def _marks(cluster: str) -> list[str]:
    """Combining marks of a cluster, counted in NFD so that é and e+U+0301 count alike."""
    return [c for c in unicodedata.normalize("NFD", cluster) if unicodedata.category(c)[0] == "M"]


def validate_name(name: object, language: str, *,
                  fits: Callable[[str], bool] | None = None, coverage: Container[int] | None = None) -> str:
    """Return the normalised card name, or raise InvalidName (422, field ``nameOnCard``).

    Rules, checked in this order (error code in brackets):

    1. the name must be a str [name_not_string];
    2. at most 1000 code points as received, checked before any other work [name_too_long];
    3. NFC-normalise, collapse every run of whitespace (Python ``\\s``, which includes tab,
       newline, U+00A0 and U+3000) to one U+0020, and trim both ends;
    4. something must remain [name_empty];
    5. no control (Cc), format (Cf: bidi overrides and isolates, zero-width space and
       joiners, word joiner, BOM, soft hyphen, ...) or surrogate (Cs) characters
       [name_forbidden_character]; no unassigned code points (Cn, per Python's unicodedata)
       [name_unassigned_character];
    6. no combining mark (M*) that starts a grapheme cluster or follows a space
       [name_lone_combining_mark]; at most 2 combining marks on one base, counted in NFD
       [name_too_many_marks];
    7. 1..24 grapheme clusters (``\\X`` of the ``regex`` module), each of at most 8 code
       points [name_too_long];
    8. every character must be in the cmap of the language's font face, so a Korean name on
       an en card is fine but an emoji the font lacks is not [name_unsupported_character];
    9. if ``fits`` is given, ``fits(normalised)`` must be true: the name must fit on the
       card at the smallest font size [name_too_long].

    Every message about a character names its code point and Unicode name.
    """
    if language not in fonts.REGION:
        raise ValueError(f"Unsupported card language {language!r}.")
    if not isinstance(name, str):
        raise InvalidName(f"The name must be a string, not {type(name).__name__}.",
                          code="name_not_string")
    if len(name) > MAX_RAW_LENGTH:
        raise InvalidName(
            f"The name is {len(name)} characters long; at most {MAX_CLUSTERS} are allowed.",
            code="name_too_long")

    text = unicodedata.normalize("NFC", name)
    text = _WHITESPACE.sub(" ", text).strip(" ")
    if not text:
        raise InvalidName("The name is empty; please enter at least one character.",
                          code="name_empty")

    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Cs"):
            raise InvalidName(f"Character {describe(ch)} is not allowed in a name.",
                              code="name_forbidden_character")
        if category == "Cn":
            raise InvalidName(
                f"Character {describe(ch)} is not an assigned Unicode character "
                f"(Unicode {unicodedata.unidata_version}) and is not allowed in a name.",
                code="name_unassigned_character")

    clusters = _CLUSTER.findall(text)
    for cluster in clusters:
        lead = cluster[0]
        for i, ch in enumerate(cluster):
            if unicodedata.category(ch)[0] == "M" and (i == 0 or cluster[i - 1] == " "):
                raise InvalidName(
                    f"Combining mark {describe(ch)} is not attached to a letter; "
                    "combining marks must follow the character they modify.",
                    code="name_lone_combining_mark")
        marks = _marks(cluster)
        if len(marks) > MAX_MARKS_PER_BASE:
            listed = ", ".join(f"U+{ord(m):04X}" for m in marks)
            raise InvalidName(
                f"Character {describe(lead)} carries {len(marks)} combining marks ({listed}); "
                f"at most {MAX_MARKS_PER_BASE} are allowed on one character.",
                code="name_too_many_marks")
        if len(cluster) > MAX_CODE_POINTS_PER_CLUSTER:
            raise InvalidName(
                f"The character starting with {describe(lead)} is made of {len(cluster)} "
                f"code points; at most {MAX_CODE_POINTS_PER_CLUSTER} are allowed per character.",
                code="name_too_long")

    if len(clusters) > MAX_CLUSTERS:
        raise InvalidName(
            f"The name is {len(clusters)} characters long; at most {MAX_CLUSTERS} are allowed.",
            code="name_too_long")

    covered = fonts.coverage(language) if coverage is None else coverage
    for ch in text:
        if ord(ch) not in covered:
            raise InvalidName(
                f"Character {describe(ch)} cannot be printed on the card: "
                "the card font has no glyph for it.",
                code="name_unsupported_character")

    if fits is not None and not fits(text):
        raise InvalidName(
            "The name does not fit on the card even at the smallest font size; "
            "please choose a shorter name.",
            code="name_too_long")
    return text
