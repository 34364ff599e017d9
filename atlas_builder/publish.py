"""Atomic publication of an atlas version, and the retention of old ones.

A version is written into a temporary directory, fsynced, renamed to versions/<hash>,
and only then is the `current` symlink replaced (rename over it: atomic on POSIX).
A server reading `current` sees either the old complete version or the new one.

A published version is world-readable (directories 0755, files 0644) whatever the umask
and `mkdtemp` (which creates 0700) say: the atlas is often built by one user (a CI job,
root in an image build) and served by another (uid 10001 in the image, a service account).

Retention: every stored card names the atlas version it was drawn with, and its print
re-render (`citizen-card render --recipe`) needs that version. So building never deletes a
version. Each publication is appended to `history.jsonl` (version, UTC time), which tells
when each version stopped being current; `citizen-atlas gc --keep-since DATE` deletes only
the versions that stopped being current before DATE (no card minted since DATE can name
them), never the current one, and prints each one it removes (`--dry-run` only prints).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from service.atlas.format import CURRENT, MANIFEST, VERSIONS

HISTORY = "history.jsonl"


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
    with open(Path(root) / HISTORY, "a", encoding="utf-8") as history:
        history.write(json.dumps({"version": version, "published": _now().isoformat()}) + "\n")
    return final


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class Retired:
    """A version that is no longer current, and the last moment it was."""

    version: str
    current_until: dt.datetime


def retired_versions(root: Path) -> list[Retired]:
    """Every stored version except the current one, with when it stopped being current: the
    next publication after its last one in history.jsonl. A version missing from the history
    (built before it was kept) counts from its manifest's time, so it is kept as long as the
    first publication after it is within the retention window."""
    root = Path(root)
    current = (root / CURRENT).resolve().name if (root / CURRENT).exists() else None
    events: list[tuple[dt.datetime, str]] = []
    logged = set()
    if (root / HISTORY).exists():
        for line in (root / HISTORY).read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                events.append((dt.datetime.fromisoformat(entry["published"]), entry["version"]))
                logged.add(entry["version"])
    stored = [p for p in (root / VERSIONS).iterdir() if p.is_dir() and not p.name.startswith(".")]
    for path in stored:
        if path.name not in logged:
            mtime = (path / MANIFEST).stat().st_mtime if (path / MANIFEST).exists() else path.stat().st_mtime
            events.append((dt.datetime.fromtimestamp(mtime, dt.timezone.utc), path.name))
    events.sort()
    until: dict[str, dt.datetime] = {}
    for (_, version), (later, _) in zip(events, [*events[1:], (_now(), "")]):
        until[version] = later  # the last publication of a version wins (sorted by time)
    return sorted((Retired(p.name, until.get(p.name, _now())) for p in stored if p.name != current),
                  key=lambda r: r.current_until)


def gc(root: Path, keep_since: dt.datetime, *, dry_run: bool = False) -> list[Retired]:
    """Delete (unless dry_run) the versions that stopped being current before `keep_since`;
    return them. Servers that still map a deleted version keep working: unlinked files live
    until unmapped."""
    doomed = [r for r in retired_versions(root) if r.current_until < keep_since]
    if not dry_run:
        for retired in doomed:
            shutil.rmtree(Path(root) / VERSIONS / retired.version)
    return doomed


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
