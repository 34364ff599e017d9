"""The atlas on disk: a versioned directory of raw pixel files plus manifest.json.

Layout of an atlas root::

    current -> versions/<version>      (symlink, swapped atomically on publish)
    versions/<version>/manifest.json
    versions/<version>/page-00.rgba    (raw straight-alpha RGBA rows, page width x height)
    versions/<version>/template-ko.rgb (raw RGB card template per language)
    versions/<version>/shades.la       (tinted parts as grey + alpha, 2 bytes a pixel)

Raw files are uncompressed so a server can memory-map them and wrap sprites without
decoding. This module is the format's only definition and uses the stdlib only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

FORMAT = 3
"""2: narrow pages, shades.la for the tinted parts (issue 11). 3: "fonts" holds each
language's fallback chain per weight and "coverage" each face's cmap by PostScript name
(issue 14). An older format is refused and rebuilt."""
MANIFEST = "manifest.json"
SHADES = "shades.la"
CURRENT = "current"
VERSIONS = "versions"


class AtlasError(Exception):
    """The atlas is missing, corrupt or does not match its manifest."""


@dataclass(frozen=True, slots=True)
class SpriteRect:
    """Where a sprite lives in its page and where it lands in the card (top-left)."""

    page: int
    x: int
    y: int
    w: int
    h: int
    card_x: int
    card_y: int
    opaque: bool


def sprite_key(category: str, variant: str) -> str:
    return f"{category}/{variant}"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve(root: Path) -> Path:
    """The version directory an atlas root points at (root itself if it is a version)."""
    root = Path(root)
    try:
        if (root / MANIFEST).is_file():
            return root
        pointer = root / CURRENT
        if not pointer.exists():
            raise AtlasError(f"no atlas at {root}: build one with `citizen-atlas build --out {root}`")
        return pointer.resolve()
    except OSError as exc:  # EACCES: a directory on the way this user may not search
        raise AtlasError(f"cannot read the atlas at {root}: {exc}") from exc


def read(version_dir: Path) -> dict:
    """Load and sanity-check a manifest (structure only; see verify for hashes)."""
    path = Path(version_dir) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AtlasError(f"cannot read {path}: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise AtlasError(f"{path}: not an atlas manifest of format {FORMAT}")
    for key in ("version", "card", "pages", "templates", "shades", "sprites", "catalog", "layout", "texts",
                "fonts", "coverage"):
        if key not in manifest:
            raise AtlasError(f"{path}: missing key {key!r}")
    for entry in _files(manifest):
        file = Path(version_dir) / entry["file"]
        expected = _size(entry)
        if not file.is_file() or file.stat().st_size != expected:
            raise AtlasError(f"{file}: missing or not {expected} bytes (half-written atlas?)")
    return manifest


def _files(manifest: dict) -> list[dict]:
    """Every raw file of a version: pages, templates, shades."""
    return [*manifest["pages"], *manifest["templates"].values(), manifest["shades"]]


def _size(entry: dict) -> int:
    return entry["bytes"] if "bytes" in entry else entry["width"] * entry["height"] * entry["channels"]


def sprites(manifest: dict) -> dict[str, SpriteRect]:
    return {key: SpriteRect(**rect) for key, rect in manifest["sprites"].items()}


def verify(version_dir: Path) -> list[str]:
    """Every problem found comparing the files of a version with its manifest's hashes."""
    try:
        manifest = read(version_dir)
    except AtlasError as exc:
        return [str(exc)]
    problems = []
    for entry in _files(manifest):
        actual = sha256_file(Path(version_dir) / entry["file"])
        if actual != entry["sha256"]:
            problems.append(f"{entry['file']}: sha256 {actual[:12]} does not match manifest {entry['sha256'][:12]}")
    if Path(version_dir).name != manifest["version"]:
        problems.append(f"directory {Path(version_dir).name} does not match version {manifest['version']}")
    return problems
