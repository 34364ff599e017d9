"""CORS (CITIZEN_CORS_ORIGINS) over HTTP on a real server; the browser side is in tests/test_browser.py."""

from __future__ import annotations

import aiohttp
import pytest

from service.config import Settings, SettingsError

GAME = "http://game.example:8000"
PREFLIGHT = {"Origin": GAME, "Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "content-type, idempotency-key"}


async def test_preflight_and_answers_for_a_listed_origin(app_server):
    server = await app_server(env={"CITIZEN_CORS_ORIGINS": f"{GAME}, https://other.example"})
    async with aiohttp.ClientSession() as session:
        async with session.options(server.url + "/citizen-card", headers=PREFLIGHT) as response:
            assert response.status == 204
            assert response.headers["Access-Control-Allow-Origin"] == GAME
            assert "POST" in response.headers["Access-Control-Allow-Methods"]
            allowed = {h.strip() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
            assert {"content-type", "idempotency-key"} <= allowed
            assert int(response.headers["Access-Control-Max-Age"]) > 0
        body = {"nameOnCard": "Cross Cookie", "language": "en"}
        async with session.post(server.url + "/citizen-card", json=body, headers={"Origin": GAME}) as response:
            assert response.status == 201
            assert response.headers["Access-Control-Allow-Origin"] == GAME
            assert "X-Request-Id" in response.headers["Access-Control-Expose-Headers"]
            assert "Origin" in response.headers.getall("Vary")
            card = await response.json()
        async with session.get(f"{server.url}/citizen-card/{card['id']}", headers={"Origin": GAME}) as response:
            assert response.status == 200 and response.headers["Access-Control-Allow-Origin"] == GAME
        # errors too, so a game page can show the 422's message
        async with session.post(server.url + "/citizen-card", json={**body, "language": "fr"},
                                headers={"Origin": GAME}) as response:
            assert response.status == 422 and response.headers["Access-Control-Allow-Origin"] == GAME


@pytest.mark.parametrize("env", [{}, {"CITIZEN_CORS_ORIGINS": "https://other.example"}])
async def test_other_origins_get_no_cors_headers(app_server, env):
    server = await app_server(env=env)  # the default allow-list is empty
    async with aiohttp.ClientSession() as session:
        async with session.options(server.url + "/citizen-card", headers=PREFLIGHT) as response:
            assert response.status == 403 and response.content_type == "application/json"
            assert (await response.json())["error"]["code"] == "cors_refused"
            assert "Access-Control-Allow-Origin" not in response.headers
        async with session.post(server.url + "/citizen-card", json={"nameOnCard": "Same Origin", "language": "en"},
                                headers={"Origin": GAME}) as response:
            assert response.status == 201  # the server answers; the browser keeps it from the page
            assert "Access-Control-Allow-Origin" not in response.headers


def test_origins_must_be_origins():
    with pytest.raises(SettingsError, match="no path"):
        Settings(cors_origins=("https://game.example/page",))
    assert Settings(cors_origins=("*", "http://127.0.0.1:3000")).cors_origins
