"""Each part resized once (service.render.resample, cached by content) and trimmed to the
pixels it covers."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import diskcache
from PIL import Image

from service.atlas.sections import Portrait
from service.render.resample import portrait_window

# Bump when the resize output changes for the same inputs (invalidates the cache).
RECIPE_TAG = "lanczos-premultiplied-v1"


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

    def sprite(self, source: bytes, portrait: Portrait, opaque: bool) -> Sprite:
        # (the key spells the geometry as the layout.json dicts did, so old cache entries still hit)
        canvas = {"scale": portrait.canvas_scale, "offset": list(portrait.canvas_offset)}
        key = "|".join([hashlib.sha256(source).hexdigest(), repr(canvas), repr(list(portrait.box[2:])),
                        str(opaque), RECIPE_TAG])
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
