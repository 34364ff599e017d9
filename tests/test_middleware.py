"""The request middlewares (service/middleware.py) around small handlers, in process: every
failure answered in the JSON error shape with its typed status, and counted."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from service import keys
from service.metrics import Metrics
from service.middleware import deadline, errors, observe
from service.render.pool import Overloaded

REQUEST_TIMEOUT = 0.3


async def slow(request: web.Request) -> web.Response:
    await request.read()
    await asyncio.sleep(REQUEST_TIMEOUT * 10)
    return web.Response()


async def broken(request: web.Request) -> web.Response:
    raise KeyError("a bug")


async def overloaded(request: web.Request) -> web.Response:
    raise Overloaded("The service is at capacity; please retry in a moment.", retry_after=2.2)


@pytest.fixture
async def client():
    app = web.Application(middlewares=[observe, errors, deadline])
    app[keys.SETTINGS] = SimpleNamespace(request_timeout=REQUEST_TIMEOUT, log_requests=False)
    app[keys.METRICS] = Metrics()
    app.router.add_post("/slow", slow)
    app.router.add_get("/broken", broken)
    app.router.add_get("/overloaded", overloaded)
    async with TestClient(TestServer(app)) as client:
        yield client


def count(client: TestClient, name: str, **labels: str) -> float:
    return client.app[keys.METRICS].registry.get_sample_value(name, labels) or 0.0


async def test_a_request_past_its_deadline_with_its_body_read_is_a_503_to_retry(client) -> None:
    response = await client.post("/slow", data=b"{}")
    assert response.status == 503 and response.headers["Retry-After"] == "1"
    error = (await response.json())["error"]
    assert error == {"code": "timeout", "message": "The request took too long; please retry."}
    assert len(response.headers["X-Request-Id"]) == 32
    assert count(client, "citizen_requests_total", route="/slow", status="503") == 1


async def test_a_wrong_method_is_a_405_that_names_the_allowed_ones(client) -> None:
    response = await client.get("/slow")
    assert response.status == 405 and response.headers["Allow"] == "POST"
    assert (await response.json())["error"]["code"] == "method_not_allowed"
    response = await client.get("/nowhere")
    assert response.status == 404 and (await response.json())["error"]["code"] == "not_found"
    assert count(client, "citizen_requests_total", route="unmatched", status="404") == 1


async def test_a_bug_is_a_logged_500_naming_the_request_id(client, caplog) -> None:
    with caplog.at_level(logging.ERROR, logger="citizen_card"):
        response = await client.get("/broken")
    request_id = response.headers["X-Request-Id"]
    assert response.status == 500
    assert (await response.json())["error"] == {
        "code": "internal_error", "message": f"Something went wrong on our side; request id {request_id}."}
    assert request_id in caplog.text and "KeyError: 'a bug'" in caplog.text


async def test_a_shed_request_is_counted_as_shed(client) -> None:
    response = await client.get("/overloaded")
    assert response.status == 503 and response.headers["Retry-After"] == "3"
    assert (await response.json())["error"]["code"] == "overloaded"
    assert count(client, "citizen_shed_total") == 1
