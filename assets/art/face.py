"""Faces: a cookie dough (base, shade and sheen colours) on a head shape."""
from __future__ import annotations

import math
import random
from functools import partial

from .geometry import HX, HY, bbox_of, catmull, ell, sellipse, xform
from .palette import rgba
from .variants import Category, Variant


DOUGHS = {
    "golden":     ((244, 196, 118), (226, 166, 92), (255, 226, 170)),
    "chocolate":  ((170, 108, 72), (146, 88, 58), (200, 142, 104)),
    "vanilla":    ((255, 238, 204), (242, 214, 170), (255, 250, 234)),
    "strawberry": ((255, 196, 200), (244, 166, 176), (255, 225, 228)),
    "matcha":     ((196, 220, 146), (166, 194, 116), (226, 240, 188)),
    "gingerbread": ((212, 140, 80), (186, 114, 62), (236, 176, 118)),
    "blueberry":  ((204, 194, 244), (176, 164, 226), (228, 222, 252)),
    "peach":      ((255, 208, 170), (244, 180, 140), (255, 230, 206)),
}

FACE_SHAPES = {
    "round":    lambda: ell(HX, HY, 224, 222, 220),
    "wide":     lambda: ell(HX, HY + 4, 240, 214, 220),
    "squircle": lambda: sellipse(HX, HY + 2, 228, 216, 3.0, 240),
    "tall":     lambda: ell(HX, HY - 2, 214, 232, 220),
    "bun":      lambda: catmull([(HX, 208), (640, 226), (722, 330), (730, 470), (676, 600), (HX, 652),
                                 (324, 600), (270, 470), (278, 330), (360, 226)], True, 14),
}

def draw_face(pen, dough, shape):
    base, shd, hi = (rgba(c) for c in DOUGHS[dough])
    pts = FACE_SHAPES[shape]()
    pen.poly(pts, base, ow=11)
    bb = bbox_of(pts, 4)
    # baked crescent along the lower right
    s = pen.sub(bb)
    s.fill(pts, shd)
    s.fill(xform(pts, -16, -20), (0, 0, 0, 0))
    pen.merge(s, clip=pts)
    # soft top-left sheen
    s = pen.sub(bb)
    s.stroke(ell(HX, HY, 178, 178, 40, 200, 238), hi, 16)
    s.circle(HX - 172 * math.cos(math.radians(17)) + 4, HY - 176 * math.sin(math.radians(17)) + 26, 8, hi)
    pen.merge(s, clip=pts)
    # a few baked sugar speckles on the forehead edge (tiny, dough-coloured)
    rng = random.Random("speckle-" + dough)
    for _ in range(5):
        a = math.radians(rng.uniform(215, 325))
        r = rng.uniform(150, 185)
        pen.circle(HX + r * math.cos(a), HY + r * math.sin(a) + 6, rng.uniform(3, 4.5), shd)


# (id, dough, shape)
_FACES = (
    ("00", "golden", "round"),
    ("01", "chocolate", "wide"),
    ("02", "vanilla", "squircle"),
    ("03", "strawberry", "round"),
    ("04", "matcha", "tall"),
    ("05", "gingerbread", "bun"),
    ("06", "blueberry", "squircle"),
    ("07", "peach", "wide"),
)

CATEGORY = Category("face", "pen", tuple(Variant(vid, partial(draw_face, dough=dough, shape=shape))
                                         for vid, dough, shape in _FACES))

# The dough's base colour per face id: catalog.json repeats it for the hair/face contrast rule.
BASE_COLOURS = {vid: DOUGHS[dough][0] for vid, dough, _ in _FACES}
