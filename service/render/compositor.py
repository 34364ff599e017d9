"""The fast path: recipe -> card pixels, from the memory-mapped atlas; no resizing.

Per card: copy the language's template, paste the pre-sized sprites (hair tinted by a
per-channel lookup table), draw the five text fields, encode. Built once per worker.
"""

from __future__ import annotations

from functools import cache

from PIL import Image

from service.recipe import Recipe, format_date
from service.render.atlas import Atlas
from service.render.png import BandEncoder
from service.render.text import TextPainter, painter_for

FIELDS = ("name", "number", "issued", "address", "reason")
RECURRING = ("issued", "reason")  # drawn from short lists: their composed lines are cached


@cache
def _channel_tables(rgb: tuple[int, int, int]) -> list[int]:
    """A point() table that multiplies R, G, B by the colour and leaves alpha alone."""
    table = [v * c // 255 for c in rgb for v in range(256)]
    return table + list(range(256))


def tint(image: Image.Image, rgb: tuple[int, int, int]) -> Image.Image:
    """Multiply a greyscale-drawn RGBA part by a colour (straight alpha is kept)."""
    return image.point(_channel_tables(tuple(rgb)))


def field_values(recipe: Recipe, texts: dict) -> dict[str, str]:
    return {"name": recipe.name, "number": recipe.number, "issued": format_date(texts, recipe.issued),
            "address": recipe.address, "reason": recipe.reason}


def draw_text_fields(image: Image.Image, recipe: Recipe, texts: dict, painter: TextPainter, dy: int = 0) -> None:
    """The five per-card fields; `dy` shifts them when `image` is a band of the card."""
    values = field_values(recipe, texts)
    fields = painter.layout["fields"]
    painter.draw_name(image, recipe.name, fields["name"], dy, recipe.name_fit)
    for field in FIELDS[1:]:
        painter.draw_field(image, values[field], fields[field], dy, recurs=field in RECURRING)


class Compositor:
    """Renders recipes against one mapped atlas. One instance per worker process.

    Only the layout's band (the rows a request can change: portrait and fields) is
    composed and compressed per card; the rows above and below were filtered and
    deflated once, at start, by a BandEncoder per language.
    """

    def __init__(self, atlas: Atlas) -> None:
        self.atlas = atlas
        manifest = atlas.manifest
        self.layout = manifest["layout"]
        self.texts = manifest["texts"]
        self.hair_rgb = {c["id"]: tuple(c["rgb"]) for c in manifest["catalog"]["hair_colors"]}
        self.tinted = {c["id"] for c in manifest["catalog"]["categories"] if c.get("tinted")}
        self.painters = {lang: painter_for(manifest, lang, self.layout) for lang in self.texts}
        self.band = tuple(self.layout["band"])
        width, height = manifest["card"]["width"], manifest["card"]["height"]
        self.encoders = {lang: BandEncoder(atlas.template_bytes(lang), width, height, self.band)
                         for lang in self.texts}

    def blend(self, recipe: Recipe) -> Image.Image:
        """The template's band with every chosen part pasted in draw order."""
        if recipe.atlas_version != self.atlas.version:
            raise ValueError(f"recipe is for atlas {recipe.atlas_version}, this worker has {self.atlas.version}")
        y0, _ = self.band
        band = self.atlas.template_rows(recipe.language, *self.band).copy()
        for category, variant in recipe.parts:
            if variant is None:
                continue
            sprite, (x, y), opaque = self.atlas.sprite(category, variant)
            if category in self.tinted:
                sprite = tint(sprite, self.hair_rgb[recipe.hair_color])
            band.paste(sprite, (x, y - y0), None if opaque else sprite)
        return band

    def draw_text(self, band: Image.Image, recipe: Recipe) -> None:
        draw_text_fields(band, recipe, self.texts[recipe.language], self.painters[recipe.language], -self.band[0])

    def encode(self, band: Image.Image, language: str) -> bytes:
        return self.encoders[language].encode_band(band.tobytes())

    def render(self, recipe: Recipe) -> Image.Image:
        """The whole card as an image (for previews and tests; the server sends render_png)."""
        band = self.blend(recipe)
        self.draw_text(band, recipe)
        card = self.atlas.template(recipe.language).copy()
        card.paste(band, (0, self.band[0]))
        return card

    def render_png(self, recipe: Recipe) -> bytes:
        band = self.blend(recipe)
        self.draw_text(band, recipe)
        return self.encode(band, recipe.language)
