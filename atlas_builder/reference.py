"""The reference renderer: draws a recipe straight from the source art, resizing every
part at draw time as the replaced Node.js system did.

It is the correctness oracle for the fast path (same resize routine, same template and
text code) and the in-repo performance baseline (Pillow's default PNG encoder). At
scale > 1 it renders print resolution from the source art.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image

from service.recipe import Recipe
from service.render.compositor import draw_text_fields, hair_outline, tint
from service.render.text import TextPainter, painter_for

from .build import resolve_fonts
from .catalog import read_assets
from .resize import portrait_window
from .templates import draw_template

DECODED_SOURCES = 128  # about 4 MB each


@lru_cache(maxsize=DECODED_SOURCES)
def _decode(path: Path) -> Image.Image:
    with Image.open(path) as image:
        image.load()
        return image


class ReferenceRenderer:
    """Slow, simple, obviously right. `scale` multiplies every dimension of the card."""

    def __init__(self, assets_dir: Path | str, scale: float = 1.0) -> None:
        self.assets = read_assets(Path(assets_dir))
        self.scale = scale
        catalog = self.assets.catalog
        self.variants = {(c["id"], v["id"]): v for c in catalog["categories"] for v in c["variants"]}
        self.tinted = {c["id"] for c in catalog["categories"] if c.get("tinted")}
        self.hair_rgb = {c["id"]: tuple(c["rgb"]) for c in catalog["hair_colors"]}
        self.outline = hair_outline(catalog)
        font_table = resolve_fonts()
        self.painters: dict[str, TextPainter] = {
            lang: painter_for(font_table, lang, self.assets.layout, scale) for lang in self.assets.texts}
        self._templates: dict[str, Image.Image] = {}

    @property
    def max_native_scale(self) -> float:
        """Past this scale the source art is upsampled (1000 px canvas -> 400 px at scale 1)."""
        return 1 / self.assets.layout["portrait"]["canvas"]["scale"]

    def template(self, language: str) -> Image.Image:
        if language not in self._templates:
            self._templates[language] = draw_template(self.assets.layout, self.assets.texts[language],
                                                      self.painters[language])
        return self._templates[language]

    def blend(self, recipe: Recipe) -> Image.Image:
        layout = self.assets.layout
        card = self.template(recipe.language).copy()
        px, py = (round(v * self.scale) for v in layout["portrait"]["box"][:2])
        for category, variant in recipe.parts:
            if variant is None:
                continue
            source = _decode(self.assets.source_path(self.variants[(category, variant)]))
            window = portrait_window(source, layout["portrait"], self.scale)
            if category in self.tinted:
                window = tint(window, self.hair_rgb[recipe.hair_color], self.outline)
            card.paste(window, (px, py), window)
        return card

    def draw_text(self, card: Image.Image, recipe: Recipe) -> None:
        draw_text_fields(card, recipe, self.assets.texts[recipe.language], self.painters[recipe.language])

    @staticmethod
    def whole(card: Image.Image, language: str = "") -> Image.Image:
        """The whole card (this renderer draws whole cards, not bands)."""
        return card

    @staticmethod
    def encode(card: Image.Image, language: str = "") -> bytes:
        """Pillow's default PNG settings, as a straightforward service would use."""
        out = io.BytesIO()
        card.save(out, format="PNG")
        return out.getvalue()

    def render(self, recipe: Recipe) -> Image.Image:
        card = self.blend(recipe)
        self.draw_text(card, recipe)
        return card

    def render_png(self, recipe: Recipe) -> bytes:
        return self.encode(self.render(recipe))
