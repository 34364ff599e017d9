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
    assets: Path = Path("assets")  # rebuilt into `atlas` at start if missing
    workers: int = os.cpu_count() or 1
    renderer: str = "fast"  # or "reference": the slow oracle path, for benchmarks
    public_base_url: str = ""  # e.g. https://cdn.example.com/cards; default: this server / S3 endpoint
    max_body_bytes: int = 4096
    queue_per_worker: int = 4  # admission bound for bursts: renders waiting per busy worker (docs/RELIABILITY.md)
    request_timeout: float = 10.0  # seconds, whole request
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
    # in CITIZEN_VARIANTS ("og,thumb,webp"); "" makes none. CPU per card (docs/BENCHMARKS.md): og ~6 ms
    # (1.4x the card; on by default: shares need it), thumb ~1.4 ms, webp ~35 ms (8x the card): opt-in.
    variants: tuple[str, ...] = ("og",)
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
        try:
            parse_variants(self.variants)
        except ValueError as exc:
            problems.append(f"variants: {exc}")
        for origin in self.cors_origins:
            if origin != "*" and not re.fullmatch(r"https?://[^/\s]+", origin):
                problems.append(f"CORS origin {origin!r} must be scheme://host[:port] (no path) or *")
        for name in ("max_body_bytes", "queue_per_worker", "rate_burst"):
            if getattr(self, name) < 0:
                problems.append(f"{name} must not be negative")
        if problems:
            raise SettingsError(problems)
        if not self.idempotency_secret:
            # Without a shared secret, replays only match on this instance's lifetime.
            return replace(self, idempotency_secret=secrets.token_hex(32))
        return self

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"


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
