"""The real app storing cards in S3 (a moto server process): alone, in process, and as two
instances, two server processes sharing the bucket."""

from __future__ import annotations

import re

import aiohttp
import orjson
import pytest

CARD = {"nameOnCard": "준성맛 쿠키", "language": "ko"}


@pytest.fixture
def s3_env(aws_env: dict[str, str], s3_bucket: str) -> dict[str, str]:
    return {**aws_env, "CITIZEN_STORAGE": f"s3://{s3_bucket}/cards", "CITIZEN_S3_ACL": "public-read",
            "CITIZEN_IDEMPOTENCY_SECRET": "shared-by-all-instances"}


async def post(url: str, body: dict, key: str | None = None) -> tuple[int, dict, dict]:
    headers = {"Idempotency-Key": key} if key else {}
    async with aiohttp.ClientSession() as session, \
            session.post(f"{url}/citizen-card", json=body, headers=headers) as response:
        return response.status, dict(response.headers), orjson.loads(await response.read())


async def fetch(url: str) -> tuple[int, str, bytes]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.content_type, await response.read()


async def test_card_is_stored_in_s3(app_server, s3_env, s3_client, s3_bucket):
    server = await app_server(env=s3_env, workers=1)
    status, _, card = await post(server.url, CARD)
    assert status == 201, card
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", card["id"])
    key = f"cards/{card['id']}"
    assert card["url"].endswith(f"/{s3_bucket}/{key}.png")

    status, content_type, png = await fetch(card["url"])  # fetchable the moment we got the 201
    assert (status, content_type) == (200, "image/png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")

    stored = await s3_client.get_object(Bucket=s3_bucket, Key=f"{key}.png")
    async with stored["Body"] as body:
        assert await body.read() == png
    assert stored["ContentType"] == "image/png"
    assert stored["CacheControl"] == "public, max-age=31536000, immutable"

    record = await s3_client.get_object(Bucket=s3_bucket, Key=f"{key}.json")
    async with record["Body"] as body:
        record = orjson.loads(await body.read())
    assert record["id"] == card["id"] and record["recipe"] == card["recipe"]


async def test_idempotency_key_works_across_instances(start_server, s3_env):
    a = start_server(env=s3_env, workers=1)
    b = start_server(env=s3_env, workers=1)  # its own idempotency cache: only the bucket is shared

    status, _, first = await post(a.url, CARD, key="campaign-42")
    assert status == 201, first
    status, headers, again = await post(b.url, CARD, key="campaign-42")
    assert status == 201, again
    assert headers.get("Idempotent-Replayed") == "true"
    assert (again["id"], again["url"], again["recipe"]) == (first["id"], first["url"], first["recipe"])
    assert (await fetch(first["url"]))[2] == (await fetch(again["url"]))[2]

    status, _, reused = await post(b.url, {**CARD, "nameOnCard": "Gingerbrave"}, key="campaign-42")
    assert status == 422
    assert reused["error"]["code"] == "idempotency_key_reused"


async def test_presigned_urls_never_reach_the_share_page(app_server, aws_env, s3_bucket):
    """Previews are fetched hours later: the page links stable addresses that redirect to fresh signatures."""
    env = {**aws_env, "CITIZEN_STORAGE": f"s3://{s3_bucket}/cards", "CITIZEN_S3_PRESIGN_SECONDS": "60",
           "CITIZEN_VARIANTS": "og"}
    server = await app_server(env=env, workers=1)
    status, _, card = await post(server.url, CARD)
    assert status == 201, card
    assert "X-Amz-Signature" in card["urls"]["og"]  # the API answers presigned URLs (used at once)
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{server.url}/c/{card['id']}") as response:
            page = await response.text()
        assert response.status == 200
        assert "X-Amz" not in page and "Signature" not in page
        og = re.search(r'<meta property="og:image" content="([^"]+)"', page).group(1)
        assert og == f"{server.url}/c/{card['id']}/og"
        assert re.search(r'<meta name="twitter:image" content="([^"]+)"', page).group(1) == og
        async with session.get(og, allow_redirects=False) as response:
            assert response.status == 302 and "X-Amz-Expires=60" in response.headers["Location"]
        async with session.get(og) as response:  # followed: the social image itself
            assert response.status == 200 and response.content_type == "image/jpeg"
        async with session.get(f"{server.url}/citizen-card/{card['id']}") as response:
            assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
            assert (await response.json())["id"] == card["id"]
