"""Back hair (greyscale, tinted by the renderer): drawn behind the head and the body."""
from __future__ import annotations

from .back_hair_shapes import bh_poly, long_hair, on_side, tail
from .geometry import HX, bumpy_circle, catmull, cbez, ell, qbez
from .hair_cap import outer_spiky
from .palette import HB_BASE, HB_LINE, HB_SHADE, H_HI, H_OUT
from .variants import Category, Variant


def bh_long(pen, rng):
    long_hair(pen, 840, 30, "tips")


def bh_shoulder(pen, rng):
    long_hair(pen, 650, 22, "tips")


def bh_wavy(pen, rng):
    long_hair(pen, 830, 34, "wavy")


def bh_pigtails(pen, rng):
    for side in (-1, 1):
        tail(pen, on_side(side, (290, 470)), on_side(side, (220, 520)), on_side(side, (190, 640)),
             on_side(side, (214, 780)), 36, 58)
    long_hair(pen, 520, 6, "tips", width=250)


def bh_twintails(pen, rng):
    for side in (-1, 1):
        tail(pen, on_side(side, (320, 240)), on_side(side, (214, 232)), on_side(side, (192, 480)),
             on_side(side, (216, 800)), 36, 58)
    long_hair(pen, 560, 8, "tips", width=252)


def bh_braids(pen, rng):
    for side in (-1, 1):
        tail(pen, on_side(side, (286, 480)), on_side(side, (236, 560)), on_side(side, (224, 660)),
             on_side(side, (232, 800)), 36, 44, "braid", 24)
    long_hair(pen, 540, 6, "tips", width=250)


def bh_sidebraid(pen, rng):
    tail(pen, (300, 470), (240, 540), (226, 660), (244, 830), 40, 48, "braid", 24)
    long_hair(pen, 560, 8, "tips", width=252)


def bh_bob(pen, rng):
    pts = catmull([(HX, 164), (662, 186), (752, 300), (772, 470), (740, 596), (640, 610), (HX, 600),
                   (360, 610), (260, 596), (228, 470), (248, 300), (338, 186)], True, 12)
    bh_poly(pen, pts, [qbez((262, 380), (244, 480), (270, 580), 10), qbez((738, 380), (756, 480), (730, 580), 10)])


def bh_cloud(pen, rng):
    pts = bumpy_circle(HX, 450, 296, 14, 22, 270)
    bh_poly(pen, pts)


def bh_ponytail(pen, rng):
    tail(pen, (620, 230), (790, 200), (820, 420), (750, 720), 40, 72)
    long_hair(pen, 540, 6, "tips", width=250)


def bh_sidepony(pen, rng):
    tail(pen, (340, 250), (222, 232), (186, 440), (238, 700), 40, 62)
    pen.poly(ell(300, 262, 30, 34, 30), HB_SHADE, oc=H_OUT, ow=8)
    long_hair(pen, 540, 6, "tips", width=250)


def bh_drills(pen, rng):
    for side in (-1, 1):
        tail(pen, on_side(side, (300, 300)), on_side(side, (220, 330)), on_side(side, (200, 520)),
             on_side(side, (214, 800)), 40, 46, "drill", 30)
    long_hair(pen, 560, 8, "tips", width=252)


def bh_flip(pen, rng):
    long_hair(pen, 640, 14, "flip")


def bh_spiky(pen, rng):
    pts = outer_spiky(40, 40, 12, 56, 256, 256, 440, rng=rng)
    pts = pts + [(620, 640), (500, 620), (380, 640)]
    bh_poly(pen, pts)


def bh_verylong(pen, rng):
    long_hair(pen, 960, 52, "tips", width=266)


def bh_loops(pen, rng):
    for side in (-1, 1):
        path = cbez(on_side(side, (300, 440)), on_side(side, (150, 450)), on_side(side, (140, 700)),
                    on_side(side, (250, 700)), 30) + \
            cbez(on_side(side, (250, 700)), on_side(side, (320, 700)), on_side(side, (300, 560)),
                 on_side(side, (290, 500)), 14, False)
        pen.stroke(path, H_OUT, 64)
        pen.stroke(path, HB_BASE, 44)
        pen.stroke(path[3:-6], HB_LINE, 5)
        pen.poly(ell(*on_side(side, (284, 470)), 28, 32, 30), HB_SHADE, ow=8, oc=H_OUT)
    long_hair(pen, 540, 6, "tips", width=250)


def bh_layered(pen, rng):
    long_hair(pen, 760, 28, "layered")


def bh_hime_long(pen, rng):
    long_hair(pen, 800, 16, "blunt")


def bh_shortfluffy(pen, rng):
    pts = bumpy_circle(HX, 440, 268, 12, 16, 250)
    bh_poly(pen, pts)


def bh_mane(pen, rng):
    pts = outer_spiky(-90 + 1, 270 - 1, 18, 70, 268, 262, 450, rng=rng, lean=0.15)
    bh_poly(pen, pts)


def bh_curlylong(pen, rng):
    long_hair(pen, 820, 30, "curly")


def bh_bubbles(pen, rng):
    for side in (-1, 1):
        tail(pen, on_side(side, (292, 420)), on_side(side, (230, 470)), on_side(side, (204, 620)),
             on_side(side, (220, 860)), 40, 50, "bubble", 24)
    long_hair(pen, 540, 6, "tips", width=250)


def bh_shortpig(pen, rng):
    for side in (-1, 1):
        tail(pen, on_side(side, (292, 460)), on_side(side, (236, 470)), on_side(side, (196, 520)),
             on_side(side, (182, 600)), 30, 44)
    long_hair(pen, 520, 6, "tips", width=250)


def bh_curledtails(pen, rng):
    for side in (-1, 1):
        tail(pen, on_side(side, (310, 260)), on_side(side, (206, 250)), on_side(side, (176, 520)),
             on_side(side, (226, 700)), 36, 60)
        c = on_side(side, (246, 730))
        pen.poly(bumpy_circle(c[0], c[1], 40, 6, 10), HB_BASE, oc=H_OUT)
        s = pen.sub((c[0] - 60, c[1] - 60, c[0] + 60, c[1] + 60))
        s.stroke(ell(c[0], c[1], 20, 18, 24, 0, 300), HB_LINE, 5)
        pen.merge(s)
    long_hair(pen, 560, 8, "tips", width=252)


def bh_windswept(pen, rng):
    long_hair(pen, 760, 20, "tips", lean=1.1)


def bh_mermaid(pen, rng):
    long_hair(pen, 900, 60, "wavy", width=270)


def bh_scruffy(pen, rng):
    pts = outer_spiky(30, 30, 16, 30, 258, 258, 440, rng=rng, lean=0.3)
    pts = pts + [(600, 640), (500, 630), (400, 640)]
    bh_poly(pen, pts)


def bh_fluffypig(pen, rng):
    for side in (-1, 1):
        c = on_side(side, (238, 520))
        pen.poly(bumpy_circle(c[0], c[1], 70, 8, 14, 80), HB_BASE, oc=H_OUT)
        s = pen.sub((c[0] - 100, c[1] - 100, c[0] + 100, c[1] + 100))
        s.stroke(ell(c[0], c[1] - 6, 38, 42, 24, 200, 330), H_HI, 10)
        s.stroke(ell(c[0], c[1] + 10, 40, 40, 24, 30, 150), HB_LINE, 5)
        pen.merge(s, clip=bumpy_circle(c[0], c[1], 70, 8, 14, 80))
        pen.poly(ell(*on_side(side, (280, 470)), 24, 28, 30), HB_SHADE, ow=8, oc=H_OUT)
    long_hair(pen, 520, 6, "tips", width=250)


CATEGORY = Category("back_hair", "seeded", (
    Variant("00", bh_long),
    Variant("01", bh_shoulder),
    Variant("02", bh_wavy),
    Variant("03", bh_pigtails),
    Variant("04", bh_twintails),
    Variant("05", bh_braids),
    Variant("06", bh_sidebraid),
    Variant("07", bh_bob),
    Variant("08", bh_cloud),
    Variant("09", bh_ponytail),
    Variant("10", bh_sidepony),
    Variant("11", bh_drills),
    Variant("12", bh_flip),
    Variant("13", bh_spiky),
    Variant("14", bh_verylong),
    Variant("15", bh_loops),
    Variant("16", bh_layered),
    Variant("17", bh_hime_long),
    Variant("18", bh_shortfluffy),
    Variant("19", bh_mane),
    Variant("20", bh_curlylong),
    Variant("21", bh_bubbles),
    Variant("22", bh_shortpig),
    Variant("23", bh_curledtails),
    Variant("24", bh_windswept),
    Variant("25", bh_mermaid),
    Variant("26", bh_scruffy),
    Variant("27", bh_fluffypig),
))
