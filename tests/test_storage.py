"""One contract for every storage backend (local directory, S3 on a real moto server), plus S3 specifics."""

from __future__ import annotations

import hashlib
import struct
import time
import zlib

import aiohttp
import orjson
import pytest
from aiohttp import web

from service import keys
from service.card_files import FILES
from service.config import Settings
from service.ids import random_card_id
from service.card_file_routes import add_card_file_routes
from service.storage import StorageUnavailable
from service.storage.local import LocalStorage
from service.storage.s3 import CACHE_CONTROL, S3Storage
from tests.conftest import free_port


def tiny_png() -> bytes:
    """A valid 1x1 RGB PNG (no imaging library needed)."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x80\x00")) + chunk(b"IEND", b""))


PNG = tiny_png()


async def fetch(url: str) -> tuple[int, str, bytes]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.content_type, await response.read()


@pytest.fixture
async def local_backend(tmp_path):
    """LocalStorage on tmp_path, its URLs served by the app's own /cards/{id}.png handler."""
    storage = LocalStorage(tmp_path / "cards", "http://placeholder")
    app = web.Application()
    app[keys.STORAGE] = storage
    add_card_file_routes(app.router)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    storage.base_url = f"http://127.0.0.1:{runner.addresses[0][1]}/cards"
    yield storage
    await runner.cleanup()


@pytest.fixture
async def s3_backend(s3_bucket):
    """S3Storage on a fresh moto bucket, objects public-read so plain URLs are fetchable."""
    storage = S3Storage.from_settings(Settings(storage=f"s3://{s3_bucket}/cards", s3_acl="public-read"))
    yield storage
    await storage.close()


@pytest.fixture(params=["local", "s3"])
def backend(request):
    return request.getfixturevalue(f"{request.param}_backend")


async def test_put_then_get_record(backend):
    card_id, record = random_card_id(), orjson.dumps({"recipe": {"hairColor": "cocoa"}, "name": "준성맛 쿠키"})
    await backend.put(card_id, PNG, record)
    assert await backend.get_record(card_id) == record


async def test_unknown_card_has_no_record(backend):
    assert await backend.get_record(random_card_id()) is None
    assert await backend.get_record("../../etc/passwd") is None


async def test_url_serves_exactly_the_png(backend):
    card_id = random_card_id()
    await backend.put(card_id, PNG, b"{}")
    status, content_type, body = await fetch(await backend.url(card_id))
    assert (status, content_type, body) == (200, "image/png", PNG)


async def test_variants_are_stored_beside_the_png_with_their_types(backend):
    card_id = random_card_id()
    files = {"webp": b"RIFF....WEBPVP8 fake", "og": b"\xff\xd8\xff og", "thumb": b"\xff\xd8\xff thumb"}
    await backend.put(card_id, PNG, b"{}", list(files.items()))
    for name, data in files.items():
        url = await backend.url(card_id, name)
        assert url.endswith(f"{card_id}{FILES[name].suffix}")
        assert await fetch(url) == (200, FILES[name].content_type, data)
    assert await fetch(await backend.url(card_id)) == (200, "image/png", PNG)
    assert not backend.urls_expire


async def test_check_passes(backend):
    await backend.check()


async def test_s3_objects_and_headers(s3_backend, s3_client, s3_bucket):
    card_id = random_card_id()
    await s3_backend.put(card_id, PNG, b'{"id": 1}')
    head = await s3_client.head_object(Bucket=s3_bucket, Key=f"cards/{card_id}.png")
    assert head["ContentType"] == "image/png"
    assert head["CacheControl"] == CACHE_CONTROL == "public, max-age=31536000, immutable"
    head = await s3_client.head_object(Bucket=s3_bucket, Key=f"cards/{card_id}.json")
    assert head["ContentType"] == "application/json"


async def test_s3_objects_read_back_over_http_as_sent(s3_backend, s3_client, s3_bucket):
    """What the client settings chosen for CPU (no parameter validation, checksums only when
    required, bodies sent as bytes without Expect: 100-continue) must not change: every byte
    arrives (moto's ETag is the MD5 of what it received), with its type, cache header and ACL."""
    sent: list[dict] = []
    client = await s3_backend.client()
    client.meta.events.register("before-send.s3.PutObject",
                                lambda request, **_: sent.append({**request.headers, "body": request.body}))
    card_id, record = random_card_id(), b'{"id": "card", "request": "private"}'
    png, og = PNG + bytes(range(256)) * 800, b"\xff\xd8\xff" + bytes(range(255, -1, -1)) * 300  # bigger than 64 KiB
    await s3_backend.put(card_id, png, record, [("og", og)])
    for key, data, content_type in [(f"cards/{card_id}.png", png, "image/png"),
                                    (f"cards/{card_id}.og.jpg", og, "image/jpeg")]:
        url = f"{s3_client.meta.endpoint_url}/{s3_bucket}/{key}"
        async with aiohttp.ClientSession() as session, session.get(url) as got:
            assert got.status == 200 and await got.read() == data  # anonymous: public-read
            assert got.headers["Content-Type"] == content_type
            assert got.headers["Cache-Control"] == CACHE_CONTROL
            assert got.headers["ETag"] == f'"{hashlib.md5(data).hexdigest()}"'
    head = await s3_client.head_object(Bucket=s3_bucket, Key=f"cards/{card_id}.json")
    assert (head["ContentType"], head["ETag"]) == ("application/json", f'"{hashlib.md5(record).hexdigest()}"')
    assert (await fetch(f"{s3_client.meta.endpoint_url}/{s3_bucket}/cards/{card_id}.json"))[0] == 403  # private
    assert len(sent) == 3
    for request in sent:
        assert "Expect" not in request and isinstance(request["body"], bytes)
        assert request["X-Amz-Content-SHA256"] == hashlib.sha256(request["body"]).hexdigest().encode()


async def test_s3_private_objects_need_a_presigned_url(s3_bucket):
    private = S3Storage(s3_bucket, "private")
    presigned = S3Storage(s3_bucket, "private", presign_seconds=60)
    try:
        card_id = random_card_id()
        await private.put(card_id, PNG, b"{}")
        plain = await private.url(card_id)
        assert plain.endswith(f"/{s3_bucket}/private/{card_id}.png")
        assert (await fetch(plain))[0] == 403  # no ACL, no CDN: not fetchable anonymously
        signed = await presigned.url(card_id)
        assert "X-Amz-Expires=60" in signed
        assert presigned.urls_expire and not private.urls_expire
        assert await fetch(signed) == (200, "image/png", PNG)
    finally:
        await private.close()
        await presigned.close()


def test_s3_settings_and_cdn_url_mapping():
    storage = S3Storage.from_settings(Settings(storage="s3://bkt/a/b/", public_base_url="https://cdn.example.com/"))
    assert (storage.bucket, storage.prefix) == ("bkt", "a/b")
    card_id = random_card_id()
    assert storage.key(card_id, ".json") == f"a/b/{card_id}.json"
    assert S3Storage.from_settings(Settings(storage="s3://bkt")).key(card_id, ".png") == f"{card_id}.png"


async def test_s3_cdn_url_is_base_plus_object_key():
    storage = S3Storage("bkt", "cards", public_base_url="https://cdn.example.com/")
    card_id = random_card_id()
    assert await storage.url(card_id) == f"https://cdn.example.com/cards/{card_id}.png"
    await storage.close()


async def test_s3_unreachable_fails_within_the_deadline(aws_env, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    storage = S3Storage.from_settings(Settings(storage="s3://bkt/cards", storage_deadline=1.0))
    try:
        for operation in (lambda: storage.put(random_card_id(), PNG, b"{}"), storage.check,
                          lambda: storage.get_record(random_card_id())):
            started = time.monotonic()
            with pytest.raises(StorageUnavailable) as failure:
                await operation()
            assert time.monotonic() - started < 1.0 + 0.5
            assert failure.value.status == 503 and failure.value.retry_after
    finally:
        await storage.close()
