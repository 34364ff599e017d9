"""Atomic publication of an atlas version and pruning of old ones.

A version is written into a temporary directory, fsynced, renamed to versions/<hash>,
and only then is the `current` symlink replaced (rename over it: atomic on POSIX).
A server reading `current` sees either the old complete version or the new one.

A published version is world-readable (directories 0755, files 0644) whatever the umask
and `mkdtemp` (which creates 0700) say: the atlas is often built by one user (a CI job,
root in an image build) and served by another (uid 10001 in the image, a service account).
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
    for directory in (Path(root), versions):
        _let_everyone_read(directory)
    final = versions / version
    if not final.exists():
        tmp = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=versions))
        try:
            write(tmp)
            for file in tmp.iterdir():
                with file.open("rb") as handle:
                    os.fsync(handle.fileno())
            _publishable_modes(tmp)
            os.rename(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    elif final.stat().st_uid == os.geteuid():
        _publishable_modes(final)  # published before modes were set (a 0700 mkdtemp directory)
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


def _publishable_modes(version_dir: Path) -> None:
    """Directories 0755 and files 0644 throughout a version about to be published."""
    os.chmod(version_dir, 0o755)
    for parent, dirs, files in os.walk(version_dir):
        for name in dirs:
            os.chmod(os.path.join(parent, name), 0o755)
        for name in files:
            os.chmod(os.path.join(parent, name), 0o644)


def _let_everyone_read(directory: Path) -> None:
    """Add read and search for everyone to a directory above the versions (keeping any
    other bits its owner set); one we do not own is left as it is."""
    mode = directory.stat().st_mode & 0o7777
    if mode & 0o555 != 0o555:
        try:
            os.chmod(directory, mode | 0o555)
        except PermissionError:
            pass


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
