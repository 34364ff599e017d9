"""A part category and its variants, each under an id of its own.

Recipes store a part as (category, variant id) and catalog.json maps the id to its file
(``parts/<category>/<id>.png``), so an id must name the same drawing for ever: every
variant declares its id where it is defined, and nothing is numbered by its position in a
list. A new variant takes a new id (the next free number); removing or reordering
variants leaves every other id, and the pixels behind it, alone.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal


# How a category's variants draw:
#   "pen"      draw(pen) on the shared transparent canvas
#   "seeded"   draw(pen, rng) with rng = random.Random(f"{category}-{id}"), fixed per variant
#   "canvas"   draw(image) composites onto the supersampled image itself (stickers)
#   "opaque"   draw() returns a whole supersampled opaque image (backgrounds)
Kind = Literal["pen", "seeded", "canvas", "opaque"]

ID_PATTERN = re.compile(r"[0-9a-z_-]+")


@dataclass(frozen=True)
class Variant:
    """One part: its stable id and the drawing behind it."""

    id: str
    draw: Callable[..., Any]

    def __post_init__(self) -> None:
        if not ID_PATTERN.fullmatch(self.id):
            raise ValueError(f"variant id {self.id!r} must be lowercase letters, digits, '_' or '-' (it names a file)")


@dataclass(frozen=True)
class Category:
    """A part category: its catalog id, how its variants draw and the variants themselves."""

    id: str
    kind: Kind
    variants: tuple[Variant, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for variant in self.variants:
            if variant.id in seen:
                raise ValueError(f"{self.id}: two variants have the id {variant.id!r}")
            seen.add(variant.id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(variant.id for variant in self.variants)

    def variant(self, variant_id: str) -> Variant:
        """The variant with this id (KeyError naming the category if there is none)."""
        for variant in self.variants:
            if variant.id == variant_id:
                return variant
        raise KeyError(f"{self.id} has no variant {variant_id!r}")

    def seed(self, variant: Variant) -> str:
        """The RNG seed of a "seeded" variant: from its id, never from its position."""
        return f"{self.id}-{variant.id}"
