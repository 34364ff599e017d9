"""Atomic publication of an atlas version and pruning of old ones.

A version is written into a temporary directory, fsynced, renamed to versions/<hash>,
and only then is the `current` symlink replaced (rename over it: atomic on POSIX).
A server reading `current` sees either the old complete version or the new one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .manifest import CURRENT, VERSIONS

KEEP_VERSIONS = 3


def publish(root: Path, version: str, write: Callable[[Path], None]) -> Path:
    """Write a version with `write(tmp_dir)`, move it into place, swap `current`."""
    versions = Path(root) / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    final = versions / version
    if not final.exists():
        tmp = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=versions))
        try:
            write(tmp)
            for file in tmp.iterdir():
                with file.open("rb") as handle:
                    os.fsync(handle.fileno())
            os.rename(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    link = Path(root) / f".{CURRENT}.tmp"
    link.unlink(missing_ok=True)
    link.symlink_to(Path(VERSIONS) / version)
    os.replace(link, Path(root) / CURRENT)
    _fsync_dir(Path(root))
    return final


def prune(root: Path, keep: int = KEEP_VERSIONS) -> list[str]:
    """Delete all but the `keep` newest versions, never the current one. Servers that
    still map a deleted version keep working: unlinked files live until unmapped."""
    versions = Path(root) / VERSIONS
    current = (Path(root) / CURRENT).resolve().name
    candidates = sorted((p for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")),
                        key=lambda p: p.stat().st_mtime, reverse=True)
    removed = []
    for old in candidates[keep:]:
        if old.name != current:
            shutil.rmtree(old)
            removed.append(old.name)
    return removed


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
