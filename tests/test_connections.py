"""The edges a hostile tester found (issue 17 item 4), against a real server over raw sockets.

Timeouts are configured short (1-2 s) so each test takes seconds; the defaults (10 s
headers, 5 s body, 75 s keep-alive) are the same code with other numbers.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time

import aiohttp
import pytest
from multidict import CIMultiDict

from tests.conftest import ROOT, Server, listening_line, wait_http

CARD = {"nameOnCard": "Gingerbrave", "language": "en"}
SHORT = {"CITIZEN_HEADER_TIMEOUT": "1", "CITIZEN_BODY_TIMEOUT": "1", "CITIZEN_KEEPALIVE_TIMEOUT": "2"}


@pytest.fixture
def server(start_server):
    """A server of the test's own (tests that count metrics or read the log)."""
    return start_server(env=SHORT, workers=1)


@pytest.fixture(scope="module")
def shared(atlas_dir, tmp_path_factory):
    """One server for the stateless checks of this module."""
    tmp = tmp_path_factory.mktemp("shared")
    env = {**os.environ, **SHORT, "CITIZEN_RATE_LIMIT": "0", "CITIZEN_STORAGE": f"file://{tmp}/cards",
           "CITIZEN_IDEMPOTENCY_DIR": str(tmp / "idem")}
    log = tmp / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", "0", "--atlas",
                                 str(atlas_dir), "--workers", "1"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    server = Server("", proc, log)
    try:
        server.url = listening_line(log, proc)["url"]
        wait_http(server.url + "/readyz", proc=proc)
        yield server
    finally:
        server.stop()


def address(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").split(":")
    return host, int(port)


async def read_answer(reader: asyncio.StreamReader, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    """One HTTP answer: (status, headers with lower-case names, body)."""
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    body = await asyncio.wait_for(reader.readexactly(int(headers.get("content-length", 0))), timeout)
    return int(lines[0].split()[1]), headers, body


async def closed_after(reader: asyncio.StreamReader, timeout: float) -> float:
    """Seconds until the server closes the connection (reading and dropping anything it sends)."""
    t0 = time.monotonic()
    try:
        while await asyncio.wait_for(reader.read(4096), timeout):
            pass
    except ConnectionResetError:
        pass
    return time.monotonic() - t0


async def metric(url: str, name: str) -> float:
    async with aiohttp.ClientSession() as session, session.get(url + "/metrics") as response:
        text = await response.text()
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    return float(found.group(1)) if found else 0.0


# --- timeouts -----------------------------------------------------------------------------

async def test_silent_trickling_and_idle_connections_are_closed(server):
    host, port = address(server.url)
    silent_r, silent_w = await asyncio.open_connection(host, port)
    trickle_r, trickle_w = await asyncio.open_connection(host, port)
    idle_r, idle_w = await asyncio.open_connection(host, port)

    async def drip() -> None:  # one header byte every 0.3 s: never a whole request within 1 s
        try:
            for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n":
                trickle_w.write(bytes([byte]))
                await trickle_w.drain()
                await asyncio.sleep(0.3)
        except ConnectionError:
            pass

    dripping = asyncio.create_task(drip())
    idle_w.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")  # one request, then idle keep-alive
    assert (await read_answer(idle_r))[0] == 200

    silent, (status, headers, body), idle = await asyncio.gather(
        closed_after(silent_r, 10), read_answer(trickle_r), closed_after(idle_r, 10))
    dripping.cancel()
    for writer in (silent_w, trickle_w, idle_w):
        writer.close()
    assert 0.8 <= silent <= 2.0  # CITIZEN_HEADER_TIMEOUT=1: closed quietly (it never said anything)
    assert status == 408 and json.loads(body)["error"]["code"] == "header_timeout"
    assert headers["connection"] == "close" and headers["x-request-id"]
    assert 1.5 <= idle <= 3.5  # CITIZEN_KEEPALIVE_TIMEOUT=2 (aiohttp's default is an hour)
    assert await metric(server.url, 'citizen_connections_closed_total{reason="header_timeout"}') == 2


async def test_the_next_request_on_a_kept_alive_connection_has_the_header_timeout_too(shared):
    reader, writer = await asyncio.open_connection(*address(shared.url))
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    assert (await read_answer(reader))[0] == 200
    await asyncio.sleep(0.5)  # idle, within the keep-alive timeout
    writer.write(b"GET /hea")  # then a request that never completes
    t0 = time.monotonic()
    status, headers, body = await read_answer(reader)
    writer.close()
    assert status == 408 and json.loads(body)["error"]["code"] == "header_timeout"
    assert 0.8 <= time.monotonic() - t0 <= 2.0


async def test_a_body_that_stalls_gets_408(server):
    reader, writer = await asyncio.open_connection(*address(server.url))
    writer.write(b"POST /citizen-card HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 40\r\n\r\n{\"nameOnCard\"")
    t0 = time.monotonic()
    status, headers, body = await read_answer(reader)
    writer.close()
    assert status == 408 and json.loads(body)["error"]["code"] == "request_timeout"
    assert 0.8 <= time.monotonic() - t0 <= 2.5  # CITIZEN_BODY_TIMEOUT=1, not the 10 s request timeout


# --- connection cap -----------------------------------------------------------------------

async def test_connections_past_the_cap_get_a_clear_503(start_server):
    server = start_server(env={"CITIZEN_MAX_CONNECTIONS": "4"}, workers=1)
    host, port = address(server.url)
    held = [await asyncio.open_connection(host, port) for _ in range(4)]
    await asyncio.sleep(0.2)
    reader, writer = await asyncio.open_connection(host, port)
    status, headers, body = await read_answer(reader, timeout=2)  # answered before it asks anything
    writer.close()
    assert status == 503 and headers["retry-after"] == "1" and headers["connection"] == "close"
    assert json.loads(body)["error"]["code"] == "too_many_connections"
    for _, held_writer in held:
        held_writer.close()
    await asyncio.sleep(0.3)
    async with aiohttp.ClientSession() as session, session.get(server.url + "/healthz") as response:
        assert response.status == 200  # room again once they are gone
    assert await metric(server.url, 'citizen_connections_closed_total{reason="over_capacity"}') == 1
    assert "connections_over_capacity" in server.log_text()


# --- bodies -------------------------------------------------------------------------------

async def test_oversized_content_length_gets_413_at_once_and_no_100_continue(server):
    reader, writer = await asyncio.open_connection(*address(server.url))
    t0 = time.monotonic()
    writer.write(b"POST /citizen-card HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 1000000\r\nExpect: 100-continue\r\n\r\n")
    status, headers, body = await read_answer(reader)
    assert time.monotonic() - t0 < 0.5
    writer.close()
    assert status == 413 and json.loads(body)["error"]["code"] == "body_too_large"
    assert headers["connection"] == "close"

    # Within the limit, Expect: 100-continue gets its 100 and then the card.
    payload = json.dumps(CARD).encode()
    reader, writer = await asyncio.open_connection(*address(server.url))
    writer.write(b"POST /citizen-card HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: %d\r\nExpect: 100-continue\r\n\r\n" % len(payload))
    assert await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5) == b"HTTP/1.1 100 Continue\r\n\r\n"
    writer.write(payload)
    assert (await read_answer(reader))[0] == 201
    writer.close()


async def test_a_client_that_leaves_mid_body_is_a_499_not_a_500(server):
    reader, writer = await asyncio.open_connection(*address(server.url))
    writer.write(b"POST /citizen-card HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 100\r\n\r\n{\"nameOnCard\": ")
    await writer.drain()
    await asyncio.sleep(0.3)
    writer.close()
    await asyncio.sleep(0.5)
    assert await metric(server.url, 'citizen_requests_total{route="/citizen-card",status="499"}') == 1
    assert await metric(server.url, 'citizen_requests_total{route="/citizen-card",status="500"}') == 0
    log = server.log_text()
    assert '"status":499' in log and "Traceback" not in log


async def test_deep_json_is_a_400_never_a_500(shared):
    async with aiohttp.ClientSession() as session:
        for depth in (1024, 1025, 2000):
            async with session.post(shared.url + "/citizen-card", data=b"[" * depth,
                                    headers={"Content-Type": "application/json"}) as response:
                body = await response.json()
                assert response.status in (400, 422), (depth, body)
                assert body["error"]["code"] in ("malformed_json", "invalid_body"), body
    assert "Traceback" not in shared.log_text()


@pytest.mark.parametrize("encoding", ["br", "gzip", "zstd", "x-unknown"])
async def test_a_content_encoding_is_a_json_415(shared, encoding):
    async with aiohttp.ClientSession(auto_decompress=False) as session:
        async with session.post(shared.url + "/citizen-card", data=json.dumps(CARD).encode(),
                                headers={"Content-Type": "application/json", "Content-Encoding": encoding}) as response:
            assert response.status == 415 and response.content_type == "application/json"
            assert (await response.json())["error"]["code"] == "unsupported_content_encoding"


async def test_two_idempotency_keys_are_a_400(shared):
    async with aiohttp.ClientSession() as session:
        headers = [("Content-Type", "application/json"), ("Idempotency-Key", "one"), ("Idempotency-Key", "two")]
        async with session.post(shared.url + "/citizen-card", data=json.dumps(CARD).encode(),
                                headers=CIMultiDict(headers)) as response:
            body = await response.json()
            assert response.status == 400, body
            assert body["error"] == {"code": "duplicate_idempotency_key", "field": "Idempotency-Key",
                                     "message": "Send one Idempotency-Key header, not several."}


# --- protocol errors, Server header ---------------------------------------------------------

@pytest.mark.parametrize("request_bytes", [
    b"GARBAGE\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    b"POST /citizen-card HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
    b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
])
async def test_protocol_errors_are_json_with_a_request_id(shared, request_bytes):
    reader, writer = await asyncio.open_connection(*address(shared.url))
    writer.write(request_bytes)
    status, headers, body = await read_answer(reader)
    writer.close()
    assert status == 400 and headers["content-type"] == "application/json"
    error = json.loads(body)["error"]
    assert error["code"] == "malformed_request" and error["message"]
    request_id = headers["x-request-id"]
    assert headers["server"] == "citizen-card"
    await asyncio.sleep(0.1)
    log = shared.log_text()
    assert request_id in log and "Traceback" not in log


async def test_the_server_header_names_no_version(shared):
    async with aiohttp.ClientSession() as session:
        for path in ("/healthz", "/", "/nope", "/metrics", "/openapi.json"):
            async with session.get(shared.url + path) as response:
                assert response.headers["Server"] == "citizen-card", path


# --- /metrics on its own address ------------------------------------------------------------

async def test_metrics_can_be_served_on_a_separate_address(start_server):
    server = start_server(env={"CITIZEN_METRICS_ADDRESS": "127.0.0.1:0"}, workers=1)  # any free port
    port = address(listening_line(server.log, server.proc)["metrics"].removesuffix("/metrics"))[1]
    async with aiohttp.ClientSession() as session:
        async with session.get(server.url + "/metrics") as response:
            assert response.status == 404  # not on the public port
        async with session.get(f"http://127.0.0.1:{port}/metrics") as response:
            assert response.status == 200 and "citizen_requests_total" in await response.text()
        async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert response.status == 200  # for the liveness probe, even when the public port is full
        async with session.get(f"http://127.0.0.1:{port}/readyz") as response:
            assert response.status == 404  # and nothing else
    assert f'"metrics":"http://127.0.0.1:{port}/metrics"' in server.log_text()
    assert server.stop() == 0  # both listeners close on SIGTERM



def test_deploy_keeps_metrics_off_the_public_port():
    """nginx answers /metrics itself (404); compose and k8s serve it on a port of its own that
    neither nginx nor the Service exposes, and the pod template says where to scrape."""
    import yaml

    deploy = ROOT / "deploy"
    nginx = (deploy / "nginx.conf").read_text()
    assert re.search(r"location = /metrics \{\s*default_type application/json;\s*return 404 ", nginx)
    compose = yaml.safe_load((deploy / "compose.yaml").read_text())
    assert compose["services"]["citizen-card"]["environment"]["CITIZEN_METRICS_ADDRESS"] == "0.0.0.0:9090"
    assert "ports" not in compose["services"]["citizen-card"]
    docs = {doc["kind"]: doc for path in sorted((deploy / "k8s").glob("*.yaml"))
            for doc in yaml.safe_load_all(path.read_text())}
    port = int(docs["ConfigMap"]["data"]["CITIZEN_METRICS_ADDRESS"].rpartition(":")[2])
    pod = docs["Deployment"]["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    assert {"name": "metrics", "containerPort": port, "protocol": "TCP"} in container["ports"]
    assert pod["metadata"]["annotations"]["prometheus.io/port"] == str(port)
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "metrics"}
    assert [p["targetPort"] for p in docs["Service"]["spec"]["ports"]] == ["http"]
