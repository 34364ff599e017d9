"""Outfits with a silhouette of their own (issue 15): the first eight share body.TORSO, so
they read as colour swaps; these change the outline itself, a gown's flared skirt, a
knight's round pauldrons, a robe's hanging sleeves. Each stays inside the box the first
eight span (x 164-836, y 586 to the bottom), so a layout that fits those fits these."""
from __future__ import annotations

from .geometry import bbox_of, capsule, catmull, ell, rrect, star_pts, xform
from .palette import OUTLINE, RGB, WHITE, rgba, shade, tint


def shaded(pen, pts, col, dx=-26, dy=-10):
    """A filled outlined shape with the house's lower-right shade (as body.draw_torso)."""
    pen.poly(pts, rgba(col))
    s = pen.sub(bbox_of(pts, 2))
    s.fill(pts, rgba(shade(col, 0.12)))
    s.fill(xform(pts, dx, dy), (0, 0, 0, 0))
    pen.merge(s, clip=pts)


def body_gown(pen, col):
    """A princess gown: puffed sleeves, a fitted bodice and a skirt flaring to the frame."""
    col = rgba(col)
    for side in (-1, 1):
        arm = capsule((500 + side * 196, 720), (500 + side * 250, 890), 30, 16)
        shaded(pen, arm, (255, 226, 196))
    skirt = catmull([(500, 800), (610, 796), (680, 860), (764, 960), (812, 1060), (188, 1060), (236, 960),
                     (320, 860), (390, 796)], True, 12)
    shaded(pen, skirt, col)
    s = pen.sub(bbox_of(skirt, 2))
    for x0 in (330, 420, 500, 580, 670):
        s.stroke([(500 + (x0 - 500) * 0.45, 820), (x0 + (x0 - 500) * 0.55, 1000)], rgba(shade(col, 0.2)), 6)
    pen.merge(s, clip=skirt)
    bodice = catmull([(500, 624), (590, 630), (640, 690), (618, 800), (500, 826), (382, 800), (360, 690),
                      (410, 630)], True, 10)
    shaded(pen, bodice, tint(col, 0.25))
    for side in (-1, 1):
        puff = ell(500 + side * 168, 690, 64, 56, 60)
        shaded(pen, puff, tint(col, 0.4))
        s = pen.sub(bbox_of(puff, 2))
        for k in (-1, 0, 1):
            s.stroke([(500 + side * 168 + k * 26, 640), (500 + side * 168 + k * 20, 742)],
                     rgba(shade(tint(col, 0.4), 0.15)), 5)
        pen.merge(s, clip=puff)
    pen.poly(rrect(380, 790, 620, 826, 14), rgba(RGB["gold"]), ow=7)
    pen.poly(star_pts(500, 808, 28, 12, 5, -90, 0.3), WHITE, ow=6)


def body_knight(pen, col):
    """Armour: round pauldrons wider than any shirt, a chest plate and a tabard."""
    steel = RGB["silver"]
    for side in (-1, 1):
        shaded(pen, capsule((500 + side * 226, 760), (500 + side * 262, 900), 46, 16), steel)
        pen.poly(rrect(500 + side * 262 - 50, 880, 500 + side * 262 + 50, 922, 10), rgba(shade(steel, 0.15)), ow=7)
    chest = catmull([(500, 612), (620, 622), (680, 690), (690, 820), (700, 1060), (300, 1060), (310, 820),
                     (320, 690), (380, 622)], True, 12)
    shaded(pen, chest, steel)
    col = rgba(col)
    tabard = [(410, 700), (590, 700), (604, 1060), (396, 1060)]
    pen.poly(tabard, col, ow=7)
    pen.poly(star_pts(500, 820, 46, 20, 5, -90, 0.3), rgba(RGB["gold"]), ow=7)
    pen.stroke([(404, 930), (596, 930)], rgba(tint(col, 0.4)), 10)
    pen.stroke([(404, 930), (596, 930)], OUTLINE, 4)
    for side in (-1, 1):
        plate = ell(500 + side * 176, 696, 96, 80, 80, rot=side * 18)
        shaded(pen, plate, steel, -side * 10, -16)
        s = pen.sub(bbox_of(plate, 2))
        for dy in (-30, 6):  # the overlapping lames of a pauldron, as bands across it
            s.stroke(ell(500 + side * 176, 696 + dy, 110, 70, 40, 20, 160, rot=side * 18), OUTLINE, 6)
        pen.merge(s, clip=plate)
        pen.circle(500 + side * 150, 650, 8, rgba(RGB["gold"]), ow=5)
    pen.poly(rrect(446, 610, 554, 650, 16), rgba(shade(steel, 0.1)), ow=7)


def body_robe(pen, col):
    """A wrap robe: sleeves hanging wide as wings, a crossed collar and a sash with a bow."""
    col = rgba(col)
    sleeve_col = shade(col, 0.06)
    for side in (-1, 1):
        sleeve = [(500 + side * 180, 660), (500 + side * 270, 700), (500 + side * 316, 960),
                  (500 + side * 300, 1000), (500 + side * 196, 990), (500 + side * 150, 780)]
        sleeve = catmull(sleeve if side < 0 else sleeve[::-1], True, 8)
        shaded(pen, sleeve, sleeve_col, side * 20, -16)
        s = pen.sub(bbox_of(sleeve, 2))
        for k in range(3):
            x = 500 + side * (250 + 24 * k)
            s.circle(x, 880 - 40 * k, 14, rgba(tint(col, 0.55)))
        pen.merge(s, clip=sleeve)
    gown = catmull([(500, 616), (600, 622), (660, 680), (668, 820), (690, 1060), (310, 1060), (332, 820),
                    (340, 680), (400, 622)], True, 12)
    shaded(pen, gown, col)
    cream = RGB["cream"]
    for side in (-1, 1):
        lapel = [(500 + side * 80, 618), (500 + side * 118, 632), (500 - side * 10, 840), (500 - side * 44, 820)]
        pen.poly(lapel if side < 0 else lapel[::-1], rgba(cream), ow=6)
    sash = rgba(RGB["gold"])
    s = pen.sub(bbox_of(gown, 2))
    s.poly([(300, 840), (700, 840), (700, 920), (300, 920)], sash, ow=7)
    pen.merge(s, clip=gown)
    for side in (-1, 1):
        loop = ell(500 + side * 52, 868, 50, 30, 40, rot=side * -12)
        pen.poly(loop, rgba(shade(RGB["gold"], 0.08)), ow=7)
    pen.poly(rrect(478, 848, 522, 892, 10), sash, ow=7)
