"""Resize a part from its source canvas to exactly the pixels it covers on the card.

The one resampling routine of the project: the atlas builder calls it once per part
(cached), the reference renderer calls it on every draw. Resampling happens in
premultiplied alpha so transparent pixels' colour cannot bleed into edges (no halos).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import diskcache
from PIL import Image

FILTER = Image.Resampling.LANCZOS
# Bump when the resize output changes for the same inputs (invalidates the cache).
RECIPE_TAG = "lanczos-premultiplied-v1"


def portrait_window(image: Image.Image, portrait: dict, scale: float) -> Image.Image:
    """Resize a source canvas into the portrait window at `scale` (RGBA, straight alpha)."""
    canvas = portrait["canvas"]
    width = round(image.width * canvas["scale"] * scale)
    height = round(image.height * canvas["scale"] * scale)
    resized = image.convert("RGBa").resize((width, height), FILTER).convert("RGBA")
    ox, oy = (round(v * scale) for v in canvas["offset"])
    _, _, pw, ph = portrait["box"]
    return resized.crop((-ox, -oy, -ox + round(pw * scale), -oy + round(ph * scale)))


@dataclass(frozen=True)
class Sprite:
    """A trimmed, resized part: its pixels and its top-left inside the portrait window."""

    image: Image.Image
    x: int
    y: int


def trim(window: Image.Image, opaque: bool) -> Sprite:
    """Cut fully transparent borders; opaque parts (backgrounds) keep the whole window."""
    bbox = None if opaque else window.getchannel("A").getbbox()
    if bbox is None and not opaque:
        bbox = (0, 0, 1, 1)  # an empty part still needs a (transparent) pixel
    if bbox is None:
        return Sprite(window, 0, 0)
    return Sprite(window.crop(bbox), bbox[0], bbox[1])


class SpriteCache:
    """Resized sprites keyed by source content hash + target geometry + filter."""

    def __init__(self, directory: str) -> None:
        self._cache = diskcache.Cache(directory, size_limit=2**31)
        self.hits = 0
        self.misses = 0

    def sprite(self, source: bytes, portrait: dict, opaque: bool) -> Sprite:
        key = "|".join([hashlib.sha256(source).hexdigest(), repr(portrait["canvas"]),
                        repr(portrait["box"][2:]), str(opaque), RECIPE_TAG])
        cached = self._cache.get(key)
        if cached is not None:
            self.hits += 1
            width, height, x, y, pixels = cached
            return Sprite(Image.frombytes("RGBA", (width, height), pixels), x, y)
        self.misses += 1
        with Image.open(io.BytesIO(source)) as image:
            sprite = trim(portrait_window(image, portrait, 1.0), opaque)
        self._cache.set(key, (sprite.image.width, sprite.image.height, sprite.x, sprite.y,
                              sprite.image.tobytes()))
        return sprite

    def close(self) -> None:
        self._cache.close()
