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


def clone_atlas_root(source_version: Path, root: Path, *, link: bool = True) -> Path:
    """An atlas root at `root` whose `current` is a copy of `source_version` (hard links if
    `link`: never write into such a file, it is the source's too)."""
    versions = root / fmt.VERSIONS
    versions.mkdir(parents=True)
    target = versions / source_version.name
    try:
        shutil.copytree(source_version, target, copy_function=os.link if link else shutil.copy2)
    except OSError:  # another file system: copy
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source_version, target)
    point_current(root, source_version.name)
    return root


def point_current(root: Path, version: str) -> None:
    """Swap root/current to versions/<version> atomically (as atlas_builder.publish does)."""
    link = root / f".{fmt.CURRENT}.tmp"
    link.unlink(missing_ok=True)
    link.symlink_to(Path(fmt.VERSIONS) / version)
    os.replace(link, root / fmt.CURRENT)


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
