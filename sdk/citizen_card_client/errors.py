"""The exception tree: one class per way a call can fail, all under CitizenCardError.

::

    CitizenCardError
    ├── InvalidRequest              4xx: fix the request; never retried
    │   ├── InvalidName             422, code name_* (the message names the character)
    │   ├── UnsupportedLanguage     422 unsupported_language
    │   ├── InvalidSeed             422 invalid_seed
    │   ├── InvalidIdempotencyKey   422 invalid_idempotency_key
    │   ├── IdempotencyKeyReused    422 idempotency_key_reused
    │   └── NotFound                404
    ├── RateLimited                 429: retried, honouring .retry_after
    ├── ServerError                 5xx
    │   └── ServiceUnavailable      503: retried, honouring .retry_after
    │       ├── Overloaded          503 overloaded
    │       └── StorageUnavailable  503 storage_unavailable
    ├── TransportError              connection refused/reset, timeouts: retried
    └── UnexpectedResponse          an answer that is not the API's (not JSON, not a PNG, ...)
"""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Mapping
from typing import ClassVar

import orjson

__all__ = [
    "CitizenCardError", "InvalidRequest", "InvalidName", "UnsupportedLanguage", "InvalidSeed",
    "InvalidIdempotencyKey", "IdempotencyKeyReused", "NotFound", "RateLimited", "ServerError",
    "ServiceUnavailable", "Overloaded", "StorageUnavailable", "TransportError", "UnexpectedResponse",
    "error_from_response", "parse_retry_after",
]


class CitizenCardError(Exception):
    """Base of every error the client raises (or returns in place from ``issue_many``).

    Attributes: ``status`` (HTTP status, None when no response was received or the
    client refused the request itself), ``code`` (the service's stable snake_case code),
    ``message`` (a human sentence), ``field`` (the offending request field, if any),
    ``request_id`` (the server's X-Request-Id, quote it in bug reports) and
    ``retry_after`` (seconds from a Retry-After header, else None). ``issue`` also sets
    ``idempotency_key`` (the key every attempt sent: issue again with it to resume without
    a second card), ``attempts`` (how many HTTP attempts were made) and ``retry_denied``
    (true when a retry was due but the client's retry budget had none left).
    """

    retryable: ClassVar[bool] = False
    """Whether the client retries a call that failed this way (same idempotency key)."""

    def __init__(self, message: str, *, status: int | None = None, code: str = "error",
                 field: str | None = None, request_id: str | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.field = field
        self.request_id = request_id
        self.retry_after = retry_after
        self.idempotency_key: str | None = None
        self.attempts = 0
        self.retry_denied = False

    def __str__(self) -> str:
        where = f" [field {self.field}]" if self.field else ""
        status = f"HTTP {self.status} " if self.status is not None else ""
        return f"{status}{self.code}: {self.message}{where}"

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, "
                f"message={self.message!r}, field={self.field!r}, request_id={self.request_id!r})")


class InvalidRequest(CitizenCardError):
    """The service refused the request as it stands (4xx); sending it again will not help."""


class InvalidName(InvalidRequest):
    """The name breaks a rule (empty, too long, a forbidden or unprintable character, ...).

    ``code`` says which rule (``name_forbidden_character``, ``name_too_long``, ...) and
    ``message`` names the offending character and its code point.
    """


class UnsupportedLanguage(InvalidRequest):
    """The language is not one the service prints cards in (``ko``, ``en``, ``ja``, ``zh-TW``)."""


class InvalidSeed(InvalidRequest):
    """The seed is not an integer from 0 to 2**63 - 1."""


class InvalidIdempotencyKey(InvalidRequest):
    """The Idempotency-Key is not 1 to 128 visible ASCII characters."""


class IdempotencyKeyReused(InvalidRequest):
    """The Idempotency-Key was already used for a request with a different body."""


class NotFound(InvalidRequest):
    """No such resource (a wrong base URL, or a card image that does not exist)."""


class RateLimited(CitizenCardError):
    """Too many requests from this client (429); ``retry_after`` says when to try again."""

    retryable = True


class ServerError(CitizenCardError):
    """The service failed (5xx); ``request_id`` identifies the failure in its logs."""


class ServiceUnavailable(ServerError):
    """The service cannot take the request right now (503); ``retry_after`` says when to retry."""

    retryable = True


class Overloaded(ServiceUnavailable):
    """Every renderer is busy and the admission queue is full; the request was shed."""


class StorageUnavailable(ServiceUnavailable):
    """The card store cannot take cards right now; nothing was published."""


class TransportError(CitizenCardError):
    """No (complete) answer: connection refused or reset, DNS failure, or a timeout."""

    retryable = True


class UnexpectedResponse(CitizenCardError):
    """The server answered, but not in the shape of the API (wrong content type, bad JSON)."""


_BY_CODE: Mapping[str, type[CitizenCardError]] = {
    "unsupported_language": UnsupportedLanguage,
    "invalid_seed": InvalidSeed,
    "invalid_idempotency_key": InvalidIdempotencyKey,
    "idempotency_key_reused": IdempotencyKeyReused,
    "invalid_name": InvalidName,
    "overloaded": Overloaded,
    "storage_unavailable": StorageUnavailable,
}


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), else None."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


def _class_for(status: int, code: str) -> type[CitizenCardError]:
    if status == 429:
        return RateLimited
    if 400 <= status < 500:
        if code.startswith("name_"):
            return InvalidName
        if status == 404:
            return NotFound
        found = _BY_CODE.get(code, InvalidRequest)
        return found if issubclass(found, InvalidRequest) else InvalidRequest
    if status == 503:
        found = _BY_CODE.get(code, ServiceUnavailable)
        return found if issubclass(found, ServiceUnavailable) else ServiceUnavailable
    if 500 <= status < 600:
        return ServerError
    return UnexpectedResponse


def error_from_response(status: int, body: bytes, headers: Mapping[str, str]) -> CitizenCardError:
    """The typed error for a non-2xx answer; tolerant of bodies that are not the API's JSON."""
    code, message, field = f"http_{status}", "", None
    try:
        parsed = orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        parsed = None
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if isinstance(error, dict):
        code = str(error.get("code") or code)
        message = str(error.get("message") or "")
        field = str(error["field"]) if error.get("field") is not None else None
    if not message:
        snippet = body[:200].decode("utf-8", "replace").strip()
        message = f"The server answered HTTP {status}" + (f": {snippet}" if snippet else ".")
    cls = _class_for(status, code)
    return cls(message, status=status, code=code, field=field, request_id=headers.get("X-Request-Id"),
               retry_after=parse_retry_after(headers.get("Retry-After")))
