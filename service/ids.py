"""Card ids and idempotency: unguessable ids, and ids derived from Idempotency-Key.

A random id has 128 bits. With an Idempotency-Key, the id and the seed are an HMAC of
(client, key) under a secret shared by all instances, so any instance given the same
key mints the same card without shared state, and ids still cannot be enumerated.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

import orjson

from service.errors import ValidationFailed
from service.recipe import MAX_SEED

CARD_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,128}$")


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def random_card_id() -> str:
    return _encode(secrets.token_bytes(16))


def check_idempotency_key(key: str) -> str:
    if not IDEMPOTENCY_KEY.match(key):
        raise ValidationFailed("Idempotency-Key must be 1 to 128 visible ASCII characters.",
                               code="invalid_idempotency_key", field="Idempotency-Key")
    return key


def derive(secret: str, client: str, key: str) -> tuple[str, int]:
    """(card id, seed) for an idempotency key of a client."""
    digest = hmac.new(secret.encode(), f"{client}\n{key}".encode(), hashlib.sha256).digest()
    return _encode(digest[:16]), int.from_bytes(digest[16:24], "big") & MAX_SEED


def request_fingerprint(name: str, language: str, seed: int | None) -> str:
    """Identifies what was asked, to tell a replay from a reused key with another body."""
    body = orjson.dumps({"nameOnCard": name, "language": language, "seed": seed}, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(body).hexdigest()
