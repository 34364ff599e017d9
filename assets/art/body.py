"""Outfits: one torso and pair of arms, dressed as a hoodie, sailor collar, scarf and more."""
from __future__ import annotations

import math
from functools import partial

from .body_silhouettes import body_gown, body_knight, body_robe
from .geometry import bbox_of, capsule, catmull, ell, heart_pts, rrect, star_pts, xform
from .palette import OUTLINE, RGB, WHITE, rgba, shade, tint
from .variants import Category, Variant


TORSO = catmull([(500, 612), (610, 618), (676, 652), (712, 722), (728, 820), (738, 1060),
                 (262, 1060), (272, 820), (288, 722), (324, 652), (390, 618)], True, 12)
ARM_L = ((304, 706), (236, 884))
ARM_R = ((696, 706), (764, 884))
ARM_W = 46


def arm_pts(side):
    a, b = ARM_L if side < 0 else ARM_R
    return capsule(a, b, ARM_W, 18)


def draw_arms(pen, col, cuff=None, cuff_at=0.74):
    for side in (-1, 1):
        a, b = ARM_L if side < 0 else ARM_R
        pts = arm_pts(side)
        pen.poly(pts, col)
        # small shade on the inner side
        s = pen.sub(bbox_of(pts, 2))
        s.fill(xform(pts, -side * 30, 0), rgba(shade(col, 0.12)))
        s.fill(xform(pts, -side * 48, -8), (0, 0, 0, 0))
        pen.merge(s, clip=pts)
        if cuff is not None:
            t = cuff_at
            cx, cy = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
            ang = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
            band = xform(rrect(-16, -70, 16, 70, 6), cx, cy, 1, ang)
            s = pen.sub(bbox_of(pts, 2))
            s.fill(band, rgba(cuff))
            pen.merge(s, clip=pts)
            for e in (-16, 16):
                ln = xform([(e, -ARM_W), (e, ARM_W)], cx, cy, 1, ang)
                s = pen.sub(bbox_of(pts, 2))
                s.stroke(ln, OUTLINE, 6)
                pen.merge(s, clip=pts)


def draw_torso(pen, col):
    pen.poly(TORSO, rgba(col))
    s = pen.sub(bbox_of(TORSO, 2))
    s.fill(TORSO, rgba(shade(col, 0.12)))
    s.fill(xform(TORSO, -26, -10), (0, 0, 0, 0))
    pen.merge(s, clip=TORSO)


def body_hoodie(pen, col):
    col = rgba(col)
    draw_arms(pen, col, cuff=shade(col, 0.1))
    draw_torso(pen, col)
    # hood bunched behind the neck
    hood = catmull([(500, 600), (640, 604), (706, 650), (672, 700), (560, 712), (500, 714),
                    (440, 712), (328, 700), (294, 650), (360, 604)], True, 10)
    pen.poly(hood, rgba(shade(col, 0.08)))
    pen.poly(ell(500, 662, 150, 40, 80), rgba(shade(col, 0.3)), ow=6)
    # strings
    for x in (458, 542):
        pen.stroke([(x, 690), (x - 4, 760), (x + 2, 800)], OUTLINE, 12)
        pen.stroke([(x, 690), (x - 4, 760), (x + 2, 800)], WHITE, 6)
        pen.poly(rrect(x - 8, 796, x + 12, 822, 5), rgba(shade(col, 0.2)), ow=5)
    # kangaroo pocket
    pocket = rrect(372, 860, 628, 1010, 30)
    pocket = [(x + (0 if y > 900 else (30 if x < 500 else -30) * (900 - y) / 40), y) for x, y in pocket]
    pen.poly(pocket, rgba(tint(col, 0.12)), ow=6)


def body_sailor(pen, col):
    shirt = (250, 250, 252)
    draw_arms(pen, shirt, cuff=col)
    draw_torso(pen, shirt)
    collar = catmull([(500, 640), (610, 628), (700, 660), (712, 736), (640, 762), (560, 770), (500, 850),
                      (440, 770), (360, 762), (288, 736), (300, 660), (390, 628)], True, 10)
    pen.poly(collar, rgba(col))
    inner = xform(collar, 0, -6, 0.86, 0, 500, 700)
    pen.stroke(inner, WHITE, 6, True)
    # neckerchief knot + tails
    red = rgba(RGB["red"])
    for side in (-1, 1):
        tail = [(500, 780), (500 + side * 60, 860), (500 + side * 36, 880), (500 + side * 14, 820)]
        pen.poly(tail, red, ow=7)
    pen.poly(rrect(470, 760, 530, 800, 14), red, ow=7)


def body_scarf(pen, col):
    sweater = (120, 200, 230)
    draw_arms(pen, sweater, cuff=shade(sweater, 0.12))
    draw_torso(pen, sweater)
    # ribbing on the hem of the sweater
    for x in range(300, 720, 26):
        pen.stroke([(x, 960), (x, 1000)], rgba(shade(sweater, 0.22)), 5)
    col = rgba(col)
    stripe = rgba(tint(col, 0.6))
    # hanging end
    end = rrect(556, 680, 636, 900, 14)
    end = xform(end, 0, 0, 1, -8, 596, 690)
    pen.poly(end, col)
    s = pen.sub(bbox_of(end, 2))
    for y in range(720, 900, 44):
        s.fill(xform(rrect(540, y, 660, y + 18, 2), 0, 0, 1, -8, 596, 690), stripe)
    pen.merge(s, clip=end)
    for i in range(5):
        x = 560 + i * 17
        pen.stroke(xform([(x, 902), (x, 930)], 0, 0, 1, -8, 596, 690), OUTLINE, 12)
        pen.stroke(xform([(x, 902), (x, 930)], 0, 0, 1, -8, 596, 690), col, 6)
    # wrap around the neck
    wrap = catmull([(500, 636), (630, 628), (712, 664), (700, 722), (600, 748), (500, 752), (400, 748),
                    (300, 722), (288, 664), (370, 628)], True, 10)
    pen.poly(wrap, col)
    s = pen.sub(bbox_of(wrap, 2))
    for x0 in range(250, 760, 70):
        s.fill([(x0, 600), (x0 + 26, 600), (x0 + 46, 780), (x0 + 20, 780)], stripe)
    pen.merge(s, clip=wrap)


def body_cape(pen, col):
    col = rgba(col)
    shirt = (255, 244, 214)
    cape = catmull([(500, 640), (640, 650), (740, 760), (790, 1060), (210, 1060), (260, 760), (360, 650)], True, 12)
    pen.poly(cape, rgba(shade(col, 0.25)))
    draw_arms(pen, shirt, cuff=(255, 210, 90))
    draw_torso(pen, shirt)
    # belt
    s = pen.sub(bbox_of(TORSO, 2))
    s.fill([(200, 900), (800, 900), (800, 940), (200, 940)], rgba((120, 80, 60)))
    pen.merge(s, clip=TORSO)
    pen.stroke([(268, 900), (732, 900)], OUTLINE, 5)
    pen.stroke([(268, 940), (732, 940)], OUTLINE, 5)
    pen.poly(rrect(474, 892, 526, 948, 8), rgba(RGB["gold"]), ow=6)
    # shoulder mantle
    for side in (-1, 1):
        m = [(500, 660), (500 + side * 120, 640), (500 + side * 205, 690), (500 + side * 225, 770),
             (500 + side * 150, 760), (500 + side * 60, 740)]
        m = catmull(m if side < 0 else m[::-1], True, 8)
        pen.poly(m, col)
    pen.poly(star_pts(500, 712, 34, 16, 5, -90, 0.3), rgba(RGB["gold"]), ow=7)
    pen.circle(493, 705, 5, WHITE)


def body_vest(pen, col):
    shirt = (250, 250, 252)
    draw_arms(pen, shirt, cuff=(236, 236, 240))
    draw_torso(pen, shirt)
    col = rgba(col)
    for side in (-1, 1):
        panel = [(500 + side * 60, 640), (500 + side * 160, 630), (500 + side * 220, 700), (500 + side * 240, 1060),
                 (500 + side * 6, 1060), (500 + side * 6, 960), (500 + side * 30, 760)]
        s = pen.sub(bbox_of(TORSO, 2))
        s.poly(panel if side < 0 else panel[::-1], col, ow=7)
        pen.merge(s, clip=xform(TORSO, 0, 0, 1.0))
    pen.stroke([(500, 760), (500, 1000)], OUTLINE, 6)
    for y in (820, 890, 960):
        pen.circle(530, y, 10, rgba(RGB["gold"]), ow=5)
    # bow tie
    bow = rgba(RGB["red"])
    for side in (-1, 1):
        w = [(500, 688), (500 + side * 56, 660), (500 + side * 62, 716)]
        pen.poly(catmull(w, True, 6), bow, ow=7)
    pen.poly(rrect(484, 672, 516, 704, 9), rgba(shade(bow, 0.15)), ow=7)


def body_overalls(pen, col):
    shirt = (255, 222, 120)
    draw_arms(pen, shirt, cuff=(255, 200, 90))
    draw_torso(pen, shirt)
    # stripes on the shirt
    s = pen.sub(bbox_of(TORSO, 2))
    for y in range(680, 1000, 46):
        s.fill([(200, y), (800, y), (800, y + 16), (200, y + 16)], (255, 245, 220, 255))
    pen.merge(s, clip=TORSO)
    col = rgba(col)
    bib = catmull([(380, 780), (620, 780), (632, 900), (740, 920), (740, 1060), (260, 1060), (260, 920), (368, 900)],
                  True, 6)
    s = pen.sub(bbox_of(TORSO, 2))
    s.poly(bib, col, ow=7)
    pen.merge(s, clip=TORSO)
    for side in (-1, 1):
        strap = [(500 + side * 110, 790), (500 + side * 150, 640), (500 + side * 190, 648), (500 + side * 150, 800)]
        pen.poly(strap if side < 0 else strap[::-1], col, ow=7)
        pen.circle(500 + side * 115, 800, 13, rgba(RGB["gold"]), ow=6)
    pen.poly(rrect(440, 820, 560, 890, 12), rgba(shade(col, 0.12)), ow=6)
    pen.stroke([(452, 836), (548, 836)], rgba(tint(col, 0.5)), 4)


def body_sweater(pen, col):
    col = rgba(col)
    draw_arms(pen, col, cuff=shade(col, 0.1))
    draw_torso(pen, col)
    # turtleneck
    neck = catmull([(500, 628), (600, 630), (650, 660), (610, 706), (500, 716), (390, 706), (350, 660), (400, 630)],
                   True, 10)
    pen.poly(neck, rgba(shade(col, 0.08)))
    s = pen.sub(bbox_of(neck, 2))
    for x in range(340, 670, 24):
        s.stroke([(x, 600), (x + 4, 730)], rgba(shade(col, 0.22)), 5)
    pen.merge(s, clip=neck)
    # knitted heart
    pen.poly(heart_pts(500, 850, 78), rgba(RGB["red"]), ow=8)
    pen.circle(468, 818, 9, (255, 255, 255, 200))
    for x in range(300, 720, 26):
        pen.stroke([(x, 970), (x, 1000)], rgba(shade(col, 0.22)), 5)


def body_apron(pen, col):
    shirt = rgba(col)
    draw_arms(pen, shirt, cuff=tint(shirt, 0.5))
    draw_torso(pen, shirt)
    apron = (255, 252, 246, 255)
    bib = catmull([(400, 730), (600, 730), (606, 880), (690, 900), (700, 1060), (300, 1060), (310, 900), (394, 880)],
                  True, 6)
    # neck strap
    pen.stroke([(404, 740), (430, 650)], OUTLINE, 20)
    pen.stroke([(596, 740), (570, 650)], OUTLINE, 20)
    pen.stroke([(404, 740), (430, 650)], apron, 10)
    pen.stroke([(596, 740), (570, 650)], apron, 10)
    s = pen.sub(bbox_of(TORSO, 2))
    s.poly(bib, apron, ow=7)
    pen.merge(s, clip=TORSO)
    # frill along the top of the bib
    for i in range(5):
        x = 410 + i * 45
        pen.poly(ell(x, 734, 24, 14, 24, 0, 180), apron, ow=5)
    # pocket with a little cookie emblem
    pen.poly(rrect(436, 850, 564, 940, 16), apron, ow=6)
    pen.circle(500, 890, 26, rgba((232, 172, 100)), ow=5)
    for dx, dy in ((-8, -8), (9, -3), (-2, 10)):
        pen.circle(500 + dx, 890 + dy, 4.5, rgba((110, 66, 44)))


CATEGORY = Category("body", "pen", tuple(Variant(vid, partial(outfit, col=colour)) for vid, outfit, colour in (
    ("00", body_hoodie, RGB["pink"]),
    ("01", body_sailor, RGB["navy"]),
    ("02", body_scarf, (236, 96, 96)),
    ("03", body_cape, (150, 100, 220)),
    ("04", body_vest, (150, 100, 72)),
    ("05", body_overalls, (96, 140, 216)),
    ("06", body_sweater, (190, 170, 240)),
    ("07", body_apron, (255, 170, 190)),
    ("08", body_gown, RGB["lilac"]),
    ("09", body_knight, RGB["red"]),
    ("10", body_robe, RGB["mint"]),
)))
