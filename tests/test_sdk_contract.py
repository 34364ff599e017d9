"""The SDK's own models (sdk/citizen_card_client/models.py: its own distribution, no pydantic)
against the /openapi.json the service serves: field names, JSON types, required-ness and the
languages, for the request and for the answer; then the SDK's real request and its parsing of
a real answer, each checked against the document's schemas.

A field the document adds to a body fails here until the SDK reads it or SDK_LEAVES_OUT says why not.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import typing
from collections.abc import Mapping

import jsonschema
import pytest
import referencing
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from citizen_card_client import LANGUAGES, Card, CitizenCardClient, IssueRequest, Recipe
from citizen_card_client import client as sdk_client
from citizen_card_client import models as sdk_models

from service.atlas.catalog import load_atlas_info
from service.openapi import openapi_document
from service.recipe import make_recipe
from service.routes import card_body

SDK_LEAVES_OUT = {("Recipe", "nameFit"): "how the name was set, for re-renders: the SDK does not render"}
"""(schema, property) the SDK does not read, and why."""
ONLY_IN_THE_SDK = {("Card", "replayed"): "the Idempotent-Replayed header of the 201",
                   ("IssueRequest", "idempotency_key"): "the Idempotency-Key header"}
REQUEST_WIRE_NAMES = {"name": "nameOnCard"}
"""SDK IssueRequest fields sent under another name (the others are sent in camelCase)."""


@pytest.fixture
async def document() -> dict:
    """The document as the service serves it."""
    app = web.Application()
    app.router.add_get("/openapi.json", openapi_document)
    async with TestClient(TestServer(app)) as client:
        response = await client.get("/openapi.json")
        assert response.status == 200 and response.content_type == "application/json"
        return await response.json()


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)


def resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def document_types(schema: dict, document: dict) -> set[str]:
    """The JSON types a property schema allows (with "date"/"date-time" for those string formats)."""
    schema = resolve(schema, document)
    if "anyOf" in schema:
        return set().union(*(document_types(option, document) for option in schema["anyOf"]))
    kinds = schema["type"] if isinstance(schema.get("type"), list) else [schema.get("type", "string")]
    return {schema.get("format") if kind == "string" and schema.get("format") in ("date", "date-time") else kind
            for kind in kinds}


def sdk_types(hint: object) -> set[str]:
    """The JSON types an SDK field annotation reads, in the same terms."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return set().union(*(sdk_types(arg) for arg in typing.get_args(hint)))
    if origin is typing.Literal:
        return set().union(*(sdk_types(type(arg)) for arg in typing.get_args(hint)))
    if origin in (Mapping, dict) or dataclasses.is_dataclass(hint):
        return {"object"}
    simple = {str: "string", int: "integer", bool: "boolean", type(None): "null", dt.datetime: "date-time",
              dt.date: "date"}
    return {simple[hint]}


def has_default(field: dataclasses.Field) -> bool:
    return field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING


def wire_fields(sdk_type: type, schema_name: str, wire_names: Mapping[str, str] = {}):
    """(field, its name on the wire, its annotation) of every SDK field that travels in the body."""
    hints = typing.get_type_hints(sdk_type, vars(sdk_models))
    for field in dataclasses.fields(sdk_type):
        if (schema_name, field.name) not in ONLY_IN_THE_SDK:
            yield field, wire_names.get(field.name, camel(field.name)), hints[field.name]


@pytest.mark.parametrize("sdk_type, schema_name, wire_names", [
    (Card, "Card", {}), (Recipe, "Recipe", {}), (IssueRequest, "IssueRequest", REQUEST_WIRE_NAMES)])
def test_sdk_fields_are_the_documents_properties(document, sdk_type, schema_name, wire_names):
    schema = document["components"]["schemas"][schema_name]
    properties, required = schema["properties"], set(schema.get("required", ()))
    sent = set()
    for field, wire, hint in wire_fields(sdk_type, schema_name, wire_names):
        sent.add(wire)
        assert wire in properties, f"{sdk_type.__name__}.{field.name}: {wire!r} is not in the document"
        documented = document_types(properties[wire], document)
        assert documented - {"null"} == sdk_types(hint) - {"null"}, (field.name, documented, hint)
        if "null" in documented or wire not in required:  # the SDK must take null or absence
            assert has_default(field) or "null" in sdk_types(hint), field.name
        if not has_default(field):
            assert wire in required and "null" not in documented, f"{field.name} is optional in the document"
    if schema_name == "IssueRequest":  # what the SDK requires is what the service requires
        assert required == {wire for field, wire, _ in wire_fields(sdk_type, schema_name, wire_names)
                            if not has_default(field)}
    unread = set(properties) - sent - {prop for name, prop in SDK_LEAVES_OUT if name == schema_name}
    assert not unread, f"the document's {schema_name} has {sorted(unread)}, which the SDK does not read"


def test_the_headers_behind_sdk_only_fields_are_documented(document):
    operation = document["paths"]["/citizen-card"]["post"]
    key = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
    assert key["in"] == "header" and key["schema"]["pattern"] == f"^{sdk_client._IDEMPOTENCY_KEY.pattern}$"
    assert "Idempotent-Replayed" in operation["responses"]["201"]["headers"]


def test_languages_are_the_documents(document):
    schemas = document["components"]["schemas"]
    assert typing.get_args(sdk_models.Language) == LANGUAGES
    for name in ("IssueRequest", "Card", "Recipe"):
        assert tuple(schemas[name]["properties"]["language"]["enum"]) == LANGUAGES, name


def test_the_sdk_reads_the_error_fields_the_document_has(document):
    """citizen_card_client.errors.error_from_response reads error.code, .message and .field."""
    detail = resolve(document["components"]["schemas"]["Error"]["properties"]["error"], document)
    assert {"code", "message"} <= set(detail["required"]) and "field" in detail["properties"]


async def test_the_sdks_request_and_its_reading_of_an_answer_keep_to_the_document(document, atlas_dir):
    """The SDK issues a card from a stand-in service that checks the request against the document
    and answers with a card body the real handlers write, itself checked against the document."""
    registry = referencing.Registry().with_resource(
        "urn:openapi", referencing.Resource.from_contents(document, referencing.jsonschema.DRAFT202012))

    def check(value: object, schema_name: str) -> None:
        jsonschema.Draft202012Validator({"$ref": f"urn:openapi#/components/schemas/{schema_name}"},
                                        registry=registry, format_checker=jsonschema.FormatChecker()).validate(value)

    atlas = load_atlas_info(atlas_dir)
    recipe = make_recipe(atlas.catalog, atlas.texts["ja"], name="抹茶ラテ", language="ja",
                         seed=42, atlas_version=atlas.version, issued=dt.date(2026, 11, 30),
                         name_fit=atlas.name_fit("ja", "抹茶ラテ").as_recipe())
    urls = {"png": "https://cards.example/c.png", "webp": "https://cards.example/c.webp"}
    answer = card_body("B" * 22, urls, recipe, atlas.describer.describe(recipe), "2026-11-30T03:00:00.123Z")
    check(answer, "Card")
    received = []

    async def issue(request: web.Request) -> web.Response:
        received.append((await request.json(), request.headers))
        return web.json_response(answer, status=201, headers={"Idempotent-Replayed": "true"})

    app = web.Application()
    app.router.add_post("/citizen-card", issue)
    async with TestServer(app) as server, CitizenCardClient(str(server.make_url("/"))) as sdk:
        card = await sdk.issue("抹茶ラテ", "ja", seed=42)
    (body, headers), = received
    check(body, "IssueRequest")
    assert body == {"nameOnCard": "抹茶ラテ", "language": "ja", "seed": 42}
    assert re.fullmatch(document["paths"]["/citizen-card"]["post"]["parameters"][0]["schema"]["pattern"],
                        headers["Idempotency-Key"])
    assert (card.id, card.url, dict(card.urls), card.language, card.seed, card.atlas_version, card.alt_text) == (
        answer["id"], answer["url"], urls, "ja", 42, atlas.version, answer["altText"])
    assert card.created_at == dt.datetime(2026, 11, 30, 3, 0, 0, 123000, tzinfo=dt.timezone.utc) and card.replayed
    assert (card.recipe.name, dict(card.recipe.parts), card.recipe.issued.isoformat(), card.recipe.number) == (
        recipe.name, dict(recipe.parts), recipe.issued, recipe.number)
