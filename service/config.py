"""Settings: one frozen object built once at start from CLI flags and CITIZEN_* env vars.

This is the only module that reads os.environ for service settings (through pydantic-settings,
which parses each variable by its field's type). Parsing and validation run together, so every
bad variable is reported at once (SettingsError lists them all), not the first one only.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from service.card_files import parse_variants

PREFIX = "CITIZEN_"

Port = Annotated[int, Field(ge=0, le=65535)]
NonNegative = Annotated[int, Field(ge=0)]
Seconds = Annotated[float, Field(gt=0)]
CommaSeparated = Annotated[tuple[str, ...], NoDecode]
"""A list in one variable, "a,b,c" (not JSON): split by the field's validator."""


class SettingsError(Exception):
    """One or more settings are invalid; the message lists every problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid settings:\n" + "\n".join(f"  - {p}" for p in problems))
        self.problems = problems


class Settings(BaseSettings):
    """Service configuration. Each field has an env var CITIZEN_<FIELD_NAME_UPPER>; a value given
    to the constructor (a CLI flag) wins over it. An invalid one raises SettingsError."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, frozen=True)

    host: str = "127.0.0.1"
    port: Port = 8080
    storage: str = "file://./data/cards"  # or s3://bucket/prefix
    atlas: Path = Path("build/atlas")
    assets: Path = Path("assets")  # source art, read only by the reference renderer
    workers: Annotated[int, Field(ge=1)] = os.cpu_count() or 1
    renderer: Literal["fast", "reference"] = "fast"  # reference: the slow oracle path, for benchmarks
    # The public origin of this service (e.g. https://cards.example.com, a CDN in front of it):
    # share pages and local card URLs are built on it, S3 card URLs are it + the object key.
    # Default: this server's address (and the request's Host for share pages).
    public_base_url: str = ""
    max_body_bytes: NonNegative = 4096
    latency_budget: Seconds = 1.0  # seconds: admit a render while its predicted latency fits (docs/RELIABILITY.md)
    request_timeout: float = 10.0  # seconds, whole request; above latency_budget
    header_timeout: Seconds = 10.0  # seconds for a request's line and headers (and a new connection's first byte)
    body_timeout: Seconds = 5.0  # seconds for a request body, from the end of its headers
    keepalive_timeout: Seconds = 75.0  # seconds an idle keep-alive connection is kept open
    max_connections: Annotated[int, Field(gt=0)] = 4096  # open connections per process; past it 503 and closed
    metrics_address: str = ""  # HOST:PORT of an internal listener for /metrics and /healthz; "" = main port
    storage_deadline: float = 5.0  # seconds for one upload including retries
    drain_timeout: float = 25.0  # seconds to finish in-flight work on SIGTERM
    drain_grace: float = 2.0  # seconds still serving (readyz 503) after SIGTERM, for load balancers
    rate_limit: float = 10.0  # requests per second per client IP; 0 disables
    rate_burst: NonNegative = 30
    trusted_proxies: CommaSeparated = ()  # CIDRs whose X-Forwarded-For we believe
    # Share across instances. Unset or empty: a random one per process, so replays only match
    # on this instance's lifetime.
    idempotency_secret: str = Field(default="", repr=False, validate_default=True)
    idempotency_dir: Path = Path("data/idempotency")
    s3_acl: Literal["", "public-read"] = ""  # "public-read" for set-ups without a CDN; default private
    s3_presign_seconds: int = 0  # >0: return presigned GET URLs valid this long
    atlas_poll_seconds: float = 2.0  # how often to check the `current` pointer; 0 disables
    log_requests: bool = True
    # Stored variants made in the render pass besides the PNG (service/card_files.py), comma-separated
    # in CITIZEN_VARIANTS ("og,thumb,webp"); "" (the default) makes none. CPU per card
    # (docs/BENCHMARKS.md): og ~5 ms (1.4-2x the card: on every mint it would more than halve the
    # pool's capacity on launch day, when mints far outnumber shares), thumb ~1.4 ms, webp ~35 ms.
    # All opt-in per deployment; without og the share page's og:image is the card PNG.
    variants: CommaSeparated = ()
    cors_origins: CommaSeparated = ()  # origins whose pages may call the API from a browser; "*" for any
    # Chaos testing only, off by default: "raise:NAME" makes the render worker raise on a card
    # whose (normalised) name is NAME; "exit:NAME" makes the worker process die (like a segfault).
    fault_injection: str = ""

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise SettingsError([_problem(error) for error in exc.errors()]) from None

    @field_validator("trusted_proxies", "variants", "cors_origins", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("storage")
    @classmethod
    def _storage(cls, value: str) -> str:
        if not value.startswith(("file://", "s3://")):
            raise ValueError(f"{value!r} must be file://DIR or s3://BUCKET/PREFIX")
        if value.startswith("s3://") and not value[5:].split("/")[0]:
            raise ValueError(f"{value!r} names no bucket")
        return value

    @field_validator("public_base_url")
    @classmethod
    def _public_base_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} must start with http:// or https://")
        return value

    @field_validator("request_timeout")
    @classmethod
    def _above_latency_budget(cls, value: float, info: ValidationInfo) -> float:
        budget = info.data.get("latency_budget")  # absent when it is itself invalid (reported on its own)
        if budget is not None and not value > budget:
            raise ValueError(f"{value:g} s must be above CITIZEN_LATENCY_BUDGET ({budget:g} s)")
        return value

    @field_validator("metrics_address")
    @classmethod
    def _metrics_address(cls, value: str) -> str:
        if value:
            _host_and_port(value)
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _trusted_proxies(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for cidr in value:
            try:
                ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                raise ValueError(f"{cidr!r} is not an IP network") from None
        return value

    @field_validator("idempotency_secret")
    @classmethod
    def _secret(cls, value: str) -> str:
        return value or secrets.token_hex(32)

    @field_validator("variants")
    @classmethod
    def _variants(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return parse_variants(value)

    @field_validator("cors_origins")
    @classmethod
    def _cors_origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for origin in value:
            if origin != "*" and not re.fullmatch(r"https?://[^/\s]+", origin):
                raise ValueError(f"origin {origin!r} must be scheme://host[:port] (no path) or *")
        return value

    @field_validator("fault_injection")
    @classmethod
    def _fault_injection(cls, value: str) -> str:
        if value and value.partition(":")[0] not in ("raise", "exit"):
            raise ValueError(f"{value!r} must be raise:NAME or exit:NAME")
        return value

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def metrics_endpoint(self) -> tuple[str, int] | None:
        """(host, port) of the separate /metrics listener, or None to serve it on the main port."""
        return _host_and_port(self.metrics_address) if self.metrics_address else None

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


def _host_and_port(address: str) -> tuple[str, int]:
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"{address!r} must be HOST:PORT")
    return host.strip("[]"), int(port)


def _problem(error: ErrorDetails) -> str:
    """One line of a SettingsError: the variable, then what is wrong with its value."""
    variable = PREFIX + str(error["loc"][0]).upper()
    if error["type"] == "value_error":  # our validators' messages name the value themselves
        return f"{variable}: {error.get('ctx', {}).get('error')}"
    return f"{variable}: {error['msg']} (got {error['input']!r})"


def from_env(**overrides: Any) -> Settings:
    """Settings from CITIZEN_* variables, then explicit overrides (CLI flags; None = not given) on top."""
    return Settings(**{name: value for name, value in overrides.items() if value is not None})
