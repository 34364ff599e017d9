"""Rate limiting that counts what costs (issue 17 item 5): service/ratelimit.py on its own,
then against a real server."""

from __future__ import annotations

import json
import logging
import re

import aiohttp

from service.ratelimit import REQUEST_FACTOR, RateLimiter, TokenBucket, TrustedProxies

CARD = {"nameOnCard": "Gingerbrave", "language": "en"}


class FakeRequest:
    def __init__(self, remote: str, headers: dict[str, str] | None = None, scheme: str = "http") -> None:
        self.remote, self.headers, self.scheme = remote, headers or {}, scheme


# --- units ----------------------------------------------------------------------------------

def test_the_request_bucket_is_larger_than_the_render_bucket():
    limiter = RateLimiter(rate=0.001, burst=3)
    assert sum(limiter.render.acquire("a") == 0 for _ in range(10)) == 3
    assert sum(limiter.request.acquire("a") == 0 for _ in range(100)) == 3 * REQUEST_FACTOR
    assert limiter.render.acquire("b") == 0  # per client
    assert TokenBucket(rate=0, burst=1).acquire("a") == 0  # 0 disables


def test_forwarded_headers_count_only_from_trusted_proxies(caplog):
    seen = []
    proxies = TrustedProxies(("10.0.0.0/8",), on_untrusted_forward=lambda: seen.append(1))
    with caplog.at_level(logging.WARNING, logger="citizen_card"):
        for i in range(5):  # forged (or a proxy missing from the setting): ignored, counted, logged once
            assert proxies.client_ip(FakeRequest("203.0.113.9", {"X-Forwarded-For": f"198.51.100.{i}"})) == \
                "203.0.113.9"
    assert len(seen) == 5
    assert len([r for r in caplog.records if "untrusted_x_forwarded_for" in r.getMessage()]) == 1
    assert "203.0.113.9" in caplog.text
    trusted = FakeRequest("10.1.2.3", {"X-Forwarded-For": "198.51.100.7, 10.9.9.9", "X-Forwarded-Proto": "https"})
    assert proxies.client_ip(trusted) == "198.51.100.7" and proxies.scheme(trusted) == "https"
    assert len(seen) == 5  # a trusted proxy's header is no warning
    assert proxies.scheme(FakeRequest("203.0.113.9", {"X-Forwarded-Proto": "https"})) == "http"
    assert proxies.scheme(FakeRequest("10.1.2.3", {"X-Forwarded-Proto": "gopher"})) == "http"
    assert proxies.client_ip(FakeRequest("127.0.0.1")) == "127.0.0.1"  # no header: nothing to count
    assert len(seen) == 5


# --- a real server ----------------------------------------------------------------------------

async def post(session: aiohttp.ClientSession, url: str, body, headers: dict[str, str] | None = None,
               content_type: str = "application/json") -> tuple[int, dict]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with session.post(url + "/citizen-card", data=data,
                            headers={"Content-Type": content_type, **(headers or {})}) as response:
        return response.status, await response.json()


async def test_replays_and_refusals_spend_no_render_tokens(app_server):
    # 3 renders per client, and practically no refill during the test; requests: 15.
    server = await app_server(env={"CITIZEN_RATE_LIMIT": "0.001", "CITIZEN_RATE_BURST": "3"}, workers=1)
    url = server.url
    async with aiohttp.ClientSession() as session:
        first = await post(session, url, CARD, {"Idempotency-Key": "replay-me"})
        assert first[0] == 201
        for _ in range(3):  # replays: the stored card again, no render
            status, body = await post(session, url, CARD, {"Idempotency-Key": "replay-me"})
            assert (status, body["id"]) == (201, first[1]["id"])
        assert (await post(session, url, b"nameOnCard=x", content_type="text/plain"))[0] == 415
        assert (await post(session, url, {"nameOnCard": "", "language": "en"}))[0] == 422
        assert (await post(session, url, {"nameOnCard": "x", "language": "xx"}))[0] == 422
        assert (await post(session, url, b"{"))[0] == 400
        assert [(await post(session, url, CARD))[0] for _ in range(3)] == [201, 201, 429]  # 2 renders were left
        spent = 1 + 3 + 4 + 3
        # Cheap refusals are bounded too: the request bucket (5 x 3 = 15) runs out.
        statuses = [(await post(session, url, b"{"))[0] for _ in range(3 * REQUEST_FACTOR - spent + 2)]
        assert statuses[:3 * REQUEST_FACTOR - spent] == [400] * (3 * REQUEST_FACTOR - spent)
        status, body = await post(session, url, b"{")
        assert status == 429 and body["error"]["code"] == "rate_limited"


async def test_an_untrusted_x_forwarded_for_is_logged_once_and_counted(app_server):
    server = await app_server()  # no CITIZEN_TRUSTED_PROXIES: the peer 127.0.0.1 is not a trusted proxy
    async with aiohttp.ClientSession() as session:
        for i in range(4):
            status, _ = await post(session, server.url, CARD, {"X-Forwarded-For": f"198.51.100.{i}"})
            assert status == 201
        async with session.get(server.url + "/metrics") as response:
            metrics = await response.text()
    assert re.search(r"^citizen_untrusted_forwarded_total 4\.0$", metrics, re.M), metrics
    assert server.log_text().count("untrusted_x_forwarded_for") == 1


async def test_a_proxy_in_trusted_proxies_gives_each_client_its_bucket(app_server):
    server = await app_server(env={"CITIZEN_RATE_LIMIT": "0.001", "CITIZEN_RATE_BURST": "1",
                               "CITIZEN_TRUSTED_PROXIES": "127.0.0.1/32"}, workers=1)
    async with aiohttp.ClientSession() as session:
        statuses = [(await post(session, server.url, CARD, {"X-Forwarded-For": f"198.51.100.{i % 3}"}))[0]
                    for i in range(6)]
        async with session.get(server.url + "/metrics") as response:
            metrics = await response.text()
    assert statuses == [201, 201, 201, 429, 429, 429]
    assert not re.search(r"^citizen_untrusted_forwarded_total [1-9]", metrics, re.M)
    assert "untrusted_x_forwarded_for" not in server.log_text()
