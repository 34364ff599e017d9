"""Shared fixtures: the real atlas, the app in process, real server processes, a real moto S3
server, private atlas roots and an S3 fault proxy; and the test tiers.

Tiers, run in this order (`make test`; `pytest -m unit` picks one): `unit` (no server), `http`
(the app in this process, on pytest-aiohttp's test server: `app_server`) and `system` (server
processes: `start_server`, and whatever a module marks so). A test's tier comes from the
fixtures it uses unless it is marked.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest

from service.atlas import format as fmt
from tests.atlas_roots import clone_atlas_root
from tests.in_process import AppServer, AppTestServer
from tests.s3_fault_proxy import FaultProxy

TIERS = ("unit", "http", "system")
ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
ATLAS = ROOT / "build" / "atlas"


def free_port() -> int:
    """A port nothing listens on now (for addresses a test only refers to or must find closed):
    servers under test bind port 0 instead, and say which port they got."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


def announced(log: Path, proc: subprocess.Popen, pattern: str, timeout: float = 60.0) -> re.Match:
    """The first match of `pattern` in a process's log (how a server binding port 0 says which
    port it got), once the process has written it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if match := re.search(pattern, log.read_text(errors="replace"), re.MULTILINE):
            return match
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before it wrote {pattern!r}")
        time.sleep(0.05)
    raise TimeoutError(f"{log} had no {pattern!r} within {timeout}s")


def listening_line(log: Path, proc: subprocess.Popen) -> dict:
    """A `citizen-card serve` log's "listening" line: the real `url` (and `metrics` URL)."""
    return json.loads(announced(log, proc, r'^\{"event": ?"listening".*$').group(0))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give each test its module's tier (the highest one a test of it needs), then run the tiers
    in order, fast ones first. Whole modules: their tests keep their order and module fixtures."""
    def tier(item: pytest.Item) -> int:
        marked = [TIERS.index(name) for name in TIERS if item.get_closest_marker(name)]
        if marked:
            return max(marked)
        if "start_server" in item.fixturenames or Path(item.path).parent.name == "system":
            return TIERS.index("system")
        return TIERS.index("http" if "app_server" in item.fixturenames else "unit")

    by_module: dict[Path, int] = {}
    for item in items:
        by_module[item.path] = max(by_module.get(item.path, 0), tier(item))
    for item in items:
        item.add_marker(TIERS[by_module[item.path]])
    items.sort(key=lambda item: by_module[item.path])  # stable: each tier keeps pytest's order


@pytest.fixture(scope="session")
def atlas_dir() -> Path:
    """The atlas built from assets/ (make setup builds it; build here if missing)."""
    if not (ATLAS / "current" / "manifest.json").exists():
        from atlas_builder.build import build

        build(ASSETS, ATLAS, progress=False)
    return ATLAS


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self, timeout: float = 40.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def start_server(atlas_dir: Path, tmp_path: Path) -> Iterator:
    """Factory: start `citizen-card serve --port 0` as a subprocess (its url from its listening
    line); stopped (SIGTERM) at teardown."""
    started: list[Server] = []

    def start(*, env: dict[str, str] | None = None, args: tuple[str, ...] = (), workers: int = 2) -> Server:
        n = len(started)
        environment = {**os.environ, "CITIZEN_RATE_LIMIT": "0", "CITIZEN_DRAIN_GRACE": "0.2",
                       "CITIZEN_STORAGE": f"file://{tmp_path}/cards",
                       "CITIZEN_IDEMPOTENCY_DIR": str(tmp_path / f"idem{n}"), **(env or {})}
        log = tmp_path / f"server{n}.log"
        with log.open("wb") as out:  # the child keeps its own copy of the descriptor
            proc = subprocess.Popen(
                [sys.executable, "-m", "service.cli", "serve", "--port", "0", "--atlas", str(atlas_dir),
                 "--workers", str(workers), *args],
                cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)
        server = Server("", proc, log)
        started.append(server)
        try:
            server.url = listening_line(log, proc)["url"]
            wait_http(server.url + "/readyz", proc=proc)
        except Exception:
            server.stop()
            raise RuntimeError(f"server did not start:\n{server.log_text()[-3000:]}") from None
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
async def app_server(atlas_dir: Path, tmp_path: Path, aiohttp_client) -> AsyncIterator:
    """Factory like start_server (same env defaults), for the app in this process:
    `await app_server(env=..., workers=...)`; its log lines (as a server writes them) in log_text()."""
    from service.app import create_app
    from service.config import from_env

    log, logger = io.StringIO(), logging.getLogger("citizen_card")
    handler, level = logging.StreamHandler(log), logger.level
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    count = 0

    async def start(*, env: dict[str, str] | None = None, workers: int = 2) -> AppServer:
        nonlocal count
        environment = {**os.environ, "CITIZEN_RATE_LIMIT": "0", "CITIZEN_DRAIN_GRACE": "0.2",
                       "CITIZEN_STORAGE": f"file://{tmp_path}/cards",
                       "CITIZEN_IDEMPOTENCY_DIR": str(tmp_path / f"app-idem{count}"), **(env or {})}
        count += 1
        listening = socket.create_server(("127.0.0.1", 0), backlog=1024)
        try:
            with mock.patch.dict(os.environ, environment):  # Settings read CITIZEN_* from the environment
                settings = from_env(host="127.0.0.1", port=listening.getsockname()[1], atlas=atlas_dir,
                                    workers=workers)
            client = await aiohttp_client(AppTestServer(create_app(settings), listening))
        except BaseException:
            listening.close()
            raise
        return AppServer(str(client.make_url("")).rstrip("/"), client, log)

    yield start
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory) -> Iterator[str]:
    """A standalone moto S3 server process on 127.0.0.1 (never in-process mocking)."""
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", "0"],
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        url = announced(log, proc, r"Running on (http://127\.0\.0\.1:\d+)").group(1)
        wait_http(url + "/moto-api/", proc=proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def aws_env(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Standard AWS env vars pointing the SDK at the moto server (set for this test only)."""
    env = {"AWS_ENDPOINT_URL": moto_endpoint, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_DEFAULT_REGION": "us-east-1"}
    for name in ("AWS_ENDPOINT_URL_S3", "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
async def s3_client(aws_env: dict[str, str]):
    """An aiobotocore S3 client of the test's own, separate from the code under test."""
    from aiobotocore.session import get_session

    async with get_session().create_client("s3", endpoint_url=aws_env["AWS_ENDPOINT_URL"], region_name="us-east-1",
                                           aws_access_key_id="testing", aws_secret_access_key="testing") as client:
        yield client


@pytest.fixture
async def s3_bucket(s3_client) -> str:
    """A fresh, empty bucket on the moto server."""
    import uuid

    name = f"cards-{uuid.uuid4().hex[:16]}"
    await s3_client.create_bucket(Bucket=name)
    return name


# Every reliability server gets a private atlas root (a hard-linked copy of the version
# build/atlas/current points at, taken once per session), so a rebuild of build/atlas by
# someone else during the run cannot hot-reload our servers, and the hot-reload tests can
# publish versions into a root of their own.

@pytest.fixture(scope="session")
def base_atlas_version(atlas_dir: Path, tmp_path_factory) -> Path:
    """A real copy of the version build/atlas/current points at now: immune to rebuilds of
    build/atlas, and the private roots below hard-link to it, never to build/atlas."""
    source = fmt.resolve(atlas_dir)
    root = clone_atlas_root(source, tmp_path_factory.mktemp("atlas-base") / "atlas", link=False)
    return root / fmt.VERSIONS / source.name


@pytest.fixture
def private_atlas(base_atlas_version: Path, tmp_path: Path) -> Path:
    """An atlas root of this test's own (safe to publish into), current = the base version."""
    return clone_atlas_root(base_atlas_version, tmp_path / "atlas")


@pytest.fixture
def serve(start_server, private_atlas: Path):
    """start_server with the test's private atlas root: serve(env=..., workers=...)."""

    def start(*, env: dict[str, str] | None = None, args: tuple[str, ...] = (), workers: int = 2):
        return start_server(env=env, args=("--atlas", str(private_atlas), *args), workers=workers)

    return start


@pytest.fixture
def fault_proxy(moto_endpoint: str):
    """A FaultProxy (tests/s3_fault_proxy.py) in front of the session's moto server."""
    proxy = FaultProxy(moto_endpoint).start()
    yield proxy
    proxy.stop()
