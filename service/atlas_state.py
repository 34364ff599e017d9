"""The server process's view of the atlas: the manifest's catalog and texts (to make
recipes) and the fonts (to measure names). Pixel pages are mapped only by workers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from atlas_builder import manifest as fmt
from service import fonts
from service.alt_text import Describer
from service.render.text import TextPainter, painter_for


@dataclass(frozen=True)
class AtlasInfo:
    directory: Path
    manifest: dict
    painters: dict[str, TextPainter]
    describer: Describer
    coverage: dict[str, fonts.Coverage]

    @property
    def version(self) -> str:
        return self.manifest["version"]

    def fits(self, language: str):
        """A predicate: does a name fit the name box at the smallest font size?"""
        painter, spec = self.painters[language], self.manifest["layout"]["fields"]["name"]
        return lambda name: painter.width(name, spec["weight"], spec["min_size"]) <= spec["width"]


def load_atlas_info(root: Path) -> AtlasInfo:
    """Read and check the manifest `root` points at (raises fmt.AtlasError).

    The server never builds an atlas: `make setup` and the image build do. A missing or
    unreadable atlas is an error naming the path and the reason (the server exits 1)."""
    directory = fmt.resolve(root)
    manifest = fmt.read(directory)
    painters = {lang: painter_for(manifest["fonts"], lang, manifest["layout"]) for lang in manifest["texts"]}
    coverage = {lang: fonts.Coverage(ranges) for lang, ranges in manifest["coverage"].items()}
    return AtlasInfo(directory, manifest, painters, Describer(manifest["catalog"], manifest["texts"]), coverage)
