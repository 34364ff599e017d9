"""Where things sit on the part canvas, and point lists for the shapes parts are made of.

Canvas geometry (1000x1000 output pixels; the card shows x in [125, 875]):
  head centre (500, 430), radius ~220; eyes at (415, 420) and (585, 420);
  mouth at (500, 530); cheeks at (360/640, 490); crown area y 80-230;
  body from y ~610 down to the bottom edge; stickers centred on one of
  (230, 160), (770, 160), (230, 860), (770, 860).
Every helper returns a list of (x, y) floats in output pixels.
"""
from __future__ import annotations

import math


CANVAS_SIZE = 1000  # canvas size (output pixels)

# head / face anchors
HX, HY = 500, 430
EYE_L, EYE_R = (415, 420), (585, 420)
EYE_Y = 420
MOUTH = (500, 530)
CHEEK_L, CHEEK_R = (362, 492), (638, 492)

SAFE_X0, SAFE_X1 = 140, 860  # no part may draw outside x in [SAFE_X0, SAFE_X1]


def ell(cx, cy, rx, ry=None, n=None, a0=0.0, a1=360.0, rot=0.0):
    """Points on an ellipse; angles in degrees, screen space (0 = +x, 90 = +y)."""
    if ry is None:
        ry = rx
    if n is None:
        n = max(24, int(abs(a1 - a0) / 360.0 * max(rx, ry) * 0.9))
    full = abs(a1 - a0) >= 360.0
    cnt = n if full else n + 1
    cr, sr = math.cos(math.radians(rot)), math.sin(math.radians(rot))
    pts = []
    for i in range(cnt):
        a = math.radians(a0 + (a1 - a0) * i / n)
        x, y = rx * math.cos(a), ry * math.sin(a)
        pts.append((cx + x * cr - y * sr, cy + x * sr + y * cr))
    return pts


def sellipse(cx, cy, rx, ry, p=3.0, n=200):
    pts = []
    for i in range(n):
        a = 2 * math.pi * i / n
        c, s = math.cos(a), math.sin(a)
        x = rx * math.copysign(abs(c) ** (2.0 / p), c)
        y = ry * math.copysign(abs(s) ** (2.0 / p), s)
        pts.append((cx + x, cy + y))
    return pts


def qbez(p0, p1, p2, n=14, include_start=True):
    out = []
    for i in range(0 if include_start else 1, n + 1):
        t = i / n
        u = 1 - t
        out.append((u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0],
                    u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1]))
    return out


def cbez(p0, p1, p2, p3, n=20, include_start=True):
    out = []
    for i in range(0 if include_start else 1, n + 1):
        t = i / n
        u = 1 - t
        out.append((u ** 3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t ** 3 * p3[0],
                    u ** 3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t ** 3 * p3[1]))
    return out


def catmull(pts, closed=True, n=10):
    """Centripetal-ish Catmull-Rom spline through pts."""
    P = list(pts)
    m = len(P)
    out = []
    segs = m if closed else m - 1
    for i in range(segs):
        p0 = P[(i - 1) % m] if (closed or i > 0) else P[0]
        p1 = P[i]
        p2 = P[(i + 1) % m]
        p3 = P[(i + 2) % m] if (closed or i + 2 < m) else P[-1]
        for k in range(n):
            t = k / n
            t2, t3 = t * t, t * t * t
            out.append(tuple(0.5 * ((2 * p1[j]) + (-p0[j] + p2[j]) * t +
                                    (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t2 +
                                    (-p0[j] + 3 * p1[j] - 3 * p2[j] + p3[j]) * t3) for j in range(2)))
    if not closed:
        out.append(P[-1])
    return out


def scallop(a, b, bulge, n=12, include_start=True):
    """Quadratic arc from a to b whose middle is pushed `bulge` px to the left of a->b."""
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    dx, dy = b[0] - a[0], b[1] - a[1]
    L = math.hypot(dx, dy) or 1.0
    nx, ny = dy / L, -dx / L
    return qbez(a, (mx + nx * bulge * 2, my + ny * bulge * 2), b, n, include_start)


def star_pts(cx, cy, ro, ri, k=5, rot=-90.0, round_=0.0):
    pts = []
    for i in range(2 * k):
        r = ro if i % 2 == 0 else ri
        a = math.radians(rot + 180.0 * i / k)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    if round_ > 0:
        return catmull(pts, True, 6) if round_ >= 1 else rounded_poly(pts, round_)
    return pts


def rounded_poly(pts, frac=0.25, n=6):
    """Cut corners of a polygon with quadratic arcs (frac of each edge)."""
    m = len(pts)
    out = []
    for i in range(m):
        p0, p1, p2 = pts[i - 1], pts[i], pts[(i + 1) % m]
        a = (p1[0] + (p0[0] - p1[0]) * frac, p1[1] + (p0[1] - p1[1]) * frac)
        b = (p1[0] + (p2[0] - p1[0]) * frac, p1[1] + (p2[1] - p1[1]) * frac)
        out.extend(qbez(a, p1, b, n))
    return out


def heart_pts(cx, cy, size, n=90, rot=0.0):
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        x = 16 * math.sin(t) ** 3
        y = -(13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t))
        pts.append((x / 17.0 * size, (y + 2.0) / 17.0 * size))
    return xform(pts, cx, cy, 1.0, rot)


def rrect(x0, y0, x1, y1, r, n=8):
    r = min(r, (x1 - x0) / 2, (y1 - y0) / 2)
    pts = []
    pts += ell(x1 - r, y0 + r, r, r, n, -90, 0)
    pts += ell(x1 - r, y1 - r, r, r, n, 0, 90)
    pts += ell(x0 + r, y1 - r, r, r, n, 90, 180)
    pts += ell(x0 + r, y0 + r, r, r, n, 180, 270)
    return pts


def xform(pts, dx=0.0, dy=0.0, scale=1.0, rot=0.0, ox=0.0, oy=0.0):
    """Rotate (deg) and scale about (ox, oy), then translate by (dx, dy)."""
    c, s = math.cos(math.radians(rot)), math.sin(math.radians(rot))
    out = []
    for x, y in pts:
        x, y = (x - ox) * scale, (y - oy) * scale
        out.append((ox + x * c - y * s + dx, oy + x * s + y * c + dy))
    return out


def mirror(pts, cx=HX):
    return [(2 * cx - x, y) for x, y in reversed(pts)]


def offset_path(path, widths):
    """Closed outline of a ribbon following `path` with per-point half widths."""
    m = len(path)
    left, right = [], []
    for i in range(m):
        p_prev = path[max(0, i - 1)]
        p_next = path[min(m - 1, i + 1)]
        dx, dy = p_next[0] - p_prev[0], p_next[1] - p_prev[1]
        L = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / L, dx / L
        w = widths[i] if isinstance(widths, (list, tuple)) else widths
        left.append((path[i][0] + nx * w, path[i][1] + ny * w))
        right.append((path[i][0] - nx * w, path[i][1] - ny * w))
    return left + right[::-1]


def capsule(a, b, r, n=16):
    ang = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
    return ell(b[0], b[1], r, r, n, ang - 90, ang + 90) + ell(a[0], a[1], r, r, n, ang + 90, ang + 270)


def bbox_of(pts, pad=0):
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return (min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad)


def bumpy_circle(cx, cy, r, n, bulge, ry=None):
    ry = ry or r
    anchors = [(cx + r * math.cos(2 * math.pi * i / n), cy + ry * math.sin(2 * math.pi * i / n)) for i in range(n)]
    out = []
    for i in range(n):
        out += scallop(anchors[i], anchors[(i + 1) % n], bulge, 10, False)
    return out


def cloud_pts(w=72, h=46):
    return catmull([(-w, 18), (-w + 6, -10), (-w + 34, -22), (-22, -h), (18, -h - 4), (42, -24), (w - 8, -16),
                    (w, 12), (w - 24, h - 18), (-w + 22, h - 18)], True, 10)
