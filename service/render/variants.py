"""The stored variants of a card besides its PNG, made in the same worker pass (SPEC §2, issue 16).

What is stored per card, and under which names: service/card_files.py.

- ``webp``: the whole card as lossy WebP (quality 85, libwebp method 2): a third of the
  PNG's bytes for browsers that send ``Accept: image/webp``. Lossless WebP was measured
  and dropped: no smaller than our PNG, at 5x its CPU.
- ``og``: the social image, 1200x630 JPEG (q90), the card scaled onto a branded canvas so
  that the crops previews make (2:1 cuts 15 px top and bottom, 1.91:1 cuts 1 px; a centred
  square keeps x 285..915) cut only the canvas, never the card's header, portrait or seal.
  JPEG: half the bytes of a PNG for the same CPU, and every crawler takes it.
- ``thumb``: the card 600 px wide (600x380: exactly half, a box filter) as JPEG q85.

Why in the same pass rather than lazily on the first share-page fetch: the card is already
composed in the worker's memory (a lazy render would redraw it from the recipe, in a pool
that may hold another atlas version by then), the share page stays a read-only page that
costs no render, and an image a crawler asks for exists the moment the card is minted.
What each costs in CPU per card is in docs/BENCHMARKS.md (tests/perf/variants_bench.py);
a deployment picks the ones it pays for with CITIZEN_VARIANTS.
"""

from __future__ import annotations

import io
import time
from functools import cached_property

from PIL import Image, ImageDraw, ImageFilter

from service.card_files import PNG, VARIANTS, parse_variants

WEBP_QUALITY = 85
WEBP_METHOD = 2  # method 4 (the default) saves 4% more bytes at twice the CPU (tests/perf/variants_bench.py)
OG_JPEG_QUALITY = 90
THUMB_JPEG_QUALITY = 85
OG_CARD_HEIGHT = 500  # the card on the social canvas: 790x500, 65 px clear above and below
OG_BACKGROUND = (255, 236, 214)
OG_BAND = (226, 128, 64)
SPRINKLES = [(255, 140, 172), (140, 212, 190), (255, 206, 92), (140, 178, 236), (206, 150, 226)]


def encode_jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def encode_webp(image: Image.Image, quality: int = WEBP_QUALITY, method: int = WEBP_METHOD,
                lossless: bool = False) -> bytes:
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=quality, method=method, lossless=lossless)
    return out.getvalue()


class VariantMaker:
    """Makes the named variants of a whole card image. One per worker process (the social
    canvas is drawn once and reused)."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = parse_variants(names)

    @cached_property
    def canvas(self) -> Image.Image:
        """The branded 1200x630 background: cream, an orange band along each edge (the part a
        2:1 crop removes), sprinkles in the corners, a soft shadow where the card goes."""
        og = VARIANTS["og"]
        canvas = Image.new("RGB", (og.width, og.height), OG_BACKGROUND)
        draw = ImageDraw.Draw(canvas)
        draw.rectangle([0, 0, og.width, 14], fill=OG_BAND)
        draw.rectangle([0, og.height - 15, og.width, og.height], fill=OG_BAND)
        for i in range(36):  # fixed positions: every social image of a deployment looks alike
            x = 24 + (i * 97) % 170 if i % 2 else og.width - 24 - (i * 89) % 170
            y = 40 + (i * 53) % (og.height - 80)
            dx, dy = ((i * 7) % 11) - 5, ((i * 5) % 9) - 4
            draw.line([x - dx, y - dy, x + dx, y + dy], fill=SPRINKLES[i % len(SPRINKLES)], width=6)
        w, h = self.card_size
        x0, y0 = (og.width - w) // 2, (og.height - h) // 2
        shadow = Image.new("L", canvas.size, 0)
        ImageDraw.Draw(shadow).rounded_rectangle([x0 + 4, y0 + 10, x0 + w + 4, y0 + h + 10], radius=28, fill=90)
        shadow = shadow.filter(ImageFilter.GaussianBlur(10))
        canvas.paste((120, 70, 40), (0, 0), shadow)
        return canvas

    @cached_property
    def card_size(self) -> tuple[int, int]:
        return round(PNG.width * OG_CARD_HEIGHT / PNG.height), OG_CARD_HEIGHT

    @cached_property
    def card_mask(self) -> Image.Image:
        """The card's rounded corners on the canvas (the card's own corners are background-coloured)."""
        w, h = self.card_size
        mask = Image.new("L", (w, h), 0)
        ImageDraw.Draw(mask).rounded_rectangle([0, 0, w - 1, h - 1], radius=22, fill=255)
        return mask

    def social(self, card: Image.Image) -> Image.Image:
        og = VARIANTS["og"]
        w, h = self.card_size
        image = self.canvas.copy()
        image.paste(card.resize((w, h), Image.LANCZOS), ((og.width - w) // 2, (og.height - h) // 2), self.card_mask)
        return image

    def make_one(self, name: str, card: Image.Image) -> bytes:
        if name == "webp":
            return encode_webp(card)
        if name == "og":
            return encode_jpeg(self.social(card), OG_JPEG_QUALITY)
        return encode_jpeg(card.reduce(PNG.width // VARIANTS["thumb"].width), THUMB_JPEG_QUALITY)

    def make(self, card: Image.Image) -> tuple[list[tuple[str, bytes]], float]:
        """[(name, bytes)] for every configured variant of `card` (1200x760 RGB), and the seconds spent."""
        t0 = time.perf_counter()
        made = [(name, self.make_one(name, card)) for name in self.names]
        return made, time.perf_counter() - t0
