"""Every part category in catalog order (the order parts are drawn on a card), and how a part renders.

A part is rendered from its category and its variant alone, never from its position in a
list, so the same id always gives the same pixels.
"""
from __future__ import annotations

import random

import numpy as np
from PIL import Image

from . import back_hair, background, body, crown, eyes, face, face_paint, front_hair, glasses, mouth, sticker
from .canvas import finish, new_canvas
from .geometry import CANVAS_SIZE, SAFE_X0, SAFE_X1
from .variants import Category, Variant


CATEGORIES: dict[str, Category] = {c.id: c for c in (
    background.CATEGORY, back_hair.CATEGORY, body.CATEGORY, face.CATEGORY, face_paint.CATEGORY, eyes.CATEGORY,
    mouth.CATEGORY, front_hair.CATEGORY, glasses.CATEGORY, crown.CATEGORY, sticker.CATEGORY,
)}


def render(category: Category, variant: Variant) -> Image.Image:
    """The part as a 1000x1000 RGBA image, exactly as it is written to parts/<category>/<id>.png."""
    if category.kind == "opaque":
        return variant.draw().resize((CANVAS_SIZE, CANVAS_SIZE), Image.LANCZOS).convert("RGBA")
    image, pen = new_canvas()
    if category.kind == "pen":
        variant.draw(pen)
    elif category.kind == "seeded":
        variant.draw(pen, random.Random(category.seed(variant)))
    else:
        variant.draw(image)
    return finish(image)


def problems_of(category: Category, image: Image.Image) -> list[str]:
    """What is wrong with a rendered part: backgrounds must be opaque, other parts non-empty
    and inside the columns the card shows."""
    if category.kind == "opaque":
        return [] if image.getchannel("A").getextrema() == (255, 255) else ["background is not opaque"]
    alpha = np.asarray(image.getchannel("A"))
    problems = []
    if alpha[:, :SAFE_X0].any() or alpha[:, SAFE_X1:].any():
        problems.append(f"alpha outside x in [{SAFE_X0}, {SAFE_X1}]")
    if not alpha.any():
        problems.append("empty")
    return problems
