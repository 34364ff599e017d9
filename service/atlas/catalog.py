"""The server process's view of the atlas: the manifest's catalog and texts (to make
recipes and alt texts, and publish the odds) and the fonts (to measure names). Pixel pages
are mapped only by workers (pages.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from service import fonts
from service.alt_text import Describer
from service.atlas import format as fmt
from service.atlas.sections import Catalog, Texts
from service.odds import InvalidOdds, Odds
from service.render.text import NameFit, TextPainter, painter_for


@dataclass(frozen=True)
class AtlasInfo:
    directory: Path
    manifest: fmt.Manifest
    painters: dict[str, TextPainter]
    describer: Describer
    coverage: dict[str, list[fonts.Coverage]]  # per language: what each face of its chain covers

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def catalog(self) -> Catalog:
        return self.manifest.catalog

    @property
    def texts(self) -> Mapping[str, Texts]:
        """By language."""
        return self.manifest.texts

    @property
    def odds(self) -> Odds:
        """The catalog's compiled draw odds (compiled once, when the atlas was loaded)."""
        return Odds.of(self.manifest.catalog)

    def name_fit(self, language: str, name: str) -> NameFit | None:
        """How the name is set on the card (size, one or two lines), or None if it does not
        fit; the answer goes into the recipe so every render of it matches."""
        return self.painters[language].fit_name(name, self.manifest.layout.fields["name"])

    def fits(self, language: str):
        """A predicate for validate_name: does a name fit the name box?"""
        return lambda name: self.name_fit(language, name) is not None


def load_atlas_info(root: Path) -> AtlasInfo:
    """Read and check the manifest `root` points at (raises fmt.AtlasError).

    The server never builds an atlas: `make setup` and the image build do. A missing or
    unreadable atlas is an error naming the path and the reason (the server exits 1)."""
    directory = fmt.resolve(root)
    manifest = fmt.read(directory)
    painters = {lang: painter_for(manifest.fonts, lang, manifest.layout) for lang in manifest.languages}
    coverage = {lang: painters[lang].coverage for lang in manifest.languages}
    try:  # compiled here, off the event loop; an atlas whose rules do not hold is refused
        Odds.of(manifest.catalog).published()
    except InvalidOdds as exc:
        raise fmt.AtlasError(f"{directory}: {exc}") from exc
    return AtlasInfo(directory, manifest, painters, Describer(manifest.catalog, manifest.texts), coverage)
