"""Faces: a cookie dough (base, shade and sheen colours) on a head shape, some with a baker's mark."""
from __future__ import annotations

import math
import random
from functools import partial

from .geometry import HX, HY, bbox_of, bumpy_circle, catmull, ell, rounded_poly, sellipse, xform
from .palette import rgba, shade
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
    # Shapes with a silhouette of their own, each inside the box the shapes above span
    # (x 257-743, y 193-663 before the outline), so no layout that fits those clips them.
    "fluted":   lambda: bumpy_circle(HX, HY + 2, 210, 14, 11, 208),
    "heart":    lambda: catmull([(HX, 276), (560, 226), (670, 234), (734, 310), (730, 420), (680, 528),
                                 (590, 616), (HX, 660), (410, 616), (320, 528), (270, 420), (266, 310),
                                 (330, 234), (440, 226)], True, 14),
    "cracker":  lambda: rounded_poly([(HX + 226 * math.cos(math.radians(22.5 + 45 * k)),
                                       HY + 2 + 226 * math.sin(math.radians(22.5 + 45 * k))) for k in range(8)],
                                     0.22, 8),
}


def baker_mark(pen, shape, shd):
    """What makes a shaped cookie read as that cookie: a fluted edge's piped ring, a
    cracker's docking holes; kept to the rim, clear of the eyes, mouth and cheeks."""
    if shape == "fluted":
        pen.stroke(ell(HX, HY + 2, 196, 194, 120, 196, 344), shd, 6)
    elif shape == "cracker":
        for k in range(8):
            a = math.radians(45 * k)
            pen.circle(HX + 182 * math.cos(a), HY + 2 + 182 * math.sin(a), 7, shd)

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
    baker_mark(pen, shape, rgba(shade(DOUGHS[dough][1], 0.12)))


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
    ("08", "vanilla", "fluted"),
    ("09", "strawberry", "heart"),
    ("10", "golden", "cracker"),
)

CATEGORY = Category("face", "pen", tuple(Variant(vid, partial(draw_face, dough=dough, shape=shape))
                                         for vid, dough, shape in _FACES))

# The dough's base colour per face id: catalog.json repeats it for the hair/face contrast rule.
BASE_COLOURS = {vid: DOUGHS[dough][0] for vid, dough, _ in _FACES}
