"""Glasses across both eyes; each style comes in two frame colours."""
from __future__ import annotations

import math
from functools import partial

from .geometry import EYE_L, EYE_R, HX, bbox_of, catmull, cbez, ell, heart_pts, qbez, rrect, star_pts
from .palette import OUTLINE, RGB, WHITE, rgba, shade, tint
from .variants import Category, Variant


LENS_TINT = (215, 238, 255, 40)
TEMPLE_X = 290


def frame_stroke(pen, pts, col, fw=11, closed=True, ow=5):
    pen.stroke(pts, OUTLINE, fw + 2 * ow, closed)
    pen.stroke(pts, rgba(col), fw, closed)


def lens(pen, pts, tint_=LENS_TINT, glare=True):
    s = pen.sub(bbox_of(pts, 4))
    s.fill(pts, tint_)
    if glare:
        x0, y0, x1, y1 = bbox_of(pts)
        w = x1 - x0
        s.fill([(x0 + w * 0.45, y1), (x0 + w * 0.62, y1), (x0 + w * 1.05, y0), (x0 + w * 0.88, y0)],
               (255, 255, 255, 95))
        s.fill([(x0 + w * 0.70, y1), (x0 + w * 0.76, y1), (x0 + w * 1.19, y0), (x0 + w * 1.13, y0)],
               (255, 255, 255, 95))
    pen.merge(s, clip=pts)


def glasses_generic(pen, shape_fn, col, fw=11, tint_=LENS_TINT, bridge_y=410, temple_y=404, glare=True):
    col = rgba(col)
    shapes = [shape_fn(EYE_L, -1), shape_fn(EYE_R, 1)]
    for sh in shapes:
        lens(pen, sh, tint_, glare)
    # temples + bridge
    lx = max(p[0] for p in shapes[0])
    rx = min(p[0] for p in shapes[1])
    for side, sh in ((-1, shapes[0]), (1, shapes[1])):
        ex = min(p[0] for p in sh) if side < 0 else max(p[0] for p in sh)
        frame_stroke(pen, [(ex - side * 4, temple_y), (HX + side * (HX - TEMPLE_X), temple_y - 6)], col, fw * 0.8,
                     False)
    frame_stroke(pen, qbez((lx - 6, bridge_y), (HX, bridge_y - 18), (rx + 6, bridge_y), 10), col, fw * 0.8, False)
    for sh in shapes:
        frame_stroke(pen, sh, col, fw)
    return shapes


def gl_round(pen, col):
    glasses_generic(pen, lambda c, s: ell(c[0], c[1], 58, 58, 80), col)


def gl_square(pen, col):
    glasses_generic(pen, lambda c, s: rrect(c[0] - 62, c[1] - 48, c[0] + 62, c[1] + 48, 16), col)


def gl_star(pen, col):
    glasses_generic(pen, lambda c, s: star_pts(c[0], c[1] + 4, 72, 40, 5, -90, 0.18), col, 10)


def gl_heart(pen, col):
    glasses_generic(pen, lambda c, s: heart_pts(c[0], c[1] - 2, 64, 90), col, 11, tint_=(255, 150, 190, 90))


def gl_goggles(pen, col):
    col = rgba(col)
    for side in (-1, 1):
        pen.poly(rrect(HX + side * 120 - 40, 396, HX + side * 214 + 6 * side, 434, 14) if side > 0 else
                 rrect(HX - 214 - 6, 396, HX - 120 + 40, 434, 14), rgba(shade(col, 0.3)), ow=6)
    pen.poly(rrect(470, 396, 530, 428, 10), rgba(shade(col, 0.3)), ow=6)
    for c in (EYE_L, EYE_R):
        rim = ell(c[0], c[1], 66, 62, 80)
        pen.poly(rim, col, ow=7)
        inner = ell(c[0], c[1], 50, 46, 80)
        pen.fill(inner, (0, 0, 0, 0))
        lens(pen, inner, (150, 220, 255, 110))
        pen.stroke(inner, OUTLINE, 6, True)
        pen.circle(c[0] - 40, c[1] - 36, 6, WHITE)


def gl_monocle(pen, col):
    col = rgba(col)
    c = EYE_R
    sh = ell(c[0], c[1], 56, 56, 80)
    lens(pen, sh)
    chain = cbez((c[0] + 40, c[1] + 40), (c[0] + 80, c[1] + 120), (c[0] + 40, c[1] + 170), (c[0] + 110, c[1] + 190), 14)
    for (x, y) in chain[1:]:
        pen.circle(x, y, 6, col, ow=3)
    frame_stroke(pen, sh, col, 12)


def gl_sunglasses(pen, col):
    def shp(c, s):
        return catmull([(c[0] - 64, c[1] - 34), (c[0] + 64, c[1] - 34), (c[0] + 60, c[1] + 16),
                        (c[0] + 30, c[1] + 44), (c[0] - 30, c[1] + 44), (c[0] - 60, c[1] + 16)], True, 8)
    shapes = glasses_generic(pen, shp, col, 12, tint_=(40, 40, 60, 235), glare=False)
    for sh in shapes:
        x0, y0, x1, y1 = bbox_of(sh)
        s = pen.sub(bbox_of(sh, 2))
        s.fill([(x0 + 20, y1), (x0 + 44, y1), (x0 + 90, y0), (x0 + 66, y0)], (255, 255, 255, 140))
        pen.merge(s, clip=sh)


def gl_cateye(pen, col):
    def shp(c, s):
        k = s
        pts = [(c[0] - 60 * k, c[1] - 30), (c[0], c[1] - 40), (c[0] + 56 * k, c[1] - 58), (c[0] + 62 * k, c[1] + 10),
               (c[0] + 16 * k, c[1] + 46), (c[0] - 44 * k, c[1] + 34)]
        pts = catmull(pts, True, 8)
        return pts if k > 0 else pts[::-1]
    glasses_generic(pen, shp, col, 11, tint_=(255, 230, 240, 80))


def gl_nerd(pen, col):
    glasses_generic(pen, lambda c, s: rrect(c[0] - 64, c[1] - 46, c[0] + 64, c[1] + 46, 8), col, 20)


def gl_3d(pen, col):
    col = rgba(col)
    shapes = [rrect(c[0] - 62, c[1] - 44, c[0] + 62, c[1] + 44, 10) for c in (EYE_L, EYE_R)]
    lens(pen, shapes[0], (255, 70, 90, 150))
    lens(pen, shapes[1], (60, 210, 240, 150))
    frame = rrect(338, 366, 662, 476, 20)
    for side in (-1, 1):
        frame_stroke(pen, [(HX + side * 162, 404), (HX + side * (HX - TEMPLE_X), 398)], col, 12, False)
    pen.poly(frame, col, ow=7)
    for sh in shapes:
        pen.fill(sh, (0, 0, 0, 0))
    lens(pen, shapes[0], (255, 70, 90, 150))
    lens(pen, shapes[1], (60, 210, 240, 150))
    for sh in shapes:
        pen.stroke(sh, OUTLINE, 6, True)


def gl_flower(pen, col):
    col = rgba(col)
    glasses_generic(pen, lambda c, s: ell(c[0], c[1], 50, 50, 80), col, 10)
    for c in (EYE_L, EYE_R):
        for k in range(8):
            a = math.radians(k * 45 + 22.5)
            pen.poly(ell(c[0] + 60 * math.cos(a), c[1] + 60 * math.sin(a), 17, 17, 24), col, ow=5)
        for k in range(8):
            a = math.radians(k * 45 + 22.5)
            pen.circle(c[0] + 60 * math.cos(a), c[1] + 60 * math.sin(a), 6, rgba(tint(col, 0.6)))


def gl_browline(pen, col):
    col = rgba(col)
    glasses_generic(pen, lambda c, s: ell(c[0], c[1] + 2, 60, 48, 80), (210, 200, 190), 6)
    for c in (EYE_L, EYE_R):
        top = ell(c[0], c[1] + 2, 62, 50, 30, 190, 350)
        frame_stroke(pen, top, col, 20, False)


def gl_oval(pen, col):
    glasses_generic(pen, lambda c, s: ell(c[0], c[1], 62, 46, 80), col, 8)


CATEGORY = Category("glasses", "pen", tuple(Variant(vid, partial(style, col=RGB[colour])) for vid, style, colour in (
    ("00", gl_round, "brown"),
    ("01", gl_round, "pink"),
    ("02", gl_square, "black"),
    ("03", gl_square, "blue"),
    ("04", gl_star, "gold"),
    ("05", gl_star, "purple"),
    ("06", gl_heart, "red"),
    ("07", gl_heart, "pink"),
    ("08", gl_goggles, "orange"),
    ("09", gl_goggles, "mint"),
    ("10", gl_monocle, "gold"),
    ("11", gl_monocle, "silver"),
    ("12", gl_sunglasses, "black"),
    ("13", gl_sunglasses, "red"),
    ("14", gl_cateye, "pink"),
    ("15", gl_cateye, "lavender"),
    ("16", gl_nerd, "black"),
    ("17", gl_nerd, "navy"),
    ("18", gl_3d, "white"),
    ("19", gl_3d, "black"),
    ("20", gl_flower, "yellow"),
    ("21", gl_flower, "pink"),
    ("22", gl_browline, "brown"),
    ("23", gl_browline, "black"),
    ("24", gl_oval, "silver"),
    ("25", gl_oval, "gold"),
)))
