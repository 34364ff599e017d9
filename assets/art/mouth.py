"""Mouths, drawn around MOUTH."""
from __future__ import annotations

import math

from .geometry import MOUTH, bbox_of, cbez, ell, heart_pts, qbez, rounded_poly
from .palette import MOUTH_IN, OUTLINE, TONGUE, WHITE
from .variants import Category, Variant


MX, MY = MOUTH


def d_mouth(pen, cx, cy, w, h, tongue=True, teeth=False, flat=4):
    pts = [(cx - w, cy)] + qbez((cx - w, cy), (cx, cy - flat), (cx + w, cy), 10, False) + \
        ell(cx, cy, w, h, 40, 0, 180)[1:]
    pen.poly(pts, MOUTH_IN, ow=8)
    if tongue:
        s = pen.sub(bbox_of(pts, 2))
        s.oval(cx + w * 0.1, cy + h * 0.95, w * 0.62, h * 0.55, TONGUE)
        pen.merge(s, clip=pts)
    if teeth:
        s = pen.sub(bbox_of(pts, 2))
        s.fill([(cx - w - 4, cy - 10), (cx + w + 4, cy - 10), (cx + w + 4, cy + h * 0.34),
                (cx - w - 4, cy + h * 0.34)], WHITE)
        pen.merge(s, clip=pts)
        pen.stroke([(cx - w + 6, cy + h * 0.34), (cx + w - 6, cy + h * 0.34)], OUTLINE, 5)


def mouth_smile(pen):
    pen.stroke(ell(MX, MY - 16, 30, 24, 30, 25, 155), OUTLINE, 9)


def mouth_open(pen):
    d_mouth(pen, MX, MY - 12, 36, 38)


def mouth_cat(pen):
    pen.stroke(ell(MX - 17, MY - 8, 17, 14, 24, 10, 180) + [], OUTLINE, 9)
    pen.stroke(ell(MX + 17, MY - 8, 17, 14, 24, 0, 170), OUTLINE, 9)


def mouth_o(pen):
    o = ell(MX, MY + 2, 19, 24, 60)
    pen.poly(o, MOUTH_IN, ow=8)
    s = pen.sub(bbox_of(o, 2))
    s.oval(MX, MY + 22, 13, 10, TONGUE)
    pen.merge(s, clip=o)


def mouth_grin(pen):
    d_mouth(pen, MX, MY - 14, 50, 40, tongue=True, teeth=True, flat=-6)


def mouth_bleh(pen):
    tongue = [(MX + 2, MY - 4)] + ell(MX + 16, MY + 10, 17, 22, 30, 0, 180) + [(MX + 32, MY - 4)]
    pen.poly(tongue, TONGUE, ow=7)
    pen.stroke([(MX + 16, MY + 2), (MX + 16, MY + 18)], (220, 90, 110, 255), 5)
    pen.stroke(ell(MX, MY - 22, 36, 20, 30, 25, 155), OUTLINE, 9)


def mouth_fang(pen):
    arc = ell(MX, MY - 20, 38, 26, 30, 25, 155)
    fang = [(MX + 14, MY + 3), (MX + 28, MY - 1), (MX + 22, MY + 18)]
    pen.poly(fang, WHITE, ow=5)
    pen.stroke(arc, OUTLINE, 9)


def mouth_smirk(pen):
    pts = cbez((MX - 30, MY + 2), (MX - 10, MY + 12), (MX + 18, MY + 6), (MX + 32, MY - 10), 20)
    pen.stroke(pts, OUTLINE, 9)
    pen.stroke([(MX + 26, MY - 16), (MX + 38, MY - 4)], OUTLINE, 8)


def mouth_laugh(pen):
    pts = rounded_poly([(MX - 46, MY - 22), (MX + 46, MY - 22), (MX, MY + 42)], 0.22)
    pen.poly(pts, MOUTH_IN, ow=8)
    s = pen.sub(bbox_of(pts, 2))
    s.oval(MX, MY + 34, 26, 20, TONGUE)
    pen.merge(s, clip=pts)


def mouth_wavy(pen):
    pts = [(MX - 40 + i * 2, MY + 6 * math.sin(i * 2 / 80 * 4 * math.pi)) for i in range(41)]
    pen.stroke(pts, OUTLINE, 8)


def mouth_kiss(pen):
    pen.stroke(ell(MX, MY - 10, 14, 12, 24, -100, 90), OUTLINE, 9)
    pen.stroke(ell(MX, MY + 14, 14, 12, 24, -90, 100), OUTLINE, 9)
    pen.poly(heart_pts(MX + 50, MY - 30, 16, 60, 15), (255, 110, 150, 255), ow=5)


def mouth_tiny(pen):
    d_mouth(pen, MX, MY - 6, 20, 20)


def mouth_pout(pen):
    pen.stroke(ell(MX, MY + 10, 22, 16, 24, 205, 335), OUTLINE, 9)


CATEGORY = Category("mouth", "pen", (
    Variant("00", mouth_smile),
    Variant("01", mouth_open),
    Variant("02", mouth_cat),
    Variant("03", mouth_o),
    Variant("04", mouth_grin),
    Variant("05", mouth_bleh),
    Variant("06", mouth_fang),
    Variant("07", mouth_smirk),
    Variant("08", mouth_laugh),
    Variant("09", mouth_wavy),
    Variant("10", mouth_kiss),
    Variant("11", mouth_tiny),
    Variant("12", mouth_pout),
))
