"""The fast path: recipe -> card pixels, from the memory-mapped atlas; no resizing.

Per card: copy the language's template, paste the pre-sized sprites (hair tinted by a
per-channel lookup table), draw the five text fields, encode. Built once per worker.
"""

from __future__ import annotations

from functools import cache

from PIL import Image, ImageDraw

from service.recipe import Recipe, format_date
from service.render.atlas import Atlas
from service.render.png import BandEncoder
from service.render.text import TextPainter, painter_for

FIELDS = ("name", "number", "issued", "address", "reason")


Outline = tuple[tuple[int, int, int], int, int]  # line colour, line tones up to, fill tones from


def hair_outline(catalog: dict) -> Outline | None:
    """The catalog's `hair_outline`: greyscale tones up to `tones[0]` are line art, drawn in
    `rgb` whatever the hair colour; from `tones[1]` up they are multiplied by it; blended
    between (anti-aliased edges). None (older atlases): every tone is multiplied."""
    spec = catalog.get("hair_outline")
    return None if spec is None else (tuple(spec["rgb"]), *spec["tones"])


@cache
def _channel_tables(rgb: tuple[int, int, int], outline: Outline | None = None) -> list[int]:
    """A point() table that multiplies R, G, B by the colour and leaves alpha alone."""
    if outline is None:
        table = [v * c // 255 for c in rgb for v in range(256)]
    else:
        line, dark, light = outline
        table = [line_c if v <= dark else v * c // 255 if v >= light
                 else round(line_c + (v * c / 255 - line_c) * (v - dark) / (light - dark))
                 for c, line_c in zip(rgb, line) for v in range(256)]
    return table + list(range(256))


def tint(image: Image.Image, rgb: tuple[int, int, int], outline: Outline | None = None) -> Image.Image:
    """Multiply a greyscale-drawn RGBA part by a colour (straight alpha is kept), its line
    art kept in the outline colour."""
    return image.point(_channel_tables(tuple(rgb), outline))


def field_values(recipe: Recipe, texts: dict) -> dict[str, str]:
    return {"name": recipe.name, "number": recipe.number, "issued": format_date(texts, recipe.issued),
            "address": recipe.address, "reason": recipe.reason}


def draw_text_fields(image: Image.Image, recipe: Recipe, texts: dict, painter: TextPainter, dy: int = 0) -> None:
    """The five per-card fields; `dy` shifts them when `image` is a band of the card."""
    draw = ImageDraw.Draw(image)
    values = field_values(recipe, texts)
    for field in FIELDS:
        painter.draw_field(draw, values[field], painter.layout["fields"][field], dy)


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
        self.outline = hair_outline(manifest["catalog"])
        self.painters = {lang: painter_for(manifest["fonts"], lang, self.layout) for lang in self.texts}
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
                sprite = tint(sprite, self.hair_rgb[recipe.hair_color], self.outline)
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
