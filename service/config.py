"""Settings: one frozen object built once at start from CLI flags and CITIZEN_* env vars.

This is the only module that reads os.environ for service settings. Every bad variable
is reported at once (SettingsError lists them all), not the first one only.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from service.card_files import parse_variants

PREFIX = "CITIZEN_"


class SettingsError(Exception):
    """One or more settings are invalid; the message lists every problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid settings:\n" + "\n".join(f"  - {p}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    """Service configuration. Each field has an env var CITIZEN_<FIELD_NAME_UPPER>."""

    host: str = "127.0.0.1"
    port: int = 8080
    storage: str = "file://./data/cards"  # or s3://bucket/prefix
    atlas: Path = Path("build/atlas")
    assets: Path = Path("assets")  # source art, read only by the reference renderer
    workers: int = os.cpu_count() or 1
    renderer: str = "fast"  # or "reference": the slow oracle path, for benchmarks
    # The public origin of this service (e.g. https://cards.example.com, a CDN in front of it):
    # share pages and local card URLs are built on it, S3 card URLs are it + the object key.
    # Default: this server's address (and the request's Host for share pages).
    public_base_url: str = ""
    max_body_bytes: int = 4096
    latency_budget: float = 1.0  # seconds: admit a render while its predicted latency fits (docs/RELIABILITY.md)
    request_timeout: float = 10.0  # seconds, whole request
    header_timeout: float = 10.0  # seconds for a request's line and headers (and a new connection's first byte)
    body_timeout: float = 5.0  # seconds for a request body, from the end of its headers
    keepalive_timeout: float = 75.0  # seconds an idle keep-alive connection is kept open
    max_connections: int = 4096  # open connections per process; past it a new one gets 503 and is closed
    metrics_address: str = ""  # HOST:PORT of an internal listener for /metrics and /healthz; "" = main port
    storage_deadline: float = 5.0  # seconds for one upload including retries
    drain_timeout: float = 25.0  # seconds to finish in-flight work on SIGTERM
    drain_grace: float = 2.0  # seconds still serving (readyz 503) after SIGTERM, for load balancers
    rate_limit: float = 10.0  # requests per second per client IP; 0 disables
    rate_burst: int = 30
    trusted_proxies: tuple[str, ...] = ()  # CIDRs whose X-Forwarded-For we believe
    idempotency_secret: str = field(default="", repr=False)  # share across instances
    idempotency_dir: Path = Path("data/idempotency")
    s3_acl: str = ""  # "public-read" for set-ups without a CDN; default private
    s3_presign_seconds: int = 0  # >0: return presigned GET URLs valid this long
    atlas_poll_seconds: float = 2.0  # how often to check the `current` pointer; 0 disables
    log_requests: bool = True
    # Stored variants made in the render pass besides the PNG (service/card_files.py), comma-separated
    # in CITIZEN_VARIANTS ("og,thumb,webp"); "" (the default) makes none. CPU per card
    # (docs/BENCHMARKS.md): og ~5 ms (1.4-2x the card: on every mint it would more than halve the
    # pool's capacity on launch day, when mints far outnumber shares), thumb ~1.4 ms, webp ~35 ms.
    # All opt-in per deployment; without og the share page's og:image is the card PNG.
    variants: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ()  # origins whose pages may call the API from a browser; "*" for any
    # Chaos testing only, off by default: "raise:NAME" makes the render worker raise on a card
    # whose (normalised) name is NAME; "exit:NAME" makes the worker process die (like a segfault).
    fault_injection: str = ""

    def validated(self) -> Settings:
        problems = []
        if not 0 <= self.port <= 65535:
            problems.append(f"port {self.port} is not in 0..65535")
        if not self.storage.startswith(("file://", "s3://")):
            problems.append(f"storage {self.storage!r} must be file://DIR or s3://BUCKET/PREFIX")
        if self.storage.startswith("s3://") and not self.storage[5:].split("/")[0]:
            problems.append(f"storage {self.storage!r} names no bucket")
        if self.workers < 1:
            problems.append("workers must be at least 1")
        if self.renderer not in ("fast", "reference"):
            problems.append(f"renderer {self.renderer!r} must be fast or reference")
        if self.s3_acl not in ("", "public-read"):
            problems.append(f"s3_acl {self.s3_acl!r} must be empty or public-read")
        for cidr in self.trusted_proxies:
            try:
                ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                problems.append(f"trusted proxy {cidr!r} is not an IP network")
        if self.fault_injection and self.fault_injection.partition(":")[0] not in ("raise", "exit"):
            problems.append(f"fault_injection {self.fault_injection!r} must be raise:NAME or exit:NAME")
        if not 0 < self.latency_budget < self.request_timeout:
            problems.append(f"latency_budget {self.latency_budget:g} must be above 0 and below request_timeout "
                            f"({self.request_timeout:g} s)")
        try:
            parse_variants(self.variants)
        except ValueError as exc:
            problems.append(f"variants: {exc}")
        for origin in self.cors_origins:
            if origin != "*" and not re.fullmatch(r"https?://[^/\s]+", origin):
                problems.append(f"CORS origin {origin!r} must be scheme://host[:port] (no path) or *")
        for name in ("max_body_bytes", "rate_burst"):
            if getattr(self, name) < 0:
                problems.append(f"{name} must not be negative")
        for name in ("header_timeout", "body_timeout", "keepalive_timeout", "max_connections"):
            if not getattr(self, name) > 0:
                problems.append(f"{name} must be positive")
        if self.metrics_address:
            try:
                self.metrics_endpoint
            except ValueError as exc:
                problems.append(str(exc))
        if self.public_base_url and not self.public_base_url.startswith(("http://", "https://")):
            problems.append(f"public_base_url {self.public_base_url!r} must start with http:// or https://")
        if problems:
            raise SettingsError(problems)
        if not self.idempotency_secret:
            # Without a shared secret, replays only match on this instance's lifetime.
            return replace(self, idempotency_secret=secrets.token_hex(32))
        return self

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def metrics_endpoint(self) -> tuple[str, int] | None:
        """(host, port) of the separate /metrics listener, or None to serve it on the main port."""
        if not self.metrics_address:
            return None
        host, sep, port = self.metrics_address.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
            raise ValueError(f"metrics_address {self.metrics_address!r} must be HOST:PORT")
        return host.strip("[]"), int(port)

    def unfetchable_url_reasons(self) -> list[str]:
        """Why the URLs this configuration returns would not load for a client (logged at start)."""
        reasons = []
        if not self.public_base_url:
            if self.storage.startswith("file://") and self.host in UNSPECIFIED_HOSTS:
                reasons.append(f"card URLs will be {self.base_url}/cards/<id>.png, which no client can fetch "
                               f"({self.host} is 'every interface', not an address); set CITIZEN_PUBLIC_BASE_URL "
                               "to the public origin of this service")
            if self.storage.startswith("s3://") and self.s3_acl != "public-read" and self.s3_presign_seconds <= 0:
                reasons.append("card URLs will be plain S3 endpoint URLs of private objects, which answer 403 to "
                               "anyone; set CITIZEN_PUBLIC_BASE_URL (a CDN with origin access to the bucket), "
                               "CITIZEN_S3_ACL=public-read or CITIZEN_S3_PRESIGN_SECONDS")
            if self.host not in LOOPBACK_HOSTS:
                reasons.append("share pages (/c/<id>) will take their absolute URLs from each request's Host "
                               "header; set CITIZEN_PUBLIC_BASE_URL so they never do")
        return reasons


UNSPECIFIED_HOSTS = ("0.0.0.0", "::", "", "[::]")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _parse(kind: type, raw: str):
    if kind is bool:
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"{raw!r} is not a boolean")
    if kind is tuple:
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return kind(raw)


def from_env(environ: dict[str, str] | None = None, **overrides) -> Settings:
    """Settings from CITIZEN_* variables, then explicit overrides (CLI flags) on top."""
    environ = os.environ if environ is None else environ
    values, problems = {}, []
    types = {"int": int, "float": float, "str": str, "Path": Path, "bool": bool, "tuple[str, ...]": tuple}
    for spec in fields(Settings):
        raw = environ.get(PREFIX + spec.name.upper())
        if raw is None:
            continue
        try:
            values[spec.name] = _parse(types[str(spec.type)], raw)
        except ValueError as exc:
            problems.append(f"{PREFIX}{spec.name.upper()}: {exc}")
    if problems:
        raise SettingsError(problems)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values).validated()
