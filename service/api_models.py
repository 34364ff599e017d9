"""The HTTP API's bodies, defined once: the request a client sends and the answers it gets.

`parse_issue_request` is the validate step of POST /citizen-card; service/openapi.py
generates the document's components/schemas from these models; the SDK keeps its own
types (its own distribution), checked against the served document by
tests/test_sdk_contract.py. Answers are still written by orjson from dicts (8 us faster
per card than a model's dump): tests/test_api_models.py checks them against the models.

The request is parsed by orjson (the stdlib reads what orjson refuses, such as lone
surrogates, so SPEC §5 can name them), then validated by `IssueRequest`. A bad body is
answered with one problem, the first in this order, with the same code and message as
ever: not an object, an unknown field, nameOnCard, language, seed, then the name rules,
which stay in service/names.py (the model calls them once every field has its type).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, create_model, model_validator

from service.card_files import FILES
from service.errors import BadRequest, ValidationFailed
from service.fonts import LANGUAGES
from service.ids import CARD_ID
from service.names import validate_name
from service.recipe import MAX_SEED

Language = Literal[LANGUAGES]  # type: ignore[valid-type]  # the tuple of fonts.LANGUAGES, unpacked
Probability = Field(ge=0, le=1)
URI = {"format": "uri"}  # on a str, not an AnyUrl: that would rewrite the URLs we answer


class IssueRequest(BaseModel):
    """The body of POST /citizen-card."""

    # Strict: a seed of 7.0 or true is not an integer, a name of 42 is not a string.
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "example": {"nameOnCard": "준성맛 쿠키", "language": "ko"}})

    name_on_card: str = Field(
        alias="nameOnCard", json_schema_extra={"minLength": 1},  # enforced by validate_name, in the card's language
        description="The name printed on the card (SPEC §5: NFC-normalised, whitespace collapsed, 1..24 grapheme "
                    "clusters, drawable by the card font).")
    language: Language
    seed: int | None = Field(None, ge=0, le=MAX_SEED,
                             description="Makes the card reproducible; random (or derived from the Idempotency-Key) "
                                         "when absent or null.")

    @model_validator(mode="after")
    def _name_rules(self, info: ValidationInfo) -> IssueRequest:
        """Normalise the name by SPEC §5 (raises InvalidName), measured against the atlas in the
        validation context when there is one (its fonts' coverage and the name slot)."""
        atlas = (info.context or {}).get("atlas")
        self.name_on_card = validate_name(
            self.name_on_card, self.language, fits=atlas.fits(self.language) if atlas else None,
            coverage=atlas.coverage[self.language] if atlas else None)
        return self


def parse_issue_request(raw: bytes, atlas=None) -> IssueRequest:
    """The validated request, its name normalised; BadRequest (400) for a body that is not
    JSON, ValidationFailed or InvalidName (422) for one that breaks a rule. `atlas`
    (service.atlas.catalog.AtlasInfo) supplies the name rules' coverage and fit."""
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:  # orjson refuses lone surrogates; the stdlib reads them so §5 can name them
            body = json.loads(raw)
        except ValueError as exc:
            raise BadRequest(f"The body is not valid JSON: {exc}.") from None
        except RecursionError:  # past orjson's 1,024 levels the stdlib runs out of stack
            raise BadRequest("The body is not valid JSON: it is nested too deeply.") from None
    try:
        return IssueRequest.model_validate(body, context={"atlas": atlas})
    except ValidationError as exc:
        raise _first_broken(exc, body) from None


_FIELDS = {field.alias or name for name, field in IssueRequest.model_fields.items()}


def _first_broken(exc: ValidationError, body: object) -> ValidationFailed:
    """The one error the API answers for a body the model refused, as it always has."""
    if not isinstance(body, dict):
        return ValidationFailed("The body must be a JSON object.", code="invalid_body")
    unknown = set(body) - _FIELDS  # from the body itself: pydantic cannot name a key with a lone surrogate
    if unknown:
        field = min(unknown)
        return ValidationFailed(f"Unknown field {field!r}; accepted fields are nameOnCard, language and seed.",
                                code="unknown_field", field=field)
    broken = {error["loc"][0]: error["type"] for error in reversed(exc.errors())}
    if "nameOnCard" in broken:
        if broken["nameOnCard"] == "missing":
            return ValidationFailed("nameOnCard is required.", code="missing_field", field="nameOnCard")
        return ValidationFailed("nameOnCard must be a string.", code="invalid_type", field="nameOnCard")
    if "language" in broken:
        return ValidationFailed(f"language must be one of {', '.join(LANGUAGES)}.", code="unsupported_language",
                                field="language")
    return ValidationFailed(f"seed must be an integer from 0 to {MAX_SEED}.", code="invalid_seed", field="seed")


class NameFit(BaseModel):
    """How the name was set (font size in px at scale 1, one or two lines), so re-renders at print
    scale match."""

    size: int = Field(ge=1)
    lines: list[str] = Field(min_length=1, max_length=2)


class Recipe(BaseModel):
    """Everything needed to redraw the card; stored next to the PNG."""

    # The JSON of service.recipe.Recipe.to_json (the stored format); tests/test_api_models.py
    # checks one against the other.

    name: str = Field(description="The normalised name as printed.")
    language: Language
    seed: int = Field(ge=0, le=MAX_SEED)
    atlas_version: str = Field(alias="atlasVersion")
    parts: dict[str, str | None] = Field(description="Part variant per category, in draw order; null for an "
                                                     "optional category left empty.")
    hair_color: str = Field(alias="hairColor")
    number: str = Field(pattern=r"^\d{4}-\d{4}-\d{4}$")
    issued: dt.date
    address: str
    reason: str
    name_fit: NameFit = Field(None, alias="nameFit")  # absent, never null, in recipes stored before it existed


CardUrls = create_model(
    "CardUrls", __doc__="The PNG and every stored variant (those the deployment makes, CITIZEN_VARIANTS): webp "
                        "(1200x760 lossy WebP), og (1200x630 social image, JPEG), thumb (600x380 JPEG). All "
                        "fetchable as soon as this response is sent.",
    __config__=ConfigDict(extra="forbid"),
    **{name: (str, Field(json_schema_extra=URI) if name == "png" else Field(None, json_schema_extra=URI))
       for name in FILES})


class Card(BaseModel):
    """The card as the API answers it (POST 201, replays, GET /citizen-card/{id})."""

    id: str = Field(pattern=CARD_ID.pattern, description="Unguessable url-safe id.")
    url: str = Field(json_schema_extra=URI,
                     description="Public URL of the PNG; fetchable as soon as this response is sent.")
    urls: CardUrls  # type: ignore[valid-type]
    language: Language
    seed: int = Field(ge=0, le=MAX_SEED)
    atlas_version: str = Field(alias="atlasVersion")
    recipe: Recipe
    alt_text: str = Field(None, alias="altText", description="A text description of the card, for accessibility.")
    created_at: dt.datetime | None = Field(alias="createdAt", description="When the card was minted (UTC); null "
                                                                          "for cards stored before it was recorded.")


class ErrorDetail(BaseModel):
    """What went wrong, for people and programs."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern="^[a-z][a-z0-9_]*$", description="Stable snake_case code, e.g. malformed_json, "
                      "unsupported_language, name_forbidden_character, rate_limited, overloaded.")
    message: str = Field(min_length=1, description="A human sentence; for name errors, written for players in the "
                                                   "card's language.")
    field: str = Field(None, description="The request field or header at fault.")
    character: str = Field(None, description="For a name refused because of one character: that character (it may "
                                             "be invisible).")
    code_point: str = Field(None, alias="codePoint", pattern="^U\\+[0-9A-F]{4,6}$",
                            description="The code point of `character`, e.g. U+0141.")


class Error(BaseModel):
    """Every error the service answers: a stable code, a human sentence, and the offending field when
    there is one. Never an HTML page, never a traceback."""

    # What service.errors.ServiceError.to_json writes.
    model_config = ConfigDict(extra="forbid")

    error: ErrorDetail


class OddsCategory(BaseModel):
    id: str
    none: float = Field(ge=0, le=1, description="Probability that the cookie has no part of this category.")
    variants: dict[str, Annotated[float, Probability]]


class OddsRule(BaseModel):
    id: str
    why: str
    slots: list[str]
    forbidden: int = Field(ge=0, description="How many value combinations it forbids.")


class Odds(BaseModel):
    """The live atlas's draw odds, exact (rules included), like a game's published drop rates. A
    probability is that of a cookie having the part."""

    # What service.odds.Odds.published writes, with the atlas version.
    atlas_version: str = Field(alias="atlasVersion")
    distinct_cookies: int = Field(ge=0, alias="distinctCookies",
                                  description="Cookies that can be drawn: no rule broken, odds above 0.")
    combinations: int = Field(ge=0, description="Every combination of parts and hair colour, before the rules.")
    categories: list[OddsCategory] = Field(description="In draw order.")
    hair_colors: dict[str, Annotated[float, Probability]] = Field(alias="hairColors")
    rules: list[OddsRule] = Field(description="Compatibility rules: combinations never drawn.")


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ready", "unavailable"]
    atlas_version: str = Field(alias="atlasVersion")
    problems: list[str] = Field(description="Why the instance is not ready (e.g. draining, storage unreachable).")


ANSWERS = (Card, Error, Odds, Health, Readiness)
"""Every JSON answer with a schema of its own in the OpenAPI document."""
