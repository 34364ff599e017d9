"""HTTP handlers: validate -> admit -> idempotency -> recipe -> render -> store -> answer."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from dataclasses import dataclass

import orjson
from aiohttp import web

from service import keys
from service.api_models import parse_issue_request
from service.atlas.catalog import AtlasInfo
from service.card_file_routes import add_card_file_routes
from service.errors import (CardNotFound, ExpectationFailed, PayloadTooLarge, RequestTimeout, ServiceError,
                            UnsupportedMediaType)
from service.idempotency import key_sent, request_fingerprint
from service.ids import CARD_ID, random_card_id
from service.openapi import openapi_document
from service.pages import setup_pages
from service.recipe import Recipe, make_recipe, random_seed
from service.render.pool import RenderPool
from service.render.worker_messages import Rendered
from service.storage import Storage

IDENTITY = ("", "identity")  # the only Content-Encoding we take: a 4 KiB JSON body gains nothing from gzip


def json_response(body: dict, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.Response(body=orjson.dumps(body), status=status, content_type="application/json",
                        headers=headers)


def card_body(card_id: str, urls: dict[str, str], recipe: Recipe, alt_text: str, created_at: str | None) -> dict:
    """The card as the API answers it (POST 201, replays, GET /citizen-card/{id}); `url` is the PNG's.
    Its shape is service.api_models.Card (a dict for orjson: the fast path; tests/test_api_models.py checks it)."""
    return {"id": card_id, "url": urls["png"], "urls": urls, "language": recipe.language, "seed": recipe.seed,
            "atlasVersion": recipe.atlas_version, "recipe": recipe.to_json(), "altText": alt_text,
            "createdAt": created_at}


async def card_urls(storage: Storage, card_id: str, variants: list[str] | tuple[str, ...]) -> dict[str, str]:
    """{"png": url, "webp": url, ...}: the PNG and every variant stored with the card."""
    return {name: await storage.url(card_id, name) for name in ("png", *variants)}


async def stored_card(storage: Storage, card_id: str, record: dict, describe) -> dict:
    """The card body of a stored record; records older than alt text are described now."""
    recipe = Recipe.from_json(record["recipe"])
    urls = await card_urls(storage, card_id, record.get("variants", ()))
    return card_body(card_id, urls, recipe, record.get("altText") or describe(recipe), record.get("createdAt"))


@dataclass(frozen=True, slots=True)
class CardOrder:
    """A card to mint for a valid request, its id and seed settled (see issue_card)."""

    card_id: str
    client: str
    name: str  # as validate_name returned it
    language: str
    seed: int | None  # None: draw a random one
    fingerprint: str  # of the request as sent (idempotency.request_fingerprint)
    idempotent: bool = False  # keep the record for replays of its Idempotency-Key


async def issue_card(request: web.Request) -> web.Response:
    """POST /citizen-card: validate -> admit -> idempotency -> recipe -> render -> store -> answer,
    the cheapest refusals first: load shedding and the request rate limit before the body is
    read, a render token (_mint) only for a card about to be drawn."""
    app = request.app
    settings = app[keys.SETTINGS]
    t0 = time.perf_counter()
    app[keys.RENDERING].pool.admit()  # shed before spending anything on a request we cannot take
    app[keys.UPLOADS].admit()  # nor take one while the store is behind (it would wait, PNG and all)
    client = app[keys.PROXIES].client_ip(request)
    app[keys.LIMITER].admit_request(client)  # every request; renders spend their own bucket (_mint)
    key = key_sent(request)
    raw = await read_body(request, settings.max_body_bytes, settings.body_timeout)
    atlas, pool = app[keys.RENDERING].live  # one consistent pair, even during a reload
    body = parse_issue_request(raw, atlas)
    name, language, seed = body.name_on_card, body.language, body.seed
    fingerprint = request_fingerprint(name, language, seed)
    if key is None:
        return await _mint(request, CardOrder(random_card_id(), client, name, language, seed, fingerprint),
                           atlas, pool, t0)
    idempotency = app[keys.IDEMPOTENCY]
    card_id, derived_seed = idempotency.derive(client, key)
    async with idempotency.exclusive(card_id):  # the same key in flight here: wait for it, then replay
        record = await idempotency.replay(card_id, fingerprint, app[keys.STORAGE])
        if record is not None:
            describe = app[keys.RENDERING].atlas.describer.describe
            card = await stored_card(app[keys.STORAGE], card_id, record, describe)
            return json_response(card, 201, {"Idempotent-Replayed": "true"})
        order = CardOrder(card_id, client, name, language, derived_seed if seed is None else seed, fingerprint,
                          idempotent=True)
        return await _mint(request, order, atlas, pool, t0)


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


async def _mint(request: web.Request, order: CardOrder, atlas: AtlasInfo, pool: RenderPool,
                t0: float) -> web.Response:
    """Render, store and answer a new card (the 201 is sent only after the upload)."""
    app, timings = request.app, request[keys.TIMINGS]
    app[keys.LIMITER].admit_render(order.client)
    name, language, seed = order.name, order.language, order.seed
    recipe = make_recipe(atlas.catalog, atlas.texts[language], name=name,
                         language=language, seed=random_seed() if seed is None else seed,
                         atlas_version=atlas.version, issued=dt.datetime.now(dt.timezone.utc).date(),
                         name_fit=atlas.name_fit(language, name).as_recipe())
    timings["validate"] = time.perf_counter() - t0
    rendered = await _render(pool, recipe, timings)
    t1 = time.perf_counter()
    card = await _store(app, order, recipe, rendered, atlas.describer.describe(recipe))
    timings["upload"] = time.perf_counter() - t1
    app[keys.METRICS].cards.labels(language).inc()
    return json_response(card, 201)


async def _render(pool: RenderPool, recipe: Recipe, timings: dict[str, float]) -> Rendered:
    """The pool's render of a recipe, its stage times added to the request's timings."""
    rendered, submitted = await pool.render(recipe)
    timings.update(queue=max(0.0, rendered.started - submitted), blend=rendered.blend, text=rendered.text,
                   encode=rendered.encode)
    if rendered.variants:
        timings["variants"] = rendered.variant_seconds
    return rendered


async def _store(app: web.Application, order: CardOrder, recipe: Recipe, rendered: Rendered,
                 alt_text: str) -> dict:
    """Store a new card's files and record (and keep the record for replays of its key); its card body."""
    storage, card_id = app[keys.STORAGE], order.card_id
    variants = [name for name, _ in rendered.variants]
    created_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    record = orjson.dumps({"id": card_id, "recipe": recipe.to_json(), "altText": alt_text,
                           "fingerprint": order.fingerprint, "variants": variants, "createdAt": created_at})
    with app[keys.UPLOADS].uploading():
        await storage.put(card_id, rendered.png, record, rendered.variants)
    urls = await card_urls(storage, card_id, variants)
    if order.idempotent:
        app[keys.IDEMPOTENCY].remember(card_id, record)
    return card_body(card_id, urls, recipe, alt_text, created_at)


async def get_card(request: web.Request) -> web.Response:
    """GET /citizen-card/{id}: the stored card's record, as POST answered it (without the request)."""
    app, card_id = request.app, request.match_info["id"]
    storage = app[keys.STORAGE]
    raw = await storage.get_record(card_id) if CARD_ID.match(card_id) else None
    if raw is None:
        raise CardNotFound(f"There is no card with id {card_id[:40]!r}.", field="id")
    card = await stored_card(storage, card_id, orjson.loads(raw), app[keys.RENDERING].atlas.describer.describe)
    # Presigned URLs expire: never let a cache hand them out later.
    cache = "no-store" if storage.urls_expire else "public, max-age=60"
    return json_response(card, headers={"Cache-Control": cache})


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
    m.standing.set(pool.admission.standing)
    m.service_time.set(pool.admission.service_seconds)
    m.uploads_in_flight.set(app[keys.UPLOADS].in_flight)
    m.upload_time.set(app[keys.UPLOADS].upload_seconds)
    return web.Response(body=generate_latest(m.registry), headers={"Content-Type": CONTENT_TYPE_LATEST})


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
