#!/usr/bin/env python3
"""Deterministic procedural art generator for the citizen-card cookie parts.

Run from anywhere:  python assets/generate_art.py [--jobs N] [--only CATEGORY ...]

Writes ``assets/parts/<category>/<NN>.png`` (RGBA, 1000x1000, all parts share
one canvas) and ``assets/catalog.json``.  Everything is drawn with PIL vector
primitives at 2x and downsampled with LANCZOS in premultiplied alpha, with
fixed per-part RNG seeds, so two runs give byte-identical files.  No network.

Canvas geometry (1000x1000; the card shows x in [125, 875]):
  head centre (500, 430), radius ~220; eyes at (415, 420) and (585, 420);
  mouth at (500, 530); cheeks at (360/640, 490); crown area y 80-230;
  body from y ~610 down to the bottom edge; stickers centred on one of
  (230, 160), (770, 160), (230, 860), (770, 860).
Hair parts are greyscale: the renderer multiplies their RGB by a hair colour.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
PARTS_DIR = HERE / "parts"
CATALOG = HERE / "catalog.json"

SS = 2                     # supersampling factor
CW = 1000                  # canvas size (output)
BIG = CW * SS              # working canvas size

OUT = (74, 44, 34, 255)    # the dark-brown outline used everywhere
OW = 10                    # outline width in output pixels
WHITE = (255, 255, 255, 255)

# head / face anchors
HX, HY = 500, 430
EYE_L, EYE_R = (415, 420), (585, 420)
EYE_Y = 420
MOUTH = (500, 530)
CHEEK_L, CHEEK_R = (362, 492), (638, 492)

# greyscale hair tones (front / back)
H_OUT = (100, 100, 100, 255)
H_BASE = (236, 236, 236, 255)
H_SHADE = (192, 192, 192, 255)
H_LINE = (165, 165, 165, 255)
H_HI = (255, 255, 255, 255)
HB_BASE = (222, 222, 222, 255)
HB_SHADE = (185, 185, 185, 255)
HB_LINE = (160, 160, 160, 255)


def rgba(c, a=255):
    if len(c) == 4:
        return tuple(c)
    return (c[0], c[1], c[2], a)


def mix(c1, c2, t):
    a1 = c1[3] if len(c1) == 4 else 255
    a2 = c2[3] if len(c2) == 4 else 255
    return tuple(int(round(c1[i] + (c2[i] - c1[i]) * t)) for i in range(3)) + (int(round(a1 + (a2 - a1) * t)),)


def shade(c, t=0.18):
    return mix(rgba(c), (60, 30, 40, 255), t)


def tint(c, t=0.45):
    return mix(rgba(c), (255, 255, 255, 255), t)


def with_alpha(c, a):
    return (c[0], c[1], c[2], a)


# ----------------------------------------------------------------------------
# geometry helpers (all in output-pixel coordinates, floats)
# ----------------------------------------------------------------------------

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


def mirror_open(pts, cx=HX):
    return [(2 * cx - x, y) for x, y in pts]


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


# ----------------------------------------------------------------------------
# drawing
# ----------------------------------------------------------------------------

class Pen:
    """Draws output-pixel geometry onto a supersampled RGBA image.

    (ox, oy) is the output-pixel coordinate of the image's top-left corner."""

    def __init__(self, im, ox=0.0, oy=0.0):
        self.im = im
        self.d = ImageDraw.Draw(im)
        self.ox, self.oy = ox, oy

    def P(self, pts):
        ox, oy = self.ox, self.oy
        return [((x - ox) * SS, (y - oy) * SS) for x, y in pts]

    # primitives -------------------------------------------------------
    def _wide(self, q, color, w, closed):
        if len(q) < 2:
            return
        seq = q + [q[0]] if closed else q
        self.d.line(seq, fill=color, width=max(1, int(round(w))))
        r = w / 2.0
        if r >= 1.2:
            for x, y in seq:
                self.d.ellipse((x - r, y - r, x + r, y + r), fill=color)

    def poly(self, pts, fill=None, ow=OW, oc=OUT):
        """Filled polygon with an outline of width `ow` drawn outside it."""
        q = self.P(pts)
        if ow and oc is not None:
            self._wide(q, oc, 2 * ow * SS, True)
        if fill is not None:
            self.d.polygon(q, fill=fill)

    def fill(self, pts, fill):
        self.d.polygon(self.P(pts), fill=fill)

    def stroke(self, pts, color=OUT, w=OW, closed=False):
        self._wide(self.P(pts), color, w * SS, closed)

    def circle(self, cx, cy, r, fill, ow=0, oc=OUT):
        if ow:
            self.poly(ell(cx, cy, r), fill, ow, oc)
        else:
            x, y = (cx - self.ox) * SS, (cy - self.oy) * SS
            self.d.ellipse((x - r * SS, y - r * SS, x + r * SS, y + r * SS), fill=fill)

    def oval(self, cx, cy, rx, ry, fill, ow=0, oc=OUT, rot=0.0):
        if ow or rot:
            self.poly(ell(cx, cy, rx, ry, rot=rot), fill, ow, oc)
        else:
            x, y = (cx - self.ox) * SS, (cy - self.oy) * SS
            self.d.ellipse((x - rx * SS, y - ry * SS, x + rx * SS, y + ry * SS), fill=fill)

    # layers -----------------------------------------------------------
    def sub(self, bbox=None):
        if bbox is None:
            x0, y0 = self.ox, self.oy
            x1, y1 = x0 + self.im.width / SS, y0 + self.im.height / SS
        else:
            x0, y0, x1, y1 = bbox
            x0 = max(math.floor(x0), self.ox)
            y0 = max(math.floor(y0), self.oy)
            x1 = min(math.ceil(x1), self.ox + self.im.width / SS)
            y1 = min(math.ceil(y1), self.oy + self.im.height / SS)
        w, h = max(1, int((x1 - x0) * SS)), max(1, int((y1 - y0) * SS))
        return Pen(Image.new("RGBA", (w, h), (0, 0, 0, 0)), x0, y0)

    def merge(self, sub, clip=None, opacity=1.0, clip_alpha=False):
        """Composite a sub layer back, optionally clipped to polygon(s) or to
        the alpha already present on this image."""
        im = sub.im
        dx, dy = int(round((sub.ox - self.ox) * SS)), int(round((sub.oy - self.oy) * SS))
        if clip is not None or opacity < 1.0 or clip_alpha:
            a = im.getchannel("A")
            if clip is not None:
                m = Image.new("L", im.size, 0)
                md = ImageDraw.Draw(m)
                polys = clip if clip and isinstance(clip[0][0], (tuple, list)) else [clip]
                for pl in polys:
                    md.polygon(sub.P(pl), fill=255)
                a = ImageChops.multiply(a, m)
            if clip_alpha:
                base = self.im.getchannel("A").crop((dx, dy, dx + im.width, dy + im.height))
                a = ImageChops.multiply(a, base)
            if opacity < 1.0:
                a = a.point(lambda v: int(v * opacity + 0.5))
            im = im.copy()
            im.putalpha(a)
        self.im.alpha_composite(im, (dx, dy))


def new_canvas():
    im = Image.new("RGBA", (BIG, BIG), (0, 0, 0, 0))
    return im, Pen(im)


def finish(im):
    """Downsample a 2x RGBA canvas to output size without dark fringes."""
    out = im.convert("RGBa").resize((CW, CW), Image.LANCZOS).convert("RGBA")
    # normalise fully transparent pixels so the PNG compresses well
    arr = np.asarray(out).copy()
    arr[arr[..., 3] == 0] = 0
    return Image.fromarray(arr, "RGBA")


def dilate_mask(mask_l, r):
    """Binary disk dilation of an L mask (numpy), radius r pixels."""
    a = np.asarray(mask_l) > 16
    h, w = a.shape
    pad = np.zeros((h + 2 * r, w + 2 * r), bool)
    pad[r:r + h, r:r + w] = a
    out = np.zeros_like(a)
    for dy in range(-r, r + 1):
        span = int(math.floor(math.sqrt(r * r - dy * dy)))
        row = pad[r + dy:r + dy + h]
        for dx in range(-span, span + 1):
            out |= row[:, r + dx:r + dx + w]
    return Image.fromarray((out * 255).astype(np.uint8), "L")


# ----------------------------------------------------------------------------
# vocabulary
# ----------------------------------------------------------------------------

LANGS = ("en", "ko", "ja", "zh-TW")

# colour words: en adjective, ko prefix, ja prefix, zh-TW prefix
COLOR_WORDS = {
    "red":      ("red", "빨간", "赤い", "紅色"),
    "pink":     ("pink", "분홍색", "ピンクの", "粉紅色"),
    "blue":     ("blue", "파란", "青い", "藍色"),
    "navy":     ("navy", "남색", "紺色の", "深藍色"),
    "skyblue":  ("sky-blue", "하늘색", "水色の", "天藍色"),
    "yellow":   ("yellow", "노란", "黄色い", "黃色"),
    "green":    ("green", "초록색", "緑の", "綠色"),
    "mint":     ("mint", "민트색", "ミントの", "薄荷色"),
    "purple":   ("purple", "보라색", "紫の", "紫色"),
    "lavender": ("lavender", "라벤더색", "ラベンダー色の", "薰衣草色"),
    "gold":     ("golden", "금색", "金色の", "金色"),
    "silver":   ("silver", "은색", "銀色の", "銀色"),
    "black":    ("black", "검은", "黒い", "黑色"),
    "white":    ("white", "하얀", "白い", "白色"),
    "orange":   ("orange", "주황색", "オレンジの", "橘色"),
    "brown":    ("brown", "갈색", "茶色の", "棕色"),
    "peach":    ("peach", "복숭아색", "ピーチ色の", "蜜桃色"),
    "lemon":    ("lemon-yellow", "레몬색", "レモン色の", "檸檬黃"),
    "coral":    ("coral", "코랄색", "コーラルの", "珊瑚色"),
    "aqua":     ("aqua", "아쿠아색", "アクア色の", "水藍色"),
    "lilac":    ("lilac", "라일락색", "ライラック色の", "丁香紫"),
    "cream":    ("cream", "크림색", "クリーム色の", "奶油色"),
    "sakura":   ("cherry-blossom", "벚꽃색", "桜色の", "櫻花粉"),
    "pistachio": ("pistachio", "피스타치오색", "ピスタチオ色の", "開心果綠"),
    "rainbow":  ("rainbow", "무지개색", "虹色の", "彩虹色"),
}

# base RGB for the named colours used on parts
RGB = {
    "red": (232, 72, 80), "pink": (255, 140, 180), "blue": (80, 130, 230), "navy": (52, 70, 140),
    "skyblue": (130, 200, 250), "yellow": (255, 214, 72), "green": (90, 190, 110), "mint": (130, 225, 195),
    "purple": (160, 100, 220), "lavender": (190, 170, 245), "gold": (255, 200, 60), "silver": (205, 212, 225),
    "black": (60, 52, 60), "white": (250, 250, 250), "orange": (255, 150, 70), "brown": (150, 95, 60),
    "peach": (255, 190, 160), "lemon": (255, 236, 130), "coral": (255, 140, 125), "aqua": (120, 220, 230),
    "lilac": (215, 180, 240), "cream": (255, 242, 215), "sakura": (255, 200, 215), "pistachio": (200, 230, 160),
}


def article(word):
    return "an" if word[:1].lower() in "aeiou" else "a"


def colored(color, en, ko, ja, zh, en_article=True):
    """Describe '<colour> <noun>' in all languages."""
    cw = COLOR_WORDS[color]
    e = f"{cw[0]} {en}"
    if en_article:
        e = f"{article(e)} {e}"
    return {"en": e, "ko": f"{cw[1]} {ko}", "ja": f"{cw[2]}{ja}", "zh-TW": f"{cw[3]}{zh}"}


def D(en, ko, ja, zh):
    return {"en": en, "ko": ko, "ja": ja, "zh-TW": zh}


# ----------------------------------------------------------------------------
# face (head shapes + dough colours)
# ----------------------------------------------------------------------------

DOUGHS = {
    "golden":     ((244, 196, 118), (226, 166, 92), (255, 226, 170)),
    "chocolate":  ((170, 108, 72), (146, 88, 58), (200, 142, 104)),
    "vanilla":    ((255, 238, 204), (242, 214, 170), (255, 250, 234)),
    "strawberry": ((255, 196, 200), (244, 166, 176), (255, 225, 228)),
    "matcha":     ((196, 220, 146), (166, 194, 116), (226, 240, 188)),
    "gingerbread": ((212, 140, 80), (186, 114, 62), (236, 176, 118)),
    "blueberry":  ((204, 194, 244), (176, 164, 226), (228, 222, 252)),
    "peach":      ((255, 208, 170), (244, 180, 140), (255, 230, 206)),
}

FACE_SHAPES = {
    "round":    lambda: ell(HX, HY, 224, 222, 220),
    "wide":     lambda: ell(HX, HY + 4, 240, 214, 220),
    "squircle": lambda: sellipse(HX, HY + 2, 228, 216, 3.0, 240),
    "tall":     lambda: ell(HX, HY - 2, 214, 232, 220),
    "bun":      lambda: catmull([(HX, 208), (640, 226), (722, 330), (730, 470), (676, 600), (HX, 652),
                                 (324, 600), (270, 470), (278, 330), (360, 226)], True, 14),
}

FACES = [
    ("golden", "round", D("a golden round cookie face", "노릇노릇한 동그란 쿠키 얼굴", "こんがり丸いクッキーの顔", "金黃色的圓形餅乾臉")),
    ("chocolate", "wide", D("a chocolate cookie face", "초콜릿 쿠키 얼굴", "チョコレートクッキーの顔", "巧克力餅乾臉")),
    ("vanilla", "squircle", D("a vanilla butter cookie face", "바닐라 버터쿠키 얼굴", "バニラバタークッキーの顔", "香草奶油餅乾臉")),
    ("strawberry", "round", D("a strawberry cookie face", "딸기 쿠키 얼굴", "いちごクッキーの顔", "草莓餅乾臉")),
    ("matcha", "tall", D("a matcha cookie face", "말차 쿠키 얼굴", "抹茶クッキーの顔", "抹茶餅乾臉")),
    ("gingerbread", "bun", D("a gingerbread face", "진저브레드 얼굴", "ジンジャーブレッドの顔", "薑餅臉")),
    ("blueberry", "squircle", D("a blueberry cookie face", "블루베리 쿠키 얼굴", "ブルーベリークッキーの顔", "藍莓餅乾臉")),
    ("peach", "wide", D("a peach cookie face", "복숭아 쿠키 얼굴", "ピーチクッキーの顔", "蜜桃餅乾臉")),
]


def draw_face(pen, dough, shape):
    base, shd, hi = (rgba(c) for c in DOUGHS[dough])
    pts = FACE_SHAPES[shape]()
    pen.poly(pts, base, ow=11)
    bb = bbox_of(pts, 4)
    # baked crescent along the lower right
    s = pen.sub(bb)
    s.fill(pts, shd)
    s.fill(xform(pts, -16, -20), (0, 0, 0, 0))
    pen.merge(s, clip=pts)
    # soft top-left sheen
    s = pen.sub(bb)
    s.stroke(ell(HX, HY, 178, 178, 40, 200, 238), hi, 16)
    s.circle(HX - 172 * math.cos(math.radians(17)) + 4, HY - 176 * math.sin(math.radians(17)) + 26, 8, hi)
    pen.merge(s, clip=pts)
    # a few baked sugar speckles on the forehead edge (tiny, dough-coloured)
    rng = random.Random("speckle-" + dough)
    for _ in range(5):
        a = math.radians(rng.uniform(215, 325))
        r = rng.uniform(150, 185)
        pen.circle(HX + r * math.cos(a), HY + r * math.sin(a) + 6, rng.uniform(3, 4.5), shd)


# ----------------------------------------------------------------------------
# body (torso + outfit)
# ----------------------------------------------------------------------------

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
                s.stroke(ln, OUT, 6)
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
        pen.stroke([(x, 690), (x - 4, 760), (x + 2, 800)], OUT, 12)
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
        pen.stroke(xform([(x, 902), (x, 930)], 0, 0, 1, -8, 596, 690), OUT, 12)
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
    pen.stroke([(268, 900), (732, 900)], OUT, 5)
    pen.stroke([(268, 940), (732, 940)], OUT, 5)
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
    pen.stroke([(500, 760), (500, 1000)], OUT, 6)
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
    bib = catmull([(380, 780), (620, 780), (632, 900), (740, 920), (740, 1060), (260, 1060), (260, 920), (368, 900)], True, 6)
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
    neck = catmull([(500, 628), (600, 630), (650, 660), (610, 706), (500, 716), (390, 706), (350, 660), (400, 630)], True, 10)
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
    bib = catmull([(400, 730), (600, 730), (606, 880), (690, 900), (700, 1060), (300, 1060), (310, 900), (394, 880)], True, 6)
    # neck strap
    pen.stroke([(404, 740), (430, 650)], OUT, 20)
    pen.stroke([(596, 740), (570, 650)], OUT, 20)
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


BODIES = [
    (body_hoodie, RGB["pink"], D("a pink hoodie", "분홍색 후드티", "ピンクのパーカー", "粉紅色連帽衫")),
    (body_sailor, RGB["navy"], D("a sailor collar", "세일러 칼라", "セーラーカラー", "水手領")),
    (body_scarf, (236, 96, 96), D("a cozy striped scarf", "포근한 줄무늬 목도리", "ぬくぬくしましまマフラー", "溫暖的條紋圍巾")),
    (body_cape, (150, 100, 220), D("a purple hero cape", "보라색 히어로 망토", "紫のヒーローマント", "紫色英雄披風")),
    (body_vest, (150, 100, 72), D("a vest and bow tie", "조끼와 나비넥타이", "ベストと蝶ネクタイ", "背心和領結")),
    (body_overalls, (96, 140, 216), D("denim overalls", "데님 멜빵바지", "デニムのオーバーオール", "牛仔吊帶褲")),
    (body_sweater, (190, 170, 240), D("a heart turtleneck sweater", "하트 터틀넥 스웨터", "ハートのタートルネックセーター", "愛心高領毛衣")),
    (body_apron, (255, 170, 190), D("a baker's apron", "제빵사 앞치마", "パン屋さんのエプロン", "烘焙師圍裙")),
]


# ----------------------------------------------------------------------------
# eyes
# ----------------------------------------------------------------------------

DK = (50, 30, 26, 255)
MOUTH_IN = (150, 46, 60, 255)
TONGUE = (255, 130, 148, 255)


def eye_open(pen, cx, cy, rx=31, ry=41, iris=(122, 78, 58), hl=1.0, sparkle=False):
    eye = ell(cx, cy, rx, ry, 90)
    pen.fill(eye, DK)
    s = pen.sub(bbox_of(eye, 2))
    s.oval(cx, cy + ry * 0.5, rx * 0.86, ry * 0.58, rgba(iris))
    pen.merge(s, clip=eye)
    pen.oval(cx - rx * 0.30, cy - ry * 0.36, rx * 0.40 * hl, ry * 0.32 * hl, WHITE)
    pen.circle(cx + rx * 0.36, cy + ry * 0.40, rx * 0.17 * hl, WHITE)
    if sparkle:
        pen.fill(star_pts(cx + rx * 0.30, cy - ry * 0.05, rx * 0.32, rx * 0.09, 4, -90), WHITE)


def eye_arc(pen, cx, cy, up=True, w=10, rx=30, ry=24):
    if up:
        pen.stroke(ell(cx, cy + 12, rx, ry, 40, 200, 340), DK, w)
    else:
        pen.stroke(ell(cx, cy - 14, rx, ry, 40, 20, 160), DK, w)


def lashes(pen, cx, cy, rx, ry, side):
    x0, y0 = cx + side * rx * 0.78, cy - ry * 0.62
    pen.stroke([(x0, y0), (x0 + side * 16, y0 - 12)], DK, 8)
    x1, y1 = cx + side * rx * 0.95, cy - ry * 0.22
    pen.stroke([(x1, y1), (x1 + side * 17, y1 - 4)], DK, 8)


def eyes_round(pen):
    for (cx, cy) in (EYE_L, EYE_R):
        eye_open(pen, cx, cy)


def eyes_sparkly(pen):
    for (cx, cy), side in ((EYE_L, -1), (EYE_R, 1)):
        eye_open(pen, cx, cy, 34, 45, (96, 150, 236), sparkle=True)
        lashes(pen, cx, cy, 34, 45, side)


def eyes_happy(pen):
    for (cx, cy) in (EYE_L, EYE_R):
        eye_arc(pen, cx, cy, True, 11, 32, 26)


def eyes_wink(pen):
    eye_open(pen, *EYE_L)
    eye_arc(pen, EYE_R[0], EYE_R[1], True, 11, 32, 26)


def eyes_sleepy(pen):
    for (cx, cy), side in ((EYE_L, -1), (EYE_R, 1)):
        lower = ell(cx, cy + 4, 32, 30, 40, 0, 180)
        pen.fill(lower, DK)
        s = pen.sub(bbox_of(lower, 2))
        s.oval(cx, cy + 30, 28, 16, (122, 78, 58, 255))
        pen.merge(s, clip=lower)
        pen.circle(cx - 10, cy + 14, 6, WHITE)
        pen.stroke(ell(cx, cy + 16, 40, 14, 30, 192, 348), DK, 10)
        pen.stroke([(cx + side * 38, cy + 10), (cx + side * 50, cy + 16)], DK, 8)


def eyes_star(pen):
    for (cx, cy) in (EYE_L, EYE_R):
        pen.poly(star_pts(cx, cy, 44, 21, 5, -90, 0.28), (255, 214, 70, 255), ow=7, oc=DK)
        pen.circle(cx - 9, cy - 8, 7, WHITE)


def eyes_heart(pen):
    for (cx, cy) in (EYE_L, EYE_R):
        pen.poly(heart_pts(cx, cy, 40), (255, 92, 130, 255), ow=7, oc=DK)
        pen.oval(cx - 15, cy - 12, 8, 6, WHITE, rot=-30)


def eyes_dot(pen):
    for (cx, cy) in (EYE_L, EYE_R):
        pen.oval(cx, cy + 4, 15, 20, DK)
        pen.circle(cx - 4, cy - 4, 5, WHITE)


def eyes_squint(pen):
    for (cx, cy), side in ((EYE_L, -1), (EYE_R, 1)):
        pen.stroke([(cx + side * 24, cy - 22), (cx - side * 20, cy + 2), (cx + side * 24, cy + 24)], DK, 11)


def eyes_teary(pen):
    for (cx, cy) in (EYE_L, EYE_R):
        eye = ell(cx, cy, 35, 45, 90)
        eye_open(pen, cx, cy, 35, 45, (100, 70, 130), hl=1.1)
        s = pen.sub(bbox_of(eye, 2))
        s.oval(cx, cy + 42, 40, 14, (150, 210, 255, 230))
        pen.merge(s, clip=eye)
        pen.circle(cx - 16, cy + 28, 4, WHITE)
        pen.circle(cx + 4, cy - 22, 4, WHITE)
    drop = catmull([(EYE_R[0] + 40, 452), (EYE_R[0] + 50, 476), (EYE_R[0] + 40, 488), (EYE_R[0] + 30, 476)], True, 8)
    pen.poly(drop, (170, 220, 255, 255), ow=5, oc=DK)


EYES = [
    (eyes_round, D("big round eyes", "커다란 동그란 눈", "大きなまんまる目", "圓滾滾的大眼睛")),
    (eyes_sparkly, D("sparkly blue eyes", "반짝이는 파란 눈", "キラキラの青い目", "閃亮的藍眼睛")),
    (eyes_happy, D("happy closed eyes", "행복하게 감은 눈", "にっこり閉じた目", "開心瞇起的眼睛")),
    (eyes_wink, D("a wink", "윙크", "ウインク", "眨眼")),
    (eyes_sleepy, D("sleepy eyes", "졸린 눈", "ねむたそうな目", "睏睏的眼睛")),
    (eyes_star, D("star eyes", "별 눈", "星の目", "星星眼")),
    (eyes_heart, D("heart eyes", "하트 눈", "ハートの目", "愛心眼")),
    (eyes_dot, D("little dot eyes", "작은 점 눈", "つぶらな点目", "小豆豆眼")),
    (eyes_squint, D("squeezed-shut eyes", "질끈 감은 눈", "ぎゅっとつぶった目", "緊閉的眼睛")),
    (eyes_teary, D("shiny teary eyes", "글썽이는 눈", "うるうるの目", "水汪汪的眼睛")),
]


# ----------------------------------------------------------------------------
# mouths
# ----------------------------------------------------------------------------

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
        s.fill([(cx - w - 4, cy - 10), (cx + w + 4, cy - 10), (cx + w + 4, cy + h * 0.34), (cx - w - 4, cy + h * 0.34)], WHITE)
        pen.merge(s, clip=pts)
        pen.stroke([(cx - w + 6, cy + h * 0.34), (cx + w - 6, cy + h * 0.34)], OUT, 5)


def mouth_smile(pen):
    pen.stroke(ell(MX, MY - 16, 30, 24, 30, 25, 155), OUT, 9)


def mouth_open(pen):
    d_mouth(pen, MX, MY - 12, 36, 38)


def mouth_cat(pen):
    pen.stroke(ell(MX - 17, MY - 8, 17, 14, 24, 10, 180) + [], OUT, 9)
    pen.stroke(ell(MX + 17, MY - 8, 17, 14, 24, 0, 170), OUT, 9)


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
    pen.stroke(ell(MX, MY - 22, 36, 20, 30, 25, 155), OUT, 9)


def mouth_fang(pen):
    arc = ell(MX, MY - 20, 38, 26, 30, 25, 155)
    fang = [(MX + 14, MY + 3), (MX + 28, MY - 1), (MX + 22, MY + 18)]
    pen.poly(fang, WHITE, ow=5)
    pen.stroke(arc, OUT, 9)


def mouth_smirk(pen):
    pts = cbez((MX - 30, MY + 2), (MX - 10, MY + 12), (MX + 18, MY + 6), (MX + 32, MY - 10), 20)
    pen.stroke(pts, OUT, 9)
    pen.stroke([(MX + 26, MY - 16), (MX + 38, MY - 4)], OUT, 8)


def mouth_laugh(pen):
    pts = rounded_poly([(MX - 46, MY - 22), (MX + 46, MY - 22), (MX, MY + 42)], 0.22)
    pen.poly(pts, MOUTH_IN, ow=8)
    s = pen.sub(bbox_of(pts, 2))
    s.oval(MX, MY + 34, 26, 20, TONGUE)
    pen.merge(s, clip=pts)


def mouth_wavy(pen):
    pts = [(MX - 40 + i * 2, MY + 6 * math.sin(i * 2 / 80 * 4 * math.pi)) for i in range(41)]
    pen.stroke(pts, OUT, 8)


def mouth_kiss(pen):
    pen.stroke(ell(MX, MY - 10, 14, 12, 24, -100, 90), OUT, 9)
    pen.stroke(ell(MX, MY + 14, 14, 12, 24, -90, 100), OUT, 9)
    pen.poly(heart_pts(MX + 50, MY - 30, 16, 60, 15), (255, 110, 150, 255), ow=5)


def mouth_tiny(pen):
    d_mouth(pen, MX, MY - 6, 20, 20)


def mouth_pout(pen):
    pen.stroke(ell(MX, MY + 10, 22, 16, 24, 205, 335), OUT, 9)


MOUTHS = [
    (mouth_smile, D("a gentle smile", "잔잔한 미소", "やさしいほほえみ", "溫柔的微笑")),
    (mouth_open, D("an open smile", "활짝 벌린 웃음", "あーんと開いた笑顔", "張嘴大笑")),
    (mouth_cat, D("a cat mouth", "고양이 입", "ねこ口", "貓咪嘴")),
    (mouth_o, D("a surprised little o", "놀란 동그란 입", "びっくりしたおちょぼ口", "驚訝的小圓嘴")),
    (mouth_grin, D("a toothy grin", "이가 보이는 활짝 웃음", "歯を見せたにかっと笑顔", "露齒燦笑")),
    (mouth_bleh, D("a tongue poking out", "메롱 하는 혀", "あっかんべーの舌", "吐舌頭")),
    (mouth_fang, D("a smile with a tiny fang", "덧니 미소", "八重歯の笑顔", "小虎牙微笑")),
    (mouth_smirk, D("a sly smirk", "장난스러운 미소", "いたずらっぽいにやり顔", "調皮的壞笑")),
    (mouth_laugh, D("a big laugh", "크게 웃는 입", "大笑いの口", "開懷大笑")),
    (mouth_wavy, D("a wobbly nervous mouth", "삐뚤빼뚤 긴장한 입", "ふにゃっとした口", "緊張的波浪嘴")),
    (mouth_kiss, D("a kissy mouth", "뽀뽀하는 입", "ちゅーの口", "嘟嘴親親")),
    (mouth_tiny, D("a tiny happy mouth", "작게 웃는 입", "小さな笑い口", "開心的小嘴")),
    (mouth_pout, D("a little pout", "뾰로통한 입", "むすっとした口", "噘嘴")),
]


# ----------------------------------------------------------------------------
# front hair (greyscale, tinted by the renderer)
# ----------------------------------------------------------------------------

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
    lobes = [(-40, 150), (0, 130), (40, 150)]
    tuft = catmull([(470, 190), (430, 120), (440, 56), (486, 30), (520, 60), (560, 34), (604, 70), (586, 130), (530, 190)], True, 8)
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
    fr = fringe_path(seq, [6, -10, -12, -12, -10, 6])
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
    fr = basic_fringe(tips, [rng.uniform(10, 26) for _ in range(len(tips) + 1)] and 18, first_depth=6)
    ll = [(316, 430), (306, 470), (292, 492)]
    lr = mirror(ll)
    outer = outer_spiky(10, 10, 12, 30, rng=rng, lean=0.2)
    draw_cap(pen, outer, lr, fr, ll, strands_from(tips[::2]))


def fh_pompadour(pen, rng):
    tips = [(350, 300), (420, 290), (500, 296), (580, 290), (650, 300)]
    fr = basic_fringe(tips, 10, start=(318, 400), end=(682, 400), first_depth=6)
    ll = [(318, 420), (304, 460), (286, 470)]
    lr = mirror(ll)
    cap = draw_cap(pen, outer_arc(8, 8), lr, fr, ll, ring=False)
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
    for (cx, cy, rx, ry) in reversed(tiers):
        pass
    for i, (cx, cy, rx, ry) in enumerate(tiers):
        pts = ell(cx, cy, rx, ry, 80)
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


FRONT_HAIR = [
    (fh_blunt, D("blunt bob bangs", "일자 단발 앞머리", "ぱっつん前髪", "齊瀏海")),
    (fh_sideswept, D("side-swept bangs", "옆으로 넘긴 앞머리", "流し前髪", "側分斜瀏海")),
    (fh_spiky, D("spiky hair", "삐죽삐죽한 머리", "ツンツンヘア", "刺刺頭")),
    (fh_curly, D("curly hair", "곱슬머리", "くるくるカールヘア", "捲捲頭")),
    (fh_ahoge, D("wispy bangs with an ahoge", "더듬이 머리", "アホ毛つきの前髪", "帶呆毛的瀏海")),
    (fh_twinbuns, D("twin buns", "양쪽 똥머리", "おだんごツイン", "雙丸子頭")),
    (fh_ponytop, D("hair in a high ponytail", "하이 포니테일", "高いポニーテール", "高馬尾")),
    (fh_center, D("center-parted hair", "가르마 머리", "センター分け", "中分髮型")),
    (fh_messy, D("messy short hair", "부스스한 짧은 머리", "ぼさぼさショート", "蓬亂短髮")),
    (fh_pompadour, D("a pompadour", "퐁파두르 머리", "ポンパドール", "飛機頭")),
    (fh_pointed, D("pointed anime bangs", "뾰족한 앞머리", "とんがり前髪", "尖尖的瀏海")),
    (fh_choppy, D("choppy bangs", "삐뚤빼뚤 앞머리", "ぎざぎざ前髪", "參差瀏海")),
    (fh_bowl, D("a bowl cut", "바가지 머리", "マッシュルームカット", "西瓜皮髮型")),
    (fh_wavy, D("wavy hair", "웨이브 머리", "ふんわりウェーブ", "波浪捲髮")),
    (fh_curtain, D("curtain bangs", "시스루 가르마 앞머리", "かきあげセンターパート", "八字瀏海")),
    (fh_softserve, D("a soft-serve swirl", "소프트아이스크림 회오리 머리", "ソフトクリームみたいな巻き髪", "霜淇淋漩渦頭")),
    (fh_catears, D("cat-ear hair", "고양이 귀 머리", "ねこ耳ヘア", "貓耳髮型")),
    (fh_topknot, D("a top knot", "정수리 똥머리", "てっぺんおだんご", "頭頂丸子")),
    (fh_hime, D("hime-cut hair", "히메컷", "姫カット", "公主切")),
    (fh_heart_ahoge, D("bangs with a heart ahoge", "하트 더듬이 머리", "ハートのアホ毛", "愛心呆毛")),
    (fh_fluffy, D("fluffy cloud hair", "구름처럼 폭신한 머리", "ふわふわ雲ヘア", "蓬鬆雲朵頭")),
]


# ----------------------------------------------------------------------------
# back hair (greyscale, behind head and body)
# ----------------------------------------------------------------------------

BH_RX, BH_RY, BH_CY = 262, 264, 432


def bumpy_circle(cx, cy, r, n, bulge, ry=None):
    ry = ry or r
    anchors = [(cx + r * math.cos(2 * math.pi * i / n), cy + ry * math.sin(2 * math.pi * i / n)) for i in range(n)]
    out = []
    for i in range(n):
        out += scallop(anchors[i], anchors[(i + 1) % n], bulge, 10, False)
    return out


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
        left = [(L - flare * 0.3 - 16 * math.sin((y - BH_CY) / 55.0), y) for y in np.linspace(BH_CY + 30, bottom - 20, 8)]
    elif style == "curly":
        left = None
    else:
        left = [(L - flare * 0.4, mid_y), (L - flare, bottom - 40)]
    x_l, x_r = L - flare, 2 * HX - L + flare
    if style == "curly":
        seq = [(x_l, bottom)] + [(L - flare * 0.6 - 4 * (i % 2), BH_CY + (bottom - BH_CY) * (5 - i) / 5) for i in range(1, 5)] + [(L, BH_CY)]
        lside = fringe_path(seq, -16)
        rside = mirror(lside)
        bottom_edge = fringe_path([(x_l, bottom)] + [(x_l + (x_r - x_l) * i / 8, bottom + 10) for i in range(1, 8)] + [(x_r, bottom)], -18)
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
            lside = catmull([(x_l - 44, bottom - 40), (x_l - 10, bottom - 6), (x_l + 30, bottom - 10)], False, 8)[::-1] + lside
            lside = [(x_l + 40, bottom - 6)] + catmull([(x_l - 40, bottom - 30), (x_l, bottom + 4)], False, 6)[::-1][:-1] + \
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
            lines.append(qbez((x, BH_CY + 40), (x + side * flare * 0.6, (BH_CY + bottom) / 2), (x + side * flare * 0.9, bottom - 60 + 20 * k), 12))
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


def twin(fn):
    fn(1)
    fn(-1)


def mx(side, x):
    return HX + side * (x - HX) if side == 1 else HX - (x - HX)


def M(side, p):
    """Point defined for the LEFT side; mirrored for side=+1."""
    return p if side < 0 else (2 * HX - p[0], p[1])


def bh_long(pen, rng):
    long_hair(pen, 840, 30, "tips")


def bh_shoulder(pen, rng):
    long_hair(pen, 650, 22, "tips")


def bh_wavy(pen, rng):
    long_hair(pen, 830, 34, "wavy")


def bh_pigtails(pen, rng):
    for side in (-1, 1):
        tail(pen, M(side, (290, 470)), M(side, (220, 520)), M(side, (190, 640)), M(side, (214, 780)), 36, 58)
    long_hair(pen, 520, 6, "tips", width=250)


def bh_twintails(pen, rng):
    for side in (-1, 1):
        tail(pen, M(side, (320, 240)), M(side, (200, 230)), M(side, (176, 480)), M(side, (208, 800)), 36, 64)
    long_hair(pen, 560, 8, "tips", width=252)


def bh_braids(pen, rng):
    for side in (-1, 1):
        tail(pen, M(side, (286, 480)), M(side, (236, 560)), M(side, (224, 660)), M(side, (232, 800)), 36, 44, "braid", 24)
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
    tail(pen, (340, 250), (210, 230), (170, 440), (230, 700), 40, 70)
    pen.poly(ell(300, 262, 30, 34, 30), HB_SHADE, oc=H_OUT, ow=8)
    long_hair(pen, 540, 6, "tips", width=250)


def bh_drills(pen, rng):
    for side in (-1, 1):
        tail(pen, M(side, (300, 300)), M(side, (220, 330)), M(side, (200, 520)), M(side, (214, 800)), 40, 46, "drill", 30)
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
        path = cbez(M(side, (300, 440)), M(side, (150, 450)), M(side, (140, 700)), M(side, (250, 700)), 30) + \
            cbez(M(side, (250, 700)), M(side, (320, 700)), M(side, (300, 560)), M(side, (290, 500)), 14, False)
        pen.stroke(path, H_OUT, 64)
        pen.stroke(path, HB_BASE, 44)
        pen.stroke(path[3:-6], HB_LINE, 5)
        pen.poly(ell(*M(side, (284, 470)), 28, 32, 30), HB_SHADE, ow=8, oc=H_OUT)
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
        tail(pen, M(side, (292, 420)), M(side, (230, 470)), M(side, (204, 620)), M(side, (220, 860)), 40, 50, "bubble", 24)
    long_hair(pen, 540, 6, "tips", width=250)


def bh_shortpig(pen, rng):
    for side in (-1, 1):
        tail(pen, M(side, (292, 460)), M(side, (236, 470)), M(side, (196, 520)), M(side, (182, 600)), 30, 44)
    long_hair(pen, 520, 6, "tips", width=250)


def bh_curledtails(pen, rng):
    for side in (-1, 1):
        tail(pen, M(side, (310, 260)), M(side, (206, 250)), M(side, (176, 520)), M(side, (226, 700)), 36, 60)
        c = M(side, (246, 730))
        pen.poly(bumpy_circle(c[0], c[1], 40, 6, 10), HB_BASE, oc=H_OUT)
        s = pen.sub((c[0] - 60, c[1] - 60, c[0] + 60, c[1] + 60))
        s.stroke(ell(c[0], c[1], 20, 18, 24, 0, 300), HB_LINE, 5)
        pen.merge(s)
    long_hair(pen, 560, 8, "tips", width=252)


def bh_windswept(pen, rng):
    long_hair(pen, 760, 20, "tips", lean=1.6)


def bh_mermaid(pen, rng):
    long_hair(pen, 900, 60, "wavy", width=270)


def bh_scruffy(pen, rng):
    pts = outer_spiky(30, 30, 16, 30, 258, 258, 440, rng=rng, lean=0.3)
    pts = pts + [(600, 640), (500, 630), (400, 640)]
    bh_poly(pen, pts)


def bh_fluffypig(pen, rng):
    for side in (-1, 1):
        c = M(side, (226, 520))
        pen.poly(bumpy_circle(c[0], c[1], 70, 8, 14, 80), HB_BASE, oc=H_OUT)
        s = pen.sub((c[0] - 100, c[1] - 100, c[0] + 100, c[1] + 100))
        s.stroke(ell(c[0], c[1] - 6, 38, 42, 24, 200, 330), H_HI, 10)
        s.stroke(ell(c[0], c[1] + 10, 40, 40, 24, 30, 150), HB_LINE, 5)
        pen.merge(s, clip=bumpy_circle(c[0], c[1], 70, 8, 14, 80))
        pen.poly(ell(*M(side, (280, 470)), 24, 28, 30), HB_SHADE, ow=8, oc=H_OUT)
    long_hair(pen, 520, 6, "tips", width=250)


BACK_HAIR = [
    (bh_long, D("long straight hair", "긴 생머리", "ロングストレート", "長直髮")),
    (bh_shoulder, D("shoulder-length hair", "어깨 길이 머리", "肩までの髪", "及肩髮")),
    (bh_wavy, D("long wavy hair", "긴 웨이브 머리", "ロングウェーブ", "長波浪髮")),
    (bh_pigtails, D("low pigtails", "낮게 묶은 양갈래", "低めのおさげ", "低雙馬尾")),
    (bh_twintails, D("high twin tails", "높게 묶은 트윈테일", "高いツインテール", "高雙馬尾")),
    (bh_braids, D("twin braids", "양갈래 땋은 머리", "二つ編み", "雙麻花辮")),
    (bh_sidebraid, D("a side braid", "옆으로 땋은 머리", "サイドの三つ編み", "側邊麻花辮")),
    (bh_bob, D("a rounded bob", "동글동글 단발", "まるいボブ", "圓圓的鮑伯頭")),
    (bh_cloud, D("a big fluffy cloud of hair", "구름같이 풍성한 머리", "もこもこの雲みたいな髪", "蓬鬆的雲朵長髮")),
    (bh_ponytail, D("a swishy ponytail", "찰랑이는 포니테일", "ゆれるポニーテール", "搖擺的馬尾")),
    (bh_sidepony, D("a side ponytail", "옆으로 묶은 포니테일", "サイドポニーテール", "側馬尾")),
    (bh_drills, D("ringlet twin tails", "돌돌 말린 트윈테일", "くるくる縦ロール", "螺旋捲雙馬尾")),
    (bh_flip, D("flipped-out ends", "바깥으로 뻗친 머리", "外ハネヘア", "外翹短髮")),
    (bh_spiky, D("spiky back hair", "삐죽한 뒷머리", "ツンツンの後ろ髪", "刺刺的後髮")),
    (bh_verylong, D("very long hair", "아주 긴 머리", "とても長い髪", "超長髮")),
    (bh_loops, D("twin hair loops", "양쪽 고리 머리", "ループの結い髪", "雙環髮髻")),
    (bh_layered, D("layered hair", "레이어드 컷", "レイヤーカット", "層次剪髮")),
    (bh_hime_long, D("long hime-cut hair", "긴 히메컷", "ロングの姫カット", "長公主切")),
    (bh_shortfluffy, D("short fluffy hair", "짧고 폭신한 머리", "ふわふわショート", "蓬鬆短髮")),
    (bh_mane, D("a wild lion mane", "사자 갈기 머리", "ライオンのたてがみヘア", "獅子鬃毛頭")),
    (bh_curlylong, D("long curly hair", "긴 곱슬머리", "ロングカール", "長捲髮")),
    (bh_bubbles, D("bubble braids", "버블 땋은 머리", "バブルおさげ", "泡泡辮")),
    (bh_shortpig, D("short pigtails", "짧은 양갈래", "ちょこんとしたおさげ", "短雙馬尾")),
    (bh_curledtails, D("twin tails with curled ends", "끝이 말린 트윈테일", "毛先くるんのツインテール", "髮尾捲捲的雙馬尾")),
    (bh_windswept, D("wind-swept hair", "바람에 날리는 머리", "風になびく髪", "隨風飄逸的頭髮")),
    (bh_mermaid, D("mermaid waves", "인어 웨이브", "マーメイドウェーブ", "美人魚大波浪")),
    (bh_scruffy, D("scruffy short hair", "덥수룩한 짧은 머리", "無造作ショート", "亂翹短髮")),
    (bh_fluffypig, D("fluffy pom-pom pigtails", "폭신한 방울 양갈래", "もこもこぽんぽんおさげ", "蓬蓬球雙馬尾")),
]
