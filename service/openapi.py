"""The OpenAPI 3.1 document of the HTTP API (SPEC §2), built once and served at /openapi.json.

Every route of `routes.setup_routes` has an operation here; tests/test_openapi.py fails
when a route is added without one, and fuzzes the live server against this document. The
bodies' schemas (components/schemas) are generated from the models in service.api_models;
the paths, responses, headers and examples are written here.
"""

from __future__ import annotations

from importlib import metadata

import orjson
from aiohttp import web
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from service.api_models import ANSWERS, IssueRequest
from service.card_files import FILES, VARIANTS
from service.idempotency import IDEMPOTENCY_KEY
from service.ids import CARD_ID

def _version() -> str:
    try:
        return metadata.version("citizen-card")
    except metadata.PackageNotFoundError:  # running from a tree that was never installed
        return "0.0.0"


def _ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def _error(description: str, *, retry_after: bool = False) -> dict:
    """A response whose body is the Error schema (every non-2xx JSON answer of the service)."""
    headers = {"X-Request-Id": _ref("headers", "X-Request-Id")}
    if retry_after:
        headers["Retry-After"] = _ref("headers", "Retry-After")
    return {"description": description, "headers": headers,
            "content": {"application/json": {"schema": _ref("schemas", "Error")}}}


def _ok(description: str, media_type: str, schema: dict, headers: dict | None = None) -> dict:
    return {"description": description,
            "headers": {"X-Request-Id": _ref("headers", "X-Request-Id"), **(headers or {})},
            "content": {media_type: {"schema": schema}}}


class _OpenApiSchema(GenerateJsonSchema):
    """JSON Schema 2020-12 as OpenAPI 3.1 takes it, without pydantic's noise: no title on every
    property, no `"default": null` on optional fields (absent means absent)."""

    def field_title_should_be_set(self, schema) -> bool:
        return False

    def default_schema(self, schema):
        json_schema = super().default_schema(schema)
        if json_schema.get("default", ...) is None:
            del json_schema["default"]
        return json_schema


def _schemas() -> dict:
    """components/schemas, generated from service.api_models: the request as it is validated,
    the answers as they are sent."""
    models = [(IssueRequest, "validation"), *((answer, "serialization") for answer in ANSWERS)]
    _, schema = models_json_schema(models, ref_template="#/components/schemas/{model}",
                                   schema_generator=_OpenApiSchema)
    schemas = schema["$defs"]
    for model in schemas.values():  # a docstring's line breaks are not the reader's
        if "description" in model:
            model["description"] = " ".join(model["description"].split())
    return schemas


SCHEMAS = _schemas()

HEADERS = {
    "X-Request-Id": {"description": "Identifies the request in the server's log; quote it in bug reports.",
                     "required": True, "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}},
    "Retry-After": {"description": "Seconds to wait before retrying.",
                    "required": True, "schema": {"type": "integer", "minimum": 1}},
}

RESPONSES = {
    "NotFound": _error("No such resource (code not_found)."),
    "InternalError": _error("Generic error: an unexpected failure on our side (code internal_error); the "
                            "message carries the request id. Possible on any operation, in principle."),
}

ISSUE_CARD = {
    "operationId": "issueCard",
    "summary": "Issue a citizen card",
    "description": "Validates the name, draws a card from a seeded recipe, stores the PNG and returns where "
                   "it is. The same Idempotency-Key (per client, within 24 h) returns the same card.",
    "tags": ["cards"],
    "parameters": [{
        "name": "Idempotency-Key", "in": "header", "required": False,
        "description": "1-128 visible ASCII characters; retries with the same key return the same card.",
        "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY.pattern},
    }],
    "requestBody": {"required": True,
                    "content": {"application/json": {"schema": _ref("schemas", "IssueRequest")}}},
    "responses": {
        "201": {**_ok("The card was drawn and stored.", "application/json", _ref("schemas", "Card"), {
            "Idempotent-Replayed": {"description": "Present (true) when an earlier card for the same "
                                                   "Idempotency-Key is returned.",
                                    "schema": {"type": "string", "const": "true"}},
        }), "links": {
            "image": {"operationId": "getCardImage", "parameters": {"id": "$response.body#/id"},
                      "description": "The card's PNG, with local storage (else follow `url`)."},
            "share": {"operationId": "sharePage", "parameters": {"id": "$response.body#/id"}},
        }},
        "400": _error("The body is not valid JSON or nested too deeply (code malformed_json), its chunked "
                      "framing is broken (malformed_body), two Idempotency-Key headers were sent "
                      "(duplicate_idempotency_key), or the request is not valid HTTP (malformed_request)."),
        "408": _error("The body did not arrive within the body timeout (code request_timeout)."),
        "413": _error("The body is over the size limit, 4 KiB by default (code body_too_large); a "
                      "Content-Length over it is refused at once, without `100 Continue`."),
        "415": _error("The body is not application/json (code unsupported_media_type) or has a "
                      "Content-Encoding (unsupported_content_encoding)."),
        "422": _error("A field has a value we do not accept: invalid_body, unknown_field, missing_field, "
                      "invalid_type, unsupported_language, invalid_seed, invalid_idempotency_key, "
                      "idempotency_key_reused, or a name rule of SPEC §5 (name_not_string, name_empty, "
                      "name_too_long, name_forbidden_character, name_unassigned_character, "
                      "name_lone_combining_mark, name_too_many_marks, name_unsupported_character); the "
                      "message names the offending character and its code point."),
        "429": _error("Rate limited per client IP (code rate_limited): a card about to be drawn spends a "
                      "render token; every request also spends from a 5x larger request bucket.",
                      retry_after=True),
        "500": _ref("responses", "InternalError"),
        "503": _error("Overloaded, a render failed twice, storage unavailable or the request timed out "
                      "(codes overloaded, render_failed, storage_unavailable, timeout); too_many_connections "
                      "when the process is at its connection cap (then answered before the request is read).",
                      retry_after=True),
    },
}


def _get(operation_id: str, summary: str, responses: dict, *, tag: str, description: str = "",
         parameters: list | None = None) -> dict:
    operation = {"operationId": operation_id, "summary": summary, "tags": [tag],
                 "responses": {**responses, "500": _ref("responses", "InternalError")}}
    if description:
        operation["description"] = description
    if parameters:
        operation["parameters"] = parameters
    return {"get": operation}


CARD_ID_PARAMETER = {"name": "id", "in": "path", "required": True, "description": "A card id.",
                     "schema": {"type": "string", "pattern": CARD_ID.pattern}}
HTML = {"type": "string"}


def build_document() -> dict:
    """The whole document; a pure function of the code (no request data, no settings)."""
    paths = {
        "/citizen-card": {"post": ISSUE_CARD},
        "/citizen-card/{id}": _get(
            "getCard", "A stored card's record", {
                "200": _ok("The card, as the POST that minted it answered (URLs fresh from storage).",
                           "application/json", _ref("schemas", "Card")),
                "404": _error("No card has this id (code card_not_found)."),
            }, tag="cards", parameters=[CARD_ID_PARAMETER],
            description="For services that hold only an id: its URLs, recipe, alt text and creation time."),
        "/cards/{id}": _get(
            "getCardImageNegotiated", "The stored card image in the best format the client accepts", {
                "200": {**_ok("WebP when Accept names image/webp and the card has a WebP variant, else the PNG; "
                              "Vary: Accept.", "image/png", {"type": "string", "contentMediaType": "image/png"}),
                        "content": {"image/png": {"schema": {"type": "string"}},
                                    "image/webp": {"schema": {"type": "string"}}}},
                "304": {"description": "Not modified (conditional request).",
                        "headers": {"X-Request-Id": _ref("headers", "X-Request-Id")}},
                "404": _ref("responses", "NotFound"),
            }, tag="cards", parameters=[CARD_ID_PARAMETER], description="Local storage only."),
        **{f"/cards/{{id}}{file.suffix}": _get(
            f"getCard{name.capitalize()}", f"The card's {name} variant ({file.width}x{file.height}, local storage)", {
                "200": _ok("The stored file; immutable, cached for a year.", file.content_type,
                           {"type": "string", "contentMediaType": file.content_type}),
                "304": {"description": "Not modified (conditional request).",
                        "headers": {"X-Request-Id": _ref("headers", "X-Request-Id")}},
                "404": _ref("responses", "NotFound"),
            }, tag="cards", parameters=[CARD_ID_PARAMETER],
            description="404 when the deployment does not make this variant (CITIZEN_VARIANTS).")
           for name, file in VARIANTS.items()},
        "/c/{id}/{file}": _get(
            "cardImageRedirect", "A stable address of a card's image", {
                "302": {"description": "Redirect to the image's current URL (e.g. a freshly presigned S3 URL).",
                        "headers": {"X-Request-Id": _ref("headers", "X-Request-Id"),
                                    "Location": {"schema": {"type": "string"}, "required": True}}},
                "404": _ref("responses", "NotFound"),
            }, tag="pages", parameters=[CARD_ID_PARAMETER, {
                "name": "file", "in": "path", "required": True, "description": "Which image.",
                "schema": {"type": "string", "enum": list(FILES)}}],
            description="What share pages link as og:image when the store's URLs expire; a variant the card "
                        "lacks redirects to the PNG."),
        "/cards/{id}.png": _get(
            "getCardImage", "The stored card image (local storage only)", {
                "200": _ok("The card PNG; immutable, cached for a year.", "image/png",
                           {"type": "string", "contentMediaType": "image/png"},
                           {"Cache-Control": {"description": "public, max-age=31536000, immutable",
                                              "schema": {"type": "string"}}}),
                "304": {"description": "Not modified (conditional request).",
                        "headers": {"X-Request-Id": _ref("headers", "X-Request-Id")}},
                "404": _ref("responses", "NotFound"),
            }, tag="cards", parameters=[CARD_ID_PARAMETER],
            description="Served by the app itself with file:// storage; with S3 the card URL points at the "
                        "bucket or CDN instead and this route answers 404."),
        "/": _get(
            "demoPage", "Demo page", {"200": _ok("A small form (name, language) that calls the API and shows "
                                                 "the card with a share link.", "text/html", HTML)},
            tag="pages", description="SPEC §9."),
        "/c/{id}": _get(
            "sharePage", "Share page of a card", {
                "200": _ok("HTML with Open Graph / Twitter card tags pointing at the card image.", "text/html",
                           HTML),
                "404": {**_error("No such card."),
                        "content": {"application/json": {"schema": _ref("schemas", "Error")},
                                    "text/html": {"schema": HTML}}},
                "503": {**_error("The card store cannot be reached right now.", retry_after=True),
                        "content": {"text/html": {"schema": HTML}}},
            }, tag="pages", parameters=[CARD_ID_PARAMETER], description="SPEC §9."),
        "/static/{name}": _get(
            "pageAsset", "The demo and share pages' stylesheet and script", {
                "200": _ok("The file; cached for a few minutes.", "text/css", {"type": "string"}, {
                    "Cache-Control": {"description": "public, max-age=300", "schema": {"type": "string"}}})
                | {"content": {"text/css": {"schema": {"type": "string"}},
                               "text/javascript": {"schema": {"type": "string"}}}},
                "404": _ref("responses", "NotFound"),
            }, tag="pages", parameters=[{"name": "name", "in": "path", "required": True,
                                         "description": "One of the pages' own files (a fixed list).",
                                         "schema": {"type": "string", "enum": ["page.css", "page.js"]}}],
            description="No front-end build step and no CDN: the pages load only these files."),
        "/odds": _get("odds", "Draw odds of every part, hair colour and rule", {
            "200": _ok("The live atlas's odds; cached for a few minutes.", "application/json",
                       _ref("schemas", "Odds"), {"Cache-Control": {"description": "public, max-age=300",
                                                                   "schema": {"type": "string"}}})},
            tag="cards", description="Published like a game's drop rates (issue 15); exact, computed from the "
                                     "catalog's odds and compatibility rules."),
        "/healthz": _get("healthz", "Liveness: the process is alive",
                         {"200": _ok("Alive.", "application/json", _ref("schemas", "Health"))}, tag="ops"),
        "/readyz": _get(
            "readyz", "Readiness: atlas loaded, pool up, storage reachable, not draining", {
                "200": _ok("Ready to take requests.", "application/json", _ref("schemas", "Readiness")),
                "503": _ok("Not ready (draining or storage unreachable).", "application/json",
                           _ref("schemas", "Readiness"), {"Retry-After": _ref("headers", "Retry-After")}),
            }, tag="ops"),
        "/metrics": _get("metrics", "Prometheus metrics", {
            "200": _ok("Prometheus text exposition format.", "text/plain", {"type": "string"})}, tag="ops"),
        "/openapi.json": _get("openapi", "This document", {
            "200": _ok("The OpenAPI 3.1 document.", "application/json", {"type": "object"})}, tag="ops"),
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "citizen-card", "version": _version(),
                 "description": "Issues personalised citizen card images (SPEC §2)."},
        "tags": [{"name": "cards"}, {"name": "pages"}, {"name": "ops"}],
        "paths": paths,
        "components": {"schemas": SCHEMAS, "headers": HEADERS, "responses": RESPONSES},
    }


DOCUMENT = orjson.dumps(build_document())


async def openapi_document(request: web.Request) -> web.Response:
    return web.Response(body=DOCUMENT, content_type="application/json")
