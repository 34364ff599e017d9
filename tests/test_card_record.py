"""Issue 16 on a real server with local storage: variant URLs, GET /citizen-card/{id},
and /cards/{id} negotiated by Accept."""

from __future__ import annotations

import datetime as dt
import io

import aiohttp
import pytest
from PIL import Image

from service.card_files import FILES

NAME = {"nameOnCard": "준성맛 쿠키", "language": "ko", "seed": 11}


async def mint(session: aiohttp.ClientSession, url: str, body: dict = NAME) -> dict:
    async with session.post(url + "/citizen-card", json=body) as response:
        card = await response.json()
        assert response.status == 201, card
        return card


async def test_every_stored_file_and_the_record_by_id(app_server):
    server = await app_server(env={"CITIZEN_VARIANTS": "og,thumb,webp"})
    async with aiohttp.ClientSession() as session:
        card = await mint(session, server.url)
        assert set(card["urls"]) == {"png", "og", "thumb", "webp"} and card["url"] == card["urls"]["png"]
        created = dt.datetime.fromisoformat(card["createdAt"].replace("Z", "+00:00"))
        assert abs((dt.datetime.now(dt.timezone.utc) - created).total_seconds()) < 60
        formats = {"image/png": "PNG", "image/webp": "WEBP", "image/jpeg": "JPEG"}
        sizes = {}
        for name, url in card["urls"].items():
            async with session.get(url) as response:
                assert response.status == 200, name
                assert response.headers["Content-Type"] == FILES[name].content_type
                assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
                data = await response.read()
            sizes[name] = len(data)
            with Image.open(io.BytesIO(data)) as image:
                assert image.format == formats[FILES[name].content_type]
                assert image.size == (FILES[name].width, FILES[name].height)
        assert sizes["webp"] < sizes["png"] / 2  # the point of WebP: a third of the bytes, about

        async with session.get(f"{server.url}/citizen-card/{card['id']}") as response:
            assert response.status == 200 and response.content_type == "application/json"
            record = await response.json()
        assert record == card  # the same card the POST answered, read back from storage
        assert set(record) >= {"id", "urls", "language", "seed", "atlasVersion", "recipe", "altText", "createdAt"}


@pytest.mark.parametrize("card_id", ["AAAAAAAAAAAAAAAAAAAAAA", "nope", "..%2F..%2Fetc%2Fpasswd"])
async def test_unknown_card_id_is_a_json_404(app_server, card_id):
    server = await app_server()
    async with aiohttp.ClientSession() as session, \
            session.get(f"{server.url}/citizen-card/{card_id}") as response:
        assert response.status == 404 and response.content_type == "application/json"
        body = await response.json()
        assert body["error"]["code"] == "card_not_found" and body["error"]["field"] == "id"


async def test_cards_path_negotiates_by_accept(app_server):
    server = await app_server(env={"CITIZEN_VARIANTS": "webp"})
    async with aiohttp.ClientSession() as session:
        card = await mint(session, server.url)
        url = f"{server.url}/cards/{card['id']}"
        for accept, expected in (
                ("image/avif,image/webp,image/apng,image/*,*/*;q=0.8", "image/webp"),  # Chromium's img Accept
                ("image/webp;q=0, image/png", "image/png"),
                ("image/*", "image/png"),  # WebP only to clients that name it
                ("", "image/png")):
            async with session.get(url, headers={"Accept": accept}) as response:
                assert response.status == 200
                assert response.headers["Content-Type"] == expected, accept
                assert response.headers["Vary"] == "Accept"
                assert (await response.read())[:4] == (b"RIFF" if expected == "image/webp" else b"\x89PNG")
        async with session.get(f"{server.url}/cards/{'A' * 22}", headers={"Accept": "image/webp"}) as response:
            assert response.status == 404 and response.content_type == "application/json"


async def test_without_webp_the_negotiated_path_serves_the_png(app_server):
    server = await app_server(env={"CITIZEN_VARIANTS": ""})
    async with aiohttp.ClientSession() as session:
        card = await mint(session, server.url)
        assert card["urls"] == {"png": card["url"]}
        async with session.get(f"{server.url}/cards/{card['id']}", headers={"Accept": "image/webp"}) as response:
            assert response.status == 200 and response.headers["Content-Type"] == "image/png"
        async with session.get(f"{server.url}/cards/{card['id']}.webp") as response:
            assert response.status == 404
