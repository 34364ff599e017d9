"""Front hair with a silhouette of its own (issue 15): a mohawk's crest, a braid worn as a
crown, an afro's cloud. The first twenty-one are one dome with different fringes; these
change the outline a cookie is recognised by. Each stays inside the box those span
(x 190-813, y 10-617), so a layout that fits them fits these."""
from __future__ import annotations

import math

from .geometry import HX, bbox_of, ell, mirror, qbez
from .hair_cap import CAP_CY, CAP_RX, CAP_RY, basic_fringe, draw_cap, fringe_path, lock_pair, outer_arc, outer_bumpy, \
    strands_from
from .palette import H_BASE, H_HI, H_LINE, H_OUT, H_SHADE


def fh_mohawk(pen, rng):
    """A crest of five spikes down the middle over a close crop."""
    tips = [(386, 140), (432, 62), (500, 26), (568, 62), (614, 140)]
    crest = [(420, 262), (380, 196)]
    for i, tip in enumerate(tips):
        crest.append((tip[0] + rng.uniform(-6, 6), tip[1] + rng.uniform(-6, 6)))
        if i < len(tips) - 1:
            crest.append(((tip[0] + tips[i + 1][0]) / 2, (tip[1] + tips[i + 1][1]) / 2 + 56))
    crest += [(620, 196), (580, 262)]
    pen.poly(crest, H_BASE, oc=H_OUT)
    s = pen.sub(bbox_of(crest, 2))
    s.fill(crest, H_SHADE)
    s.fill([(x - 14, y - 8) for x, y in crest], (0, 0, 0, 0))
    for tip in tips:
        s.stroke(qbez((500 + (tip[0] - 500) * 0.3, 240), (tip[0], 170), (tip[0], tip[1] + 40), 10), H_LINE, 5)
    pen.merge(s, clip=crest)
    tips = [(360, 330), (430, 340), (500, 334), (570, 340), (640, 330)]
    fr = basic_fringe(tips, 8, start=(318, 410), end=(682, 410), first_depth=6)
    ll = [(318, 430), (308, 462), (292, 470)]
    draw_cap(pen, outer_arc(6, 6, CAP_RX - 6, CAP_RY - 20), mirror(ll), fr, ll, ring=False)
    s = pen.sub((230, 160, 770, 480))
    for side in (-1, 1):  # the clipped sides: short comb marks
        for k in range(4):
            x = HX + side * (150 + 26 * k)
            s.stroke([(x, 300 - 14 * k), (x + side * 10, 340 - 10 * k)], H_LINE, 5)
    pen.merge(s, clip_alpha=True)


def braid_crown(pen, a0=196, a1=344, n=9):
    """A braid laid over the top of the head from temple to temple, lobes alternating."""
    rx, ry = CAP_RX - 22, CAP_RY - 26
    for j in range(n):
        t0, t1 = a0 + (a1 - a0) * j / n, a0 + (a1 - a0) * (j + 1) / n
        a, b = [(HX + rx * math.cos(math.radians(t)), CAP_CY + ry * math.sin(math.radians(t))) for t in (t0, t1)]
        cx, cy = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
        ang = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0])) + (26 if j % 2 else -26)
        lobe = ell(cx, cy, math.hypot(b[0] - a[0], b[1] - a[1]) * 0.72, 30, 40, rot=ang)
        pen.poly(lobe, H_BASE, ow=8, oc=H_OUT)
        s = pen.sub(bbox_of(lobe, 2))
        s.stroke(ell(cx, cy, 22, 12, 16, 200, 340, rot=ang), H_HI, 7)
        pen.merge(s, clip=lobe)


def fh_braidcrown(pen, rng):
    """A bare forehead under a braid worn like a crown."""
    seq = [(318, 440), (340, 360), (400, 304), (500, 282), (600, 304), (660, 360), (682, 440)]
    fr = fringe_path(seq, [6, 4, 4, 4, 4, 6])
    ll, lr, dl = lock_pair(tip=(300, 520))
    draw_cap(pen, outer_arc(dl, dl), lr, fr, ll, strands_from([(420, 300), (500, 290), (580, 300)], frac=0.35),
             ring=False)
    braid_crown(pen)


def fh_afro(pen, rng):
    """A round cloud of curls, wider and taller than the cap, with a curly fringe."""
    rx, ry = CAP_RX + 24, CAP_RY + 30
    jitter = [rng.uniform(0.8, 1.2) for _ in range(13)]
    outer = outer_bumpy(20, 20, 13, 16, rx=rx, ry=ry, jitter=jitter)
    seq = [(318, 440)] + [(318 + 364 * i / 7, 330 + (16 if i in (1, 6) else 0)) for i in range(1, 7)] + [(682, 440)]
    fr = fringe_path(seq, -14)
    ll = fringe_path([(318, 440), (300, 500), outer[0]], -12)[1:]
    draw_cap(pen, outer, mirror(ll), fr, ll, ring=False)
    s = pen.sub(bbox_of(outer, 2))
    for k in range(18):  # curls spread over the cloud in two rows, kept off the fringe
        a = math.radians(196 + 148 * (k % 9) / 8 + rng.uniform(-5, 5))
        r = (0.86 if k < 9 else 0.6) + rng.uniform(-0.04, 0.04)
        x, y = HX + rx * r * math.cos(a), CAP_CY - 30 + ry * r * math.sin(a)
        s.stroke(ell(x, y, 15, 12, 20, 200, 470), H_LINE, 5)
    pen.merge(s, clip_alpha=True)
