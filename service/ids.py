"""Card ids: 22 URL-safe characters, unguessable.

A random id has 128 bits; an id derived from an Idempotency-Key is 128 bits of an HMAC
(service/idempotency.py), so ids cannot be enumerated either way.
"""

from __future__ import annotations

import base64
import re
import secrets

CARD_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


def card_id_from_bytes(raw: bytes) -> str:
    """The card id spelling of 16 bytes."""
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def random_card_id() -> str:
    return card_id_from_bytes(secrets.token_bytes(16))
