"""The server process's view of the atlas: the manifest's catalog and texts (to make
recipes) and the fonts (to measure names). Pixel pages are mapped only by workers."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from atlas_builder import manifest as fmt
from service import fonts
from service.alt_text import Describer
from service.odds import InvalidOdds, Odds
from service.render.text import TextPainter, painter_for

log = logging.getLogger("citizen_card.atlas")


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
    """Read and check the manifest `root` points at (raises fmt.AtlasError)."""
    directory = fmt.resolve(root)
    manifest = fmt.read(directory)
    painters = {lang: painter_for(manifest["fonts"], lang, manifest["layout"]) for lang in manifest["texts"]}
    coverage = {lang: fonts.Coverage(ranges) for lang, ranges in manifest["coverage"].items()}
    try:  # compiled here, off the event loop; an atlas whose rules do not hold is refused
        Odds.of(manifest["catalog"]).published()
    except InvalidOdds as exc:
        raise fmt.AtlasError(f"{directory}: {exc}") from exc
    return AtlasInfo(directory, manifest, painters, Describer(manifest["catalog"], manifest["texts"]), coverage)


async def ensure_atlas(root: Path, assets: Path) -> AtlasInfo:
    """Load the atlas, building it from assets/ first if there is none yet."""
    try:
        return load_atlas_info(root)
    except fmt.AtlasError:
        log.warning("no atlas at %s: building it from %s", root, assets)
        from atlas_builder.build import build

        await asyncio.to_thread(build, assets, root, None, False)
        return load_atlas_info(root)
