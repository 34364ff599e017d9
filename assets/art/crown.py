"""Headwear on the hair (y ~ 80-230); each style comes in two colours."""
from __future__ import annotations

from functools import partial

import numpy as np
from PIL import Image

from .canvas import SUPERSAMPLE, new_canvas
from .geometry import HX, bbox_of, bumpy_circle, catmull, ell, offset_path, qbez, rounded_poly, rrect, star_pts, xform
from .hair_cap import hair_y
from .motifs import flower, leaf
from .palette import OUTLINE, RGB, WHITE, rgba, shade, tint
from .variants import Category, Variant


def cr_crown(pen, col):
    col = rgba(col)
    base_l, base_r = 372, 628
    bottom = [(x, hair_y(x) + 26) for x in np.linspace(base_l, base_r, 12)]
    pts = [(base_l - 6, 120), (base_l + 56, 164), (438, 96), (HX, 150), (562, 96), (base_r - 56, 164),
           (base_r + 6, 120)]
    crown = [bottom[0]] + pts + bottom[::-1]
    pen.poly(crown, col, ow=10)
    s = pen.sub(bbox_of(crown, 2))
    s.fill(xform(crown, 14, 0), rgba(shade(col, 0.14)))
    s.fill(xform(crown, 30, 0), (0, 0, 0, 0))
    band = [(x, y - 34) for x, y in bottom] + bottom[::-1]
    s.fill(band, rgba(shade(col, 0.1)))
    pen.merge(s, clip=crown)
    for (x, y) in (pts[0], pts[2], pts[4], pts[6]):
        pen.circle(x, y - 8, 14, rgba(tint(col, 0.5)), ow=7)
    for k, x in enumerate((418, HX, 582)):
        y = hair_y(x) + 8
        gem = (255, 90, 120, 255) if k != 1 else (90, 170, 255, 255)
        pen.poly(rounded_poly([(x, y - 16), (x + 14, y), (x, y + 16), (x - 14, y)], 0.2), gem, ow=6)
        pen.circle(x - 4, y - 5, 3.5, WHITE)
    pen.stroke(ell(HX - 60, 150, 30, 30, 10, 200, 240), (255, 255, 255, 200), 7)


def cr_tiara(pen, col):
    col = rgba(col)
    band = offset_path([(x, hair_y(x, -6) + 10) for x in np.linspace(330, 670, 30)], 9)
    peak = catmull([(400, 200), (440, 160), (HX, 106), (560, 160), (600, 200), (HX, 176)], True, 10)
    pen.poly(peak, col, ow=9)
    pen.fill(catmull([(448, 176), (470, 152), (HX, 126), (530, 152), (552, 176), (HX, 168)], True, 8), (0, 0, 0, 0))
    pen.stroke(catmull([(448, 176), (470, 152), (HX, 126), (530, 152), (552, 176), (HX, 168)], True, 8), OUTLINE, 6,
               True)
    pen.poly(band, col, ow=8)
    gem = (255, 120, 170, 255) if col[2] < 200 else (120, 200, 255, 255)
    pen.poly(rounded_poly([(HX, 140), (HX + 20, 166), (HX, 192), (HX - 20, 166)], 0.2), gem, ow=6)
    pen.circle(HX - 5, 158, 4, WHITE)
    for x in (390, 610):
        pen.circle(x, hair_y(x, -6) + 2, 10, rgba(tint(gem, 0.3)), ow=6)


def cr_partyhat(pen, col):
    col = rgba(col)
    cone = catmull([(466, 196), (520, 110), (574, 40), (600, 116), (646, 210), (556, 224)], True, 8)
    pen.poly(cone, col, ow=10)
    s = pen.sub(bbox_of(cone, 2))
    for k in range(4):
        y = 80 + k * 42
        s.fill(xform([(380, y), (700, y - 40), (700, y - 20), (380, y + 20)], 0, 0), rgba(tint(col, 0.55)))
    pen.merge(s, clip=cone)
    for k in range(3):
        pen.circle(520 + k * 22, 120 + k * 30, 6, rgba(RGB["yellow"]))
    pen.poly(bumpy_circle(576, 38, 24, 7, 6), rgba(RGB["yellow"]) if col[:3] != RGB["yellow"] else WHITE, ow=7)


def cr_bow(pen, col):
    col = rgba(col)
    cx, cy = 624, 200
    for side in (-1, 1):
        tail = [(cx + side * 8, cy + 8), (cx + side * 50, cy + 84), (cx + side * 30, cy + 96),
                (cx + side * 18, cy + 80), (cx, cy + 10)]
        pen.poly(catmull(tail, True, 6), rgba(shade(col, 0.08)), ow=8)
    for side in (-1, 1):
        loop = catmull([(cx, cy), (cx + side * 60, cy - 62), (cx + side * 96, cy - 34), (cx + side * 92, cy + 28),
                        (cx + side * 58, cy + 40)], True, 8)
        pen.poly(loop, col, ow=9)
        s = pen.sub(bbox_of(loop, 2))
        s.stroke(qbez((cx + side * 20, cy - 4), (cx + side * 58, cy - 30), (cx + side * 78, cy - 10), 10),
                 rgba(shade(col, 0.18)), 7)
        s.stroke(qbez((cx + side * 60, cy - 46), (cx + side * 80, cy - 40), (cx + side * 84, cy - 20), 8),
                 rgba(tint(col, 0.6)), 8)
        pen.merge(s, clip=loop)
    pen.poly(rrect(cx - 22, cy - 24, cx + 22, cy + 24, 12), rgba(shade(col, 0.05)), ow=8)


def cr_flowers(pen, col):
    col = rgba(col)
    xs = [312, 372, 436, HX, 564, 628, 688]
    for k in range(len(xs) - 1):
        x = (xs[k] + xs[k + 1]) / 2
        leaf(pen, x, hair_y(x, -4) + 8, 40, -90 + (x - HX) * 0.35 + (30 if k % 2 else -30))
    for k, x in enumerate(xs):
        c = col if k % 2 == 0 else (255, 255, 255, 255)
        flower(pen, x, hair_y(x, -4) + 8, 34 if k % 2 == 0 else 28, c, rot=k * 17)


def cr_headphones(pen, col):
    col = rgba(col)
    band = ell(HX, 436, 262, 290, 80, 190, 350)
    pen.stroke(band, OUTLINE, 42)
    pen.stroke(band, col, 26)
    pen.stroke(ell(HX, 436, 262, 290, 40, 240, 300), rgba(tint(col, 0.5)), 8)
    for side in (-1, 1):
        cx = HX + side * 252
        cup = rrect(cx - 34, 392, cx + 34, 512, 30)
        pen.poly(rrect(cx - 26 - side * 16, 400, cx + 26 - side * 16, 504, 24), (80, 70, 80, 255), ow=8)
        pen.poly(cup, col, ow=9)
        pen.circle(cx + side * 4, 452, 16, rgba(tint(col, 0.5)), ow=5)


def cr_beret(pen, col):
    col = rgba(col)
    pen.stroke(qbez((540, 120), (548, 96), (566, 90), 6), OUTLINE, 18)
    body = catmull([(286, 236), (300, 170), (400, 128), (540, 112), (680, 138), (730, 196), (700, 240), (520, 230)],
                   True, 10)
    pen.poly(body, col, ow=10)
    s = pen.sub(bbox_of(body, 2))
    s.fill(xform(body, 0, 16), rgba(shade(col, 0.15)))
    s.fill(xform(body, -6, 0), (0, 0, 0, 0))
    s.stroke(ell(470, 150, 110, 26, 30, 200, 300), rgba(tint(col, 0.4)), 10)
    pen.merge(s, clip=body)


def cr_beanie(pen, col):
    col = rgba(col)
    dome = ell(HX, 262, 252, 168, 90, 180, 360)
    pen.poly(dome + [(752, 262), (248, 262)], col, ow=10)
    s = pen.sub(bbox_of(dome, 2))
    for x in range(290, 720, 36):
        s.stroke(qbez((x, 262), ((x + HX) / 2, 180), (HX + (x - HX) * 0.25, 90), 10), rgba(shade(col, 0.12)), 6)
    pen.merge(s, clip=dome + [(752, 262), (248, 262)])
    brim = catmull([(244, 238), (HX, 218), (756, 238), (762, 282), (HX, 266), (238, 282)], True, 8)
    pen.poly(brim, rgba(tint(col, 0.3)), ow=10)
    s = pen.sub(bbox_of(brim, 2))
    for x in range(240, 770, 24):
        s.stroke([(x, 210), (x, 290)], rgba(shade(col, 0.06)), 5)
    pen.merge(s, clip=brim)
    pom = bumpy_circle(HX, 96, 44, 9, 8)
    pen.poly(pom, rgba(tint(col, 0.6)), ow=9)


def headband(pen, col):
    band = [(x, hair_y(x, -2) + 4) for x in np.linspace(288, 712, 40)]
    pen.stroke(band, OUTLINE, 34)
    pen.stroke(band, rgba(col), 18)


def cr_catears(pen, col):
    col = rgba(col)
    for side in (-1, 1):
        bx = HX + side * 150
        by = hair_y(bx) + 20
        ear = rounded_poly([(bx - 60, by + 14), (bx + side * 10, by - 124), (bx + 60, by + 14)], 0.18)
        pen.poly(ear, col, ow=10)
        inner = rounded_poly([(bx - 30, by - 4), (bx + side * 8, by - 90), (bx + 30, by - 4)], 0.2)
        pen.fill(inner, (255, 170, 190, 255))
    headband(pen, shade(col, 0.1))


def cr_bunny(pen, col):
    col = rgba(col)
    for side in (-1, 1):
        bx = HX + side * 78
        ear = ell(bx + side * 22, 110, 40, 104, 60, rot=side * 12)
        pen.poly(ear, col, ow=10)
        pen.fill(ell(bx + side * 24, 118, 18, 74, 40, rot=side * 12), (255, 175, 195, 255))
    headband(pen, shade(col, 0.1))


def cr_witch(pen, col):
    col = rgba(col)
    cone = catmull([(372, 196), (420, 120), (470, 60), (560, 14), (600, 30), (560, 56), (560, 120), (628, 196)], True,
                   10)
    pen.poly(cone, col, ow=10)
    s = pen.sub(bbox_of(cone, 2))
    s.fill(xform(cone, 26, 0), rgba(shade(col, 0.15)))
    s.fill(xform(cone, 46, 6), (0, 0, 0, 0))
    s.fill([(300, 150), (700, 150), (700, 192), (300, 192)], (255, 200, 80, 255))
    pen.merge(s, clip=cone)
    pen.stroke([(380, 150), (620, 150)], OUTLINE, 5)
    brim = catmull([(250, 206), (HX, 170), (750, 206), (HX, 238)], True, 14)
    pen.poly(brim, col, ow=10)
    pen.stroke(ell(HX, 206, 200, 18, 40, 200, 340), rgba(tint(col, 0.3)), 6)
    pen.poly(star_pts(520, 110, 20, 9, 5, -90, 0.2), (255, 220, 90, 255), ow=6)


def cr_tophat(pen, col):
    col = rgba(col)
    rot = 10
    ox, oy = 596, 180
    body = xform(rrect(-62, -120, 62, 10, 12), ox, oy, 1, rot, 0, 0)
    pen.poly(body, col, ow=10)
    s = pen.sub(bbox_of(body, 2))
    s.fill(xform([(-80, -40), (80, -40), (80, -12), (-80, -12)], ox, oy, 1, rot, 0, 0),
           rgba(RGB["red"] if col[0] < 200 else RGB["navy"]))
    s.fill(xform([(20, -130), (40, -130), (40, 20), (20, 20)], ox, oy, 1, rot, 0, 0), rgba(tint(col, 0.2)))
    pen.merge(s, clip=body)
    brim = xform(ell(0, 0, 104, 22, 60), ox, oy + 4, 1, rot, 0, 0)
    pen.poly(brim, col, ow=10)
    flower(pen, *xform([(-40, -26)], ox, oy, 1, rot, 0, 0)[0], 22, (255, 255, 255, 255), ow=5)


def cr_chef(pen, col):
    col = rgba(col)
    puff = [ell(400, 150, 72, 66, 60), ell(600, 150, 72, 66, 60), ell(HX, 110, 92, 84, 60)]
    for p in puff:
        pen.poly(p, WHITE, ow=10)
    for p in puff:
        pen.fill(xform(p, 0, 0, 0.98, 0, *bbox_center(p)), WHITE)
    s = pen.sub((300, 30, 700, 240))
    s.stroke(qbez((430, 170), (450, 120), (470, 90), 8), (225, 225, 235, 255), 7)
    s.stroke(qbez((560, 170), (550, 120), (530, 90), 8), (225, 225, 235, 255), 7)
    pen.merge(s, clip=puff)
    band = catmull([(350, 170), (HX, 180), (650, 170), (656, 236), (HX, 224), (344, 236)], True, 8)
    pen.poly(band, WHITE, ow=10)
    s = pen.sub(bbox_of(band, 2))
    s.fill([(300, 196), (700, 196), (700, 214), (300, 214)], col)
    pen.merge(s, clip=band)


def bbox_center(pts):
    x0, y0, x1, y1 = bbox_of(pts)
    return ((x0 + x1) / 2, (y0 + y1) / 2)


CROWN_SCALE = {cr_crown: (1.22, (HX, 214)), cr_tiara: (1.12, (HX, 200)), cr_partyhat: (1.15, (556, 214)),
               cr_witch: (1.12, (HX, 214)), cr_tophat: (1.12, (596, 190)), cr_chef: (1.1, (HX, 236)),
               cr_bunny: (1.0, (HX, 236))}
# Rows kept clear above a hat: a tip that reached the canvas's row 0 was cut off flat on the card
# (the atlas build now refuses a part touching the canvas's or the portrait window's edge).
HEADROOM = 24


def scaled(fn, k, anchor):
    """Draw fn on its own layer and enlarge it by k about anchor (output px), less if the
    enlarged drawing would come closer than HEADROOM to the canvas's top."""
    def draw(pen):
        im, p2 = new_canvas()
        fn(p2)
        ax, ay = anchor[0] * SUPERSAMPLE, anchor[1] * SUPERSAMPLE
        fit = k
        top = im.getchannel("A").getbbox()[1]
        if ay - (ay - top) * k < HEADROOM * SUPERSAMPLE:
            fit = (ay - HEADROOM * SUPERSAMPLE) / (ay - top)
        # output (x, y) samples input ((x - ax) / fit + ax, (y - ay) / fit + ay)
        coeffs = (1 / fit, 0, ax - ax / fit, 0, 1 / fit, ay - ay / fit)
        big = im.convert("RGBa").transform(im.size, Image.AFFINE, coeffs, resample=Image.BICUBIC).convert("RGBA")
        pen.im.alpha_composite(big)
    return draw


def _headwear(style, colour):
    draw = partial(style, col=RGB[colour])
    return scaled(draw, *CROWN_SCALE[style]) if style in CROWN_SCALE else draw


CATEGORY = Category("crown", "pen", tuple(Variant(vid, _headwear(style, colour)) for vid, style, colour in (
    ("00", cr_crown, "gold"),
    ("01", cr_crown, "silver"),
    ("02", cr_tiara, "silver"),
    ("03", cr_tiara, "gold"),
    ("04", cr_partyhat, "pink"),
    ("05", cr_partyhat, "skyblue"),
    ("06", cr_bow, "red"),
    ("07", cr_bow, "pink"),
    ("08", cr_flowers, "pink"),
    ("09", cr_flowers, "yellow"),
    ("10", cr_headphones, "mint"),
    ("11", cr_headphones, "purple"),
    ("12", cr_beret, "red"),
    ("13", cr_beret, "navy"),
    ("14", cr_beanie, "orange"),
    ("15", cr_beanie, "skyblue"),
    ("16", cr_catears, "black"),
    ("17", cr_catears, "white"),
    ("18", cr_bunny, "white"),
    ("19", cr_bunny, "pink"),
    ("20", cr_witch, "purple"),
    ("21", cr_witch, "black"),
    ("22", cr_tophat, "black"),
    ("23", cr_tophat, "lavender"),
    ("24", cr_chef, "red"),
    ("25", cr_chef, "blue"),
)))
