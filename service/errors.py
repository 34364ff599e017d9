"""Errors that carry their HTTP status, a stable code and a public message.

The errors middleware (service/middleware.py) renders them as ``{"error": {"code",
"message", "field"}}``; anything that is not a ServiceError is our fault and becomes a
logged 500 with a request id.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A failure with a public face: status, stable snake_case code, human message."""

    status: int = 500
    code: str = "internal_error"
    closes_connection: bool = False  # answered with Connection: close (the body was not read to its end)

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field
        self.retry_after = retry_after

    def to_json(self) -> dict:
        body: dict = {"code": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        return {"error": body}


class BadRequest(ServiceError):
    """The request could not be parsed (malformed JSON)."""

    status = 400
    code = "malformed_json"


class MalformedBody(BadRequest):
    """The body could not be read as HTTP (bad chunking); the rest of the stream cannot be trusted."""

    code = "malformed_body"
    closes_connection = True


class PayloadTooLarge(ServiceError):
    """The body is over the configured limit."""

    status = 413
    code = "body_too_large"
    closes_connection = True


class UnsupportedMediaType(ServiceError):
    """The body is not application/json, or is sent with a Content-Encoding we do not take."""

    status = 415
    code = "unsupported_media_type"


class CardNotFound(ServiceError):
    """No card has this id (never minted, or not a card id at all)."""

    status = 404
    code = "card_not_found"


class ValidationFailed(ServiceError):
    """A field has a value we do not accept."""

    status = 422
    code = "invalid_field"


class InvalidName(ValidationFailed):
    """The name on the card breaks a rule of SPEC §5. The message is for players, in the
    card's language; the offending character, if one is to blame, and its code point are
    separate fields (``character``, ``codePoint``) for clients (no ``character`` for a
    lone surrogate, which JSON in UTF-8 cannot carry)."""

    code = "invalid_name"

    def __init__(self, message: str, *, code: str = "invalid_name", character: str | None = None) -> None:
        super().__init__(message, code=code, field="nameOnCard")
        self.character = character

    def to_json(self) -> dict:
        body = super().to_json()
        if self.character is not None:
            body["error"]["codePoint"] = f"U+{ord(self.character):04X}"
            if not 0xD800 <= ord(self.character) <= 0xDFFF:  # a lone surrogate cannot be sent as UTF-8
                body["error"]["character"] = self.character
        return body


class RequestTimeout(ServiceError):
    """The request body did not arrive in time (a slow or stalled client)."""

    status = 408
    code = "request_timeout"
    closes_connection = True


class ClientClosedRequest(ServiceError):
    """The client closed the connection before the answer (nginx's 499; nobody reads it, the
    log line and the metrics do)."""

    status = 499
    code = "client_closed_request"


class ExpectationFailed(ServiceError):
    """An Expect header other than 100-continue."""

    status = 417
    code = "expectation_failed"


class RateLimited(ServiceError):
    """The client sent more than its share; retry after the given seconds."""

    status = 429
    code = "rate_limited"


class Unavailable(ServiceError):
    """We cannot take the request now (overloaded, draining, storage down); retry later."""

    status = 503
    code = "unavailable"


class TookTooLong(Unavailable):
    """The request, its body read, was not answered within CITIZEN_REQUEST_TIMEOUT; retry."""

    code = "timeout"


class HTTPRefusal(ServiceError):
    """A refusal aiohttp makes itself (no such route: 404, method not allowed: 405, ...),
    given our JSON shape; `allow` lists the methods a 405 must name (RFC 9110)."""

    CODES = {404: "not_found", 405: "method_not_allowed"}

    def __init__(self, status: int, reason: str, *, allow: str | None = None) -> None:
        super().__init__(reason, code=self.CODES.get(status, f"http_{status}"))
        self.status = status
        self.allow = allow
