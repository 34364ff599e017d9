"""Split a line into runs for the shaper: which face draws each grapheme cluster, and the
order runs appear in on the card (bidi).

Faces come from the card language's fallback chain (service.fonts.chain_for); what each
face covers is its cmap, recorded in the atlas manifest. The rules:

- an emoji cluster (a pictograph with emoji presentation, or with VS16, a skin tone,
  ZWJ, a keycap or tags, or a pair of regional indicators) goes to the emoji face;
- a word (clusters between spaces) is drawn by the first face that covers all of it, so
  a Turkish "Çağatay" is not split between the CJK face's Latin and Noto Sans'; when no
  face covers the whole word, each cluster takes the first face that covers it (a Thai
  word next to Latin letters); a space stays with the text face of the word before it
  (never the emoji face, whose space is an emoji wide);
- a cluster that no face covers leaves the runs undefined: ``faces`` reports it, and
  names.py refuses the name.

Bidi is a subset of the Unicode Bidirectional Algorithm that is exact for what a name
can hold (§5 forbids explicit embeddings, overrides and isolates): paragraph direction
from the first strong character (P2-P3), numbers after a strong L become L (W7), neutrals
between two like directions take it, others the paragraph's (N1-N2), levels (I1-I2) and
reversal of runs per level (L2).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import regex

CLUSTER = regex.compile(r"\X")
_PRESENTATION = regex.compile(r"\p{Emoji_Presentation}")
_EMOJI_JOINERS = frozenset("\u200d\ufe0f\u20e3") | frozenset(chr(c) for c in range(0x1F3FB, 0x1F400))
_TAGS = range(0xE0020, 0xE0080)
_REGIONAL = range(0x1F1E6, 0x1F200)
_LOWEST_EMOJI_PART = "\u200d"
"""Below it no code point is an emoji on its own: ZWJ is the lowest of the joiners, U+231A the
lowest Emoji_Presentation code point (tests/test_text.py checks every code point below it).
is_emoji runs for every cluster of a name, three times per request (validation, fitting)."""
IGNORED_IN_EMOJI = frozenset("\u200d\ufe0f") | frozenset(chr(c) for c in _TAGS)
"""Code points an emoji cluster carries that the emoji face maps by GSUB, not by cmap."""


class Covers(Protocol):
    def __contains__(self, code_point: int) -> bool: ...


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of a line drawn by one face in one direction; runs are in visual order,
    the text of each in logical order (the shaper reverses a right-to-left run)."""

    text: str
    face: int  # index in the chain
    rtl: bool


def is_emoji(cluster: str) -> bool:
    """Whether a grapheme cluster is drawn as a colour emoji."""
    if len(cluster) == 1 and cluster < _LOWEST_EMOJI_PART:  # most letters of most names: no test to run
        return False
    if "\ufe0e" in cluster:  # text presentation asked for
        return False
    if any(c in _EMOJI_JOINERS or ord(c) in _TAGS for c in cluster):
        return True
    if len(cluster) == 2 and all(ord(c) in _REGIONAL for c in cluster):
        return True
    return bool(_PRESENTATION.match(cluster))


def _covered(face: Covers, cluster: str, emoji: bool) -> bool:
    return all(ord(c) in face for c in cluster if not (emoji and c in IGNORED_IN_EMOJI))


def faces(clusters: Sequence[str], chain: Sequence[Covers], emoji_face: int) -> list[int | None]:
    """The chain index drawing each cluster, or None where no face covers it."""
    chosen: list[int | None] = [None] * len(clusters)
    words: list[list[int]] = [[]]
    for i, cluster in enumerate(clusters):
        if cluster == " ":
            words.append([])
        elif is_emoji(cluster):
            chosen[i] = emoji_face if _covered(chain[emoji_face], cluster, True) else None
        else:
            words[-1].append(i)
    text_faces = [f for f in range(len(chain)) if f != emoji_face]
    for word in filter(None, words):
        whole = next((f for f in text_faces if all(_covered(chain[f], clusters[i], False) for i in word)), None)
        for i in word:
            chosen[i] = whole if whole is not None else next(
                (f for f in text_faces if _covered(chain[f], clusters[i], False)), None)
    for i, cluster in enumerate(clusters):
        if cluster == " ":
            before = next((chosen[j] for j in range(i - 1, -1, -1) if chosen[j] not in (None, emoji_face)), None)
            chosen[i] = before if before is not None and 0x20 in chain[before] else text_faces[0]
    return chosen


def _direction(cluster: str) -> str:
    """'L', 'R', 'N' (number: EN/AN) or '' (neutral) from the cluster's first character."""
    kind = unicodedata.bidirectional(cluster[0])
    if kind in ("R", "AL"):
        return "R"
    if kind == "L":
        return "L"
    return "N" if kind in ("EN", "AN") else ""


def levels(clusters: Sequence[str]) -> list[int]:
    """Embedding level of each cluster (0 or 1 for the paragraph, up to 2 for numbers and
    left-to-right text inside a right-to-left paragraph)."""
    kinds = [_direction(c) for c in clusters]
    rtl = next((k == "R" for k in kinds if k in ("L", "R")), False)
    strong = "R" if rtl else "L"
    resolved = []
    for k in kinds:  # W7: a number after a strong L (or at the start of an LTR line) is L
        if k in ("L", "R"):
            strong = k
        resolved.append("L" if k == "N" and strong == "L" else k)
    for i, k in enumerate(resolved):  # N1-N2: neutrals between like directions take it
        if k:
            continue
        before = next((resolved[j] for j in range(i - 1, -1, -1) if resolved[j]), "R" if rtl else "L")
        after = next((resolved[j] for j in range(i + 1, len(resolved)) if resolved[j]), "R" if rtl else "L")
        as_r = {"R": "R", "N": "R", "L": "L"}
        resolved[i] = as_r[before] if as_r[before] == as_r[after] else ("R" if rtl else "L")
    base = 1 if rtl else 0
    table = {(0, "L"): 0, (0, "R"): 1, (0, "N"): 2, (1, "L"): 2, (1, "R"): 1, (1, "N"): 2}
    return [table[(base, k)] for k in resolved]


def runs(clusters: Sequence[str], chosen: Sequence[int]) -> list[Run]:
    """Runs in visual order (left to right on the card)."""
    lv = levels(clusters)
    order = list(range(len(clusters)))
    for level in range(max(lv, default=0), 0, -1):  # L2
        i = 0
        while i < len(order):
            if lv[order[i]] >= level:
                j = i
                while j < len(order) and lv[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    result: list[Run] = []
    group: list[int] = []
    for index in order:
        if group and (chosen[index] != chosen[group[-1]] or lv[index] != lv[group[-1]]):
            result.append(_run(clusters, group, chosen, lv))
            group = []
        group.append(index)
    if group:
        result.append(_run(clusters, group, chosen, lv))
    return result


def _run(clusters: Sequence[str], group: list[int], chosen: Sequence[int], lv: Sequence[int]) -> Run:
    rtl = lv[group[0]] % 2 == 1
    logical = sorted(group)
    return Run("".join(clusters[i] for i in logical), chosen[group[0]], rtl)
