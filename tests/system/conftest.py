"""The image under test: `make image` (cached layers, cached base image) once per session."""

from __future__ import annotations

import os
import re
import subprocess
import time

import pytest

from tests.system.podman import ROOT, env, podman


@pytest.fixture(scope="session")
def image() -> str:
    """Build (or find in the layer cache) the image of this checkout; its name. `make test`
    has just run `make image` and names it in CITIZEN_TEST_IMAGE: that one is used as it is."""
    built = os.environ.get("CITIZEN_TEST_IMAGE")
    if built:
        podman("image", "exists", built)
        return built
    started = time.monotonic()
    result = subprocess.run(["make", "-s", "image"], cwd=ROOT, env=env(), capture_output=True, text=True,
                            timeout=1500)
    if result.returncode != 0:
        pytest.fail(f"make image failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    match = re.search(r"^image (\S+) \((\d+) bytes\) built in", result.stdout, re.MULTILINE)
    assert match, result.stdout[-2000:]
    print(f"\n{match.group(0)} (make image: {time.monotonic() - started:.0f} s)")
    return match.group(1)
