"""Eyes: a pair drawn around EYE_L and EYE_R."""
from __future__ import annotations

import math

from .geometry import EYE_L, EYE_R, bbox_of, catmull, ell, heart_pts, star_pts
from .palette import DK, WHITE, rgba
from .variants import Category, Variant


def eye_open(pen, cx, cy, rx=31, ry=41, iris=(122, 78, 58), hl=1.0, sparkle=False):
    eye = ell(cx, cy, rx, ry, 90)
    pen.fill(eye, DK)
    s = pen.sub(bbox_of(eye, 2))
    s.oval(cx, cy + ry * 0.5, rx * 0.86, ry * 0.58, rgba(iris))
    pen.merge(s, clip=eye)
    pen.oval(cx - rx * 0.30, cy - ry * 0.36, rx * 0.40 * hl, ry * 0.32 * hl, WHITE)
    pen.circle(cx + rx * 0.36, cy + ry * 0.40, rx * 0.17 * hl, WHITE)
    if sparkle:
        pen.fill(star_pts(cx + rx * 0.30, cy - ry * 0.05, rx * 0.32, rx * 0.09, 4, -90), WHITE)


def eye_arc(pen, cx, cy, up=True, w=10, rx=30, ry=24):
    if up:
        pen.stroke(ell(cx, cy + 12, rx, ry, 40, 200, 340), DK, w)
    else:
        pen.stroke(ell(cx, cy - 14, rx, ry, 40, 20, 160), DK, w)


def lashes(pen, cx, cy, rx, ry, side):
    x0, y0 = cx + side * rx * 0.78, cy - ry * 0.62
    pen.stroke([(x0, y0), (x0 + side * 16, y0 - 12)], DK, 8)
    x1, y1 = cx + side * rx * 0.95, cy - ry * 0.22
    pen.stroke([(x1, y1), (x1 + side * 17, y1 - 4)], DK, 8)


def eyes_round(pen):
    for (cx, cy) in (EYE_L, EYE_R):
        eye_open(pen, cx, cy)


def eyes_sparkly(pen):
    for (cx, cy), side in ((EYE_L, -1), (EYE_R, 1)):
        eye_open(pen, cx, cy, 34, 45, (96, 150, 236), sparkle=True)
        lashes(pen, cx, cy, 34, 45, side)


def eyes_happy(pen):
    for (cx, cy) in (EYE_L, EYE_R):
        eye_arc(pen, cx, cy, True, 11, 32, 26)


def eyes_wink(pen):
    eye_open(pen, *EYE_L)
    eye_arc(pen, EYE_R[0], EYE_R[1], True, 11, 32, 26)


def eyes_sleepy(pen):
    for (cx, cy), side in ((EYE_L, -1), (EYE_R, 1)):
        pen.stroke(ell(cx, cy - 4, 30, 20, 40, 20, 160), DK, 10)
        for k in (-1, 0, 1):
            a = math.radians(90 - k * 38)
            x, y = cx + 30 * math.cos(a), cy - 4 + 20 * math.sin(a)
            pen.stroke([(x, y), (x + 9 * math.cos(a), y + 12 * math.sin(a))], DK, 6)


def eyes_star(pen):
    for (cx, cy) in (EYE_L, EYE_R):
        pen.poly(star_pts(cx, cy, 44, 21, 5, -90, 0.28), (255, 214, 70, 255), ow=7, oc=DK)
        pen.circle(cx - 9, cy - 8, 7, WHITE)


def eyes_heart(pen):
    for (cx, cy) in (EYE_L, EYE_R):
        pen.poly(heart_pts(cx, cy, 40), (255, 92, 130, 255), ow=7, oc=DK)
        pen.oval(cx - 15, cy - 12, 8, 6, WHITE, rot=-30)


def eyes_dot(pen):
    for (cx, cy) in (EYE_L, EYE_R):
        pen.oval(cx, cy + 4, 15, 20, DK)
        pen.circle(cx - 4, cy - 4, 5, WHITE)


def eyes_squint(pen):
    for (cx, cy), side in ((EYE_L, -1), (EYE_R, 1)):
        pen.stroke([(cx + side * 24, cy - 22), (cx - side * 20, cy + 2), (cx + side * 24, cy + 24)], DK, 11)


def eyes_teary(pen):
    for (cx, cy) in (EYE_L, EYE_R):
        eye = ell(cx, cy, 35, 45, 90)
        eye_open(pen, cx, cy, 35, 45, (100, 70, 130), hl=1.1)
        s = pen.sub(bbox_of(eye, 2))
        s.oval(cx, cy + 42, 40, 14, (150, 210, 255, 230))
        pen.merge(s, clip=eye)
        pen.circle(cx - 16, cy + 28, 4, WHITE)
        pen.circle(cx + 4, cy - 22, 4, WHITE)
    drop = catmull([(EYE_R[0] + 40, 452), (EYE_R[0] + 50, 476), (EYE_R[0] + 40, 488), (EYE_R[0] + 30, 476)], True, 8)
    pen.poly(drop, (170, 220, 255, 255), ow=5, oc=DK)


CATEGORY = Category("eyes", "pen", (
    Variant("00", eyes_round),
    Variant("01", eyes_sparkly),
    Variant("02", eyes_happy),
    Variant("03", eyes_wink),
    Variant("04", eyes_sleepy),
    Variant("05", eyes_star),
    Variant("06", eyes_heart),
    Variant("07", eyes_dot),
    Variant("08", eyes_squint),
    Variant("09", eyes_teary),
))
