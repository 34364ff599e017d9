"""Fixtures shared by tests/test_reliability_*.py (imported by each of those modules).

Every reliability server gets a private atlas root (a hard-linked copy of the version
build/atlas/current points at, taken once per session), so a rebuild of build/atlas by
someone else during the run cannot hot-reload our servers, and the hot-reload tests can
publish versions into a root of their own.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from atlas_builder import manifest as fmt
from tests.s3_fault_proxy import FaultProxy


def clone_atlas_root(source_version: Path, root: Path) -> Path:
    """An atlas root at `root` whose `current` is a hard-linked copy of `source_version`."""
    versions = root / fmt.VERSIONS
    versions.mkdir(parents=True)
    target = versions / source_version.name
    try:
        shutil.copytree(source_version, target, copy_function=os.link)
    except OSError:  # another file system: copy
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source_version, target)
    (root / fmt.CURRENT).symlink_to(Path(fmt.VERSIONS) / source_version.name)
    return root


@pytest.fixture(scope="session")
def base_atlas_version(atlas_dir: Path, tmp_path_factory) -> Path:
    """A snapshot of the version build/atlas/current points at now (immune to rebuilds)."""
    return clone_atlas_root(fmt.resolve(atlas_dir), tmp_path_factory.mktemp("atlas-base") / "atlas") \
        / fmt.VERSIONS / fmt.resolve(atlas_dir).name


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
