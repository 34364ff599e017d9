"""Small motifs: flowers and leaves (headwear, face paint) and the sticker drawings.

Sticker motifs draw on a local canvas centred on (0, 0)."""
from __future__ import annotations

import math

import numpy as np

from .geometry import bbox_of, capsule, catmull, cbez, cloud_pts, ell, heart_pts, rounded_poly, rrect, star_pts, xform
from .palette import DK, OUTLINE, rgba, shade, tint


def flower(pen, cx, cy, r, col, center=(255, 214, 90, 255), petals=5, rot=0.0, ow=6):
    for k in range(petals):
        a = math.radians(rot + k * 360 / petals)
        pen.poly(ell(cx + r * 0.55 * math.cos(a), cy + r * 0.55 * math.sin(a), r * 0.5, r * 0.5, 24), rgba(col), ow=ow)
    for k in range(petals):
        a = math.radians(rot + k * 360 / petals)
        pen.circle(cx + r * 0.55 * math.cos(a), cy + r * 0.55 * math.sin(a), r * 0.5 - 0.5, rgba(col))
    pen.circle(cx, cy, r * 0.3, center, ow=max(3, ow - 2))


def leaf(pen, cx, cy, length, ang, col=(120, 200, 110, 255)):
    pts = xform(catmull([(0, 0), (length * 0.5, -length * 0.28), (length, 0), (length * 0.5, length * 0.28)], True, 8),
                cx, cy, 1, ang)
    pen.poly(pts, col, ow=6)


def kawaii(pen, x, y, s=1.0, col=DK):
    pen.circle(x - 14 * s, y, 5 * s, col)
    pen.circle(x + 14 * s, y, 5 * s, col)
    pen.stroke(ell(x, y + 2 * s, 8 * s, 7 * s, 12, 30, 150), col, 4 * s)
    pen.oval(x - 24 * s, y + 10 * s, 7 * s, 4.5 * s, (255, 130, 150, 200))
    pen.oval(x + 24 * s, y + 10 * s, 7 * s, 4.5 * s, (255, 130, 150, 200))


def st_star(pen, c):
    pen.poly(star_pts(0, 4, 70, 34, 5, -90, 0.25), c, ow=8)
    pen.stroke(ell(-6, 0, 40, 40, 12, 200, 240), (255, 255, 255, 220), 8)
    kawaii(pen, 0, 10)


def st_heart(pen, c):
    pen.poly(heart_pts(0, 2, 66), c, ow=8)
    pen.oval(-30, -26, 13, 8, (255, 255, 255, 230), rot=-35)


def st_sparkle(pen, c):
    pen.poly(star_pts(-8, 6, 62, 16, 4, -90), c, ow=7)
    pen.poly(star_pts(44, -44, 26, 7, 4, -90), c, ow=6)
    pen.poly(star_pts(46, 40, 16, 5, 4, -90), c, ow=5)


def st_lollipop(pen, c):
    pen.poly(rrect(-7, 0, 7, 86, 6), (255, 255, 255, 255), ow=6)
    pen.circle(0, -18, 52, c, ow=8)
    pts = [(1.9 * t * math.cos(t * 0.5), -18 + 1.9 * t * math.sin(t * 0.5)) for t in np.linspace(0, 24, 90)]
    pen.stroke(pts, (255, 255, 255, 235), 9)


def st_candy(pen, c):
    for side in (-1, 1):
        wr = [(side * 30, 0), (side * 74, -30), (side * 64, 0), (side * 74, 30)]
        pen.poly(rounded_poly(wr, 0.2), rgba(tint(c, 0.3)), ow=7)
    body = ell(0, 0, 42, 34, 60)
    pen.poly(body, c, ow=8)
    s = pen.sub(bbox_of(body, 2))
    for k in (-1, 0, 1):
        s.fill(xform([(-8, -40), (8, -40), (8, 40), (-8, 40)], k * 26, 0, 1, 25), (255, 255, 255, 255))
    pen.merge(s, clip=body)


def st_cloud(pen, c):
    pen.poly(cloud_pts(), c, ow=8)
    kawaii(pen, 0, 2, 0.9)


def st_note(pen, c):
    pen.poly([(-34, 34), (-34, -52), (46, -68), (46, 20), (34, 20), (34, -46), (-22, -34), (-22, 34)], c, ow=6)
    pen.poly(ell(-46, 38, 24, 18, 40, rot=-20), c, ow=6)
    pen.poly(ell(22, 24, 24, 18, 40, rot=-20), c, ow=6)
    pen.fill([(-34, 34), (-34, -52), (46, -68), (46, 20), (34, 20), (34, -46), (-22, -34), (-22, 34)], c)
    pen.fill(ell(-46, 38, 24, 18, 40, rot=-20), c)
    pen.fill(ell(22, 24, 24, 18, 40, rot=-20), c)
    pen.circle(-52, 32, 5, (255, 255, 255, 200))


def st_paw(pen, c):
    pen.poly(catmull([(0, -4), (38, 18), (36, 50), (0, 54), (-36, 50), (-38, 18)], True, 8), c, ow=7)
    for (x, y, r) in ((-48, -20, 18), (-18, -52, 19), (18, -52, 19), (48, -20, 18)):
        pen.poly(ell(x, y, r, r * 1.15, 30), c, ow=7)


def st_moon(pen, c):
    outer = ell(0, 0, 64, 64, 80)
    pen.poly(outer, c, ow=8)
    pen.fill(ell(34, -24, 52, 52, 80), (0, 0, 0, 0))
    pen.stroke(ell(34, -24, 52, 52, 80, 94, 210), OUTLINE, 8)
    pen.stroke(ell(-30, 14, 9, 7, 10, 20, 160), DK, 5)
    pen.oval(-22, 34, 8, 5, (255, 130, 150, 200))


def st_flower(pen, c):
    flower(pen, 0, 0, 62, c, ow=8)


def st_cupcake(pen, c):
    wrapper = [(-46, 10), (46, 10), (34, 72), (-34, 72)]
    pen.poly(wrapper, (255, 210, 120, 255), ow=7)
    for x in (-24, 0, 24):
        pen.stroke([(x, 16), (x * 0.75, 66)], (230, 170, 90, 255), 5)
    fr = catmull([(-58, 14), (-50, -14), (-26, -30), (-6, -56), (20, -38), (46, -22), (58, 12), (0, 22)], True, 8)
    pen.poly(fr, c, ow=8)
    pen.circle(2, -66, 14, (232, 60, 80, 255), ow=6)
    pen.stroke(ell(-12, -8, 26, 12, 12, 200, 300), (255, 255, 255, 200), 6)


def st_donut(pen, c):
    pen.circle(0, 0, 64, (230, 170, 100, 255), ow=8)
    icing = ell(0, -2, 56, 54, 90)
    icing = [(x + 5 * math.sin(i / 90 * 2 * math.pi * 6), y + 5 * abs(math.sin(i / 90 * 2 * math.pi * 6))) for i,
             (x, y) in enumerate(icing)]
    pen.fill(icing, c)
    pen.stroke(icing, OUTLINE, 5, True)
    pen.circle(0, 0, 18, (230, 170, 100, 255), ow=6)
    pen.fill(ell(0, 0, 16, 16, 30), (0, 0, 0, 0))
    cols = [(255, 255, 255, 255), (120, 200, 255, 255), (255, 220, 80, 255), (255, 120, 160, 255)]
    for k in range(9):
        a = k * 40 + 10
        r = 36 if k % 2 else 30
        pen.poly(xform(capsule((0, -6), (0, 6), 3.5, 6), r * math.cos(math.radians(a)), r * math.sin(math.radians(a)),
                       1, a * 1.7), cols[k % 4], ow=0)


def st_icecream(pen, c):
    cone = [(-36, -8), (36, -8), (0, 84)]
    pen.poly(rounded_poly(cone, 0.08), (240, 190, 110, 255), ow=7)
    s = pen.sub(bbox_of(cone, 2))
    for k in range(-4, 5):
        s.stroke([(k * 18 - 40, -10), (k * 18 + 40, 90)], (210, 150, 80, 255), 4)
        s.stroke([(k * 18 + 40, -10), (k * 18 - 40, 90)], (210, 150, 80, 255), 4)
    pen.merge(s, clip=cone)
    scoop = catmull([(-46, -4), (-44, -40), (-10, -70), (30, -62), (48, -30), (44, 0), (24, 8), (10, -2), (-6, 10),
                     (-24, 0)], True, 8)
    pen.poly(scoop, c, ow=8)
    pen.stroke(ell(-12, -34, 20, 16, 12, 200, 280), (255, 255, 255, 200), 6)


def st_bolt(pen, c):
    pen.poly([(10, -76), (-44, 10), (-4, 10), (-16, 78), (46, -16), (6, -16), (24, -76)], c, ow=8)


def st_cat(pen, c):
    for side in (-1, 1):
        pen.poly(rounded_poly([(side * 20, -40), (side * 56, -70), (side * 62, -10)], 0.18), c, ow=8)
    pen.poly(ell(0, 4, 66, 54, 80), c, ow=8)
    for side in (-1, 1):
        pen.fill(rounded_poly([(side * 30, -40), (side * 52, -58), (side * 54, -26)], 0.2), (255, 170, 190, 255))
    kawaii(pen, 0, 8, 1.0, DK if sum(c[:3]) > 300 else (255, 255, 255, 255))
    for side in (-1, 1):
        for k in (-1, 1):
            pen.stroke([(side * 44, 22 + k * 6), (side * 76, 18 + k * 14)], OUTLINE, 4)


def st_mushroom(pen, c):
    pen.poly(rrect(-22, 0, 22, 64, 16), (255, 240, 220, 255), ow=7)
    cap = catmull([(-70, 8), (-62, -30), (-30, -58), (0, -64), (30, -58), (62, -30), (70, 8), (0, 14)], True, 10)
    pen.poly(cap, c, ow=8)
    for (x, y, r) in ((-34, -20, 12), (10, -40, 10), (38, -6, 9), (-6, -4, 7)):
        pen.circle(x, y, r, (255, 255, 255, 255))
    pen.circle(-8, 36, 4, DK)
    pen.circle(8, 36, 4, DK)


def st_macaron(pen, c):
    pen.poly(rrect(-64, 8, 64, 48, 20), c, ow=7)
    pen.poly(rrect(-58, -6, 58, 16, 10), (255, 250, 240, 255), ow=6)
    pen.poly(rrect(-64, -46, 64, -4, 22), c, ow=7)
    s = pen.sub((-70, -50, 70, 0))
    s.stroke([(-40, -30), (-10, -34)], (255, 255, 255, 210), 7)
    pen.merge(s)


def st_balloon(pen, c):
    pen.stroke(cbez((0, 40), (-16, 60), (16, 76), (-4, 96), 12), OUTLINE, 5)
    pen.poly(rounded_poly([(-8, 46), (8, 46), (0, 32)], 0.2), c, ow=5)
    b = ell(0, -22, 52, 62, 80)
    pen.poly(b, c, ow=8)
    pen.oval(-20, -44, 11, 18, (255, 255, 255, 200), rot=20)


def st_gem(pen, c):
    outer = [(-60, -20), (-34, -50), (34, -50), (60, -20), (0, 62)]
    pen.poly(outer, c, ow=8)
    s = pen.sub((-70, -60, 70, 70))
    s.fill([(-60, -20), (60, -20), (0, 62)], rgba(shade(c, 0.12)))
    s.fill([(-20, -20), (20, -20), (0, 62)], rgba(tint(c, 0.35)))
    s.fill([(-34, -50), (-12, -50), (-20, -20), (-60, -20)], rgba(tint(c, 0.5)))
    pen.merge(s, clip=outer)
    for seg in ([(-60, -20), (60, -20)], [(-20, -20), (0, 62)], [(20, -20), (0, 62)], [(-12, -50), (-20, -20)],
                [(12, -50), (20, -20)]):
        pen.stroke(seg, OUTLINE, 4)


def st_bow(pen, c):
    for side in (-1, 1):
        pen.poly(catmull([(side * 6, 6), (side * 40, 62), (side * 22, 70), (side * 4, 20)], True, 6),
                 rgba(shade(c, 0.08)), ow=7)
    for side in (-1, 1):
        pen.poly(catmull([(0, 0), (side * 44, -46), (side * 74, -24), (side * 70, 22), (side * 40, 30)], True, 8), c,
                 ow=8)
    pen.poly(rrect(-16, -18, 16, 18, 9), rgba(shade(c, 0.05)), ow=7)


def st_planet(pen, c):
    ring_back = ell(0, 0, 84, 24, 60, 180, 360, rot=-18)
    pen.stroke(ring_back, OUTLINE, 16)
    pen.stroke(ring_back, (255, 230, 150, 255), 6)
    pen.circle(0, 0, 48, c, ow=8)
    s = pen.sub((-50, -50, 50, 50))
    s.oval(-14, -16, 12, 7, (255, 255, 255, 180))
    s.oval(20, 18, 16, 8, rgba(shade(c, 0.1)))
    pen.merge(s, clip=ell(0, 0, 48, 48, 60))
    ring_front = ell(0, 0, 84, 24, 60, 0, 180, rot=-18)
    pen.stroke(ring_front, OUTLINE, 16)
    pen.stroke(ring_front, (255, 230, 150, 255), 6)


def st_boba(pen, c):
    pen.poly(rrect(2, -86, 14, -10, 5), (255, 120, 150, 255), ow=5)
    cup = [(-44, -30), (44, -30), (34, 70), (-34, 70)]
    pen.poly(rounded_poly(cup, 0.06), c, ow=7)
    s = pen.sub(bbox_of(cup, 2))
    s.fill([(-60, -40), (60, -40), (60, -20), (-60, -20)], (255, 255, 255, 150))
    for (x, y) in ((-18, 56), (0, 58), (18, 56), (-10, 42), (10, 42), (26, 40), (-26, 40)):
        s.circle(x, y, 7, (70, 44, 40, 255))
    pen.merge(s, clip=cup)
    pen.poly(ell(0, -30, 52, 14, 40), (255, 255, 255, 255), ow=6)
    kawaii(pen, 0, 8, 0.8)
