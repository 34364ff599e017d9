"""A card's recipe: everything needed to draw it, chosen by a seeded RNG.

The recipe is the only thing that crosses into a render worker, and it is stored as
JSON next to each PNG, so it is small, frozen, picklable and self-describing: the
address and reason are kept as the final localized strings.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass

from service.atlas.sections import Catalog, Texts
from service.odds import HAIR, Odds

MAX_SEED = 2**63 - 1


@dataclass(frozen=True, slots=True)
class Recipe:
    name: str
    language: str
    seed: int
    atlas_version: str
    parts: tuple[tuple[str, str | None], ...]  # (category, variant id or None), draw order
    hair_color: str
    number: str
    issued: str  # ISO date
    address: str
    reason: str
    name_fit: tuple[int, tuple[str, ...]] | None = None
    """The render report: the name's font size and lines, decided when the name was
    validated (service.render.text.NameFit), so re-renders at print scale set it alike;
    None (recipes stored before it existed) lets the renderer fit the name again."""

    def part(self, category: str) -> str | None:
        return dict(self.parts)[category]

    def to_json(self) -> dict:
        """The recipe as the API and the stored JSON show it (camelCase keys)."""
        return {"name": self.name, "language": self.language, "seed": self.seed,
                "atlasVersion": self.atlas_version, "parts": dict(self.parts), "hairColor": self.hair_color,
                "number": self.number, "issued": self.issued, "address": self.address, "reason": self.reason,
                **({} if self.name_fit is None else
                   {"nameFit": {"size": self.name_fit[0], "lines": list(self.name_fit[1])}})}

    @classmethod
    def from_json(cls, body: dict) -> Recipe:
        return cls(name=body["name"], language=body["language"], seed=body["seed"],
                   atlas_version=body["atlasVersion"], parts=tuple(body["parts"].items()),
                   hair_color=body["hairColor"], number=body["number"], issued=body["issued"],
                   address=body["address"], reason=body["reason"],
                   name_fit=(int(body["nameFit"]["size"]), tuple(body["nameFit"]["lines"])) if "nameFit" in body else None)


def random_seed() -> int:
    return secrets.randbelow(MAX_SEED + 1)


def make_recipe(catalog: Catalog, texts: Texts, *, name: str, language: str, seed: int,
                atlas_version: str, issued: dt.date,
                name_fit: tuple[int, tuple[str, ...]] | None = None) -> Recipe:
    """Pick parts, hair colour, address, reason and number from `seed` alone.

    Same inputs, same recipe: the RNG is seeded with the seed and nothing else. Parts and
    hair colour follow the catalog's odds and compatibility rules (service.odds). A stored
    recipe names its parts, so changing the odds or rules changes what a *new* seed draws,
    never what an existing recipe renders.
    """
    rng = random.Random(seed)
    cookie = Odds.of(catalog).sample(rng)
    parts = [(category.id, cookie[category.id]) for category in catalog.categories]
    hair = cookie[HAIR]
    address = texts.address_format.format(
        number=rng.randint(1, 199),
        street=rng.choice(texts.address_streets),
        district=rng.choice(texts.address_districts),
    )
    reason = rng.choice(texts.reasons)
    digits = f"{rng.randrange(10**12):012d}"
    number = f"{digits[:4]}-{digits[4:8]}-{digits[8:]}"
    return Recipe(name=name, language=language, seed=seed, atlas_version=atlas_version,
                  parts=tuple(parts), hair_color=hair, number=number, issued=issued.isoformat(),
                  address=address, reason=reason, name_fit=name_fit)


def format_date(texts: Texts, iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return texts.date_format.format(year=day.year, month=day.month, day=day.day,
                                    month_name=texts.month_names[day.month - 1])
