"""Resize a part from its source canvas to exactly the pixels it covers on the card.

The one resampling routine of the project: the atlas builder calls it once per part
(cached), the reference renderer calls it on every draw. Resampling happens in
premultiplied alpha so transparent pixels' colour cannot bleed into edges (no halos).
"""

from __future__ import annotations

from PIL import Image

from service.atlas.sections import Portrait

FILTER = Image.Resampling.LANCZOS


def portrait_window(image: Image.Image, portrait: Portrait, scale: float) -> Image.Image:
    """Resize a source canvas into the portrait window at `scale` (RGBA, straight alpha)."""
    width = round(image.width * portrait.canvas_scale * scale)
    height = round(image.height * portrait.canvas_scale * scale)
    resized = image.convert("RGBa").resize((width, height), FILTER).convert("RGBA")
    ox, oy = (round(v * scale) for v in portrait.canvas_offset)
    _, _, pw, ph = portrait.box
    return resized.crop((-ox, -oy, -ox + round(pw * scale), -oy + round(ph * scale)))
