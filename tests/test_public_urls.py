"""The URLs we hand out (issue 17 item 4): share pages never reflect the Host header when
CITIZEN_PUBLIC_BASE_URL is set, take the scheme from a trusted proxy, and the server warns
at start when the card URLs it will return cannot be fetched."""

from __future__ import annotations

import re

import aiohttp
import pytest

from service.config import Settings


async def mint(session: aiohttp.ClientSession, url: str) -> dict:
    async with session.post(url + "/citizen-card", json={"nameOnCard": "Crumb", "language": "en"}) as response:
        assert response.status == 201
        return await response.json()


async def share_page(session: aiohttp.ClientSession, url: str, card_id: str, headers: dict[str, str]) -> str:
    async with session.get(f"{url}/c/{card_id}", headers=headers) as response:
        assert response.status == 200
        return await response.text()


def og_url(page: str) -> str:
    return re.search(r'<meta property="og:url" content="([^"]*)"', page).group(1)


async def test_a_configured_base_url_is_used_and_the_host_header_never_reflected(app_server):
    server = await app_server(env={"CITIZEN_PUBLIC_BASE_URL": "https://cards.example.com",
                               "CITIZEN_TRUSTED_PROXIES": "127.0.0.1/32"}, workers=1)
    async with aiohttp.ClientSession() as session:
        card = await mint(session, server.url)
        assert card["url"] == f"https://cards.example.com/cards/{card['id']}.png"
        page = await share_page(session, server.url, card["id"],
                                {"Host": "evil.example", "X-Forwarded-Host": "evil.example",
                                 "X-Forwarded-Proto": "http"})
    assert og_url(page) == f"https://cards.example.com/c/{card['id']}"
    assert f'<link rel="canonical" href="https://cards.example.com/c/{card["id"]}">' in page
    assert "evil.example" not in page


async def test_without_a_base_url_the_scheme_comes_from_a_trusted_proxy_only(app_server):
    trusting = await app_server(env={"CITIZEN_TRUSTED_PROXIES": "127.0.0.1/32"}, workers=1)
    direct = await app_server(workers=1)
    headers = {"Host": "cards.example.org", "X-Forwarded-Proto": "https"}
    async with aiohttp.ClientSession() as session:
        card = await mint(session, trusting.url)
        behind_tls = og_url(await share_page(session, trusting.url, card["id"], headers))
        card = await mint(session, direct.url)
        forged = og_url(await share_page(session, direct.url, card["id"], headers))
    assert behind_tls.startswith("https://cards.example.org/c/")
    assert forged.startswith("http://cards.example.org/c/")  # X-Forwarded-Proto from anyone else: ignored


@pytest.mark.parametrize(("settings", "expected"), [
    (Settings(host="127.0.0.1"), []),
    (Settings(host="0.0.0.0"), ["http://0.0.0.0:8080/cards/<id>.png", "Host header"]),
    (Settings(host="::"), ["http://:::8080/cards/<id>.png", "Host header"]),
    (Settings(host="0.0.0.0", public_base_url="https://cards.example.com"), []),
    (Settings(storage="s3://bucket/cards"), ["403"]),
    (Settings(storage="s3://bucket/cards", s3_acl="public-read"), []),
    (Settings(storage="s3://bucket/cards", s3_presign_seconds=3600), []),
    (Settings(storage="s3://bucket/cards", public_base_url="https://cdn.example.com"), []),
    (Settings(host="10.0.0.5"), ["Host header"]),
])
def test_unfetchable_url_reasons(settings, expected):
    reasons = settings.unfetchable_url_reasons()
    assert len(reasons) == len(expected), reasons
    for reason, words in zip(reasons, expected):
        assert words in reason and "CITIZEN_PUBLIC_BASE_URL" in reason


async def test_the_server_warns_at_start_about_private_s3_urls(start_server, aws_env, s3_bucket):
    server = start_server(env={"CITIZEN_STORAGE": f"s3://{s3_bucket}/cards"}, workers=1)
    assert server.log_text().count('"event":"urls_not_fetchable"') == 1
    assert "answer 403 to anyone" in server.log_text()
