"""Typed, frozen results (Card, Recipe) and the batch request type (IssueRequest)."""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeAlias

__all__ = ["Card", "Recipe", "IssueRequest", "IssueLike", "Language", "LANGUAGES"]

Language: TypeAlias = Literal["ko", "en", "ja", "zh-TW"]
LANGUAGES: Final[tuple[Language, ...]] = ("ko", "en", "ja", "zh-TW")
"""The languages the service prints cards in today. The client does not check a language
against this list itself: the service is the authority and answers UnsupportedLanguage."""


def _str(body: Mapping[str, Any], key: str) -> str:
    value = body[key]
    if not isinstance(value, str):
        raise TypeError(f"{key!r} is {type(value).__name__}, expected str")
    return value


def _int(body: Mapping[str, Any], key: str) -> int:
    value = body[key]
    if type(value) is not int:
        raise TypeError(f"{key!r} is {type(value).__name__}, expected int")
    return value


@dataclass(frozen=True, slots=True)
class Recipe:
    """Everything that was drawn on a card, chosen from ``seed`` (localized texts included)."""

    name: str
    """The name as printed: NFC-normalised, whitespace collapsed and trimmed."""
    language: str
    seed: int
    atlas_version: str
    parts: Mapping[str, str | None] = field(hash=False)
    """Category -> variant id (None: the optional category is empty), in draw order; read-only."""
    hair_color: str
    number: str
    """The citizen number, e.g. ``1234-5678-9012``."""
    issued: dt.date
    address: str
    reason: str

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> Recipe:
        """Parse the API's camelCase ``recipe`` object; KeyError/TypeError/ValueError if malformed."""
        parts = body["parts"]
        if not isinstance(parts, dict) or not all(
                isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in parts.items()):
            raise TypeError("'parts' must map category names to variant ids or null")
        return cls(name=_str(body, "name"), language=_str(body, "language"), seed=_int(body, "seed"),
                   atlas_version=_str(body, "atlasVersion"), parts=types.MappingProxyType(dict(parts)),
                   hair_color=_str(body, "hairColor"), number=_str(body, "number"),
                   issued=dt.date.fromisoformat(_str(body, "issued")), address=_str(body, "address"),
                   reason=_str(body, "reason"))


@dataclass(frozen=True, slots=True)
class Card:
    """A minted card: its id, the public URL of its PNG, and the recipe it was drawn from."""

    id: str
    url: str
    """Public URL of the PNG; fetchable as soon as the card is returned (see fetch_image)."""
    language: str
    seed: int
    """Issue again with this seed (and the same name and language) to get the same drawing."""
    atlas_version: str
    recipe: Recipe
    alt_text: str | None = None
    """A text description of the card, when the service provides one."""
    urls: Mapping[str, str] = field(default_factory=lambda: types.MappingProxyType({}), hash=False)
    """The PNG and every stored variant by name: ``png``, and as the deployment makes them ``webp``
    (1200x760), ``og`` (the 1200x630 social image), ``thumb`` (600x380); read-only."""
    created_at: dt.datetime | None = None
    """When the card was minted (UTC), when the service says."""
    replayed: bool = field(default=False, compare=False)
    """True when the service answered from its idempotency record (a retry, or a repeated key)."""

    @classmethod
    def from_json(cls, body: Mapping[str, Any], *, replayed: bool = False) -> Card:
        """Parse a 201 body; KeyError/TypeError/ValueError if it is not the API's shape."""
        recipe = body["recipe"]
        if not isinstance(recipe, dict):
            raise TypeError("'recipe' must be an object")
        alt = body.get("altText")
        url = _str(body, "url")
        urls = body.get("urls") or {"png": url}
        if not isinstance(urls, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in urls.items()):
            raise TypeError("'urls' must map names to URLs")
        created = body.get("createdAt")
        return cls(id=_str(body, "id"), url=url, language=_str(body, "language"),
                   seed=_int(body, "seed"), atlas_version=_str(body, "atlasVersion"),
                   recipe=Recipe.from_json(recipe), alt_text=alt if isinstance(alt, str) else None,
                   urls=types.MappingProxyType(dict(urls)),
                   created_at=dt.datetime.fromisoformat(created) if isinstance(created, str) else None,
                   replayed=replayed)


@dataclass(frozen=True, slots=True)
class IssueRequest:
    """One card to mint in a batch (see ``CitizenCardClient.issue_many``)."""

    name: str
    language: str
    seed: int | None = None
    idempotency_key: str | None = None
    """Leave None to have the client generate one (uuid4 hex) for this item."""


IssueLike: TypeAlias = IssueRequest | tuple[str, str] | tuple[str, str, int | None]
"""What ``issue_many`` accepts per item: an IssueRequest, (name, language) or (name, language, seed)."""


def coerce_request(item: object) -> IssueRequest:
    """An IssueRequest from an IssueLike; TypeError for anything else."""
    if isinstance(item, IssueRequest):
        return item
    if isinstance(item, tuple) and len(item) in (2, 3):
        name, language = item[0], item[1]
        seed = item[2] if len(item) == 3 else None
        if isinstance(name, str) and isinstance(language, str) and (seed is None or type(seed) is int):
            return IssueRequest(name, language, seed)
    raise TypeError(f"expected IssueRequest, (name, language) or (name, language, seed), got {item!r}"[:300])
