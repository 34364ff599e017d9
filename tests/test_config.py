"""Settings (service/config.py): CITIZEN_* variables parsed by each field's type, and every
problem, of parsing or of validation, reported at once (README, "Configuration")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from service.config import Settings, SettingsError, from_env
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def no_citizen_env(monkeypatch):
    for name in [n for n in os.environ if n.startswith("CITIZEN_")]:
        monkeypatch.delenv(name)


def test_variables_are_parsed_by_the_fields_type(monkeypatch):
    monkeypatch.setenv("CITIZEN_PORT", "9000")
    monkeypatch.setenv("CITIZEN_LATENCY_BUDGET", "0.5")
    monkeypatch.setenv("CITIZEN_LOG_REQUESTS", "off")
    monkeypatch.setenv("CITIZEN_ATLAS", "/srv/atlas")
    monkeypatch.setenv("CITIZEN_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.1")
    settings = from_env()
    assert (settings.port, settings.latency_budget, settings.log_requests) == (9000, 0.5, False)
    assert settings.atlas == Path("/srv/atlas")
    assert settings.trusted_proxies == ("10.0.0.0/8", "192.168.1.1")


def test_an_optional_float_field_parses(monkeypatch):
    """The old parser looked the annotation's string up in a table: `float | None` was a KeyError."""

    class WithOptional(Settings):
        upload_pause: float | None = None

    assert WithOptional().upload_pause is None
    monkeypatch.setenv("CITIZEN_UPLOAD_PAUSE", "2.5")
    assert WithOptional().upload_pause == 2.5
    monkeypatch.setenv("CITIZEN_UPLOAD_PAUSE", "soon")
    with pytest.raises(SettingsError, match="CITIZEN_UPLOAD_PAUSE"):
        WithOptional()


def test_a_parse_error_does_not_hide_a_validation_error(monkeypatch):
    """A port that is not a number used to stop the checks before the storage URL was looked at."""
    monkeypatch.setenv("CITIZEN_PORT", "eighty")
    monkeypatch.setenv("CITIZEN_STORAGE", "ftp://cards")
    monkeypatch.setenv("CITIZEN_LATENCY_BUDGET", "30")
    with pytest.raises(SettingsError) as raised:
        from_env()
    problems = raised.value.problems
    assert [p.split(":")[0] for p in problems] == ["CITIZEN_PORT", "CITIZEN_STORAGE", "CITIZEN_REQUEST_TIMEOUT"]
    assert "'eighty'" in problems[0] and "'ftp://cards'" in problems[1] and "CITIZEN_LATENCY_BUDGET" in problems[2]


def test_flags_win_over_the_environment_and_are_validated_too(monkeypatch):
    monkeypatch.setenv("CITIZEN_PORT", "9000")
    assert from_env(port=9001, host=None).port == 9001  # None: the flag was not given
    with pytest.raises(SettingsError, match="CITIZEN_PORT") as raised:
        from_env(port=70000, storage="s3://")
    assert len(raised.value.problems) == 2 and "names no bucket" in raised.value.problems[1]


def test_an_empty_idempotency_secret_becomes_a_random_one(monkeypatch):
    monkeypatch.setenv("CITIZEN_IDEMPOTENCY_SECRET", "")
    first, second = from_env(), from_env()
    assert len(first.idempotency_secret) == 64 and first.idempotency_secret != second.idempotency_secret
    monkeypatch.setenv("CITIZEN_IDEMPOTENCY_SECRET", "shared")
    assert from_env().idempotency_secret == "shared"
    assert "shared" not in repr(from_env())


def test_serve_prints_every_problem_and_exits_2_without_a_traceback():
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("CITIZEN_")},
           "CITIZEN_PORT": "eighty", "CITIZEN_STORAGE": "ftp://cards", "CITIZEN_VARIANTS": "og,poster"}
    result = subprocess.run([sys.executable, "-m", "service.cli", "serve", "--workers", "0"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("citizen-card: invalid settings:\n"), result.stderr
    for variable in ("CITIZEN_PORT", "CITIZEN_STORAGE", "CITIZEN_VARIANTS", "CITIZEN_WORKERS"):
        assert f"  - {variable}: " in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
