"""Shapes back hair is made of: long hair behind the head, tails, braids, curls."""
from __future__ import annotations

import math

import numpy as np

from .geometry import HX, bbox_of, catmull, cbez, ell, mirror, offset_path, qbez, rrect, xform
from .hair_cap import fringe_path, outer_bumpy
from .palette import HB_BASE, HB_LINE, HB_SHADE, H_HI, H_OUT


BH_RX, BH_RY, BH_CY = 262, 264, 432


def bh_poly(pen, pts, lines=()):
    pen.poly(pts, HB_BASE, oc=H_OUT)
    s = pen.sub(bbox_of(pts, 2))
    s.fill(xform(pts, 0, 0, 0.80, 0, HX, 470), HB_SHADE)
    for ln in lines:
        s.stroke(ln, HB_LINE, 5)
    pen.merge(s, clip=pts)


def long_hair(pen, bottom=840, flare=30, style="tips", width=BH_RX, rng=None, lean=0.0):
    L = HX - width
    top = ell(HX, BH_CY, width, BH_RY, 80, 180, 360)
    mid_y = (BH_CY + bottom) / 2
    if style == "wavy":
        left = [(L - flare * 0.3 - 16 * math.sin((y - BH_CY) / 55.0), y)
                for y in np.linspace(BH_CY + 30, bottom - 20, 8)]
    elif style == "curly":
        left = None
    else:
        left = [(L - flare * 0.4, mid_y), (L - flare, bottom - 40)]
    x_l, x_r = L - flare, 2 * HX - L + flare
    if style == "curly":
        seq = [(x_l, bottom)] + [(L - flare * 0.6 - 4 * (i % 2),
                                  BH_CY + (bottom - BH_CY) * (5 - i) / 5) for i in range(1, 5)] + [(L, BH_CY)]
        lside = fringe_path(seq, -16)
        rside = mirror(lside)
        bottom_edge = fringe_path([(x_l, bottom)] + [(x_l + (x_r - x_l) * i / 8, bottom + 10) for i in range(1, 8)]
                                  + [(x_r, bottom)], -18)
        pts = lside + outer_bumpy(0, 0, 10, 14, width, BH_RY, BH_CY)[1:-1] + rside + bottom_edge[::-1][1:-1]
    else:
        lside = catmull([(x_l, bottom)] + left[::-1] + [(L, BH_CY)], False, 10)
        rside = [(2 * HX - x, y) for (x, y) in lside[::-1]]
        n = 10
        base_pts = [(x_l + (x_r - x_l) * i / n, bottom) for i in range(n + 1)]
        if style == "tips":
            edge = fringe_path([(x, y + (10 if 0 < i < n else 0)) for i, (x, y) in enumerate(base_pts)], 14)
        elif style == "wavy":
            edge = fringe_path(base_pts, -14)
        elif style == "layered":
            edge = fringe_path([(x, y + (26 if i % 2 else -10)) for i, (x, y) in enumerate(base_pts)], 10)
        elif style == "blunt":
            edge = [(x_l, bottom), (x_r, bottom)]
        elif style == "flip":
            edge = [(x_l, bottom)] + [(x_r, bottom)]
            lside = catmull([(x_l - 44, bottom - 40), (x_l - 10, bottom - 6), (x_l + 30, bottom - 10)],
                            False, 8)[::-1] + lside
            lside = [(x_l + 40, bottom - 6)] + \
                catmull([(x_l - 40, bottom - 30), (x_l, bottom + 4)], False, 6)[::-1][:-1] + \
                catmull([(x_l, bottom - 10)] + left[::-1] + [(L, BH_CY)], False, 10)
            rside = [(2 * HX - x, y) for (x, y) in lside[::-1]]
            edge = [(x_l + 40, bottom - 6), (x_r - 40, bottom - 6)]
        else:
            edge = [(x_l, bottom), (x_r, bottom)]
        pts = lside + top[1:-1] + rside + edge[::-1]
    if lean:
        pts = [(x + lean * max(0.0, y - 300) / 600.0 * 60, y) for x, y in pts]
    lines = []
    for side in (-1, 1):
        for k in (0, 1):
            x = HX + side * (width - 12 - 26 * k)
            lines.append(qbez((x, BH_CY + 40), (x + side * flare * 0.6, (BH_CY + bottom) / 2),
                              (x + side * flare * 0.9, bottom - 60 + 20 * k), 12))
    bh_poly(pen, pts, lines)


def tail_poly(path, w0, wmax, wtip=4):
    m = len(path)
    widths = []
    for i in range(m):
        t = i / (m - 1)
        if t < 0.35:
            w = w0 + (wmax - w0) * math.sin(t / 0.35 * math.pi / 2)
        else:
            w = wtip + (wmax - wtip) * math.cos((t - 0.35) / 0.65 * math.pi / 2) ** 0.9
        widths.append(w)
    return offset_path(path, widths), widths


def tail(pen, p0, p1, p2, p3, w0=34, wmax=56, style="plain", n=30):
    path = cbez(p0, p1, p2, p3, n)
    if style == "plain":
        pts, widths = tail_poly(path, w0, wmax)
        lines = []
        for f in (-0.4, 0.35):
            sub = path[3:-5]
            lines.append(offset_path(sub, [widths[i + 3] * f for i in range(len(sub))])[:len(sub)])
        pen.poly(pts, HB_BASE, oc=H_OUT)
        s = pen.sub(bbox_of(pts, 2))
        for ln in lines:
            s.stroke(ln, HB_LINE, 5)
        s.stroke(offset_path(path[2:12], [wmax * 0.1] * 10)[:10], H_HI, 9)
        pen.merge(s, clip=pts)
    elif style in ("braid", "drill", "bubble"):
        k = {"braid": 7, "drill": 5, "bubble": 4}[style]
        idx = [int(round(i * (n - 4) / k)) + 2 for i in range(k + 1)]
        order = list(range(k))
        if style == "braid":
            order = order[::-1]
        for j in order:
            a, b = path[idx[j]], path[min(idx[j + 1], n)]
            cx, cy = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
            ang = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
            seg = math.hypot(b[0] - a[0], b[1] - a[1])
            t = j / max(1, k - 1)
            if style == "braid":
                w = wmax * (1 - 0.35 * t)
                lobe = ell(cx, cy, seg * 0.72, w * 0.8, 40, rot=ang + (24 if j % 2 else -24))
            elif style == "drill":
                w = wmax * (0.8 + 0.4 * math.sin(t * math.pi)) * (1 - 0.3 * t)
                lobe = ell(cx, cy, seg * 0.62, w, 40, rot=ang + (10 if j % 2 else -10))
            else:
                w = wmax * (1 - 0.2 * t)
                lobe = ell(cx, cy, seg * 0.55, w, 40, rot=ang)
            pen.poly(lobe, HB_BASE, oc=H_OUT)
            s = pen.sub(bbox_of(lobe, 2))
            if style == "drill":
                s.stroke(ell(cx, cy, seg * 0.4, w * 0.7, 24, 20, 160, rot=ang - 90 + 90), HB_LINE, 5)
            elif style == "braid":
                s.stroke(ell(cx, cy, seg * 0.45, w * 0.45, 16, 200, 340, rot=ang + (24 if j % 2 else -24)), HB_LINE, 5)
            else:
                s.oval(cx - w * 0.3, cy - w * 0.3, w * 0.3, w * 0.2, H_HI)
            pen.merge(s, clip=lobe)
            if style == "bubble" and j < k - 1:
                tie_c = b
                pen.poly(ell(tie_c[0], tie_c[1], 12, 18, 20, rot=ang), HB_SHADE, ow=7, oc=H_OUT)
        if style == "braid":
            end = path[-1]
            tuft = catmull([(end[0] - 16, end[1] - 14), (end[0] - 24, end[1] + 30), (end[0], end[1] + 46),
                            (end[0] + 24, end[1] + 30), (end[0] + 16, end[1] - 14)], True, 6)
            pen.poly(tuft, HB_BASE, oc=H_OUT)
            pen.poly(rrect(end[0] - 20, end[1] - 26, end[0] + 20, end[1] - 6, 8), HB_SHADE, ow=7, oc=H_OUT)


def on_side(side, p):
    """Point defined for the LEFT side; mirrored for side=+1."""
    return p if side < 0 else (2 * HX - p[0], p[1])
