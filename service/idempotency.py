"""Idempotent issuing: a POST retried with the same Idempotency-Key gets the same card.

Keys: the card id and the seed are an HMAC of (client, key) under a secret shared by all
instances, so any instance given the same key mints the same card without shared state,
and ids still cannot be enumerated.
In flight: in one process, one request per key mints at a time; the others wait for it,
then replay its card.
Replays: the card's record is looked up in a local diskcache of recent cards, then in
storage; a key reused with another request body is refused (422 idempotency_key_reused).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import re
from collections.abc import AsyncIterator

import diskcache
import orjson
from aiohttp import web

from service import keys
from service.errors import BadRequest, ValidationFailed
from service.ids import card_id_from_bytes
from service.recipe import MAX_SEED
from service.storage import Storage

IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,128}$")
REMEMBER_SECONDS = 86400  # how long the local cache keeps a record for replays (storage keeps it for good)
CACHE_BYTES = 2**28


def key_sent(request: web.Request) -> str | None:
    """The request's Idempotency-Key header, or None; several are refused (400), since which
    one the client means cannot be told. The key's syntax is checked later, by `derive`."""
    sent = request.headers.getall("Idempotency-Key", [])
    if len(sent) > 1:
        raise BadRequest("Send one Idempotency-Key header, not several.", code="duplicate_idempotency_key",
                         field="Idempotency-Key")
    return sent[0] if sent else None


def request_fingerprint(name: str, language: str, seed: int | None) -> str:
    """Identifies what was asked, to tell a replay from a reused key with another body."""
    body = orjson.dumps({"nameOnCard": name, "language": language, "seed": seed}, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(body).hexdigest()


def derive(secret: str, client: str, key: str) -> tuple[str, int]:
    """(card id, seed) for an idempotency key of a client; 422 for a key that is not 1 to 128
    visible ASCII characters."""
    if not IDEMPOTENCY_KEY.match(key):
        raise ValidationFailed("Idempotency-Key must be 1 to 128 visible ASCII characters.",
                               code="invalid_idempotency_key", field="Idempotency-Key")
    digest = hmac.new(secret.encode(), f"{client}\n{key}".encode(), hashlib.sha256).digest()
    return card_id_from_bytes(digest[:16]), int.from_bytes(digest[16:24], "big") & MAX_SEED


class Idempotency:
    """The app's idempotency state: the shared secret, the cache of recent records and the
    mints in flight in this process."""

    def __init__(self, secret: str, cache: diskcache.Cache) -> None:
        self._secret = secret
        self._cache = cache
        self._minting: dict[str, asyncio.Future] = {}  # card id -> settled when its request ends

    def derive(self, client: str, key: str) -> tuple[str, int]:
        """(card id, seed) for this client's key (see `derive`)."""
        return derive(self._secret, client, key)

    @contextlib.asynccontextmanager
    async def exclusive(self, card_id: str) -> AsyncIterator[None]:
        """Hold a key's card id for the body of the `async with`: a request with the same key
        waits until the holder is done, then runs (and finds the card to replay)."""
        while (busy := self._minting.get(card_id)) is not None:
            await asyncio.shield(busy)
        # Claimed with no await since the check above, so one request per key mints at a time.
        self._minting[card_id] = claim = asyncio.get_running_loop().create_future()
        try:
            yield
        finally:
            del self._minting[card_id]
            claim.set_result(None)

    async def replay(self, card_id: str, fingerprint: str, storage: Storage) -> dict | None:
        """The record of the card minted for this key, or None if none was; 422 if the key was
        used with another request body."""
        raw = self._cache.get(card_id)
        if raw is None:
            raw = await storage.get_record(card_id)
        if raw is None:
            return None
        record = orjson.loads(raw)
        if record["fingerprint"] != fingerprint:
            raise ValidationFailed("This Idempotency-Key was already used with a different request body.",
                                   code="idempotency_key_reused", field="Idempotency-Key")
        return record

    def remember(self, card_id: str, record: bytes) -> None:
        """Keep a freshly minted card's record for fast replays."""
        self._cache.set(card_id, record, expire=REMEMBER_SECONDS)


async def idempotency_ctx(app: web.Application):
    """The app's Idempotency, its cache open for the app's life."""
    settings = app[keys.SETTINGS]
    cache = diskcache.Cache(str(settings.idempotency_dir), size_limit=CACHE_BYTES)
    app[keys.IDEMPOTENCY] = Idempotency(settings.idempotency_secret, cache)
    yield
    cache.close()
