"""The files stored per card: the PNG and the optional variants (issue 16). Stdlib only:
the server process uses this table without importing any pixel code.

    png    <id>.png          image/png   1200x760  always
    webp   <id>.webp         image/webp  1200x760  lossy q85: a third of the PNG's bytes
    og     <id>.og.jpg       image/jpeg  1200x630  social image: the card on a branded canvas (JPEG q90)
    thumb  <id>.thumb.jpg    image/jpeg   600x380  the card 600 px wide (JPEG q85)

Which variants a deployment makes is CITIZEN_VARIANTS; service/render/variants.py draws them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CardFile:
    """One kind of stored file: its name in URLs and settings, file suffix, content type, size."""

    name: str
    suffix: str
    content_type: str
    width: int
    height: int


PNG = CardFile("png", ".png", "image/png", 1200, 760)
VARIANTS: dict[str, CardFile] = {
    "webp": CardFile("webp", ".webp", "image/webp", 1200, 760),
    "og": CardFile("og", ".og.jpg", "image/jpeg", 1200, 630),
    "thumb": CardFile("thumb", ".thumb.jpg", "image/jpeg", 600, 380),
}
"""Every optional variant, by name."""

FILES: dict[str, CardFile] = {"png": PNG, **VARIANTS}
BY_SUFFIX: dict[str, CardFile] = {f.suffix: f for f in FILES.values()}


def parse_variants(raw: str | tuple[str, ...]) -> tuple[str, ...]:
    """'webp,og' or ('webp', 'og') -> ('webp', 'og'); ValueError naming an unknown variant."""
    names = tuple(n.strip() for n in (raw.split(",") if isinstance(raw, str) else raw) if n.strip())
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        raise ValueError(f"unknown variant {unknown[0]!r}; known: {', '.join(VARIANTS)}")
    return tuple(dict.fromkeys(names))
