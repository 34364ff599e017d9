"""CitizenCardClient: mint cards over HTTP with timeouts, safe retries and batching."""

from __future__ import annotations

import asyncio
import re
import urllib.parse
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import aiohttp
import orjson

from citizen_card_client.errors import (CitizenCardError, InvalidIdempotencyKey, InvalidRequest, TransportError,
                                        UnexpectedResponse, error_from_response)
from citizen_card_client.models import Card, IssueLike, coerce_request
from citizen_card_client.retry import RetryBudget, Window, retry_delay

__all__ = ["CitizenCardClient", "USER_AGENT"]

USER_AGENT = "citizen-card-client/0.1.0"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,128}")


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: bytes
    headers: Mapping[str, str]
    content_type: str


class CitizenCardClient:
    """Async client for the citizen-card service; one instance is safe to share between tasks.

    ``timeout`` bounds each HTTP attempt (seconds). A call that fails with 429, 503 or a
    transport error (connection refused/reset, timeout) is retried up to ``retries`` more
    times: after the server's Retry-After plus a random share of a window as long, doubled
    at each retry (full jitter, so a crowd shed together does not come back together), or
    else after a random share of an exponential backoff starting at ``backoff`` seconds;
    every wait is capped at ``max_retry_after``. Retries also draw on ``retry_budget``, one
    per client (default ``RetryBudget()``; ``RetryBudget.unlimited()`` for none): see
    citizen_card_client.retry. Every attempt of one ``issue`` call sends the same
    Idempotency-Key, so a retry never mints a second card. Pass ``session`` to share your
    own aiohttp session (the client will not close it).
    """

    def __init__(self, base_url: str, *, timeout: float = 10.0, retries: int = 3,
                 session: aiohttp.ClientSession | None = None, max_retry_after: float = 30.0,
                 backoff: float = 0.25, retry_budget: RetryBudget | None = None,
                 user_agent: str = USER_AGENT) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"base_url must be an absolute http(s) URL, got {base_url!r}")
        if timeout <= 0 or retries < 0 or max_retry_after < 0 or backoff < 0:
            raise ValueError("timeout must be positive; retries, max_retry_after and backoff must not be negative")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.max_retry_after = max_retry_after
        self.backoff = backoff
        self.retry_budget = RetryBudget() if retry_budget is None else retry_budget
        self._user_agent = user_agent
        self._session = session
        self._owns_session = session is None

    async def __aenter__(self) -> Self:
        self._get_session()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the aiohttp session if the client created it (a session you passed stays open)."""
        if self._owns_session and self._session is not None:
            session, self._session = self._session, None
            await session.close()

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or (self._owns_session and self._session.closed):
            self._session = aiohttp.ClientSession()
        return self._session

    async def issue(self, name: str, language: str, *, seed: int | None = None,
                    idempotency_key: str | None = None) -> Card:
        """Mint one card for ``name`` in ``language`` (``ko``, ``en``, ``ja`` or ``zh-TW``).

        ``seed`` (0..2**63-1) makes the drawing reproducible. Without ``idempotency_key`` the
        client generates one (uuid4 hex) for this call; every retry reuses it. A raised
        CitizenCardError carries it as ``.idempotency_key``: issue again with that key to
        resume without risking a second card.
        """
        return await self._issue(name, language, seed=seed, idempotency_key=idempotency_key)

    async def _issue(self, name: str, language: str, *, seed: int | None = None,
                     idempotency_key: str | None = None, window: Window | None = None) -> Card:
        key = uuid.uuid4().hex if idempotency_key is None else idempotency_key
        try:
            if not _IDEMPOTENCY_KEY.fullmatch(key):
                raise InvalidIdempotencyKey("Idempotency-Key must be 1 to 128 visible ASCII characters.",
                                            code="invalid_idempotency_key", field="Idempotency-Key")
            payload: dict[str, Any] = {"nameOnCard": name, "language": language}
            if seed is not None:
                payload["seed"] = seed
            try:
                data = orjson.dumps(payload)
            except orjson.JSONEncodeError as exc:
                raise InvalidRequest(f"The request cannot be sent as JSON: {exc}.", code="invalid_body") from None
            headers = {"Content-Type": "application/json", "Accept": "application/json", "Idempotency-Key": key}
            answer = await self._call("POST", self.base_url + "/citizen-card", data, headers, window)
            return _parse_card(answer)
        except CitizenCardError as exc:
            exc.idempotency_key = key
            raise

    async def get(self, card_id: str) -> Card:
        """The stored card with this id (its URLs, recipe, alt text, creation time); raises
        NotFound (code ``card_not_found``) for an id the service does not know."""
        url = f"{self.base_url}/citizen-card/{urllib.parse.quote(card_id, safe='')}"
        answer = await self._call("GET", url, None, {"Accept": "application/json"})
        return _parse_card(answer)

    async def issue_many(self, requests: Iterable[IssueLike], *,
                         concurrency: int = 8) -> list[Card | CitizenCardError]:
        """Mint many cards, at most ``concurrency`` at a time; results are in input order.

        Each item is an IssueRequest, ``(name, language)`` or ``(name, language, seed)``. A
        failed item is returned in place as its CitizenCardError (a malformed item as an
        InvalidRequest with code ``invalid_item``); one bad item never fails the batch.
        The batch slows down when the service does: its window of requests in flight is
        halved when an answer is 429 or 503 and grows back by one per window of successes
        (AIMD); an item waiting to retry holds no place in it.
        """
        window = Window(concurrency)

        async def one(item: object) -> Card | CitizenCardError:
            try:
                request = coerce_request(item)
            except TypeError as exc:
                return InvalidRequest(str(exc), code="invalid_item")
            try:
                return await self._issue(request.name, request.language, seed=request.seed,
                                         idempotency_key=request.idempotency_key, window=window)
            except CitizenCardError as exc:
                return exc

        tasks = [asyncio.ensure_future(one(item)) for item in requests]
        try:
            return list(await asyncio.gather(*tasks))
        except BaseException:
            for task in tasks:  # a bug or a cancellation: leave nothing running behind
                task.cancel()
            raise

    async def fetch_image(self, card: Card | str) -> bytes:
        """The PNG bytes of a card (or of a card URL); retried like ``issue``."""
        url = urllib.parse.urljoin(self.base_url + "/", card.url if isinstance(card, Card) else card)
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise InvalidRequest(f"Not an http(s) URL: {url!r}.", code="invalid_url")
        answer = await self._call("GET", url, None, {"Accept": "image/png"})
        if answer.status != 200:
            raise _unexpected(answer, f"Expected HTTP 200 for the image, got {answer.status}.")
        if answer.content_type != "image/png":
            raise _unexpected(answer, f"Expected an image/png, got {answer.content_type or 'no content type'}.")
        if not answer.body.startswith(PNG_SIGNATURE):
            raise _unexpected(answer, "The image does not start with the PNG signature.")
        return answer.body

    async def _call(self, method: str, url: str, data: bytes | None, headers: dict[str, str],
                    window: Window | None = None) -> _Answer:
        """One logical call: attempts until success, a final error, or retries (or the retry
        budget) run out. With a ``window`` (issue_many), each attempt holds a place in it."""
        attempt = 0
        self.retry_budget.called()
        while True:
            try:
                if window is None:
                    answer = await self._send(method, url, data, headers)
                else:
                    async with window.slot() as sent_at:
                        try:
                            answer = await self._send(method, url, data, headers)
                        except TransportError:
                            window.refused(sent_at)
                            raise
                    if answer.status in (429, 503):
                        window.refused(sent_at)
                    elif answer.status < 400:
                        await window.succeeded()
            except TransportError as exc:
                error: CitizenCardError = exc
            else:
                if answer.status < 400:
                    return answer
                error = error_from_response(answer.status, answer.body, answer.headers)
            error.attempts = attempt + 1
            if not error.retryable or attempt >= self.retries:
                raise error
            if not self.retry_budget.spend():
                error.retry_denied = True
                raise error
            await asyncio.sleep(retry_delay(attempt, error.retry_after, backoff=self.backoff,
                                            cap=self.max_retry_after))
            attempt += 1

    async def _send(self, method: str, url: str, data: bytes | None, headers: dict[str, str]) -> _Answer:
        session = self._get_session()
        try:
            async with session.request(method, url, data=data, headers={"User-Agent": self._user_agent, **headers},
                                       timeout=aiohttp.ClientTimeout(total=self.timeout),
                                       allow_redirects=method == "GET") as response:
                body = await response.read()
                return _Answer(response.status, body, response.headers, response.content_type)
        except TimeoutError as exc:
            raise TransportError(f"No answer to {method} {url} within {self.timeout:g} s.", code="timeout") from exc
        except aiohttp.ClientError as exc:
            raise TransportError(f"{method} {url} failed: {exc or type(exc).__name__}.",
                                 code="connection_error") from exc


def _unexpected(answer: _Answer, message: str) -> UnexpectedResponse:
    return UnexpectedResponse(message, status=answer.status, code="unexpected_response",
                              request_id=answer.headers.get("X-Request-Id"))


def _parse_card(answer: _Answer) -> Card:
    if answer.status not in (200, 201):
        raise _unexpected(answer, f"Expected HTTP 201 with a card, got {answer.status}.")
    if answer.content_type != "application/json":
        raise _unexpected(answer, f"Expected a JSON card, got {answer.content_type or 'no content type'}.")
    try:
        body = orjson.loads(answer.body)
        if not isinstance(body, dict):
            raise TypeError("the body is not a JSON object")
        return Card.from_json(body, replayed=answer.headers.get("Idempotent-Replayed") == "true")
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise _unexpected(answer, f"The card in the answer is malformed: {exc!r}.") from None
