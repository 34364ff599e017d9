"""Issue 13: the image, built (`make image`, podman) and run as in production.

Non-root (the image's uid 10001), a read-only root filesystem with only /tmp writable (a
tmpfs), CITIZEN_WORKERS=2, on podman's bridge network with its port published on 127.0.0.1
(or on the host's network, to reach S3 on the host's loopback). It serves cards in the four
languages from local storage and from moto's S3 server on the host, answers its own
HEALTHCHECK, and on SIGTERM with requests in flight answers all of them 201 and exits 0.
The build's CA secret leaves no trace in the image.
"""

from __future__ import annotations

import asyncio
import json
import re
import struct
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests import load
from tests.s3_fault_proxy import FaultProxy
from tests.system.podman import ROOT, base_image, inspect, logs, podman, remove, unique_name, wait_exit

LANGUAGES = {"ko": "준성맛 쿠키", "en": "Gingerbrave", "ja": "抹茶ラテ", "zh-TW": "珍珠奶茶餅乾"}
MAX_IMAGE_BYTES = 450 * 10**6
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
GRACE = 1.5


def run_container(image: str, *, env: dict[str, str], name: str | None = None,
                  host_network: bool = False) -> tuple[str, str]:
    """Start the image as production runs it; (name, base URL) once /readyz answers 200.

    The port is told, never guessed: on podman's bridge network the service listens on the
    image's 8080 and podman publishes it on a port of 127.0.0.1 it picks (`-p 127.0.0.1::8080`,
    read back with `podman port`); on the host's network (for services on the host's loopback)
    the server binds port 0 (CITIZEN_PORT=0) and names its port in the "listening" log line.
    The HEALTHCHECK asks CITIZEN_PORT, so only a bridged container can run it."""
    name = name or unique_name("cc-test")
    environment = {"CITIZEN_WORKERS": "2", **({"CITIZEN_PORT": "0"} if host_network else {}), **env}
    podman("run", "-d", "--name", name, *(["--network", "host"] if host_network else ["-p", "127.0.0.1::8080"]),
           "--read-only", "--read-only-tmpfs=false", "--tmpfs", "/tmp:rw,size=256m,mode=1777",
           *[arg for key, value in environment.items() for arg in ("-e", f"{key}={value}")], image)
    url = None if host_network else "http://" + podman("port", name, "8080/tcp").stdout.split()[0]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not inspect("container", name)["State"]["Running"]:
            raise RuntimeError(f"container {name} exited:\n{logs(name)[-4000:]}")
        url = url or announced_url(name)
        try:
            if url is not None:
                with urllib.request.urlopen(url + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        return name, url
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{name}: /readyz of {url} not ready in 60 s:\n{logs(name)[-4000:]}")


def announced_url(name: str) -> str | None:
    """The URL in the container's "listening" log line (its port 0 bound on every interface:
    reached on 127.0.0.1), or None before that line."""
    for line in logs(name).splitlines():
        if line.startswith('{"event":"listening"'):
            return json.loads(line)["url"].replace("//0.0.0.0:", "//127.0.0.1:", 1)
    return None


def post_card(url: str, name: str, language: str) -> dict:
    request = urllib.request.Request(url + "/citizen-card", method="POST",
                                     data=json.dumps({"nameOnCard": name, "language": language}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        return json.load(response)


def fetch_png(url: str) -> tuple[int, int]:
    """(width, height) of the PNG at url (checks the signature and content type)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200 and response.headers["Content-Type"] == "image/png", url
        data = response.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def mint_and_fetch_every_language(url: str, rewrite=lambda u: u) -> list[dict]:
    cards = []
    for language, name in LANGUAGES.items():
        card = post_card(url, name, language)
        assert card["language"] == language and card["recipe"]["name"] == name, card
        assert fetch_png(rewrite(card["url"])) == (1200, 760)
        cards.append(card)
    return cards


@pytest.fixture
def container_names():
    """Names of the containers a test started: removed (by name) at teardown."""
    names: list[str] = []
    yield names
    for name in names:
        remove(name)


def test_image_is_lean_and_runs_as_non_root(image: str):
    config = inspect("image", image)
    size = config["Size"]
    du = podman("run", "--rm", "--read-only", "--network", "none", "--entrypoint", "bash", image, "-c",
                "du -xsm /usr/lib /usr/share /opt/venv/lib/python3*/site-packages/* /app/build/atlas "
                "/usr/share/fonts /usr/lib/x86_64-linux-gnu /usr/lib/python3* 2>/dev/null | sort -rn | head -15").stdout
    print(f"\nimage {image}: {size / 1e6:.0f} MB\n{du}")
    assert size < MAX_IMAGE_BYTES, f"{size / 1e6:.0f} MB:\n{du}"
    assert config["Config"]["User"] == "10001:10001"
    assert config["Healthcheck"]["Test"][:2] == ["CMD", "python"], config.get("Healthcheck")  # --format docker keeps it
    # A runtime, not a build environment: no compiler, no headers, no test dependencies, no caches.
    found = podman("run", "--rm", "--read-only", "--network", "none", "--entrypoint", "bash", image, "-c",
                   "command -v gcc cc c++ make readelf; ls -d /usr/include/python3* /usr/include/png.h "
                   "/root/.cache /usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc 2>/dev/null; "
                   "python -c \"import importlib.util as u; print(*[m for m in ('pytest', 'moto', 'hypothesis', "
                   "'playwright', 'pybind11') if u.find_spec(m)])\"; id -u", check=False).stdout.split()
    assert found == ["10001"], found


def test_serves_every_language_from_a_read_only_root(image: str, container_names: list[str]):
    """Local storage (the image's default, cards in /tmp), the declared HEALTHCHECK, the
    service user, and a root filesystem the service cannot write."""
    name, url = run_container(image, env={"CITIZEN_RATE_LIMIT": "0"})
    container_names.append(name)
    # No public base URL: the card URLs name the service's own origin, which podman publishes at `url`.
    own_origin = "http://0.0.0.0:8080"
    cards = mint_and_fetch_every_language(url, lambda card_url: card_url.replace(own_origin, url, 1))
    assert all(card["url"] == f"{own_origin}/cards/{card['id']}.png" for card in cards), cards

    health = podman("healthcheck", "run", name, check=False)
    assert health.returncode == 0, health.stdout + health.stderr
    # The HEALTHCHECK command as the image declares it, run in the container.
    check = inspect("image", image)["Healthcheck"]["Test"][1:]
    assert podman("exec", name, *check, check=False).returncode == 0

    assert podman("exec", name, "id", "-u").stdout.strip() == "10001"
    write_app = podman("exec", name, "touch", "/app/x", check=False)
    assert write_app.returncode != 0 and "Read-only file system" in write_app.stderr, write_app
    assert podman("exec", name, "touch", "/tmp/x").returncode == 0
    processes = podman("exec", name, "bash", "-c", "cat /proc/[0-9]*/cmdline | tr '\\0' ' '; echo").stdout
    assert processes.count("citizen-card serve") == 1, processes

    podman("stop", "-t", "40", name, timeout=60)
    assert wait_exit(name, 10) == 0, logs(name)[-3000:]


async def test_s3_on_the_host_and_sigterm_with_requests_in_flight(
        image: str, container_names: list[str], aws_env: dict[str, str], s3_bucket: str, moto_endpoint: str,
        fault_proxy: FaultProxy):
    """Cards stored into a moto S3 server (a separate process on the host) through the fault
    proxy; then SIGTERM while every S3 call takes 0.75 s, so requests are in flight: all of
    them, and those sent in the grace period, end 201 with a stored card; exit code 0."""
    env = {**aws_env, "AWS_ENDPOINT_URL": fault_proxy.url, "CITIZEN_STORAGE": f"s3://{s3_bucket}/cards",
           "CITIZEN_S3_ACL": "public-read", "CITIZEN_RATE_LIMIT": "0", "CITIZEN_DRAIN_GRACE": str(GRACE)}
    name, url = await asyncio.to_thread(run_container, image, env=env, host_network=True)  # moto on 127.0.0.1
    container_names.append(name)

    def on_moto(card_url: str) -> str:
        return card_url.replace(fault_proxy.url, moto_endpoint)

    cards = await asyncio.to_thread(mint_and_fetch_every_language, url, on_moto)
    assert all(f"/{s3_bucket}/cards/" in card["url"] for card in cards), cards

    fault_proxy.delay_seconds = 0.75
    fault_proxy.set_mode("delay")
    stop, t_zero = asyncio.Event(), time.perf_counter()
    traffic = asyncio.create_task(load.closed_loop(url, concurrency=4, stop=stop, t_zero=t_zero))
    await asyncio.sleep(3.0)
    await asyncio.to_thread(podman, "kill", "--signal", "TERM", name)
    term_at = time.perf_counter() - t_zero
    await asyncio.sleep(GRACE - 0.4)  # clients keep coming during the grace period, then stop
    stop.set()
    exit_code = await asyncio.to_thread(wait_exit, name, 40)
    exited_after = time.perf_counter() - t_zero - term_at
    report = await traffic
    fault_proxy.set_mode("pass")
    lost = await load.verify_cards(report, rewrite=on_moto)

    log = await asyncio.to_thread(logs, name)
    events = [json.loads(line)["event"] for line in log.splitlines() if line.startswith('{"event"')]
    in_flight = [r for r in report.results if r.started <= term_at <= r.started + r.latency]
    figures = dict(sent=report.sent, statuses=dict(report.statuses()), in_flight_at_term=len(in_flight),
                   exited_after_s=round(exited_after, 2), exit_code=exit_code, lost=lost, events=events)
    print(f"\nSIGTERM in the container: {figures}")
    assert exit_code == 0, (figures, log[-3000:])
    assert report.statuses() == {201: report.sent}, figures
    assert lost == 0 and in_flight, figures
    assert [e for e in events if e in ("draining", "pool_closed", "storage_closed", "stopped")] == \
        ["draining", "pool_closed", "storage_closed", "stopped"], events


# ---------------------------------------------------------------------------- the CA secret

def local_ca_lines() -> set[str]:
    """One base64 line from each certificate of the host's bundle that is not one of Debian's
    Mozilla roots: the CAs this machine adds (here the TLS-intercepting proxy's)."""
    def certificates(text: str) -> list[str]:
        return re.findall(r"-----BEGIN CERTIFICATE-----\n(.*?)-----END CERTIFICATE-----", text, re.S)

    roots = Path("/usr/share/ca-certificates/mozilla")
    if not roots.is_dir() or not CA_BUNDLE.is_file():
        return set()  # nothing to tell the machine's own CAs from the public ones by
    mozilla = {c for f in roots.glob("*.crt") for c in certificates(f.read_text())}
    return {c.splitlines()[3] for c in certificates(CA_BUNDLE.read_text()) if c not in mozilla}


def test_the_build_ca_secret_leaves_no_trace_in_the_image(image: str):
    """The CA bundle was a build secret: not in the image's config, history or files."""
    config = inspect("image", image)["Config"]
    assert not [e for e in config.get("Env", []) if re.match(r"(PIP_CERT|REQUESTS_CA_BUNDLE|SSL_CERT_FILE)=", e)]
    history = podman("history", "--no-trunc", "--format", "{{.CreatedBy}}", image).stdout
    assert "ca-certificates.crt" not in history
    lines = local_ca_lines()
    mount = podman("image", "mount", image).stdout.strip()
    try:
        assert not (Path(mount) / "run" / "secrets" / "ca").exists()
        if lines:
            found = subprocess.run(["grep", "-rlF", *[arg for line in lines for arg in ("-e", line)], mount],
                                   capture_output=True, text=True, timeout=120)
            assert found.stdout == "", f"the proxy's CA is in the image: {found.stdout}"
    finally:
        podman("image", "unmount", image, check=False)


def test_pip_in_the_build_needs_the_ca_secret_here(image: str):
    """Behind this machine's TLS-intercepting proxy the Dockerfile's first PyPI step fails
    without the secret: so the image above (built with it) used it."""
    if not local_ca_lines():
        pytest.skip("no CA beyond Debian's Mozilla roots: this machine is not behind an intercepting proxy")
    tag = unique_name("localhost/cc-ca-probe").lower()
    result = podman("build", "--layers=false", "--network", "host", "--isolation", "chroot", "--target", "venv",
                    "--ignorefile", "deploy/Dockerfile.dockerignore", "-f", "deploy/Dockerfile",
                    "--build-arg", f"PYTHON_IMAGE={base_image()}", "-t", tag, ".", cwd=ROOT, check=False, timeout=300)
    podman("rmi", "-f", tag, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert "CERTIFICATE_VERIFY_FAILED" in output, output[-3000:]
