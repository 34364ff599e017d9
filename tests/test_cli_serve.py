"""`citizen-card serve` refuses to start without a readable atlas (issue 13): it never
builds one (`make setup` and the image build do); it names the path and the reason on
stderr and exits 1. With `--port 0` it takes a free port and names it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import orjson
import pytest

from service.atlas import format as fmt
from tests.conftest import ROOT

pytestmark = pytest.mark.system  # server processes


def serve(atlas: Path, scratch: Path, *, without_root_powers: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "CITIZEN_STORAGE": f"file://{scratch}/cards", "CITIZEN_IDEMPOTENCY_DIR": str(scratch / "idem")}
    command = [sys.executable, "-m", "service.cli", "serve", "--port", "0", "--atlas", str(atlas),
               "--workers", "1"]
    if without_root_powers:  # root reads anything: drop the capabilities that bypass file modes
        drop = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}", *command]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_missing_atlas_is_an_error_naming_the_path(tmp_path: Path):
    missing = tmp_path / "no-atlas-here"
    result = serve(missing, tmp_path)
    assert result.returncode == 1, result.stderr[-2000:]
    assert f"no atlas at {missing}" in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert not missing.exists()  # nothing was built


def test_unreadable_atlas_is_an_error_naming_the_path_and_the_reason(atlas_dir: Path):
    """The failure of issue 13: a version directory the service user may not read."""
    scratch = Path(tempfile.mkdtemp(prefix="unreadable-atlas-"))
    try:
        version = fmt.resolve(atlas_dir)
        root = scratch / "atlas"
        (root / fmt.VERSIONS).mkdir(parents=True)
        shutil.copytree(version, root / fmt.VERSIONS / version.name)
        os.symlink(Path(fmt.VERSIONS) / version.name, root / fmt.CURRENT)
        os.chmod(root / fmt.VERSIONS / version.name, 0o000)
        result = serve(root, scratch, without_root_powers=os.geteuid() == 0)
        assert result.returncode == 1, result.stderr[-2000:]
        assert "Permission denied" in result.stderr and str(root) in result.stderr, result.stderr[-2000:]
        assert "Traceback" not in result.stderr
    finally:
        os.chmod(scratch / "atlas" / fmt.VERSIONS / fmt.resolve(atlas_dir).name, 0o755)
        shutil.rmtree(scratch, ignore_errors=True)


def test_port_0_takes_a_free_port_that_the_listening_line_and_card_urls_name(start_server):
    server = start_server(workers=1)  # `--port 0`; its url read from the listening line
    assert not server.url.endswith(":0")
    request = urllib.request.Request(server.url + "/citizen-card", data=b'{"nameOnCard": "Port", "language": "en"}',
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        card = orjson.loads(response.read())
    assert card["url"].startswith(server.url + "/cards/")
    with urllib.request.urlopen(card["url"], timeout=30) as response:
        assert response.headers["Content-Type"] == "image/png"
