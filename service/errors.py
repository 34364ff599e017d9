"""Errors that carry their HTTP status, a stable code and a public message.

One middleware renders them as ``{"error": {"code", "message", "field"}}``; anything
that is not a ServiceError is our fault and becomes a logged 500 with a request id.
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


class PayloadTooLarge(ServiceError):
    """The body is over the configured limit."""

    status = 413
    code = "body_too_large"
    closes_connection = True


class UnsupportedMediaType(ServiceError):
    """The body is not application/json, or is sent with a Content-Encoding we do not take."""

    status = 415
    code = "unsupported_media_type"


class ValidationFailed(ServiceError):
    """A field has a value we do not accept."""

    status = 422
    code = "invalid_field"


class InvalidName(ValidationFailed):
    """The name on the card breaks a rule of SPEC §5; the message names the culprit."""

    code = "invalid_name"

    def __init__(self, message: str, *, code: str = "invalid_name") -> None:
        super().__init__(message, code=code, field="nameOnCard")


class RequestTimeout(ServiceError):
    """The request body did not arrive in time (a slow or stalled client)."""

    status = 408
    code = "request_timeout"
    closes_connection = True


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
