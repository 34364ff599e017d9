"""Face paint on the cheeks (y ~ 490): blush, freckles, marks and stickers."""
from __future__ import annotations

import math
import random

import numpy as np

from .geometry import CHEEK_L, CHEEK_R, HX, capsule, catmull, heart_pts, rrect, star_pts, xform
from .motifs import flower, leaf
from .mouth import MX, MY
from .palette import OUTLINE, WHITE, shade, with_alpha
from .variants import Category, Variant


BLUSH = (255, 120, 140)


def fp_blush(pen, col=BLUSH, rx=40, ry=24, a=150, lines=False, dx=0):
    s = pen.sub((250, 420, 750, 560))
    for (cx, cy) in (CHEEK_L, CHEEK_R):
        side = -1 if cx < HX else 1
        s.oval(cx + side * dx, cy, rx, ry, with_alpha(col, a))
    pen.merge(s)
    if lines:
        for (cx, cy) in (CHEEK_L, CHEEK_R):
            for k in (-1, 0, 1):
                x = cx + k * 16
                pen.stroke([(x + 5, cy - 10), (x - 5, cy + 10)], with_alpha(shade(col, 0.3), 255), 5)


def fp_freckles(pen, col=(160, 96, 70, 255)):
    for (cx, cy) in (CHEEK_L, CHEEK_R):
        for (dx, dy) in ((-18, -6), (2, 6), (20, -8), (-4, -16)):
            pen.circle(cx + dx, cy + dy, 5, col)


def fp_stars(pen):
    for (cx, cy), rot in ((CHEEK_L, -10), (CHEEK_R, 12)):
        pen.poly(star_pts(cx, cy, 24, 11, 5, -90 + rot, 0.25), (255, 214, 70, 255), ow=6)


def fp_hearts(pen, col=(255, 110, 150, 255)):
    for (cx, cy), rot in ((CHEEK_L, -12), (CHEEK_R, 12)):
        pen.poly(heart_pts(cx, cy, 22, 70, rot), col, ow=6)


def fp_bandage(pen):
    cx, cy = CHEEK_R[0] + 4, CHEEK_R[1] - 4
    b = xform(rrect(-44, -16, 44, 16, 14), cx, cy, 1, -24)
    pen.poly(b, (255, 226, 200, 255), ow=6)
    pen.poly(xform(rrect(-14, -16, 14, 16, 4), cx, cy, 1, -24), (250, 200, 170, 255), ow=0)
    for (dx, dy) in ((-5, -5), (5, -5), (-5, 5), (5, 5)):
        pen.circle(*xform([(dx, dy)], cx, cy, 1, -24)[0], 2.2, (220, 160, 130, 255))


def fp_whiskers(pen):
    for side in (-1, 1):
        cx = HX + side * 150
        for k, ang in enumerate((-10, 0, 10)):
            y = 488 + (k - 1) * 20
            pen.stroke([(cx - side * 30, y), (cx + side * 34, y + side * ang * 0.0 + (k - 1) * 10)], OUTLINE, 7)


def fp_swirls(pen):
    for (cx, cy) in (CHEEK_L, CHEEK_R):
        pts = [(cx + (4 + 2.6 * t) * math.cos(t * 0.55),
                cy + (4 + 2.6 * t) * math.sin(t * 0.55) * 0.8) for t in np.linspace(0, 11.5, 60)]
        pen.stroke(pts, (255, 160, 180, 255), 8)


def fp_sprinkles(pen):
    cols = [(255, 110, 150, 255), (110, 190, 255, 255), (255, 210, 80, 255), (130, 220, 160, 255)]
    rng = random.Random("sprinkles")
    for (cx, cy) in (CHEEK_L, CHEEK_R):
        for k, (dx, dy) in enumerate(((-22, -8), (0, 10), (18, -10), (24, 14), (-12, 16))):
            a = rng.uniform(0, 180)
            p = capsule((0, -9), (0, 9), 4.5, 6)
            pen.poly(xform(p, cx + dx, cy + dy, 1, a), cols[k % 4], ow=3)


def fp_mole(pen):
    pen.circle(MX + 56, MY + 14, 6, (90, 56, 44, 255))


def fp_sparkles(pen):
    for (cx, cy) in (CHEEK_L, CHEEK_R):
        pen.fill(star_pts(cx, cy - 8, 22, 6, 4, -90), WHITE)
        pen.stroke(star_pts(cx, cy - 8, 22, 6, 4, -90), (255, 200, 90, 255), 3, True)
        pen.fill(star_pts(cx + 22, cy + 14, 11, 3, 4, -90), WHITE)


def fp_flower(pen):
    flower(pen, CHEEK_L[0] - 4, CHEEK_L[1], 30, (255, 150, 190, 255), ow=5)
    leaf(pen, CHEEK_L[0] + 12, CHEEK_L[1] + 12, 28, 40)
    flower(pen, CHEEK_L[0] - 4, CHEEK_L[1], 30, (255, 150, 190, 255), ow=5)


def fp_tears(pen):
    for (cx, cy) in (CHEEK_L, CHEEK_R):
        cx += 12 if cx < HX else -12
        drop = catmull([(cx, cy - 26), (cx + 14, cy + 2), (cx, cy + 16), (cx - 14, cy + 2)], True, 8)
        pen.poly(drop, (120, 190, 255, 255), ow=5)
        pen.circle(cx - 4, cy, 3.5, WHITE)


def fp_nose_bandaid(pen):
    cx, cy = HX, 476
    for ang in (35, -35):
        b = xform(rrect(-40, -13, 40, 13, 12), cx, cy, 1, ang)
        pen.poly(b, (255, 226, 200, 255), ow=5)
    pen.poly(xform(rrect(-12, -12, 12, 12, 3), cx, cy, 1, 35), (250, 200, 170, 255), ow=0)


def fp_icing_stripes(pen):
    for side in (-1, 1):
        cx = HX + side * 150
        for k in (0, 1):
            y = 478 + k * 24
            pen.stroke([(cx - 28, y), (cx + 28, y + side * 4)], OUTLINE, 16)
            pen.stroke([(cx - 28, y), (cx + 28, y + side * 4)], WHITE, 8)


def fp_chocochips(pen):
    for (cx, cy) in (CHEEK_L, CHEEK_R):
        for (dx, dy, r) in ((-18, -4, 14), (14, 10, 11), (20, -16, 9)):
            chip = catmull([(cx + dx, cy + dy - r * 1.3), (cx + dx + r, cy + dy + r * 0.6),
                            (cx + dx - r, cy + dy + r * 0.6)], True, 8)
            pen.fill(chip, (100, 58, 40, 255))
            pen.circle(cx + dx - r * 0.3, cy + dy - r * 0.1, max(1.5, r * 0.22), (160, 110, 80, 255))


CATEGORY = Category("face_paint", "pen", (
    Variant("00", lambda p: fp_blush(p)),
    Variant("01", lambda p: fp_blush(p, (255, 110, 130), 36, 20, 140, True)),
    Variant("02", lambda p: fp_freckles(p)),
    Variant("03", lambda p: fp_stars(p)),
    Variant("04", lambda p: fp_hearts(p)),
    Variant("05", lambda p: fp_bandage(p)),
    Variant("06", lambda p: fp_whiskers(p)),
    Variant("07", lambda p: fp_swirls(p)),
    Variant("08", lambda p: fp_sprinkles(p)),
    Variant("09", lambda p: fp_blush(p, (255, 96, 110), 50, 30, 120)),
    Variant("10", lambda p: (fp_blush(p, BLUSH, 36, 22, 110), fp_freckles(p, (170, 100, 80, 255)))),
    Variant("11", lambda p: fp_mole(p)),
    Variant("12", lambda p: fp_sparkles(p)),
    Variant("13", lambda p: fp_flower(p)),
    Variant("14", lambda p: fp_tears(p)),
    Variant("15", lambda p: fp_nose_bandaid(p)),
    Variant("16", lambda p: fp_blush(p, (255, 160, 90), 40, 24, 150)),
    Variant("17", lambda p: fp_blush(p, (190, 150, 255), 40, 24, 150, True)),
    Variant("18", lambda p: fp_icing_stripes(p)),
    Variant("19", lambda p: fp_chocochips(p)),
))
