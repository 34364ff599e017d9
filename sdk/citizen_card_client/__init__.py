"""citizen-card-client: an async client for the citizen-card service.

    async with CitizenCardClient("https://cards.example.com") as client:
        card = await client.issue("준성맛 쿠키", language="ko")
        png = await client.fetch_image(card)

Depends on aiohttp and orjson only (no Pillow: images come back as PNG bytes).
"""

from __future__ import annotations

from citizen_card_client.client import USER_AGENT, CitizenCardClient
from citizen_card_client.errors import (CitizenCardError, IdempotencyKeyReused, InvalidIdempotencyKey, InvalidName,
                                        InvalidRequest, InvalidSeed, NotFound, Overloaded, RateLimited, ServerError,
                                        ServiceUnavailable, StorageUnavailable, TransportError, UnexpectedResponse,
                                        UnsupportedLanguage)
from citizen_card_client.models import LANGUAGES, Card, IssueLike, IssueRequest, Language, Recipe
from citizen_card_client.retry import RetryBudget

__version__ = "0.1.0"

__all__ = [
    "CitizenCardClient", "USER_AGENT", "__version__", "RetryBudget",
    "Card", "Recipe", "IssueRequest", "IssueLike", "Language", "LANGUAGES",
    "CitizenCardError", "InvalidRequest", "InvalidName", "UnsupportedLanguage", "InvalidSeed",
    "InvalidIdempotencyKey", "IdempotencyKeyReused", "NotFound", "RateLimited", "ServerError",
    "ServiceUnavailable", "Overloaded", "StorageUnavailable", "TransportError", "UnexpectedResponse",
]
