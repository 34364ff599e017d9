"""The hair cap every front hair is built on: an outline over the head, locks, a fringe.

Front hair is drawn in greys (palette.H_*); the renderer tints it with the hair colour.
``hair_y`` gives the top of the cap, where headwear sits."""
from __future__ import annotations

import math

from .geometry import HX, bbox_of, ell, mirror, offset_path, qbez, scallop, xform
from .palette import H_BASE, H_HI, H_LINE, H_OUT, H_SHADE


CAP_CY, CAP_RX, CAP_RY = 432, 254, 268


def arc_pt(a, rx=CAP_RX, ry=CAP_RY, cy=CAP_CY):
    a = math.radians(a)
    return (HX + rx * math.cos(a), cy + ry * math.sin(a))


def outer_arc(dl=14, dr=14, rx=CAP_RX, ry=CAP_RY, cy=CAP_CY):
    return ell(HX, cy, rx, ry, 120, 180 - dl, 360 + dr)


def outer_bumpy(dl, dr, n, bulge, rx=CAP_RX, ry=CAP_RY, cy=CAP_CY, jitter=None):
    a0, a1 = 180 - dl, 360 + dr
    anchors = [arc_pt(a0 + (a1 - a0) * i / n, rx, ry, cy) for i in range(n + 1)]
    out = [anchors[0]]
    for i in range(n):
        b = bulge if jitter is None else bulge * jitter[i]
        out += scallop(anchors[i], anchors[i + 1], b, 10, False)
    return out


def outer_spiky(dl, dr, n, spike, rx=CAP_RX - 10, ry=CAP_RY - 12, cy=CAP_CY, rng=None, lean=0.0):
    a0, a1 = 180 - dl, 360 + dr
    out = []
    for i in range(n + 1):
        a = a0 + (a1 - a0) * i / n
        out.append(arc_pt(a, rx, ry, cy))
        if i < n:
            am = a + (a1 - a0) / n * (0.5 + lean)
            k = spike * (rng.uniform(0.75, 1.15) if rng else 1.0)
            out.append(arc_pt(am, rx + k, ry + k, cy))
    return out


def outer_with_bumps(bumps, dl=14, dr=14):
    """Smooth arc with triangular 'ears' pushed out: bumps = [(angle, half_width_deg, height)]."""
    pts = []
    a0, a1 = 180 - dl, 360 + dr
    n = 160
    for i in range(n + 1):
        a = a0 + (a1 - a0) * i / n
        extra = 0.0
        for (ac, hw, h) in bumps:
            d = abs(a - ac)
            if d < hw:
                extra = max(extra, h * (1 - d / hw) ** 1.4)
        pts.append(arc_pt(a, CAP_RX + extra, CAP_RY + extra))
    return pts


def fringe_path(seq, depth, n=12):
    """Edge along seq (left to right); arcs between points bulge up by depth
    (negative depth = round bumps pointing down)."""
    out = [seq[0]]
    depths = depth if isinstance(depth, (list, tuple)) else [depth] * (len(seq) - 1)
    for i, (a, b) in enumerate(zip(seq, seq[1:])):
        out += scallop(a, b, depths[i], n, False)
    return out


def strands_from(tips, top=(500, 190), frac=0.45):
    out = []
    for (x, y) in tips:
        ex = x + (top[0] - x) * frac
        ey = y + (top[1] - y) * frac
        mx = (x + ex) / 2 + (x - 500) * 0.08
        out.append(qbez((x, y - 18), (mx, (y + ey) / 2), (ex, ey), 10))
    return out


def angel_ring(pen, cap, cy=CAP_CY, r=200, thick=13, a0=214, a1=326, teeth=4):
    """Glossy highlight: a broken ring of tapered slivers across the crown."""
    s = pen.sub(bbox_of(cap, 2))
    span = (a1 - a0) / teeth
    for i in range(teeth):
        b0 = a0 + i * span + span * 0.08
        b1 = a0 + (i + 1) * span - span * 0.08
        path = ell(HX, cy, r, r * 1.04, 24, b0, b1)
        m = len(path)
        widths = [thick * math.sin(math.pi * k / (m - 1)) ** 0.6 + 0.5 for k in range(m)]
        s.fill(offset_path(path, widths), H_HI)
    pen.merge(s, clip=cap)


def draw_cap(pen, outer, lock_r, fringe, lock_l, strands=(), ring=True, ring_kw=None):
    cap = outer + lock_r + fringe[::-1] + lock_l
    pen.poly(cap, H_BASE, oc=H_OUT)
    # soft shade on the side locks + under the fringe
    s = pen.sub(bbox_of(cap, 2))
    s.fill(cap, H_SHADE)
    s.fill(xform(cap, 0, -15, 0.96, 0, HX, 300), (0, 0, 0, 0))
    pen.merge(s, clip=cap)
    if ring:
        angel_ring(pen, cap, **(ring_kw or {}))
    s = pen.sub(bbox_of(cap, 2))
    for st in strands:
        s.stroke(st, H_LINE, 5)
    pen.merge(s, clip=cap)
    return cap


def lock_pair(temple_y=420, tip=(296, 520), outer_y=None, blunt=False, inner_x=316):
    """Symmetric side locks. Returns (lock_l, lock_r, dl)."""
    if blunt:
        lock_l = [(inner_x, temple_y + 20), (inner_x - 2, tip[1]), (tip[0] - 30, tip[1] + 2)]
    else:
        lock_l = [(inner_x, temple_y + 20)] + qbez((inner_x, temple_y + 20), (inner_x - 6, tip[1] - 40), tip, 8, False)
    lock_r = mirror(lock_l)
    end_y = outer_y if outer_y else tip[1] - 30
    dl = math.degrees(math.asin(max(-0.99, min(0.99, (end_y - CAP_CY) / CAP_RY))))
    return lock_l, lock_r, dl


def basic_fringe(tips, depth, start=(318, 420), end=(682, 420), first_depth=None):
    seq = [start] + tips + [end]
    d = [depth] * (len(seq) - 1)
    if first_depth is not None:
        d[0] = d[-1] = first_depth
    return fringe_path(seq, d)


def hair_y(x, extra=0):
    """y of the top of the hair cap at x."""
    dx = (x - HX) / (CAP_RX + extra)
    return CAP_CY - (CAP_RY + extra) * math.sqrt(max(0.0, 1 - dx * dx))
