"""The reference renderer: draws a recipe straight from the source art, resizing every
part at draw time as the replaced Node.js system did.

It is the correctness oracle for the fast path (same resize routine, same template and
text code) and the in-repo performance baseline (Pillow's default PNG encoder). At
scale > 1 it renders print resolution from the source art. It is a renderer that a server
runs (`--renderer reference`), so it lives here, not in the atlas builder; it reads assets/
through the atlas format's typed sections.
"""

from __future__ import annotations

import io
import json
from functools import lru_cache
from pathlib import Path

from PIL import Image

from service import fonts
from service.atlas.sections import Catalog, Layout, Texts
from service.recipe import Recipe
from service.render.compositor import draw_text_fields, tint
from service.render.resample import portrait_window
from service.render.template import draw_template
from service.render.text import TextPainter, painter_for

DECODED_SOURCES = 128  # about 4 MB each


def _load(path: Path) -> object:
    """A JSON file of the assets (FileNotFoundError or ValueError naming it)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from exc


@lru_cache(maxsize=DECODED_SOURCES)
def _decode(path: Path) -> Image.Image:
    with Image.open(path) as image:
        image.load()
        return image


class ReferenceRenderer:
    """Slow, simple, obviously right. `scale` multiplies every dimension of the card."""

    def __init__(self, assets_dir: Path | str, scale: float = 1.0) -> None:
        root = Path(assets_dir)
        self.root, self.scale = root, scale
        catalog = Catalog.read(_load(root / "catalog.json"), str(root / "catalog.json"))
        self.layout = Layout.read(_load(root / "layout.json"), str(root / "layout.json"))
        self.texts = {lang: Texts.read(_load(root / "texts" / f"{lang}.json"), str(root / "texts" / f"{lang}.json"))
                      for lang in fonts.LANGUAGES}
        self.files = {(c.id, v.id): v.file for c in catalog.categories for v in c.variants}
        self.tinted = {c.id for c in catalog.categories if c.tinted}
        self.hair_rgb = {c.id: c.rgb for c in catalog.hair_colors}
        self.outline = catalog.hair_outline
        font_table = fonts.font_table()
        self.painters: dict[str, TextPainter] = {
            lang: painter_for(font_table, lang, self.layout, scale) for lang in self.texts}
        self._templates: dict[str, Image.Image] = {}

    @property
    def max_native_scale(self) -> float:
        """Past this scale the source art is upsampled (1000 px canvas -> 400 px at scale 1)."""
        return 1 / self.layout.portrait.canvas_scale

    def template(self, language: str) -> Image.Image:
        if language not in self._templates:
            self._templates[language] = draw_template(self.layout, self.texts[language], self.painters[language])
        return self._templates[language]

    def blend(self, recipe: Recipe) -> Image.Image:
        portrait = self.layout.portrait
        card = self.template(recipe.language).copy()
        px, py = (round(v * self.scale) for v in portrait.box[:2])
        for category, variant in recipe.parts:
            if variant is None:
                continue
            source = _decode(self.root / self.files[(category, variant)])
            window = portrait_window(source, portrait, self.scale)
            if category in self.tinted:
                window = tint(window, self.hair_rgb[recipe.hair_color], self.outline)
            card.paste(window, (px, py), window)
        return card

    def draw_text(self, card: Image.Image, recipe: Recipe) -> None:
        draw_text_fields(card, recipe, self.texts[recipe.language], self.painters[recipe.language])

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
