"""Front hair (greyscale, tinted by the renderer): fringes and tops drawn over the face."""
from __future__ import annotations

import math

from .front_hair_volume import fh_afro, fh_braidcrown, fh_mohawk
from .geometry import bbox_of, catmull, cbez, ell, heart_pts, mirror, qbez, rrect
from .hair_cap import (
    CAP_RX, CAP_RY, arc_pt, basic_fringe, draw_cap, fringe_path, lock_pair, outer_arc, outer_bumpy, outer_spiky,
    outer_with_bumps, strands_from,
)
from .palette import H_BASE, H_HI, H_LINE, H_OUT, H_SHADE
from .variants import Category, Variant


def fh_blunt(pen, rng):
    tips = [(330, 352)] + [(330 + 340 * i / 8, 356 + 8 * math.sin(math.pi * i / 8)) for i in range(1, 8)] + [(670, 352)]
    fr = basic_fringe(tips, 3, first_depth=4)
    ll, lr, dl = lock_pair(tip=(300, 470), blunt=True, inner_x=320)
    draw_cap(pen, outer_arc(dl, dl), lr, fr, ll, strands_from(tips[1:-1:2], frac=0.4))


def fh_sideswept(pen, rng):
    tips = [(372, 300), (450, 322), (540, 348), (620, 362), (668, 372)]
    seq = [(318, 420), (330, 330)] + tips + [(690, 430)]
    fr = fringe_path(seq, [4, 10, 18, 18, 16, 12, 4])
    ll = [(318, 430), (310, 470), (286, 482)]
    lr = [(742, 520), (716, 528), (700, 470), (690, 440)]
    draw_cap(pen, outer_arc(10, 20), lr, fr, ll, strands_from(tips[1:], (330, 210), 0.45))


def fh_spiky(pen, rng):
    tips = [(356, 356), (424, 370), (500, 376), (576, 370), (644, 356)]
    seq = [(316, 410)] + tips + [(684, 410)]
    fr = fringe_path(seq, 24)
    ll = [(316, 430), (300, 500)]
    lr = mirror(ll)
    outer = outer_spiky(18, 18, 9, 62, rng=rng)
    draw_cap(pen, outer, lr, fr, ll, strands_from(tips))


def fh_curly(pen, rng):
    seq = [(318, 430)] + [(318 + 364 * i / 8, 350 + (20 if i in (0, 8) else 0)) for i in range(1, 8)] + [(682, 430)]
    fr = fringe_path(seq, -16)
    ll = fringe_path([(318, 430), (300, 480), (270, 500)], -12)[1:]
    lr = mirror(ll)
    outer = outer_bumpy(20, 20, 11, 18)
    draw_cap(pen, outer, lr, fr, ll, ring=False)
    s = pen.sub((200, 100, 800, 500))
    for (x, y) in [(380, 250), (470, 220), (560, 230), (640, 270), (330, 310), (430, 300), (530, 300), (610, 320)]:
        s.stroke(ell(x, y, 16, 13, 20, 200, 470), H_LINE, 5)
    pen.merge(s, clip=outer + lr + fr[::-1] + ll)


def wispy(pen, ahoge=None):
    tips = [(348, 360), (410, 372), (470, 362), (540, 374), (610, 364), (660, 352)]
    fr = basic_fringe(tips, 18, first_depth=8)
    ll, lr, dl = lock_pair(tip=(290, 508))
    if ahoge is not None:
        ahoge()
    draw_cap(pen, outer_arc(dl, dl), lr, fr, ll, strands_from(tips))


def fh_ahoge(pen, rng):
    def a():
        pts = [(486, 182)] + cbez((486, 182), (470, 110), (560, 70), (570, 120), 16, False) + \
            cbez((570, 120), (546, 96), (500, 130), (516, 182), 16, False)
        pen.poly(pts, H_BASE, oc=H_OUT)
    wispy(pen, a)


def fh_heart_ahoge(pen, rng):
    def a():
        pen.stroke(qbez((500, 180), (496, 140), (510, 118), 10), H_OUT, 22)
        pen.stroke(qbez((500, 180), (496, 140), (510, 118), 10), H_BASE, 8)
        h = heart_pts(516, 92, 34, 80, 12)
        pen.poly(h, H_BASE, oc=H_OUT)
        inner = heart_pts(516, 92, 16, 60, 12)
        pen.fill(inner, (0, 0, 0, 0))
        pen.stroke(inner, H_OUT, 10, True)
    wispy(pen, a)


def bun(pen, cx, cy, r):
    pen.poly(ell(cx, cy, r, r * 0.96), H_BASE, oc=H_OUT)
    s = pen.sub((cx - r - 2, cy - r - 2, cx + r + 2, cy + r + 2))
    s.oval(cx + r * 0.25, cy + r * 0.3, r * 0.9, r * 0.8, H_SHADE)
    s.oval(cx + r * 0.05, cy + r * 0.05, r * 0.92, r * 0.86, (0, 0, 0, 0))
    s.stroke(ell(cx, cy, r * 0.55, r * 0.5, 30, 200, 330), H_LINE, 5)
    s.stroke(ell(cx - r * 0.3, cy - r * 0.35, r * 0.3, r * 0.2, 20, 190, 290), H_HI, 8)
    pen.merge(s, clip=ell(cx, cy, r, r * 0.96))


def fh_twinbuns(pen, rng):
    bun(pen, 318, 214, 70)
    bun(pen, 682, 214, 70)
    tips = [(360, 356), (430, 368), (500, 360), (570, 368), (640, 356)]
    fr = basic_fringe(tips, 20, first_depth=8)
    ll, lr, dl = lock_pair(tip=(294, 500))
    draw_cap(pen, outer_arc(dl, dl), lr, fr, ll, strands_from(tips))


def fh_ponytop(pen, rng):
    tuft = catmull([(470, 190), (430, 120), (440, 56), (486, 30), (520, 60), (560, 34), (604, 70), (586, 130),
                    (530, 190)], True, 8)
    pen.poly(tuft, H_BASE, oc=H_OUT)
    s = pen.sub(bbox_of(tuft, 2))
    s.stroke(qbez((480, 170), (470, 110), (490, 50), 10), H_LINE, 5)
    s.stroke(qbez((520, 170), (540, 110), (570, 60), 10), H_LINE, 5)
    pen.merge(s, clip=tuft)
    pen.poly(rrect(466, 160, 534, 190, 12), H_SHADE, ow=8, oc=H_OUT)
    tips = [(350, 350), (420, 364), (490, 356), (560, 366), (640, 352)]
    fr = basic_fringe(tips, 18, first_depth=8)
    ll, lr, dl = lock_pair(tip=(292, 490))
    draw_cap(pen, outer_arc(dl, dl), lr, fr, ll, strands_from(tips))


def fh_center(pen, rng):
    seq = [(318, 440), (346, 352), (420, 290), (500, 236), (580, 290), (654, 352), (682, 440)]
    fr = catmull(seq, False, 10)
    ll = [(318, 460), (304, 540), (268, 548)]
    lr = mirror(ll)
    dl = 22
    outer = outer_arc(dl, dl)
    draw_cap(pen, outer, lr, fr, ll, [qbez((500, 240), (498, 210), (500, 176), 6)] +
             strands_from([(380, 320), (620, 320)], (500, 200), 0.4))


def fh_messy(pen, rng):
    tips = []
    for i in range(7):
        x = 340 + i * 54 + rng.uniform(-10, 10)
        tips.append((x, 338 + rng.uniform(0, 30) + (8 if i % 2 else 0)))
    fr = basic_fringe(tips, 18, first_depth=6)
    ll = [(316, 430), (306, 470), (292, 492)]
    lr = mirror(ll)
    outer = outer_spiky(10, 10, 12, 30, rng=rng, lean=0.2)
    draw_cap(pen, outer, lr, fr, ll, strands_from(tips[::2]))


def fh_pompadour(pen, rng):
    tips = [(350, 300), (420, 290), (500, 296), (580, 290), (650, 300)]
    fr = basic_fringe(tips, 10, start=(318, 400), end=(682, 400), first_depth=6)
    ll = [(318, 420), (304, 460), (286, 470)]
    lr = mirror(ll)
    draw_cap(pen, outer_arc(8, 8), lr, fr, ll, ring=False)
    quiff = catmull([(330, 300), (360, 200), (450, 130), (570, 110), (660, 150), (640, 190), (560, 180),
                     (500, 230), (450, 300), (390, 320)], True, 10)
    pen.poly(quiff, H_BASE, oc=H_OUT)
    s = pen.sub(bbox_of(quiff, 2))
    s.stroke(qbez((380, 270), (420, 160), (560, 136), 12), H_HI, 14)
    s.stroke(qbez((420, 296), (470, 200), (600, 160), 12), H_LINE, 5)
    pen.merge(s, clip=quiff)


def fh_pointed(pen, rng):
    tips = [(338, 376), (416, 372), (500, 380), (584, 372), (662, 376)]
    fr = basic_fringe(tips, 34, first_depth=6)
    ll, lr, dl = lock_pair(tip=(296, 540))
    draw_cap(pen, outer_arc(dl, dl), lr, fr, ll, strands_from(tips, frac=0.5))


def fh_choppy(pen, rng):
    tips = []
    for i in range(9):
        x = 340 + i * 40
        tips.append((x + rng.uniform(-6, 6), 350 + rng.choice([0, 12, 22]) * (0.6 if i in (0, 8) else 1)))
    fr = basic_fringe(tips, 9, first_depth=5)
    ll, lr, dl = lock_pair(tip=(300, 480))
    draw_cap(pen, outer_arc(dl, dl), lr, fr, ll, strands_from(tips[1::2], frac=0.4))


def fh_bowl(pen, rng):
    fr = [(300, 360)] + qbez((300, 360), (500, 352), (700, 360), 16, False)
    ll = [(300, 380), (296, 440), (244, 444)]
    lr = mirror(ll)
    dl = 3
    cap = draw_cap(pen, outer_arc(dl, dl, CAP_RX + 8), lr, fr, ll, ring_kw={"r": 215, "thick": 22, "teeth": 11})
    s = pen.sub(bbox_of(cap, 2))
    for x in range(340, 680, 40):
        s.stroke([(x, 358), (x + (x - 500) * 0.05, 320)], H_LINE, 5)
    pen.merge(s, clip=cap)


def fh_wavy(pen, rng):
    seq = [(318, 430), (350, 352), (430, 372), (520, 352), (600, 370), (682, 430)]
    fr = fringe_path(seq, [-8, 16, -16, 16, -8])
    l_edge = [(318, 430)] + cbez((318, 430), (340, 480), (296, 520), (316, 566), 12, False) + [(290, 580), (262, 560)]
    ll = l_edge
    lr = mirror(ll)
    outer = outer_bumpy(24, 24, 6, 10)
    draw_cap(pen, outer, lr, fr, ll, strands_from([(350, 352), (520, 352)], frac=0.4))


def fh_curtain(pen, rng):
    seq = [(316, 460)] + cbez((316, 460), (320, 360), (420, 280), (492, 262), 16, False) + [(500, 276)] + \
        cbez((508, 262), (580, 280), (680, 360), (684, 460), 16, False)
    ll = [(316, 480), (306, 560), (270, 572)]
    lr = mirror(ll)
    draw_cap(pen, outer_arc(24, 24), lr, seq, ll,
             [qbez((400, 300), (440, 240), (500, 200), 10), qbez((600, 300), (560, 240), (500, 200), 10)])


def fh_softserve(pen, rng):
    tiers = [(500, 170, 150, 46), (500, 128, 112, 40), (500, 92, 74, 34)]
    tip = catmull([(470, 70), (500, 24), (548, 36), (520, 56), (530, 76)], True, 8)
    pen.poly(tip, H_BASE, oc=H_OUT)
    # draw bottom tier last so the pile reads front-to-back
    for (cx, cy, rx, ry) in reversed(tiers):
        pts = ell(cx, cy, rx, ry, 80)
        pen.poly(pts, H_BASE, oc=H_OUT)
        s = pen.sub(bbox_of(pts, 2))
        s.oval(cx, cy + ry * 0.5, rx * 0.95, ry * 0.6, H_SHADE)
        s.oval(cx, cy + ry * 0.25, rx * 0.95, ry * 0.6, (0, 0, 0, 0))
        s.stroke(ell(cx - rx * 0.2, cy - ry * 0.3, rx * 0.5, ry * 0.35, 20, 200, 290), H_HI, 9)
        pen.merge(s, clip=pts)
    tips = [(350, 356), (420, 366), (500, 358), (580, 366), (650, 356)]
    fr = basic_fringe(tips, 16, first_depth=8)
    ll, lr, dl = lock_pair(tip=(294, 500))
    draw_cap(pen, outer_arc(dl, dl), lr, fr, ll, strands_from(tips))


def fh_catears(pen, rng):
    tips = [(350, 356), (424, 368), (500, 360), (576, 368), (650, 356)]
    fr = basic_fringe(tips, 18, first_depth=8)
    ll, lr, dl = lock_pair(tip=(294, 500))
    outer = outer_with_bumps([(232, 18, 78), (308, 18, 78)], dl, dl)
    cap = draw_cap(pen, outer, lr, fr, ll, strands_from(tips), ring_kw={"a0": 236, "a1": 304, "teeth": 6})
    s = pen.sub(bbox_of(cap, 2))
    for side in (-1, 1):
        a = 232 if side < 0 else 308
        p = arc_pt(a, CAP_RX + 30, CAP_RY + 30)
        inner = [arc_pt(a - 9, CAP_RX - 8, CAP_RY - 8), p, arc_pt(a + 9, CAP_RX - 8, CAP_RY - 8)]
        s.fill(catmull(inner + [arc_pt(a, CAP_RX - 18, CAP_RY - 18)], True, 6), H_SHADE)
    pen.merge(s, clip=cap)


def fh_topknot(pen, rng):
    bun(pen, 500, 142, 62)
    pen.poly(rrect(458, 186, 542, 210, 10), H_SHADE, ow=8, oc=H_OUT)
    tips = [(352, 356), (430, 368), (500, 358), (570, 368), (648, 356)]
    fr = basic_fringe(tips, 18, first_depth=8)
    ll, lr, dl = lock_pair(tip=(294, 500))
    draw_cap(pen, outer_arc(dl, dl), lr, fr, ll, strands_from(tips))


def fh_hime(pen, rng):
    tips = [(334, 350)] + [(334 + 332 * i / 6, 356) for i in range(1, 6)] + [(666, 350)]
    fr = basic_fringe(tips, 2, first_depth=3)
    ll = [(330, 440), (330, 600), (262, 604)]
    lr = mirror(ll)
    dl = 30
    cap = draw_cap(pen, outer_arc(dl, dl), lr, fr, ll, strands_from(tips[1:-1:2], frac=0.4))
    s = pen.sub(bbox_of(cap, 2))
    for x in (296, 704):
        s.stroke([(x, 470), (x, 596)], H_LINE, 5)
    pen.merge(s, clip=cap)


def fh_fluffy(pen, rng):
    seq = [(318, 430), (360, 350), (430, 364), (500, 352), (570, 364), (640, 350), (682, 430)]
    fr = fringe_path(seq, [-10, -18, -18, -18, -18, -10])
    ll = fringe_path([(318, 430), (304, 490), (262, 510)], -16)[1:]
    lr = mirror(ll)
    outer = outer_bumpy(22, 22, 7, 22, rx=CAP_RX + 12, ry=CAP_RY + 10)
    draw_cap(pen, outer, lr, fr, ll, [], ring_kw={"r": 212, "thick": 18})


CATEGORY = Category("front_hair", "seeded", (
    Variant("00", fh_blunt),
    Variant("01", fh_sideswept),
    Variant("02", fh_spiky),
    Variant("03", fh_curly),
    Variant("04", fh_ahoge),
    Variant("05", fh_twinbuns),
    Variant("06", fh_ponytop),
    Variant("07", fh_center),
    Variant("08", fh_messy),
    Variant("09", fh_pompadour),
    Variant("10", fh_pointed),
    Variant("11", fh_choppy),
    Variant("12", fh_bowl),
    Variant("13", fh_wavy),
    Variant("14", fh_curtain),
    Variant("15", fh_softserve),
    Variant("16", fh_catears),
    Variant("17", fh_topknot),
    Variant("18", fh_hime),
    Variant("19", fh_heart_ahoge),
    Variant("20", fh_fluffy),
    Variant("21", fh_mohawk),
    Variant("22", fh_braidcrown),
    Variant("23", fh_afro),
))
