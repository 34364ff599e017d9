"""HTTP handlers: parse -> validate -> recipe -> pool.render -> storage.put -> respond."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time

import orjson
from aiohttp import web

from service import keys
from service.atlas.catalog import AtlasInfo
from service.card_files import FILES, PNG, VARIANTS
from service.errors import (BadRequest, CardNotFound, ExpectationFailed, PayloadTooLarge, RateLimited,
                            RequestTimeout, ServiceError, UnsupportedMediaType, ValidationFailed)
from service.fonts import LANGUAGES
from service.ids import CARD_ID, check_idempotency_key, derive, random_card_id, request_fingerprint
from service.names import validate_name
from service.odds import Odds
from service.openapi import openapi_document
from service.pages import setup_pages
from service.recipe import MAX_SEED, Recipe, make_recipe, random_seed
from service.render.pool import RenderPool
from service.storage import Storage

FIELDS = {"nameOnCard", "language", "seed"}
IDENTITY = ("", "identity")  # the only Content-Encoding we take: a 4 KiB JSON body gains nothing from gzip


def json_response(body: dict, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.Response(body=orjson.dumps(body), status=status, content_type="application/json",
                        headers=headers)


def parse_body(raw: bytes) -> dict:
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:  # orjson refuses lone surrogates; the stdlib reads them so §5 can name them
            body = json.loads(raw)
        except ValueError as exc:
            raise BadRequest(f"The body is not valid JSON: {exc}.") from None
        except RecursionError:  # past orjson's 1,024 levels the stdlib runs out of stack
            raise BadRequest("The body is not valid JSON: it is nested too deeply.") from None
    if not isinstance(body, dict):
        raise ValidationFailed("The body must be a JSON object.", code="invalid_body")
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown field {unknown[0]!r}; accepted fields are nameOnCard, language and seed.",
                               code="unknown_field", field=unknown[0])
    if "nameOnCard" not in body:
        raise ValidationFailed("nameOnCard is required.", code="missing_field", field="nameOnCard")
    if not isinstance(body["nameOnCard"], str):
        raise ValidationFailed("nameOnCard must be a string.", code="invalid_type", field="nameOnCard")
    language = body.get("language")
    if language not in LANGUAGES:
        raise ValidationFailed(f"language must be one of {', '.join(LANGUAGES)}.", code="unsupported_language",
                               field="language")
    seed = body.get("seed")
    if seed is not None and (type(seed) is not int or not 0 <= seed <= MAX_SEED):
        raise ValidationFailed(f"seed must be an integer from 0 to {MAX_SEED}.", code="invalid_seed", field="seed")
    return body


def card_body(card_id: str, urls: dict[str, str], recipe: Recipe, alt_text: str, created_at: str | None) -> dict:
    """The card as the API answers it (POST 201, replays, GET /citizen-card/{id}); `url` is the PNG's."""
    return {"id": card_id, "url": urls["png"], "urls": urls, "language": recipe.language, "seed": recipe.seed,
            "atlasVersion": recipe.atlas_version, "recipe": recipe.to_json(), "altText": alt_text,
            "createdAt": created_at}


async def card_urls(storage: Storage, card_id: str, variants: list[str] | tuple[str, ...]) -> dict[str, str]:
    """{"png": url, "webp": url, ...}: the PNG and every variant stored with the card."""
    return {name: await storage.url(card_id, name) for name in ("png", *variants)}


def record_from(raw: bytes, describe) -> tuple[dict, Recipe, str]:
    """(record, recipe, alt text) from stored bytes; records older than alt text are described now."""
    record = orjson.loads(raw)
    recipe = Recipe.from_json(record["recipe"])
    return record, recipe, record.get("altText") or describe(recipe)


async def issue_card(request: web.Request) -> web.Response:
    app = request.app
    settings = app[keys.SETTINGS]
    t0 = time.perf_counter()
    client = app[keys.PROXIES].client_ip(request)
    wait = app[keys.LIMITER].request.acquire(client)  # every request; renders spend their own bucket (_mint)
    if wait:
        raise RateLimited("Too many requests from this address; please slow down.", retry_after=wait)
    keys_sent = request.headers.getall("Idempotency-Key", [])
    if len(keys_sent) > 1:  # which one would the client mean? Refuse rather than pick
        raise BadRequest("Send one Idempotency-Key header, not several.", code="duplicate_idempotency_key",
                         field="Idempotency-Key")
    raw = await read_body(request, settings.max_body_bytes, settings.body_timeout)
    body = parse_body(raw)
    language = body["language"]
    atlas, pool = app[keys.RENDERING].live  # one consistent pair, even during a reload
    name = validate_name(body["nameOnCard"], language, fits=atlas.fits(language),
                         coverage=atlas.coverage[language])
    key = keys_sent[0] if keys_sent else None
    fingerprint = request_fingerprint(name, language, body.get("seed"))
    if key is None:
        return await _mint(request, client, atlas, pool, random_card_id(), body.get("seed"), name, language,
                           fingerprint, t0)
    card_id, derived_seed = derive(settings.idempotency_secret, client, check_idempotency_key(key))
    seed = body.get("seed") if body.get("seed") is not None else derived_seed
    minting = app[keys.MINTING]
    while (busy := minting.get(card_id)) is not None:  # same key in flight here: wait, then replay
        await asyncio.shield(busy)
    # Claimed with no await since the check above, so one request per key mints at a time.
    minting[card_id] = claim = asyncio.get_running_loop().create_future()
    try:
        replay = await _replay(app, card_id, fingerprint)
        if replay is not None:
            return json_response(replay, 201, {"Idempotent-Replayed": "true"})
        return await _mint(request, client, atlas, pool, card_id, seed, name, language, fingerprint, t0,
                           remember=True)
    finally:
        del minting[card_id]
        claim.set_result(None)


async def read_body(request: web.Request, limit: int, timeout: float) -> bytes:
    """The JSON body, refused before any of it is read when its headers already say no:
    wrong type or encoding (415), a Content-Length over the limit (413, and no `100 Continue`)."""
    if request.content_type != "application/json":
        raise UnsupportedMediaType("Send the body as application/json.")
    encoding = request.headers.get("Content-Encoding", "").strip().lower()
    if encoding not in IDENTITY:
        raise UnsupportedMediaType(f"Content-Encoding {encoding[:40]!r} is not accepted; send the JSON as it is.",
                                   code="unsupported_content_encoding")
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"The body is over the {limit}-byte limit.")
    expect = request.headers.get("Expect")
    if expect is not None:
        if expect.lower() != "100-continue":
            raise ExpectationFailed(f"Expect: {expect[:40]} is not supported.")
        if request.version >= (1, 1):  # now, and only now, the body is wanted
            await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            request.writer.output_size = 0  # the answer proper has not started (as aiohttp's own handler does)
    try:
        async with asyncio.timeout(timeout):
            return await request.read()
    except web.HTTPRequestEntityTooLarge:  # chunked, or a Content-Length that lied
        raise PayloadTooLarge(f"The body is over the {limit}-byte limit.") from None
    except TimeoutError:
        raise RequestTimeout(f"The request body did not arrive within {timeout:g} s.") from None


async def expect_later(request: web.Request) -> None:
    """Nothing yet: read_body answers `Expect: 100-continue` when it is about to read, never for
    a request refused on its headers (aiohttp's default handler says `100 Continue` at once)."""


async def _mint(request: web.Request, client: str, atlas: AtlasInfo, pool: RenderPool, card_id: str,
                seed: int | None, name: str, language: str, fingerprint: str, t0: float,
                remember: bool = False) -> web.Response:
    """Render, store and answer a new card (the 201 is sent only after the upload)."""
    app, timings = request.app, request["timings"]
    wait = app[keys.LIMITER].render.acquire(client)  # only a card about to be drawn spends a render token
    if wait:
        raise RateLimited("Too many cards from this address; please slow down.", retry_after=wait)
    recipe = make_recipe(atlas.catalog, atlas.texts[language], name=name,
                         language=language, seed=random_seed() if seed is None else seed,
                         atlas_version=atlas.version, issued=dt.datetime.now(dt.timezone.utc).date(),
                         name_fit=atlas.name_fit(language, name).as_recipe())
    timings["validate"] = time.perf_counter() - t0

    rendered, submitted = await pool.render(recipe)
    timings.update(queue=max(0.0, rendered.started - submitted), blend=rendered.blend, text=rendered.text,
                   encode=rendered.encode)

    if rendered.variants:
        timings["variants"] = rendered.variant_seconds

    t1 = time.perf_counter()
    storage = app[keys.STORAGE]
    alt_text = atlas.describer.describe(recipe)
    variants = [name for name, _ in rendered.variants]
    created_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    record = orjson.dumps({"id": card_id, "recipe": recipe.to_json(), "altText": alt_text,
                           "fingerprint": fingerprint, "variants": variants, "createdAt": created_at})
    await storage.put(card_id, rendered.png, record, rendered.variants)
    urls = await card_urls(storage, card_id, variants)
    timings["upload"] = time.perf_counter() - t1
    if remember:
        app[keys.IDEMPOTENCY].set(card_id, record, expire=86400)
    app[keys.METRICS].cards.labels(language).inc()
    return json_response(card_body(card_id, urls, recipe, alt_text, created_at), 201)


async def _replay(app: web.Application, card_id: str, fingerprint: str) -> dict | None:
    """The stored card for an idempotency key, or None if it was never minted."""
    raw = app[keys.IDEMPOTENCY].get(card_id)
    if raw is None:
        raw = await app[keys.STORAGE].get_record(card_id)
    if raw is None:
        return None
    record, recipe, alt_text = record_from(raw, app[keys.RENDERING].atlas.describer.describe)
    if record["fingerprint"] != fingerprint:
        raise ValidationFailed("This Idempotency-Key was already used with a different request body.",
                               code="idempotency_key_reused", field="Idempotency-Key")
    urls = await card_urls(app[keys.STORAGE], card_id, record.get("variants", ()))
    return card_body(card_id, urls, recipe, alt_text, record.get("createdAt"))


async def get_card(request: web.Request) -> web.Response:
    """GET /citizen-card/{id}: the stored card's record, as POST answered it (without the request)."""
    app, card_id = request.app, request.match_info["id"]
    storage = app[keys.STORAGE]
    raw = await storage.get_record(card_id) if CARD_ID.match(card_id) else None
    if raw is None:
        raise CardNotFound(f"There is no card with id {card_id[:40]!r}.", field="id")
    record, recipe, alt_text = record_from(raw, app[keys.RENDERING].atlas.describer.describe)
    urls = await card_urls(storage, card_id, record.get("variants", ()))
    # Presigned URLs expire: never let a cache hand them out later.
    cache = "no-store" if storage.urls_expire else "public, max-age=60"
    return json_response(card_body(card_id, urls, recipe, alt_text, record.get("createdAt")),
                         headers={"Cache-Control": cache})


async def odds(request: web.Request) -> web.Response:
    """The draw odds of the live atlas, as games publish drop rates (service.odds)."""
    atlas = request.app[keys.RENDERING].atlas
    body = {"atlasVersion": atlas.version, **atlas.odds.published()}
    return json_response(body, headers={"Cache-Control": "public, max-age=300"})


async def healthz(request: web.Request) -> web.Response:
    return json_response({"status": "ok"})


READY_CHECK_SECONDS = 2.0  # probes come every few seconds from every load balancer: reuse a fresh answer


async def readyz(request: web.Request) -> web.Response:
    app = request.app
    problems = []
    if app[keys.DRAINING].is_set():
        problems.append("draining")
    else:
        problems += await _storage_problems(app)
    body = {"status": "ready" if not problems else "unavailable",
            "atlasVersion": app[keys.RENDERING].atlas.version,
            "problems": problems}
    return json_response(body, 503 if problems else 200, {"Retry-After": "5"} if problems else None)


async def _storage_problems(app: web.Application) -> list[str]:
    """The storage check, cached briefly so a stalled store cannot stall every probe."""
    cache = app[keys.READINESS]
    now = time.monotonic()
    if now - cache.get("at", -READY_CHECK_SECONDS) >= READY_CHECK_SECONDS:
        try:
            await app[keys.STORAGE].check()
            cache["problems"] = []
        except ServiceError as exc:
            cache["problems"] = [exc.message]
        cache["at"] = time.monotonic()
    return list(cache["problems"])


async def metrics(request: web.Request) -> web.Response:
    return metrics_response(request.app)


def metrics_response(app: web.Application) -> web.Response:
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    pool, m = app[keys.RENDERING].pool, app[keys.METRICS]
    m.queue_depth.set(pool.queue_depth)
    m.in_flight.set(pool.in_flight)
    m.admission_limit.set(pool.admission.limit)
    m.service_time.set(pool.admission.service_seconds)
    return web.Response(body=generate_latest(m.registry), headers={"Content-Type": CONTENT_TYPE_LATEST})


IMMUTABLE = "public, max-age=31536000, immutable"


def _card_file(request: web.Request, suffix: str):
    """The local file of a card (None with S3 storage, or for any id that is not a card id)."""
    path_for = getattr(request.app[keys.STORAGE], "path_for", None)
    path = path_for(request.match_info["id"], suffix) if path_for else None
    return path if path is not None and path.is_file() else None


def card_file_handler(suffix: str):
    """GET /cards/{id}<suffix>: one stored file of a card (local storage)."""
    content_type = next(f.content_type for f in FILES.values() if f.suffix == suffix)

    async def card_file(request: web.Request) -> web.StreamResponse:
        path = _card_file(request, suffix)
        if path is None:
            raise web.HTTPNotFound()
        return web.FileResponse(path, headers={"Content-Type": content_type, "Cache-Control": IMMUTABLE})

    return card_file


def accepts(accept: str, media_type: str) -> bool:
    """Whether an Accept header names `media_type` itself (not only through */* or image/*) with q > 0."""
    for item in accept.split(","):
        kind, *params = (p.strip() for p in item.split(";"))
        if kind.lower() == media_type:
            q = next((p[2:] for p in params if p.lower().startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


async def card_negotiated(request: web.Request) -> web.StreamResponse:
    """GET /cards/{id}: WebP to clients whose Accept names image/webp (when stored), else the PNG.
    `image/*` alone does not select WebP: the PNG is what every client can show."""
    webp = VARIANTS["webp"]
    path = _card_file(request, webp.suffix) if accepts(request.headers.get("Accept", ""), webp.content_type) else None
    content_type = webp.content_type
    if path is None:
        path, content_type = _card_file(request, PNG.suffix), PNG.content_type
    if path is None:
        raise web.HTTPNotFound(headers={"Vary": "Accept"})
    return web.FileResponse(path, headers={"Content-Type": content_type, "Cache-Control": IMMUTABLE,
                                           "Vary": "Accept"})


def add_card_file_routes(router: web.UrlDispatcher) -> None:
    """/cards/{id}.png, .webp, .og.jpg, .thumb.jpg and the negotiated /cards/{id} (local storage)."""
    card_id = "{id:[A-Za-z0-9_-]{22}}"
    for file in FILES.values():
        router.add_get(f"/cards/{card_id}{file.suffix}", card_file_handler(file.suffix))
    router.add_get(f"/cards/{card_id}", card_negotiated)


def setup_routes(app: web.Application, *, metrics_route: bool = True) -> None:
    app.router.add_post("/citizen-card", issue_card, expect_handler=expect_later)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    if metrics_route:  # else on its own listener (CITIZEN_METRICS_ADDRESS, app.create_metrics_app)
        app.router.add_get("/metrics", metrics)
    app.router.add_get("/citizen-card/{id}", get_card)
    add_card_file_routes(app.router)
    app.router.add_get("/openapi.json", openapi_document)
    app.router.add_get("/odds", odds)
    setup_pages(app)
