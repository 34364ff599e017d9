"""Scale-out, proven locally: two instances, one S3 bucket (moto server), Debian's nginx in front.

nginx runs deploy/nginx.conf itself, with the compose host names swapped for loopback
ports and its files moved into tmp_path. Retries: `proxy_next_upstream error timeout
non_idempotent`: nginx re-sends a request only if its connection failed or was reset before
any answer. So a SIGTERM loses no request only if the instance drains correctly: it keeps
serving during CITIZEN_DRAIN_GRACE (readyz 503), then closes its listener (nginx's connect is
refused, or a connection still in the accept queue is reset, and the request goes to the
other instance: safe, the app never saw it) and finishes what it accepted.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import orjson
import pytest
from multidict import CIMultiDict

from tests.conftest import ROOT, Server, wait_http

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CARD = {"nameOnCard": "준성맛 쿠키", "language": "ko"}
LOG_FORMAT = 'log_format upstreams \'$request_method $uri $status upstream=$upstream_addr ' \
             'upstream_status=$upstream_status\';'


def nginx_conf(tmp: Path, port: int, upstreams: list[str], s3: str, bucket: str) -> str:
    """deploy/nginx.conf for this machine: every substitution must apply exactly once."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = "\n".join(f"        server {u} max_fails=1 fail_timeout=5s;" for u in upstreams)
    temp = "\n".join(f"    {kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                          "scgi"))
    for old, new in [
        ("worker_processes auto;", "worker_processes 1;"),
        ("error_log /dev/stderr warn;", f"error_log {tmp}/error.log info;"),
        ("pid /tmp/nginx.pid;", f"pid {tmp}/nginx.pid;"),
        ("    access_log /dev/stdout;", f"{temp}\n    {LOG_FORMAT}\n    access_log {tmp}/access.log upstreams;"),
        ("        server citizen-card:8080 max_fails=1 fail_timeout=5s;", servers),
        ("server minio:9000;", f"server {s3.removeprefix('http://')};"),
        ("listen 8080;", f"listen 127.0.0.1:{port};"),
        ("proxy_pass http://minio/cards/cards/$1.png;", f"proxy_pass http://minio/{bucket}/cards/$1.png;"),
    ]:
        assert conf.count(old) == 1, f"deploy/nginx.conf changed: {old!r} not found once"
        conf = conf.replace(old, new)
    if os.geteuid() == 0:  # workers would run as nobody and could not enter tmp_path
        conf = "user root;\n" + conf
    return conf


@dataclass
class Cluster:
    a: Server
    b: Server
    url: str  # nginx
    access_log: Path

    def served_by(self, request_id: str) -> Server:
        """The instance whose log has this request id."""
        (server,) = [s for s in (self.a, self.b) if f'"request_id":"{request_id}"' in s.log_text()]
        return server


def created(server: Server, after: str = "") -> int:
    """201s for POST /citizen-card in the server's log (after the first line containing `after`)."""
    text = server.log_text()
    if after:
        text = text[text.index(after):]
    return text.count('"path":"/citizen-card","status":201')


@pytest.fixture
def cluster(start_server, aws_env, s3_bucket, tmp_path) -> Iterator[Cluster]:
    # nginx's listening socket is bound here, on port 0, and handed to nginx as an inherited
    # socket (the NGINX environment variable of its binary upgrade, "fd;"), which it takes for
    # the `listen` of that address instead of binding one: the port is known before any process
    # starts (the instances' public base URL) and nothing else can take it meanwhile.
    with socket.create_server(("127.0.0.1", 0), backlog=511) as front:
        port = front.getsockname()[1]
        env = {**aws_env, "CITIZEN_STORAGE": f"s3://{s3_bucket}/cards", "CITIZEN_S3_ACL": "public-read",
               "CITIZEN_IDEMPOTENCY_SECRET": "shared-by-both-instances", "CITIZEN_TRUSTED_PROXIES": "127.0.0.1/32",
               "CITIZEN_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", "CITIZEN_DRAIN_GRACE": "1",
               "CITIZEN_LATENCY_BUDGET": "5"}
        a = start_server(env=env, workers=1)
        b = start_server(env=env, workers=1)
        prefix = tmp_path / "nginx"
        prefix.mkdir()
        conf = prefix / "nginx.conf"
        conf.write_text(nginx_conf(prefix, port, [a.url.removeprefix("http://"), b.url.removeprefix("http://")],
                                   aws_env["AWS_ENDPOINT_URL"], s3_bucket))
        proc = subprocess.Popen(["nginx", "-e", str(prefix / "error.log"), "-p", str(prefix), "-c", str(conf),
                                 "-g", "daemon off;"], env={**os.environ, "NGINX": f"{front.fileno()};"},
                                pass_fds=(front.fileno(),), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", timeout=20, proc=proc)
        assert "using inherited sockets" in (prefix / "error.log").read_text()
        yield Cluster(a, b, f"http://127.0.0.1:{port}", prefix / "access.log")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def post(session: aiohttp.ClientSession, url: str, body: dict = CARD,
               key: str | None = None) -> tuple[int, CIMultiDict, dict]:
    headers = {"Idempotency-Key": key} if key else {}
    async with session.post(f"{url}/citizen-card", json=body, headers=headers) as response:
        raw = await response.read()
        try:
            payload = orjson.loads(raw)
        except orjson.JSONDecodeError:
            payload = {"raw": raw[:200].decode(errors="replace")}
        return response.status, CIMultiDict(response.headers), payload


async def fetch(session: aiohttp.ClientSession, url: str) -> tuple[int, str, bytes]:
    async with session.get(url) as response:
        return response.status, response.content_type, await response.read()


async def test_two_instances_behind_nginx_share_cards(cluster: Cluster):
    async with aiohttp.ClientSession() as session:
        results = await asyncio.gather(*(post(session, cluster.url, {**CARD, "nameOnCard": f"Cookie {i}"})
                                         for i in range(16)))
        assert [status for status, _, _ in results] == [201] * 16, results

        # Spread: nginx round-robins, so both instances minted cards.
        assert created(cluster.a) > 0 and created(cluster.b) > 0, (created(cluster.a), created(cluster.b))
        assert created(cluster.a) + created(cluster.b) == 16

        # Every URL either instance minted is served (through nginx's /cards/, from the bucket).
        by_instance: Counter[str] = Counter()
        for _, headers, card in results:
            by_instance[cluster.served_by(headers["X-Request-Id"]).url] += 1
            assert card["url"] == f"{cluster.url}/cards/{card['id']}.png"
            status, content_type, png = await fetch(session, card["url"])
            assert (status, content_type) == (200, "image/png") and png.startswith(PNG_SIGNATURE)
        assert len(by_instance) == 2
        # The private record next to the PNG is not exposed.
        status, _, _ = await fetch(session, results[0][2]["url"].removesuffix(".png") + ".json")
        assert status == 404
        # Nor is /metrics: nginx does not proxy it (Prometheus scrapes each replica's metrics port).
        status, content_type, _ = await fetch(session, cluster.url + "/metrics")
        assert (status, content_type) == (404, "application/json")

        # An Idempotency-Key through nginx, replayed directly to the other instance: same card.
        status, headers, first = await post(session, cluster.url, key="launch-day-7")
        assert status == 201, first
        minted_by = cluster.served_by(headers["X-Request-Id"])
        other = cluster.b if minted_by is cluster.a else cluster.a
        status, headers, again = await post(session, other.url, key="launch-day-7")
        assert status == 201, again
        assert headers.get("Idempotent-Replayed") == "true"
        assert (again["id"], again["url"], again["recipe"]) == (first["id"], first["url"], first["recipe"])
        assert (await fetch(session, first["url"]))[2] == (await fetch(session, again["url"]))[2]


async def test_sigterm_under_load_loses_no_request(cluster: Cluster):
    statuses: list[int] = []
    failures: list[tuple[int, dict]] = []
    urls: list[str] = []
    stop_at = time.monotonic() + 5.0
    sigterm_at = time.monotonic() + 1.5

    async def client(session: aiohttp.ClientSession, n: int) -> None:
        for i in range(200):  # bounded, whatever the timing
            if time.monotonic() > stop_at:
                return
            status, _, body = await post(session, cluster.url, {**CARD, "nameOnCard": f"Cookie {n}-{i}"})
            statuses.append(status)
            if status == 201:
                urls.append(body["url"])
            else:
                failures.append((status, body))

    async def terminate_a() -> None:
        await asyncio.sleep(sigterm_at - time.monotonic())
        cluster.a.proc.terminate()  # SIGTERM

    connector = aiohttp.TCPConnector(limit=16)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:
        await asyncio.gather(terminate_a(), *(client(session, n) for n in range(6)))
        assert failures == [], f"{len(failures)} of {len(statuses)} requests failed: {failures[:5]}"
        assert len(statuses) >= 30, statuses

        # The draining instance finished cleanly within its deadline.
        returncode = await asyncio.to_thread(cluster.a.proc.wait, 30)
        log_a = cluster.a.log_text()
        assert returncode == 0, log_a[-3000:]
        assert '"event":"draining"' in log_a and '"event":"stopped"' in log_a
        # It kept serving during the grace period (readyz 503 meanwhile)...
        assert created(cluster.a, after='"event":"draining"') > 0, log_a[-3000:]
        # ...and the other instance took the rest.
        assert created(cluster.b) > 0

        # Some cards minted around the SIGTERM are served, from either instance.
        for url in urls[-5:]:
            status, content_type, png = await fetch(session, url)
            assert (status, content_type) == (200, "image/png") and png.startswith(PNG_SIGNATURE)

    # nginx saw only 201s for the POSTs; a refused connect shows as two upstreams on one line.
    posts = [line for line in cluster.access_log.read_text().splitlines() if line.startswith("POST /citizen-card")]
    assert len(posts) == len(statuses)
    assert all(" 201 " in line for line in posts), [line for line in posts if " 201 " not in line][:5]
    retried = [line for line in posts if re.search(r"upstream=\S+, ", line)]
    print(f"{len(statuses)} POSTs, {len(retried)} retried by nginx after a refused connect")
