"""The atlas on disk: a versioned directory of raw pixel files plus manifest.json, and the
typed manifest (the format's only definition: the builder writes through `Manifest`,
servers, workers and tools read through `read`).

Layout of an atlas root::

    current -> versions/<version>      (symlink, swapped atomically on publish)
    versions/<version>/manifest.json
    versions/<version>/page-00.rgba    (raw premultiplied RGBa rows, page width x height;
                                        straight RGBA in format 3)
    versions/<version>/template-ko.rgb (raw RGB card template per language)
    versions/<version>/shades.la       (tinted parts as grey + alpha, 2 bytes a pixel)

Raw files are uncompressed so a server can memory-map them and wrap sprites without
decoding. A manifest is checked once, when it is read: a field that is missing or of the
wrong type is an AtlasError naming the file and the field.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from service.atlas.fields import Fields, FormatError
from service.atlas.sections import Catalog, Layout, Texts

FORMAT = 4
"""2: narrow pages, shades.la for the tinted parts (issue 11). 3: "fonts" holds each
language's fallback chain per weight and "coverage" each face's cmap by PostScript name
(issue 14). 4: pages hold premultiplied alpha (RGBa), so a sprite is pasted with Pillow's
premultiplied blend, which is cheaper than the straight one (issue 11); the rest as in 3.
A build writes FORMAT; versions of format 3 are still read (they draw the cards minted
with them), anything older is refused and rebuilt."""
READABLE_FORMATS = (3, 4)
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


@dataclass(frozen=True, slots=True)
class RawFile:
    """One raw pixel file of a version: a page (4 channels), a template (3) or the shades
    (`width` is its byte count, `height` 1, `channels` 1)."""

    file: str
    width: int
    height: int
    channels: int
    sha256: str

    @property
    def size(self) -> int:
        return self.width * self.height * self.channels


@dataclass(frozen=True, slots=True)
class FontFace:
    """One face of a font file: the file, its index in a collection, its PostScript name."""

    path: str
    index: int
    postscript_name: str


@dataclass(frozen=True, slots=True)
class FontTable:
    """Each language's fallback chain of faces per weight ("Bold", "Regular"), and the cmap
    of every face in the Bold chains as code point ranges, by PostScript name (so servers
    check names and pick faces without loading fontTools)."""

    chains: Mapping[str, Mapping[str, tuple[FontFace, ...]]]
    coverage: Mapping[str, tuple[tuple[int, int], ...]]


@dataclass(frozen=True, slots=True)
class Manifest:
    """A version's manifest.json. `version` is the hash of everything else (see `body`)."""

    version: str
    width: int  # the card's size in px
    height: int
    pages: tuple[RawFile, ...]
    templates: Mapping[str, RawFile]  # by language
    shades: RawFile
    shade_offsets: Mapping[str, int]  # by sprite key: where its grey + alpha start in the shades
    sprites: Mapping[str, SpriteRect]  # by sprite key (sprite_key)
    catalog: Catalog
    layout: Layout
    texts: Mapping[str, Texts]  # by language
    fonts: FontTable
    format: int = FORMAT
    files: tuple[RawFile, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "files", (*self.pages, *self.templates.values(), self.shades))

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.texts)

    @property
    def sprite_mode(self) -> str:
        """The Pillow mode of the pages' pixels: "RGBa" (premultiplied), or "RGBA" in format 3."""
        return "RGBA" if self.format == 3 else "RGBa"

    def body(self) -> dict[str, Any]:
        """The manifest as JSON without its version: what the version hashes."""
        def raw(entry: RawFile) -> dict:
            return {"file": entry.file, "width": entry.width, "height": entry.height, "channels": entry.channels,
                    "sha256": entry.sha256}

        return {
            "format": self.format,
            "card": {"width": self.width, "height": self.height},
            "pages": [raw(page) for page in self.pages],
            "shades": {"file": self.shades.file, "bytes": self.shades.size, "sha256": self.shades.sha256,
                       "offsets": dict(self.shade_offsets)},
            "templates": {lang: raw(entry) for lang, entry in self.templates.items()},
            "sprites": {key: {"page": r.page, "x": r.x, "y": r.y, "w": r.w, "h": r.h, "card_x": r.card_x,
                              "card_y": r.card_y, "opaque": r.opaque} for key, r in self.sprites.items()},
            "catalog": self.catalog.source,
            "layout": self.layout.source,
            "texts": {lang: texts.source for lang, texts in self.texts.items()},
            "fonts": {lang: {weight: [{"path": f.path, "index": f.index, "postscript_name": f.postscript_name}
                                      for f in chain] for weight, chain in weights.items()}
                      for lang, weights in self.fonts.chains.items()},
            "coverage": {name: [list(r) for r in ranges] for name, ranges in self.fonts.coverage.items()},
        }

    def to_json(self) -> str:
        """manifest.json's text."""
        return json.dumps({**self.body(), "version": self.version}, ensure_ascii=False, indent=1,
                          default=_plain)

    @staticmethod
    def version_of(body: dict[str, Any]) -> str:
        """The content hash that names a version: same inputs, same version."""
        return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, default=_plain)
                              .encode()).hexdigest()[:16]

    @classmethod
    def from_json(cls, data: object, file: str = MANIFEST) -> Manifest:
        """Check and type a parsed manifest; FormatError names the first field that is wrong."""
        f = Fields(data, file, "")
        if f.data.get("format") not in READABLE_FORMATS:
            raise f.fail("format", f"not an atlas manifest of format {' or '.join(map(str, READABLE_FORMATS))} "
                                   f"(got {f.data.get('format')!r})")
        card, shades = f.section("card"), f.section("shades")
        texts = {lang: Texts.read(t.data, file, t.where) for lang, t in f.named("texts").items()}
        chains = {lang: {weight: tuple(FontFace(face.str("path"), face.int("index"), face.str("postscript_name"))
                                       for face in weights.sections(weight))
                         for weight in weights.data}
                  for lang, weights in ((lang, f.section("fonts").section(lang)) for lang in f.section("fonts").data)}
        coverage = {}
        for name, ranges in f.table("coverage").items():
            if not isinstance(ranges, list) or not all(isinstance(r, list) and len(r) == 2 for r in ranges):
                raise FormatError(file, f"coverage.{name}", "expected a list of [first, last] code points")
            coverage[name] = tuple((int(a), int(b)) for a, b in ranges)
        frozen = MappingProxyType  # the mappings of a read manifest are read-only too
        return cls(
            version=f.str("version"), width=card.int("width"), height=card.int("height"),
            pages=tuple(_raw(p) for p in f.sections("pages")),
            templates=frozen({lang: _raw(t) for lang, t in f.named("templates").items()}),
            shades=RawFile(shades.str("file"), shades.int("bytes"), 1, 1, shades.str("sha256")),
            shade_offsets=frozen({k: int(v) for k, v in shades.table("offsets").items()}),
            sprites=frozen({key: SpriteRect(
                page=s.int("page"), x=s.int("x"), y=s.int("y"), w=s.int("w"), h=s.int("h"), card_x=s.int("card_x"),
                card_y=s.int("card_y"), opaque=s.bool("opaque")) for key, s in f.named("sprites").items()}),
            catalog=Catalog.read(f.section("catalog").data, file, "catalog"),
            layout=Layout.read(f.section("layout").data, file, "layout"),
            texts=frozen(texts), fonts=FontTable(frozen(chains), frozen(coverage)), format=f.int("format"))


def _raw(f: Fields) -> RawFile:
    return RawFile(f.str("file"), f.int("width"), f.int("height"), f.int("channels"), f.str("sha256"))


def _plain(value: object) -> object:
    """JSON for the read-only mappings the typed sections hold."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


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


def read(version_dir: Path) -> Manifest:
    """Load and check a manifest, and that its raw files have their sizes (see verify for hashes)."""
    path = Path(version_dir) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AtlasError(f"cannot read {path}: {exc}") from exc
    try:
        manifest = Manifest.from_json(data, str(path))
    except FormatError as exc:
        raise AtlasError(str(exc)) from exc
    for entry in manifest.files:
        file = Path(version_dir) / entry.file
        if not file.is_file() or file.stat().st_size != entry.size:
            raise AtlasError(f"{file}: missing or not {entry.size} bytes (half-written atlas?)")
    return manifest


def verify(version_dir: Path) -> list[str]:
    """Every problem found comparing the files of a version with its manifest's hashes."""
    try:
        manifest = read(version_dir)
    except AtlasError as exc:
        return [str(exc)]
    problems = []
    for entry in manifest.files:
        actual = sha256_file(Path(version_dir) / entry.file)
        if actual != entry.sha256:
            problems.append(f"{entry.file}: sha256 {actual[:12]} does not match manifest {entry.sha256[:12]}")
    if Path(version_dir).name != manifest.version:
        problems.append(f"directory {Path(version_dir).name} does not match version {manifest.version}")
    return problems
