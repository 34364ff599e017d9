"""Shared fixtures: the real atlas, real server processes, a real moto S3 server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
ATLAS = ROOT / "build" / "atlas"


def free_port() -> int:
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
    """Factory: start `citizen-card serve` as a subprocess; stopped (SIGTERM) at teardown."""
    started: list[Server] = []

    def start(*, env: dict[str, str] | None = None, args: tuple[str, ...] = (), workers: int = 2) -> Server:
        port = free_port()
        n = len(started)
        environment = {**os.environ, "CITIZEN_RATE_LIMIT": "0", "CITIZEN_DRAIN_GRACE": "0.2",
                       "CITIZEN_STORAGE": f"file://{tmp_path}/cards",
                       "CITIZEN_IDEMPOTENCY_DIR": str(tmp_path / f"idem{n}"), **(env or {})}
        log = tmp_path / f"server{n}.log"
        with log.open("wb") as out:  # the child keeps its own copy of the descriptor
            proc = subprocess.Popen(
                [sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--atlas", str(atlas_dir),
                 "--workers", str(workers), *args],
                cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)
        server = Server(f"http://127.0.0.1:{port}", proc, log)
        started.append(server)
        try:
            wait_http(server.url + "/readyz", proc=proc)
        except Exception:
            server.stop()
            raise RuntimeError(f"server did not start:\n{server.log_text()[-3000:]}") from None
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory) -> Iterator[str]:
    """A standalone moto S3 server process on 127.0.0.1 (never in-process mocking)."""
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                                stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
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
