"""Cards in S3 or an S3-compatible store (aiobotocore), selected by ``s3://BUCKET/PREFIX``.

Objects: ``<prefix>/<id>.png`` (``Content-Type: image/png``, ``Cache-Control: public,
max-age=31536000, immutable``), the variants the same way (``<id>.webp``, ``<id>.og.jpg``,
``<id>.thumb.jpg``: service/card_files.py) and ``<prefix>/<id>.json``, the card's record
(always private: it holds the request). The images are written first (concurrently), so a
record promises a complete card.

AWS configuration is the SDK's own, not ours: the default credential chain (env vars, shared
files, container/instance roles), the region from ``AWS_DEFAULT_REGION`` or ``AWS_REGION``
(us-east-1 if neither), and ``AWS_ENDPOINT_URL`` / ``AWS_ENDPOINT_URL_S3`` for S3-compatible
stores (botocore reads these itself).

How a card URL becomes fetchable (``url()``), first match wins:

1. ``public_base_url`` set (production): a CDN whose origin is the bucket, reading it with
   origin access (the objects stay private). The URL path is the object key:
   ``public_base_url=https://cdn.example.com`` and ``s3://bucket/cards`` give
   ``https://cdn.example.com/cards/<id>.png``.
2. ``s3_presign_seconds > 0``: a presigned GET URL valid that many seconds (links expire;
   fine for previews, not for long-lived shares).
3. Otherwise the plain path-style URL ``{endpoint}/{bucket}/{key}``. Without a CDN it is only
   fetchable anonymously with ``s3_acl=public-read`` (the bucket must allow public ACLs).

Failures (5xx/SlowDown, refused connections, timeouts, bad credentials) are retried by
botocore's standard retry mode (3 attempts, exponential backoff with jitter) inside an overall
``storage_deadline`` per operation, then raised as StorageUnavailable: never a URL to an object
that was not stored.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any
from urllib.parse import quote

import aiohttp
from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import BotoCoreError, ClientError
from botocore.handlers import add_expect_header, convert_body_to_file_like_object

from service.card_files import FILES
from service.config import Settings
from service.ids import CARD_ID
from service.storage import StorageUnavailable

CACHE_CONTROL = "public, max-age=31536000, immutable"
RETRY_AFTER = 5


class S3Storage:
    """The Storage Protocol over one bucket and key prefix; one S3 client per process."""

    def __init__(self, bucket: str, prefix: str = "", *, acl: str = "", presign_seconds: int = 0,
                 public_base_url: str = "", deadline: float = 5.0) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.acl = acl
        self.presign_seconds = presign_seconds
        self.public_base_url = public_base_url.rstrip("/")
        self.urls_expire = presign_seconds > 0 and not self.public_base_url
        self.deadline = deadline
        self._stack = AsyncExitStack()
        self._client: Any = None
        self._lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Storage:
        """Parse ``s3://BUCKET[/PREFIX]`` and take ACL, URL and deadline settings."""
        bucket, _, prefix = settings.storage.removeprefix("s3://").partition("/")
        return cls(bucket, prefix, acl=settings.s3_acl, presign_seconds=settings.s3_presign_seconds,
                   public_base_url=settings.public_base_url, deadline=settings.storage_deadline)

    def key(self, card_id: str, suffix: str) -> str:
        """The object key of a card file: ``<prefix>/<id><suffix>`` (no prefix: ``<id><suffix>``)."""
        if not CARD_ID.match(card_id):
            raise ValueError(f"not a card id: {card_id!r}")
        return f"{self.prefix}/{card_id}{suffix}" if self.prefix else f"{card_id}{suffix}"

    async def client(self) -> Any:
        """The process's S3 client, created on first use and kept until close()."""
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    session = get_session()
                    region = session.get_config_variable("region") or os.environ.get("AWS_REGION") or "us-east-1"
                    # total_max_attempts counts the first try: 3 attempts, backoff <= 1 s then <= 2 s
                    # ("max_attempts" would be 3 *retries*: 4 attempts, the last after up to 4 s).
                    # Per-request CPU matters here (two puts per card): skip client-side parameter
                    # validation (we build the calls ourselves) and optional checksums that S3
                    # does not require; SigV4 still signs every request.
                    config = AioConfig(retries={"total_max_attempts": 3, "mode": "standard"}, connect_timeout=2,
                                       read_timeout=2, max_pool_connections=64,
                                       signature_version="s3v4", parameter_validation=False,
                                       request_checksum_calculation="when_required",
                                       response_checksum_validation="when_required")
                    client = await self._stack.enter_async_context(
                        session.create_client("s3", region_name=region, config=config))
                    # Our bodies are bytes of a few hundred KB. botocore would wrap each in a BytesIO,
                    # and any file-like body gets "Expect: 100-continue": headers sent alone, a round
                    # trip for "100 Continue", then the body in 64 KiB writes with a loop turn between.
                    # As bytes, headers and body leave in one write (docs/BENCHMARKS.md, S3 steps).
                    client.meta.events.unregister("before-parameter-build.s3.PutObject",
                                                  convert_body_to_file_like_object)
                    client.meta.events.unregister("before-call.s3", add_expect_header)
                    self._client = client
        return self._client

    @asynccontextmanager
    async def _guard(self, what: str) -> AsyncIterator[Any]:
        """Yield the client under the deadline; every failure inside becomes StorageUnavailable."""
        try:
            async with asyncio.timeout(self.deadline):
                yield await self.client()
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise StorageUnavailable(f"Could not {what}: {error.get('Code', 'error')} ({_status(exc)}).",
                                     retry_after=RETRY_AFTER) from exc
        except TimeoutError as exc:
            raise StorageUnavailable(f"Could not {what}: no answer within {self.deadline:g} s.",
                                     retry_after=RETRY_AFTER) from exc
        except (BotoCoreError, aiohttp.ClientError, OSError) as exc:
            raise StorageUnavailable(f"Could not {what}: {type(exc).__name__}.", retry_after=RETRY_AFTER) from exc

    async def put(self, card_id: str, png: bytes, record: bytes, variants: Sequence[tuple[str, bytes]] = ()) -> None:
        """Store ``<id>.png`` and the variants, then ``<id>.json``, all within one deadline; return
        only once all are stored."""
        extra = {"ACL": self.acl} if self.acl else {}
        async with self._guard("store the card") as client:
            await asyncio.gather(*(
                client.put_object(Bucket=self.bucket, Key=self.key(card_id, FILES[name].suffix), Body=data,
                                  ContentType=FILES[name].content_type, CacheControl=CACHE_CONTROL, **extra)
                for name, data in [("png", png), *variants]))
            await client.put_object(Bucket=self.bucket, Key=self.key(card_id, ".json"), Body=record,
                                    ContentType="application/json")

    async def url(self, card_id: str, file: str = "png") -> str:
        """The URL of the card's PNG or a variant: CDN URL, presigned URL or plain endpoint URL
        (module docstring)."""
        key = self.key(card_id, FILES[file].suffix)
        if self.public_base_url:
            return f"{self.public_base_url}/{quote(key)}"
        async with self._guard("make the card URL") as client:  # no request is sent
            if self.presign_seconds > 0:
                return await client.generate_presigned_url(
                    "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=self.presign_seconds)
            return f"{client.meta.endpoint_url.rstrip('/')}/{self.bucket}/{quote(key)}"

    async def get_record(self, card_id: str) -> bytes | None:
        """A stored card's record, or None if there is none (or the id is not a card id)."""
        if not CARD_ID.match(card_id):
            return None
        async with self._guard("read the card") as client:
            try:
                response = await client.get_object(Bucket=self.bucket, Key=self.key(card_id, ".json"))
            except ClientError as exc:
                if _status(exc) == 404:
                    return None
                raise
            async with response["Body"] as body:
                return await body.read()

    async def check(self) -> None:
        """Raise StorageUnavailable unless the bucket answers (readiness)."""
        async with self._guard(f"reach bucket {self.bucket}") as client:
            await client.head_bucket(Bucket=self.bucket)

    async def close(self) -> None:
        """Close the S3 client (its connection pool)."""
        await self._stack.aclose()
        self._client = None


def _status(exc: ClientError) -> int:
    return exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
