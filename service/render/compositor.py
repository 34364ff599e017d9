"""The fast path: recipe -> card pixels, from the memory-mapped atlas; no resizing.

Per card: copy the language's template band, paste the pre-sized sprites (hair tinted by
a palette over its grey levels), draw the five text fields, encode the band. Built once
per worker. Why each step is the way it is (measured, docs/BENCHMARKS.md):
- sprites are stored premultiplied (RGBa) and pasted with themselves as the mask, directly
  into the RGB band: Pillow's premultiplied blend (out * (255 - a) / 255 + in) is one
  multiply a channel where the straight one is two (the pastes 2-3x faster on the bench's
  cards, the blend 10% in the card loop, where the sprites come cold from memory);
  composing the portrait in RGBA with `alpha_composite` (pillow-simd's AVX2 kernel) and
  pasting it once measured slower, since each layer then costs a crop, the composite and
  a paste;
- hair is tinted by a PA -> RGBA conversion with a palette (atlas shades.la), then
  premultiplied, not by `point()` over the sprite;
- the band is a plain copy of the template's band rows decoded once per worker, and
  reaches the encoder as the raw encoder's padded rows (no tobytes, no numpy filter pass).
"""

from __future__ import annotations

from functools import cache

from PIL import Image

from service.atlas.pages import Atlas
from service.atlas.sections import Texts
from service.recipe import Recipe, format_date
from service.render.png import BandEncoder
from service.render.text import TextPainter, painter_for

FIELDS = ("name", "number", "issued", "address", "reason")
RECURRING = ("issued", "reason")  # drawn from short lists: their composed lines are cached


# The catalog's hair_outline: greyscale tones up to the first are line art, drawn in the line
# colour whatever the hair colour; from the second up they are multiplied by it; blended between
# (anti-aliased edges). None (older atlases): every tone is multiplied.
Outline = tuple[tuple[int, ...], int, int]


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
    """Multiply a greyscale-drawn part by a colour, its line art kept in the outline colour:
    an RGBA image in straight alpha (alpha kept), from an RGBA or a premultiplied RGBa part."""
    if image.mode == "RGBa":  # the tones are the straight greys
        image = image.convert("RGBA")
    return image.point(_channel_tables(tuple(rgb), outline))


def tint_palette(rgb: tuple[int, int, int], outline: Outline | None = None) -> bytes:
    """The palette giving grey level g the colour `tint` gives it (g * rgb // 255, line art
    kept in the outline colour): `tint` for a grey part, in one palette conversion."""
    table = _channel_tables(tuple(rgb), outline)
    return bytes(table[channel * 256 + v] for v in range(256) for channel in range(3))


def padded_rows(image: Image.Image, stride: int) -> bytes:
    """The RGB image's rows packed to 3 bytes a pixel, each followed by zeros up to `stride`
    bytes, in one pass of Pillow's raw encoder. (`tobytes()` runs the same encoder in 64 KiB
    pieces and joins them: a second copy of the band, +0.07 ms a card, measured.)"""
    encoder = Image._getencoder(image.mode, "raw", ("RGB", stride))
    encoder.setimage(image.im, (0, 0, *image.size))
    _, status, data = encoder.encode(stride * image.height)
    if status != 1:
        raise RuntimeError(f"raw encoder status {status}")
    return data


def field_values(recipe: Recipe, texts: Texts) -> dict[str, str]:
    return {"name": recipe.name, "number": recipe.number, "issued": format_date(texts, recipe.issued),
            "address": recipe.address, "reason": recipe.reason}


def draw_text_fields(image: Image.Image, recipe: Recipe, texts: Texts, painter: TextPainter, dy: int = 0) -> None:
    """The five per-card fields; `dy` shifts them when `image` is a band of the card."""
    values = field_values(recipe, texts)
    fields = painter.layout.fields
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
        self.layout = manifest.layout
        self.texts = manifest.texts
        self.hair_rgb = {c.id: c.rgb for c in manifest.catalog.hair_colors}
        self.outline = manifest.catalog.hair_outline
        self.hair_palettes = {colour: tint_palette(rgb, self.outline) for colour, rgb in self.hair_rgb.items()}
        self.tinted = {c.id for c in manifest.catalog.categories if c.tinted}
        self.painters = {lang: painter_for(manifest.fonts, lang, self.layout) for lang in self.texts}
        self.band = self.layout.band
        width, height = manifest.width, manifest.height
        self.encoders, self._band_templates = {}, {}
        y0, y1 = self.band
        for lang in self.texts:
            template = atlas.template_bytes(lang)
            self.encoders[lang] = BandEncoder(template, width, height, self.band)
            # The band rows, decoded once into Pillow's 4-bytes-a-pixel RGB: a card starts
            # from a plain copy of them (0.07 ms), where decoding the mapped 3-byte rows
            # again cost 0.20 ms (Pillow zero-fills a new image, then unpacks into it).
            self._band_templates[lang] = Image.frombytes("RGB", (width, y1 - y0),
                                                         template[y0 * width * 3:y1 * width * 3])

    def blend(self, recipe: Recipe) -> Image.Image:
        """The template's band with every chosen part pasted in draw order."""
        if recipe.atlas_version != self.atlas.version:
            raise ValueError(f"recipe is for atlas {recipe.atlas_version}, this worker has {self.atlas.version}")
        y0, _ = self.band
        band = self.template_band(recipe.language)
        canvas = band.im  # pasted through the core: Image.paste's checks are Python, per layer
        for category, variant in recipe.parts:
            if variant is None:
                continue
            sprite, (x, y), opaque = self.layer(category, variant, recipe.hair_color)
            box = (x, y - y0, x + sprite.width, y - y0 + sprite.height)
            if opaque:
                canvas.paste(sprite.im, box)
            else:
                canvas.paste(sprite.im, box, sprite.im)  # the sprite is its own mask, blended by its mode
        return band

    def template_band(self, language: str) -> Image.Image:
        """A new, writable copy of the language's template band."""
        return self._band_templates[language].copy()

    def layer(self, category: str, variant: str, hair_color: str) -> tuple[Image.Image, tuple[int, int], bool]:
        """(sprite, top-left on the card, opaque) for one part, tinted if its category is; the
        sprite is pasted with itself as the mask (its mode, RGBa or RGBA, says how it blends)."""
        sprite, where, opaque = self.atlas.sprite(category, variant)
        if category in self.tinted:
            shaded = self.atlas.tinted(category, variant, self.hair_palettes[hair_color])
            sprite = shaded if shaded is not None else tint(sprite, self.hair_rgb[hair_color], self.outline)
        return sprite, where, opaque

    def draw_text(self, band: Image.Image, recipe: Recipe) -> None:
        draw_text_fields(band, recipe, self.texts[recipe.language], self.painters[recipe.language], -self.band[0])

    def encode(self, band: Image.Image, language: str) -> bytes:
        encoder = self.encoders[language]
        return encoder.encode_padded(padded_rows(band, encoder.padded_stride))

    def whole(self, band: Image.Image, language: str) -> Image.Image:
        """The whole card from a finished band (the template's rows around it)."""
        card = self.atlas.template(language).copy()
        card.paste(band, (0, self.band[0]))
        return card

    def render(self, recipe: Recipe) -> Image.Image:
        """The whole card as an image (for previews and tests; the server sends render_png)."""
        band = self.blend(recipe)
        self.draw_text(band, recipe)
        return self.whole(band, recipe.language)

    def render_png(self, recipe: Recipe) -> bytes:
        band = self.blend(recipe)
        self.draw_text(band, recipe)
        return self.encode(band, recipe.language)
