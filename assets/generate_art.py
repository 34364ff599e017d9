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


def D(en, ko, ja, zh):
    return {"en": en, "ko": ko, "ja": ja, "zh-TW": zh}


def color_phrase(d, color):
    """Put a colour word into a describe dict: '{c}' marks the spot, otherwise
    the colour goes in front of the noun (after the English article)."""
    cw = COLOR_WORDS[color]
    out = {}
    for i, lang in enumerate(LANGS):
        t = d[lang]
        if "{c}" in t:
            txt = t.format(c=cw[i])
        elif lang == "en":
            txt = f"a {cw[0]} {t[2:]}" if t.startswith("a ") else f"{cw[0]} {t}"
        elif lang == "ko":
            txt = f"{cw[1]} {t}"
        else:
            txt = f"{cw[i]}{t}"
        if lang == "en":
            for art in ("a ", "an "):
                if txt.startswith(art):
                    rest = txt[len(art):]
                    txt = f"{article(rest)} {rest}"
                    break
        out[lang] = txt
    return out


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
        pen.stroke(ell(cx, cy - 4, 30, 20, 40, 20, 160), DK, 10)
        for k in (-1, 0, 1):
            a = math.radians(90 - k * 38)
            x, y = cx + 30 * math.cos(a), cy - 4 + 20 * math.sin(a)
            pen.stroke([(x, y), (x + 9 * math.cos(a), y + 12 * math.sin(a))], DK, 6)


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
    (eyes_sleepy, D("sleepy lashes", "졸린 속눈썹 눈", "すやすやまつげの目", "睏睏的睫毛眼")),
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
        tail(pen, M(side, (320, 240)), M(side, (214, 232)), M(side, (192, 480)), M(side, (216, 800)), 36, 58)
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
    tail(pen, (340, 250), (222, 232), (186, 440), (238, 700), 40, 62)
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
    long_hair(pen, 760, 20, "tips", lean=1.1)


def bh_mermaid(pen, rng):
    long_hair(pen, 900, 60, "wavy", width=270)


def bh_scruffy(pen, rng):
    pts = outer_spiky(30, 30, 16, 30, 258, 258, 440, rng=rng, lean=0.3)
    pts = pts + [(600, 640), (500, 630), (400, 640)]
    bh_poly(pen, pts)


def bh_fluffypig(pen, rng):
    for side in (-1, 1):
        c = M(side, (238, 520))
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


# ----------------------------------------------------------------------------
# glasses
# ----------------------------------------------------------------------------

LENS_TINT = (215, 238, 255, 40)
TEMPLE_X = 290


def frame_stroke(pen, pts, col, fw=11, closed=True, ow=5):
    pen.stroke(pts, OUT, fw + 2 * ow, closed)
    pen.stroke(pts, rgba(col), fw, closed)


def lens(pen, pts, tint_=LENS_TINT, glare=True):
    s = pen.sub(bbox_of(pts, 4))
    s.fill(pts, tint_)
    if glare:
        x0, y0, x1, y1 = bbox_of(pts)
        w = x1 - x0
        s.fill([(x0 + w * 0.45, y1), (x0 + w * 0.62, y1), (x0 + w * 1.05, y0), (x0 + w * 0.88, y0)], (255, 255, 255, 95))
        s.fill([(x0 + w * 0.70, y1), (x0 + w * 0.76, y1), (x0 + w * 1.19, y0), (x0 + w * 1.13, y0)], (255, 255, 255, 95))
    pen.merge(s, clip=pts)


def glasses_generic(pen, shape_fn, col, fw=11, tint_=LENS_TINT, bridge_y=410, temple_y=404, glare=True):
    col = rgba(col)
    shapes = [shape_fn(EYE_L, -1), shape_fn(EYE_R, 1)]
    for sh in shapes:
        lens(pen, sh, tint_, glare)
    # temples + bridge
    lx = max(p[0] for p in shapes[0])
    rx = min(p[0] for p in shapes[1])
    for side, sh in ((-1, shapes[0]), (1, shapes[1])):
        ex = min(p[0] for p in sh) if side < 0 else max(p[0] for p in sh)
        frame_stroke(pen, [(ex - side * 4, temple_y), (HX + side * (HX - TEMPLE_X), temple_y - 6)], col, fw * 0.8, False)
    frame_stroke(pen, qbez((lx - 6, bridge_y), (HX, bridge_y - 18), (rx + 6, bridge_y), 10), col, fw * 0.8, False)
    for sh in shapes:
        frame_stroke(pen, sh, col, fw)
    return shapes


def gl_round(pen, col):
    glasses_generic(pen, lambda c, s: ell(c[0], c[1], 58, 58, 80), col)


def gl_square(pen, col):
    glasses_generic(pen, lambda c, s: rrect(c[0] - 62, c[1] - 48, c[0] + 62, c[1] + 48, 16), col)


def gl_star(pen, col):
    glasses_generic(pen, lambda c, s: star_pts(c[0], c[1] + 4, 72, 40, 5, -90, 0.18), col, 10)


def gl_heart(pen, col):
    glasses_generic(pen, lambda c, s: heart_pts(c[0], c[1] - 2, 64, 90), col, 11, tint_=(255, 150, 190, 90))


def gl_goggles(pen, col):
    col = rgba(col)
    for side in (-1, 1):
        pen.poly(rrect(HX + side * 120 - 40, 396, HX + side * 214 + 6 * side, 434, 14) if side > 0 else
                 rrect(HX - 214 - 6, 396, HX - 120 + 40, 434, 14), rgba(shade(col, 0.3)), ow=6)
    pen.poly(rrect(470, 396, 530, 428, 10), rgba(shade(col, 0.3)), ow=6)
    for c in (EYE_L, EYE_R):
        rim = ell(c[0], c[1], 66, 62, 80)
        pen.poly(rim, col, ow=7)
        inner = ell(c[0], c[1], 50, 46, 80)
        pen.fill(inner, (0, 0, 0, 0))
        lens(pen, inner, (150, 220, 255, 110))
        pen.stroke(inner, OUT, 6, True)
        pen.circle(c[0] - 40, c[1] - 36, 6, WHITE)


def gl_monocle(pen, col):
    col = rgba(col)
    c = EYE_R
    sh = ell(c[0], c[1], 56, 56, 80)
    lens(pen, sh)
    chain = cbez((c[0] + 40, c[1] + 40), (c[0] + 80, c[1] + 120), (c[0] + 40, c[1] + 170), (c[0] + 110, c[1] + 190), 14)
    for (x, y) in chain[1:]:
        pen.circle(x, y, 6, col, ow=3)
    frame_stroke(pen, sh, col, 12)


def gl_sunglasses(pen, col):
    def shp(c, s):
        return catmull([(c[0] - 64, c[1] - 34), (c[0] + 64, c[1] - 34), (c[0] + 60, c[1] + 16),
                        (c[0] + 30, c[1] + 44), (c[0] - 30, c[1] + 44), (c[0] - 60, c[1] + 16)], True, 8)
    shapes = glasses_generic(pen, shp, col, 12, tint_=(40, 40, 60, 235), glare=False)
    for sh in shapes:
        x0, y0, x1, y1 = bbox_of(sh)
        s = pen.sub(bbox_of(sh, 2))
        s.fill([(x0 + 20, y1), (x0 + 44, y1), (x0 + 90, y0), (x0 + 66, y0)], (255, 255, 255, 140))
        pen.merge(s, clip=sh)


def gl_cateye(pen, col):
    def shp(c, s):
        k = s
        pts = [(c[0] - 60 * k, c[1] - 30), (c[0], c[1] - 40), (c[0] + 56 * k, c[1] - 58), (c[0] + 62 * k, c[1] + 10),
               (c[0] + 16 * k, c[1] + 46), (c[0] - 44 * k, c[1] + 34)]
        pts = catmull(pts, True, 8)
        return pts if k > 0 else pts[::-1]
    glasses_generic(pen, shp, col, 11, tint_=(255, 230, 240, 80))


def gl_nerd(pen, col):
    glasses_generic(pen, lambda c, s: rrect(c[0] - 64, c[1] - 46, c[0] + 64, c[1] + 46, 8), col, 20)


def gl_3d(pen, col):
    col = rgba(col)
    shapes = [rrect(c[0] - 62, c[1] - 44, c[0] + 62, c[1] + 44, 10) for c in (EYE_L, EYE_R)]
    lens(pen, shapes[0], (255, 70, 90, 150))
    lens(pen, shapes[1], (60, 210, 240, 150))
    frame = rrect(338, 366, 662, 476, 20)
    for side in (-1, 1):
        frame_stroke(pen, [(HX + side * 162, 404), (HX + side * (HX - TEMPLE_X), 398)], col, 12, False)
    pen.poly(frame, col, ow=7)
    for sh in shapes:
        pen.fill(sh, (0, 0, 0, 0))
    lens(pen, shapes[0], (255, 70, 90, 150))
    lens(pen, shapes[1], (60, 210, 240, 150))
    for sh in shapes:
        pen.stroke(sh, OUT, 6, True)


def gl_flower(pen, col):
    col = rgba(col)
    glasses_generic(pen, lambda c, s: ell(c[0], c[1], 50, 50, 80), col, 10)
    for c in (EYE_L, EYE_R):
        for k in range(8):
            a = math.radians(k * 45 + 22.5)
            pen.poly(ell(c[0] + 60 * math.cos(a), c[1] + 60 * math.sin(a), 17, 17, 24), col, ow=5)
        for k in range(8):
            a = math.radians(k * 45 + 22.5)
            pen.circle(c[0] + 60 * math.cos(a), c[1] + 60 * math.sin(a), 6, rgba(tint(col, 0.6)))


def gl_browline(pen, col):
    col = rgba(col)
    shapes = glasses_generic(pen, lambda c, s: ell(c[0], c[1] + 2, 60, 48, 80), (210, 200, 190), 6)
    for c in (EYE_L, EYE_R):
        top = ell(c[0], c[1] + 2, 62, 50, 30, 190, 350)
        frame_stroke(pen, top, col, 20, False)


def gl_oval(pen, col):
    glasses_generic(pen, lambda c, s: ell(c[0], c[1], 62, 46, 80), col, 8)


GLASSES_STYLES = [
    (gl_round, ("brown", "pink"), D("round glasses", "동그란 안경", "まるめがね", "圓框眼鏡")),
    (gl_square, ("black", "blue"), D("square glasses", "네모난 안경", "四角いめがね", "方框眼鏡")),
    (gl_star, ("gold", "purple"), D("star-shaped glasses", "별 모양 안경", "星形めがね", "星星眼鏡")),
    (gl_heart, ("red", "pink"), D("heart-shaped glasses", "하트 모양 안경", "ハート形めがね", "愛心眼鏡")),
    (gl_goggles, ("orange", "mint"), D("goggles", "고글", "ゴーグル", "護目鏡")),
    (gl_monocle, ("gold", "silver"), D("a monocle", "외알 안경", "片めがね", "單片眼鏡")),
    (gl_sunglasses, ("black", "red"), D("sunglasses", "선글라스", "サングラス", "太陽眼鏡")),
    (gl_cateye, ("pink", "lavender"), D("cat-eye glasses", "고양이 눈 안경", "キャットアイめがね", "貓眼眼鏡")),
    (gl_nerd, ("black", "navy"), D("thick-rimmed glasses", "뿔테 안경", "太ぶちめがね", "粗框眼鏡")),
    (gl_3d, ("white", "black"), D("3D glasses", "3D 안경", "3Dめがね", "3D眼鏡")),
    (gl_flower, ("yellow", "pink"), D("flower glasses", "꽃 모양 안경", "お花のめがね", "花朵眼鏡")),
    (gl_browline, ("brown", "black"), D("browline glasses", "하금테 안경", "ブロウラインめがね", "眉框眼鏡")),
    (gl_oval, ("silver", "gold"), D("thin {c} oval glasses", "가느다란 {c} 타원 안경", "細い{c}楕円めがね", "{c}細框橢圓眼鏡")),
]


def build_glasses():
    out = []
    for fn, colors, d in GLASSES_STYLES:
        for cname in colors:
            out.append(((lambda pen, fn=fn, c=RGB[cname]: fn(pen, c)), color_phrase(d, cname)))
    return out


# ----------------------------------------------------------------------------
# crowns & headwear (y ~ 80-230)
# ----------------------------------------------------------------------------

def hair_y(x, extra=0):
    """y of the top of the hair cap at x."""
    dx = (x - HX) / (CAP_RX + extra)
    return CAP_CY - (CAP_RY + extra) * math.sqrt(max(0.0, 1 - dx * dx))


def cr_crown(pen, col):
    col = rgba(col)
    base_l, base_r = 372, 628
    bottom = [(x, hair_y(x) + 26) for x in np.linspace(base_l, base_r, 12)]
    pts = [(base_l - 6, 120), (base_l + 56, 164), (438, 96), (HX, 150), (562, 96), (base_r - 56, 164), (base_r + 6, 120)]
    crown = [bottom[0]] + pts + bottom[::-1]
    pen.poly(crown, col, ow=10)
    s = pen.sub(bbox_of(crown, 2))
    s.fill(xform(crown, 14, 0), rgba(shade(col, 0.14)))
    s.fill(xform(crown, 30, 0), (0, 0, 0, 0))
    band = [(x, y - 34) for x, y in bottom] + bottom[::-1]
    s.fill(band, rgba(shade(col, 0.1)))
    pen.merge(s, clip=crown)
    for (x, y) in (pts[0], pts[2], pts[4], pts[6]):
        pen.circle(x, y - 8, 14, rgba(tint(col, 0.5)), ow=7)
    for k, x in enumerate((418, HX, 582)):
        y = hair_y(x) + 8
        gem = (255, 90, 120, 255) if k != 1 else (90, 170, 255, 255)
        pen.poly(rounded_poly([(x, y - 16), (x + 14, y), (x, y + 16), (x - 14, y)], 0.2), gem, ow=6)
        pen.circle(x - 4, y - 5, 3.5, WHITE)
    pen.stroke(ell(HX - 60, 150, 30, 30, 10, 200, 240), (255, 255, 255, 200), 7)


def cr_tiara(pen, col):
    col = rgba(col)
    band = offset_path([(x, hair_y(x, -6) + 10) for x in np.linspace(330, 670, 30)], 9)
    peak = catmull([(400, 200), (440, 160), (HX, 106), (560, 160), (600, 200), (HX, 176)], True, 10)
    pen.poly(peak, col, ow=9)
    pen.fill(catmull([(448, 176), (470, 152), (HX, 126), (530, 152), (552, 176), (HX, 168)], True, 8), (0, 0, 0, 0))
    pen.stroke(catmull([(448, 176), (470, 152), (HX, 126), (530, 152), (552, 176), (HX, 168)], True, 8), OUT, 6, True)
    pen.poly(band, col, ow=8)
    gem = (255, 120, 170, 255) if col[2] < 200 else (120, 200, 255, 255)
    pen.poly(rounded_poly([(HX, 140), (HX + 20, 166), (HX, 192), (HX - 20, 166)], 0.2), gem, ow=6)
    pen.circle(HX - 5, 158, 4, WHITE)
    for x in (390, 610):
        pen.circle(x, hair_y(x, -6) + 2, 10, rgba(tint(gem, 0.3)), ow=6)


def cr_partyhat(pen, col):
    col = rgba(col)
    cone = catmull([(466, 196), (520, 110), (574, 40), (600, 116), (646, 210), (556, 224)], True, 8)
    pen.poly(cone, col, ow=10)
    s = pen.sub(bbox_of(cone, 2))
    for k in range(4):
        y = 80 + k * 42
        s.fill(xform([(380, y), (700, y - 40), (700, y - 20), (380, y + 20)], 0, 0), rgba(tint(col, 0.55)))
    pen.merge(s, clip=cone)
    for k in range(3):
        pen.circle(520 + k * 22, 120 + k * 30, 6, rgba(RGB["yellow"]))
    pen.poly(bumpy_circle(576, 38, 24, 7, 6), rgba(RGB["yellow"]) if col[:3] != RGB["yellow"] else WHITE, ow=7)


def cr_bow(pen, col):
    col = rgba(col)
    cx, cy = 624, 200
    for side in (-1, 1):
        tail = [(cx + side * 8, cy + 8), (cx + side * 50, cy + 84), (cx + side * 30, cy + 96), (cx + side * 18, cy + 80), (cx, cy + 10)]
        pen.poly(catmull(tail, True, 6), rgba(shade(col, 0.08)), ow=8)
    for side in (-1, 1):
        loop = catmull([(cx, cy), (cx + side * 60, cy - 62), (cx + side * 96, cy - 34), (cx + side * 92, cy + 28),
                        (cx + side * 58, cy + 40)], True, 8)
        pen.poly(loop, col, ow=9)
        s = pen.sub(bbox_of(loop, 2))
        s.stroke(qbez((cx + side * 20, cy - 4), (cx + side * 58, cy - 30), (cx + side * 78, cy - 10), 10), rgba(shade(col, 0.18)), 7)
        s.stroke(qbez((cx + side * 60, cy - 46), (cx + side * 80, cy - 40), (cx + side * 84, cy - 20), 8), rgba(tint(col, 0.6)), 8)
        pen.merge(s, clip=loop)
    pen.poly(rrect(cx - 22, cy - 24, cx + 22, cy + 24, 12), rgba(shade(col, 0.05)), ow=8)


def flower(pen, cx, cy, r, col, center=(255, 214, 90, 255), petals=5, rot=0.0, ow=6):
    for k in range(petals):
        a = math.radians(rot + k * 360 / petals)
        pen.poly(ell(cx + r * 0.55 * math.cos(a), cy + r * 0.55 * math.sin(a), r * 0.5, r * 0.5, 24), rgba(col), ow=ow)
    for k in range(petals):
        a = math.radians(rot + k * 360 / petals)
        pen.circle(cx + r * 0.55 * math.cos(a), cy + r * 0.55 * math.sin(a), r * 0.5 - 0.5, rgba(col))
    pen.circle(cx, cy, r * 0.3, center, ow=max(3, ow - 2))


def leaf(pen, cx, cy, length, ang, col=(120, 200, 110, 255)):
    pts = xform(catmull([(0, 0), (length * 0.5, -length * 0.28), (length, 0), (length * 0.5, length * 0.28)], True, 8), cx, cy, 1, ang)
    pen.poly(pts, col, ow=6)


def cr_flowers(pen, col):
    col = rgba(col)
    xs = [312, 372, 436, HX, 564, 628, 688]
    for k in range(len(xs) - 1):
        x = (xs[k] + xs[k + 1]) / 2
        leaf(pen, x, hair_y(x, -4) + 8, 40, -90 + (x - HX) * 0.35 + (30 if k % 2 else -30))
    for k, x in enumerate(xs):
        c = col if k % 2 == 0 else (255, 255, 255, 255)
        flower(pen, x, hair_y(x, -4) + 8, 34 if k % 2 == 0 else 28, c, rot=k * 17)


def cr_headphones(pen, col):
    col = rgba(col)
    band = ell(HX, 436, 262, 290, 80, 190, 350)
    pen.stroke(band, OUT, 42)
    pen.stroke(band, col, 26)
    pen.stroke(ell(HX, 436, 262, 290, 40, 240, 300), rgba(tint(col, 0.5)), 8)
    for side in (-1, 1):
        cx = HX + side * 252
        cup = rrect(cx - 34, 392, cx + 34, 512, 30)
        pen.poly(rrect(cx - 26 - side * 16, 400, cx + 26 - side * 16, 504, 24), (80, 70, 80, 255), ow=8)
        pen.poly(cup, col, ow=9)
        pen.circle(cx + side * 4, 452, 16, rgba(tint(col, 0.5)), ow=5)


def cr_beret(pen, col):
    col = rgba(col)
    pen.stroke(qbez((540, 120), (548, 96), (566, 90), 6), OUT, 18)
    body = catmull([(286, 236), (300, 170), (400, 128), (540, 112), (680, 138), (730, 196), (700, 240), (520, 230)], True, 10)
    pen.poly(body, col, ow=10)
    s = pen.sub(bbox_of(body, 2))
    s.fill(xform(body, 0, 16), rgba(shade(col, 0.15)))
    s.fill(xform(body, -6, 0), (0, 0, 0, 0))
    s.stroke(ell(470, 150, 110, 26, 30, 200, 300), rgba(tint(col, 0.4)), 10)
    pen.merge(s, clip=body)


def cr_beanie(pen, col):
    col = rgba(col)
    dome = ell(HX, 262, 252, 168, 90, 180, 360)
    pen.poly(dome + [(752, 262), (248, 262)], col, ow=10)
    s = pen.sub(bbox_of(dome, 2))
    for x in range(290, 720, 36):
        s.stroke(qbez((x, 262), ((x + HX) / 2, 180), (HX + (x - HX) * 0.25, 90), 10), rgba(shade(col, 0.12)), 6)
    pen.merge(s, clip=dome + [(752, 262), (248, 262)])
    brim = catmull([(244, 238), (HX, 218), (756, 238), (762, 282), (HX, 266), (238, 282)], True, 8)
    pen.poly(brim, rgba(tint(col, 0.3)), ow=10)
    s = pen.sub(bbox_of(brim, 2))
    for x in range(240, 770, 24):
        s.stroke([(x, 210), (x, 290)], rgba(shade(col, 0.06)), 5)
    pen.merge(s, clip=brim)
    pom = bumpy_circle(HX, 96, 44, 9, 8)
    pen.poly(pom, rgba(tint(col, 0.6)), ow=9)


def headband(pen, col):
    band = [(x, hair_y(x, -2) + 4) for x in np.linspace(288, 712, 40)]
    pen.stroke(band, OUT, 34)
    pen.stroke(band, rgba(col), 18)


def cr_catears(pen, col):
    col = rgba(col)
    for side in (-1, 1):
        bx = HX + side * 150
        by = hair_y(bx) + 20
        ear = rounded_poly([(bx - 60, by + 14), (bx + side * 10, by - 124), (bx + 60, by + 14)], 0.18)
        pen.poly(ear, col, ow=10)
        inner = rounded_poly([(bx - 30, by - 4), (bx + side * 8, by - 90), (bx + 30, by - 4)], 0.2)
        pen.fill(inner, (255, 170, 190, 255))
    headband(pen, shade(col, 0.1))


def cr_bunny(pen, col):
    col = rgba(col)
    for side in (-1, 1):
        bx = HX + side * 78
        ear = ell(bx + side * 22, 110, 40, 104, 60, rot=side * 12)
        pen.poly(ear, col, ow=10)
        pen.fill(ell(bx + side * 24, 118, 18, 74, 40, rot=side * 12), (255, 175, 195, 255))
    headband(pen, shade(col, 0.1))


def cr_witch(pen, col):
    col = rgba(col)
    cone = catmull([(372, 196), (420, 120), (470, 60), (560, 14), (600, 30), (560, 56), (560, 120), (628, 196)], True, 10)
    pen.poly(cone, col, ow=10)
    s = pen.sub(bbox_of(cone, 2))
    s.fill(xform(cone, 26, 0), rgba(shade(col, 0.15)))
    s.fill(xform(cone, 46, 6), (0, 0, 0, 0))
    s.fill([(300, 150), (700, 150), (700, 192), (300, 192)], (255, 200, 80, 255))
    pen.merge(s, clip=cone)
    pen.stroke([(380, 150), (620, 150)], OUT, 5)
    brim = catmull([(250, 206), (HX, 170), (750, 206), (HX, 238)], True, 14)
    pen.poly(brim, col, ow=10)
    pen.stroke(ell(HX, 206, 200, 18, 40, 200, 340), rgba(tint(col, 0.3)), 6)
    pen.poly(star_pts(520, 110, 20, 9, 5, -90, 0.2), (255, 220, 90, 255), ow=6)


def cr_tophat(pen, col):
    col = rgba(col)
    rot = 10
    ox, oy = 596, 180
    body = xform(rrect(-62, -120, 62, 10, 12), ox, oy, 1, rot, 0, 0)
    pen.poly(body, col, ow=10)
    s = pen.sub(bbox_of(body, 2))
    s.fill(xform([(-80, -40), (80, -40), (80, -12), (-80, -12)], ox, oy, 1, rot, 0, 0), rgba(RGB["red"] if col[0] < 200 else RGB["navy"]))
    s.fill(xform([(20, -130), (40, -130), (40, 20), (20, 20)], ox, oy, 1, rot, 0, 0), rgba(tint(col, 0.2)))
    pen.merge(s, clip=body)
    brim = xform(ell(0, 0, 104, 22, 60), ox, oy + 4, 1, rot, 0, 0)
    pen.poly(brim, col, ow=10)
    flower(pen, *xform([(-40, -26)], ox, oy, 1, rot, 0, 0)[0], 22, (255, 255, 255, 255), ow=5)


def cr_chef(pen, col):
    col = rgba(col)
    puff = [ell(400, 150, 72, 66, 60), ell(600, 150, 72, 66, 60), ell(HX, 110, 92, 84, 60)]
    for p in puff:
        pen.poly(p, WHITE, ow=10)
    for p in puff:
        pen.fill(xform(p, 0, 0, 0.98, 0, *bbox_center(p)), WHITE)
    s = pen.sub((300, 30, 700, 240))
    s.stroke(qbez((430, 170), (450, 120), (470, 90), 8), (225, 225, 235, 255), 7)
    s.stroke(qbez((560, 170), (550, 120), (530, 90), 8), (225, 225, 235, 255), 7)
    pen.merge(s, clip=puff)
    band = catmull([(350, 170), (HX, 180), (650, 170), (656, 236), (HX, 224), (344, 236)], True, 8)
    pen.poly(band, WHITE, ow=10)
    s = pen.sub(bbox_of(band, 2))
    s.fill([(300, 196), (700, 196), (700, 214), (300, 214)], col)
    pen.merge(s, clip=band)


def bbox_center(pts):
    x0, y0, x1, y1 = bbox_of(pts)
    return ((x0 + x1) / 2, (y0 + y1) / 2)


CROWN_STYLES = [
    (cr_crown, ("gold", "silver"), D("a crown", "왕관", "王冠", "皇冠")),
    (cr_tiara, ("silver", "gold"), D("a tiara", "티아라", "ティアラ", "公主頭冠")),
    (cr_partyhat, ("pink", "skyblue"), D("a party hat", "파티 모자", "パーティー帽", "派對帽")),
    (cr_bow, ("red", "pink"), D("a big {c} bow", "큰 {c} 리본", "大きな{c}リボン", "{c}大蝴蝶結")),
    (cr_flowers, ("pink", "yellow"), D("a flower crown", "화관", "花かんむり", "花環")),
    (cr_headphones, ("mint", "purple"), D("headphones", "헤드폰", "ヘッドホン", "耳機")),
    (cr_beret, ("red", "navy"), D("a beret", "베레모", "ベレー帽", "貝雷帽")),
    (cr_beanie, ("orange", "skyblue"), D("a pom-pom beanie", "방울 비니", "ぽんぽんニット帽", "毛球毛線帽")),
    (cr_catears, ("black", "white"), D("a cat-ear headband", "고양이 귀 머리띠", "ねこ耳カチューシャ", "貓耳髮箍")),
    (cr_bunny, ("white", "pink"), D("a bunny-ear headband", "토끼 귀 머리띠", "うさ耳カチューシャ", "兔耳髮箍")),
    (cr_witch, ("purple", "black"), D("a witch hat", "마녀 모자", "魔女の帽子", "女巫帽")),
    (cr_tophat, ("black", "lavender"), D("a tiny {c} top hat", "작은 {c} 실크해트", "ちいさな{c}シルクハット", "{c}迷你高禮帽")),
    (cr_chef, ("red", "blue"), D("a chef's hat with a {c} band", "{c} 띠를 두른 요리사 모자", "{c}ラインのコック帽", "{c}緞帶廚師帽")),
]


CROWN_SCALE = {cr_crown: (1.22, (HX, 214)), cr_tiara: (1.12, (HX, 200)), cr_partyhat: (1.15, (556, 214)),
               cr_witch: (1.12, (HX, 214)), cr_tophat: (1.12, (596, 190)), cr_chef: (1.1, (HX, 236))}


def scaled(fn, k, anchor):
    """Draw fn on its own layer and enlarge it by k about anchor (output px)."""
    def draw(pen):
        im, p2 = new_canvas()
        fn(p2)
        ax, ay = anchor[0] * SS, anchor[1] * SS
        # output (x, y) samples input ((x - ax) / k + ax, (y - ay) / k + ay)
        coeffs = (1 / k, 0, ax - ax / k, 0, 1 / k, ay - ay / k)
        big = im.convert("RGBa").transform(im.size, Image.AFFINE, coeffs, resample=Image.BICUBIC).convert("RGBA")
        pen.im.alpha_composite(big)
    return draw


def build_crowns():
    out = []
    for fn, colors, d in CROWN_STYLES:
        for cname in colors:
            draw = (lambda pen, fn=fn, c=RGB[cname]: fn(pen, c))
            if fn in CROWN_SCALE:
                draw = scaled(draw, *CROWN_SCALE[fn])
            out.append((draw, color_phrase(d, cname)))
    return out


# ----------------------------------------------------------------------------
# face paint (cheeks ~ y 490)
# ----------------------------------------------------------------------------

BLUSH = (255, 120, 140)


def fp_blush(pen, col=BLUSH, rx=40, ry=24, a=150, lines=False, dx=0):
    s = pen.sub((250, 420, 750, 560))
    for (cx, cy) in (CHEEK_L, CHEEK_R):
        side = -1 if cx < HX else 1
        s.oval(cx + side * dx, cy, rx, ry, with_alpha(col, a))
    pen.merge(s)
    if lines:
        for (cx, cy) in (CHEEK_L, CHEEK_R):
            for k in (-1, 0, 1):
                x = cx + k * 16
                pen.stroke([(x + 5, cy - 10), (x - 5, cy + 10)], with_alpha(shade(col, 0.3), 255), 5)


def fp_freckles(pen, col=(160, 96, 70, 255)):
    for (cx, cy) in (CHEEK_L, CHEEK_R):
        for (dx, dy) in ((-18, -6), (2, 6), (20, -8), (-4, -16)):
            pen.circle(cx + dx, cy + dy, 5, col)


def fp_stars(pen):
    for (cx, cy), rot in ((CHEEK_L, -10), (CHEEK_R, 12)):
        pen.poly(star_pts(cx, cy, 24, 11, 5, -90 + rot, 0.25), (255, 214, 70, 255), ow=6)


def fp_hearts(pen, col=(255, 110, 150, 255)):
    for (cx, cy), rot in ((CHEEK_L, -12), (CHEEK_R, 12)):
        pen.poly(heart_pts(cx, cy, 22, 70, rot), col, ow=6)


def fp_bandage(pen):
    cx, cy = CHEEK_R[0] + 4, CHEEK_R[1] - 4
    b = xform(rrect(-44, -16, 44, 16, 14), cx, cy, 1, -24)
    pen.poly(b, (255, 226, 200, 255), ow=6)
    pen.poly(xform(rrect(-14, -16, 14, 16, 4), cx, cy, 1, -24), (250, 200, 170, 255), ow=0)
    for (dx, dy) in ((-5, -5), (5, -5), (-5, 5), (5, 5)):
        pen.circle(*xform([(dx, dy)], cx, cy, 1, -24)[0], 2.2, (220, 160, 130, 255))


def fp_whiskers(pen):
    for side in (-1, 1):
        cx = HX + side * 150
        for k, ang in enumerate((-10, 0, 10)):
            y = 488 + (k - 1) * 20
            pen.stroke([(cx - side * 30, y), (cx + side * 34, y + side * ang * 0.0 + (k - 1) * 10)], OUT, 7)


def fp_swirls(pen):
    for (cx, cy) in (CHEEK_L, CHEEK_R):
        pts = [(cx + (4 + 2.6 * t) * math.cos(t * 0.55), cy + (4 + 2.6 * t) * math.sin(t * 0.55) * 0.8) for t in np.linspace(0, 11.5, 60)]
        pen.stroke(pts, (255, 160, 180, 255), 8)


def fp_sprinkles(pen):
    cols = [(255, 110, 150, 255), (110, 190, 255, 255), (255, 210, 80, 255), (130, 220, 160, 255)]
    rng = random.Random("sprinkles")
    for (cx, cy) in (CHEEK_L, CHEEK_R):
        for k, (dx, dy) in enumerate(((-22, -8), (0, 10), (18, -10), (24, 14), (-12, 16))):
            a = rng.uniform(0, 180)
            p = capsule((0, -9), (0, 9), 4.5, 6)
            pen.poly(xform(p, cx + dx, cy + dy, 1, a), cols[k % 4], ow=3)


def fp_mole(pen):
    pen.circle(MX + 56, MY + 14, 6, (90, 56, 44, 255))


def fp_sparkles(pen):
    for (cx, cy) in (CHEEK_L, CHEEK_R):
        pen.fill(star_pts(cx, cy - 8, 22, 6, 4, -90), WHITE)
        pen.stroke(star_pts(cx, cy - 8, 22, 6, 4, -90), (255, 200, 90, 255), 3, True)
        pen.fill(star_pts(cx + 22, cy + 14, 11, 3, 4, -90), WHITE)


def fp_flower(pen):
    flower(pen, CHEEK_L[0] - 4, CHEEK_L[1], 30, (255, 150, 190, 255), ow=5)
    leaf(pen, CHEEK_L[0] + 12, CHEEK_L[1] + 12, 28, 40)
    flower(pen, CHEEK_L[0] - 4, CHEEK_L[1], 30, (255, 150, 190, 255), ow=5)


def fp_tears(pen):
    for (cx, cy) in (CHEEK_L, CHEEK_R):
        cx += 12 if cx < HX else -12
        drop = catmull([(cx, cy - 26), (cx + 14, cy + 2), (cx, cy + 16), (cx - 14, cy + 2)], True, 8)
        pen.poly(drop, (120, 190, 255, 255), ow=5)
        pen.circle(cx - 4, cy, 3.5, WHITE)


def fp_nose_bandaid(pen):
    cx, cy = HX, 476
    for ang in (35, -35):
        b = xform(rrect(-40, -13, 40, 13, 12), cx, cy, 1, ang)
        pen.poly(b, (255, 226, 200, 255), ow=5)
    pen.poly(xform(rrect(-12, -12, 12, 12, 3), cx, cy, 1, 35), (250, 200, 170, 255), ow=0)


def fp_icing_stripes(pen):
    for side in (-1, 1):
        cx = HX + side * 150
        for k in (0, 1):
            y = 478 + k * 24
            pen.stroke([(cx - 28, y), (cx + 28, y + side * 4)], OUT, 16)
            pen.stroke([(cx - 28, y), (cx + 28, y + side * 4)], WHITE, 8)


def fp_chocochips(pen):
    for (cx, cy) in (CHEEK_L, CHEEK_R):
        for (dx, dy, r) in ((-18, -4, 14), (14, 10, 11), (20, -16, 9)):
            chip = catmull([(cx + dx, cy + dy - r * 1.3), (cx + dx + r, cy + dy + r * 0.6), (cx + dx - r, cy + dy + r * 0.6)], True, 8)
            pen.fill(chip, (100, 58, 40, 255))
            pen.circle(cx + dx - r * 0.3, cy + dy - r * 0.1, max(1.5, r * 0.22), (160, 110, 80, 255))


FACE_PAINT = [
    (lambda p: fp_blush(p), D("rosy blush", "발그레한 볼터치", "ほんのりチーク", "紅潤腮紅")),
    (lambda p: fp_blush(p, (255, 110, 130), 36, 20, 140, True), D("shy blush marks", "수줍은 빗금 볼터치", "照れ線チーク", "害羞紅暈")),
    (lambda p: fp_freckles(p), D("freckles", "주근깨", "そばかす", "雀斑")),
    (lambda p: fp_stars(p), D("star cheek marks", "별 볼 스티커", "ほっぺの星", "臉頰星星")),
    (lambda p: fp_hearts(p), D("heart cheek marks", "하트 볼 스티커", "ほっぺのハート", "臉頰愛心")),
    (lambda p: fp_bandage(p), D("a cheek bandage", "볼에 붙인 반창고", "ほっぺの絆創膏", "臉頰OK繃")),
    (lambda p: fp_whiskers(p), D("cat whiskers", "고양이 수염", "ねこのひげ", "貓鬍鬚")),
    (lambda p: fp_swirls(p), D("icing swirls", "아이싱 소용돌이", "アイシングのうずまき", "糖霜漩渦")),
    (lambda p: fp_sprinkles(p), D("candy sprinkles", "스프링클", "カラースプレー", "彩色糖粒")),
    (lambda p: fp_blush(p, (255, 96, 110), 50, 30, 120), D("big rosy cheeks", "커다란 발그레 볼", "まっかなほっぺ", "大大的紅臉頰")),
    (lambda p: (fp_blush(p, BLUSH, 36, 22, 110), fp_freckles(p, (170, 100, 80, 255))), D("blush and freckles", "볼터치와 주근깨", "チークとそばかす", "腮紅和雀斑")),
    (lambda p: fp_mole(p), D("a beauty mark", "애교점", "ほくろ", "美人痣")),
    (lambda p: fp_sparkles(p), D("cheek sparkles", "반짝이 볼", "きらきらほっぺ", "閃亮臉頰")),
    (lambda p: fp_flower(p), D("a cheek flower", "볼에 꽃", "ほっぺのお花", "臉頰小花")),
    (lambda p: fp_tears(p), D("teardrop marks", "눈물방울 무늬", "しずくマーク", "淚滴圖樣")),
    (lambda p: fp_nose_bandaid(p), D("a bandage on the nose", "코에 붙인 반창고", "鼻の絆創膏", "鼻子上的OK繃")),
    (lambda p: fp_blush(p, (255, 160, 90), 40, 24, 150), D("peachy blush", "복숭앗빛 볼터치", "ピーチのチーク", "蜜桃腮紅")),
    (lambda p: fp_blush(p, (190, 150, 255), 40, 24, 150, True), D("lavender blush", "라벤더 볼터치", "ラベンダーのチーク", "薰衣草腮紅")),
    (lambda p: fp_icing_stripes(p), D("icing stripes", "아이싱 줄무늬", "アイシングのしましま", "糖霜條紋")),
    (lambda p: fp_chocochips(p), D("chocolate chips", "초코칩", "チョコチップ", "巧克力豆")),
]


# ----------------------------------------------------------------------------
# stickers (white-bordered, in a corner)
# ----------------------------------------------------------------------------

STICKER_SPOTS = [(230, 160), (770, 160), (230, 860), (770, 860)]
ST_L = 300  # local canvas size (output px)


def kawaii(pen, x, y, s=1.0, col=DK):
    pen.circle(x - 14 * s, y, 5 * s, col)
    pen.circle(x + 14 * s, y, 5 * s, col)
    pen.stroke(ell(x, y + 2 * s, 8 * s, 7 * s, 12, 30, 150), col, 4 * s)
    pen.oval(x - 24 * s, y + 10 * s, 7 * s, 4.5 * s, (255, 130, 150, 200))
    pen.oval(x + 24 * s, y + 10 * s, 7 * s, 4.5 * s, (255, 130, 150, 200))


def st_star(pen, c):
    pen.poly(star_pts(0, 4, 70, 34, 5, -90, 0.25), c, ow=8)
    pen.stroke(ell(-6, 0, 40, 40, 12, 200, 240), (255, 255, 255, 220), 8)
    kawaii(pen, 0, 10)


def st_heart(pen, c):
    pen.poly(heart_pts(0, 2, 66), c, ow=8)
    pen.oval(-30, -26, 13, 8, (255, 255, 255, 230), rot=-35)


def st_sparkle(pen, c):
    pen.poly(star_pts(-8, 6, 62, 16, 4, -90), c, ow=7)
    pen.poly(star_pts(44, -44, 26, 7, 4, -90), c, ow=6)
    pen.poly(star_pts(46, 40, 16, 5, 4, -90), c, ow=5)


def st_lollipop(pen, c):
    pen.poly(rrect(-7, 0, 7, 86, 6), (255, 255, 255, 255), ow=6)
    pen.circle(0, -18, 52, c, ow=8)
    pts = [(1.9 * t * math.cos(t * 0.5), -18 + 1.9 * t * math.sin(t * 0.5)) for t in np.linspace(0, 24, 90)]
    pen.stroke(pts, (255, 255, 255, 235), 9)


def st_candy(pen, c):
    for side in (-1, 1):
        wr = [(side * 30, 0), (side * 74, -30), (side * 64, 0), (side * 74, 30)]
        pen.poly(rounded_poly(wr, 0.2), rgba(tint(c, 0.3)), ow=7)
    body = ell(0, 0, 42, 34, 60)
    pen.poly(body, c, ow=8)
    s = pen.sub(bbox_of(body, 2))
    for k in (-1, 0, 1):
        s.fill(xform([(-8, -40), (8, -40), (8, 40), (-8, 40)], k * 26, 0, 1, 25), (255, 255, 255, 255))
    pen.merge(s, clip=body)


def cloud_pts(w=72, h=46):
    return catmull([(-w, 18), (-w + 6, -10), (-w + 34, -22), (-22, -h), (18, -h - 4), (42, -24), (w - 8, -16),
                    (w, 12), (w - 24, h - 18), (-w + 22, h - 18)], True, 10)


def st_cloud(pen, c):
    pen.poly(cloud_pts(), c, ow=8)
    kawaii(pen, 0, 2, 0.9)


def st_note(pen, c):
    pen.poly([(-34, 34), (-34, -52), (46, -68), (46, 20), (34, 20), (34, -46), (-22, -34), (-22, 34)], c, ow=6)
    pen.poly(ell(-46, 38, 24, 18, 40, rot=-20), c, ow=6)
    pen.poly(ell(22, 24, 24, 18, 40, rot=-20), c, ow=6)
    pen.fill([(-34, 34), (-34, -52), (46, -68), (46, 20), (34, 20), (34, -46), (-22, -34), (-22, 34)], c)
    pen.fill(ell(-46, 38, 24, 18, 40, rot=-20), c)
    pen.fill(ell(22, 24, 24, 18, 40, rot=-20), c)
    pen.circle(-52, 32, 5, (255, 255, 255, 200))


def st_paw(pen, c):
    pen.poly(catmull([(0, -4), (38, 18), (36, 50), (0, 54), (-36, 50), (-38, 18)], True, 8), c, ow=7)
    for (x, y, r) in ((-48, -20, 18), (-18, -52, 19), (18, -52, 19), (48, -20, 18)):
        pen.poly(ell(x, y, r, r * 1.15, 30), c, ow=7)


def st_moon(pen, c):
    outer = ell(0, 0, 64, 64, 80)
    pen.poly(outer, c, ow=8)
    pen.fill(ell(34, -24, 52, 52, 80), (0, 0, 0, 0))
    pen.stroke(ell(34, -24, 52, 52, 80, 94, 210), OUT, 8)
    pen.stroke(ell(-30, 14, 9, 7, 10, 20, 160), DK, 5)
    pen.oval(-22, 34, 8, 5, (255, 130, 150, 200))


def st_flower(pen, c):
    flower(pen, 0, 0, 62, c, ow=8)


def st_cupcake(pen, c):
    wrapper = [(-46, 10), (46, 10), (34, 72), (-34, 72)]
    pen.poly(wrapper, (255, 210, 120, 255), ow=7)
    for x in (-24, 0, 24):
        pen.stroke([(x, 16), (x * 0.75, 66)], (230, 170, 90, 255), 5)
    fr = catmull([(-58, 14), (-50, -14), (-26, -30), (-6, -56), (20, -38), (46, -22), (58, 12), (0, 22)], True, 8)
    pen.poly(fr, c, ow=8)
    pen.circle(2, -66, 14, (232, 60, 80, 255), ow=6)
    pen.stroke(ell(-12, -8, 26, 12, 12, 200, 300), (255, 255, 255, 200), 6)


def st_donut(pen, c):
    pen.circle(0, 0, 64, (230, 170, 100, 255), ow=8)
    icing = ell(0, -2, 56, 54, 90)
    icing = [(x + 5 * math.sin(i / 90 * 2 * math.pi * 6), y + 5 * abs(math.sin(i / 90 * 2 * math.pi * 6))) for i, (x, y) in enumerate(icing)]
    pen.fill(icing, c)
    pen.stroke(icing, OUT, 5, True)
    pen.circle(0, 0, 18, (230, 170, 100, 255), ow=6)
    pen.fill(ell(0, 0, 16, 16, 30), (0, 0, 0, 0))
    cols = [(255, 255, 255, 255), (120, 200, 255, 255), (255, 220, 80, 255), (255, 120, 160, 255)]
    for k in range(9):
        a = k * 40 + 10
        r = 36 if k % 2 else 30
        pen.poly(xform(capsule((0, -6), (0, 6), 3.5, 6), r * math.cos(math.radians(a)), r * math.sin(math.radians(a)), 1, a * 1.7), cols[k % 4], ow=0)


def st_icecream(pen, c):
    cone = [(-36, -8), (36, -8), (0, 84)]
    pen.poly(rounded_poly(cone, 0.08), (240, 190, 110, 255), ow=7)
    s = pen.sub(bbox_of(cone, 2))
    for k in range(-4, 5):
        s.stroke([(k * 18 - 40, -10), (k * 18 + 40, 90)], (210, 150, 80, 255), 4)
        s.stroke([(k * 18 + 40, -10), (k * 18 - 40, 90)], (210, 150, 80, 255), 4)
    pen.merge(s, clip=cone)
    scoop = catmull([(-46, -4), (-44, -40), (-10, -70), (30, -62), (48, -30), (44, 0), (24, 8), (10, -2), (-6, 10), (-24, 0)], True, 8)
    pen.poly(scoop, c, ow=8)
    pen.stroke(ell(-12, -34, 20, 16, 12, 200, 280), (255, 255, 255, 200), 6)


def st_bolt(pen, c):
    pen.poly([(10, -76), (-44, 10), (-4, 10), (-16, 78), (46, -16), (6, -16), (24, -76)], c, ow=8)


def st_cat(pen, c):
    for side in (-1, 1):
        pen.poly(rounded_poly([(side * 20, -40), (side * 56, -70), (side * 62, -10)], 0.18), c, ow=8)
    pen.poly(ell(0, 4, 66, 54, 80), c, ow=8)
    for side in (-1, 1):
        pen.fill(rounded_poly([(side * 30, -40), (side * 52, -58), (side * 54, -26)], 0.2), (255, 170, 190, 255))
    kawaii(pen, 0, 8, 1.0, DK if sum(c[:3]) > 300 else (255, 255, 255, 255))
    for side in (-1, 1):
        for k in (-1, 1):
            pen.stroke([(side * 44, 22 + k * 6), (side * 76, 18 + k * 14)], OUT, 4)


def st_mushroom(pen, c):
    pen.poly(rrect(-22, 0, 22, 64, 16), (255, 240, 220, 255), ow=7)
    cap = catmull([(-70, 8), (-62, -30), (-30, -58), (0, -64), (30, -58), (62, -30), (70, 8), (0, 14)], True, 10)
    pen.poly(cap, c, ow=8)
    for (x, y, r) in ((-34, -20, 12), (10, -40, 10), (38, -6, 9), (-6, -4, 7)):
        pen.circle(x, y, r, (255, 255, 255, 255))
    pen.circle(-8, 36, 4, DK)
    pen.circle(8, 36, 4, DK)


def st_macaron(pen, c):
    pen.poly(rrect(-64, 8, 64, 48, 20), c, ow=7)
    pen.poly(rrect(-58, -6, 58, 16, 10), (255, 250, 240, 255), ow=6)
    pen.poly(rrect(-64, -46, 64, -4, 22), c, ow=7)
    s = pen.sub((-70, -50, 70, 0))
    s.stroke([(-40, -30), (-10, -34)], (255, 255, 255, 210), 7)
    pen.merge(s)


def st_balloon(pen, c):
    pen.stroke(cbez((0, 40), (-16, 60), (16, 76), (-4, 96), 12), OUT, 5)
    pen.poly(rounded_poly([(-8, 46), (8, 46), (0, 32)], 0.2), c, ow=5)
    b = ell(0, -22, 52, 62, 80)
    pen.poly(b, c, ow=8)
    pen.oval(-20, -44, 11, 18, (255, 255, 255, 200), rot=20)


def st_gem(pen, c):
    outer = [(-60, -20), (-34, -50), (34, -50), (60, -20), (0, 62)]
    pen.poly(outer, c, ow=8)
    s = pen.sub((-70, -60, 70, 70))
    s.fill([(-60, -20), (60, -20), (0, 62)], rgba(shade(c, 0.12)))
    s.fill([(-20, -20), (20, -20), (0, 62)], rgba(tint(c, 0.35)))
    s.fill([(-34, -50), (-12, -50), (-20, -20), (-60, -20)], rgba(tint(c, 0.5)))
    pen.merge(s, clip=outer)
    for seg in ([(-60, -20), (60, -20)], [(-20, -20), (0, 62)], [(20, -20), (0, 62)], [(-12, -50), (-20, -20)], [(12, -50), (20, -20)]):
        pen.stroke(seg, OUT, 4)


def st_bow(pen, c):
    for side in (-1, 1):
        pen.poly(catmull([(side * 6, 6), (side * 40, 62), (side * 22, 70), (side * 4, 20)], True, 6), rgba(shade(c, 0.08)), ow=7)
    for side in (-1, 1):
        pen.poly(catmull([(0, 0), (side * 44, -46), (side * 74, -24), (side * 70, 22), (side * 40, 30)], True, 8), c, ow=8)
    pen.poly(rrect(-16, -18, 16, 18, 9), rgba(shade(c, 0.05)), ow=7)


def st_planet(pen, c):
    ring_back = ell(0, 0, 84, 24, 60, 180, 360, rot=-18)
    pen.stroke(ring_back, OUT, 16)
    pen.stroke(ring_back, (255, 230, 150, 255), 6)
    pen.circle(0, 0, 48, c, ow=8)
    s = pen.sub((-50, -50, 50, 50))
    s.oval(-14, -16, 12, 7, (255, 255, 255, 180))
    s.oval(20, 18, 16, 8, rgba(shade(c, 0.1)))
    pen.merge(s, clip=ell(0, 0, 48, 48, 60))
    ring_front = ell(0, 0, 84, 24, 60, 0, 180, rot=-18)
    pen.stroke(ring_front, OUT, 16)
    pen.stroke(ring_front, (255, 230, 150, 255), 6)


def st_boba(pen, c):
    pen.poly(rrect(2, -86, 14, -10, 5), (255, 120, 150, 255), ow=5)
    cup = [(-44, -30), (44, -30), (34, 70), (-34, 70)]
    pen.poly(rounded_poly(cup, 0.06), c, ow=7)
    s = pen.sub(bbox_of(cup, 2))
    s.fill([(-60, -40), (60, -40), (60, -20), (-60, -20)], (255, 255, 255, 150))
    for (x, y) in ((-18, 56), (0, 58), (18, 56), (-10, 42), (10, 42), (26, 40), (-26, 40)):
        s.circle(x, y, 7, (70, 44, 40, 255))
    pen.merge(s, clip=cup)
    pen.poly(ell(0, -30, 52, 14, 40), (255, 255, 255, 255), ow=6)
    kawaii(pen, 0, 8, 0.8)


STICKER_MOTIFS = [
    (st_star, ("yellow", "pink", "skyblue", "mint"), ("star", "별", "星", "星星")),
    (st_heart, ("red", "pink", "lavender", "orange"), ("heart", "하트", "ハート", "愛心")),
    (st_sparkle, ("yellow", "skyblue", "pink", "lilac"), ("sparkle", "반짝이", "キラキラ", "閃光")),
    (st_lollipop, ("pink", "mint", "orange", "purple"), ("lollipop", "막대사탕", "ぺろぺろキャンディ", "棒棒糖")),
    (st_candy, ("red", "blue", "green", "yellow"), ("wrapped candy", "포장 사탕", "包みキャンディ", "包裝糖果")),
    (st_cloud, ("white", "pink", "skyblue", "lavender"), ("cloud", "구름", "雲", "雲朵")),
    (st_note, ("purple", "blue", "pink", "black"), ("music note", "음표", "音符", "音符")),
    (st_paw, ("pink", "brown", "black", "orange"), ("paw print", "발자국", "肉球", "貓掌印")),
    (st_moon, ("yellow", "lavender", "peach", "white"), ("crescent moon", "초승달", "三日月", "彎月")),
    (st_flower, ("pink", "yellow", "lavender", "coral"), ("flower", "꽃", "お花", "花朵")),
    (st_cupcake, ("pink", "mint", "lavender", "yellow"), ("cupcake", "컵케이크", "カップケーキ", "杯子蛋糕")),
    (st_donut, ("pink", "brown", "mint", "white"), ("donut", "도넛", "ドーナツ", "甜甜圈")),
    (st_icecream, ("pink", "mint", "brown", "lemon"), ("ice cream", "아이스크림", "アイスクリーム", "冰淇淋")),
    (st_bolt, ("yellow", "orange", "skyblue", "purple"), ("lightning bolt", "번개", "いなずま", "閃電")),
    (st_cat, ("orange", "black", "white", "silver"), ("kitty", "고양이", "ねこ", "貓咪")),
    (st_mushroom, ("red", "pink", "orange", "purple"), ("mushroom", "버섯", "きのこ", "蘑菇")),
    (st_macaron, ("pink", "mint", "lavender", "yellow"), ("macaron", "마카롱", "マカロン", "馬卡龍")),
    (st_balloon, ("red", "blue", "yellow", "green"), ("balloon", "풍선", "風船", "氣球")),
    (st_gem, ("skyblue", "pink", "purple", "green"), ("gem", "보석", "宝石", "寶石")),
    (st_bow, ("red", "pink", "skyblue", "purple"), ("ribbon", "리본", "リボン", "蝴蝶結")),
    (st_planet, ("orange", "purple", "mint", "peach"), ("planet", "행성", "惑星", "星球")),
    (st_boba, ("brown", "purple", "green", "pink"), ("bubble tea", "버블티", "タピオカミルクティー", "珍珠奶茶")),
]


def draw_sticker(canvas, motif, col, spot, rot):
    L = ST_L * SS
    im = Image.new("RGBA", (L, L), (0, 0, 0, 0))
    pen = Pen(im, -ST_L / 2, -ST_L / 2)
    motif(pen, rgba(col))
    alpha = im.getchannel("A").resize((ST_L, ST_L), Image.BOX)
    border = dilate_mask(alpha, 9).resize((L, L), Image.BILINEAR)
    border = border.filter(ImageFilter.GaussianBlur(1.2)).point(lambda v: 255 if v >= 128 else 0)
    out = Image.new("RGBA", (L, L), (0, 0, 0, 0))
    shadow = Image.new("RGBA", (L, L), (70, 40, 50, 0))
    shadow.putalpha(border.point(lambda v: 48 if v else 0))
    out.alpha_composite(shadow, (8, 12))
    white = Image.new("RGBA", (L, L), (255, 255, 255, 0))
    white.putalpha(border)
    out.alpha_composite(white)
    # thin outline around the white border for definition
    ring = ImageChops.subtract(border, border.filter(ImageFilter.MinFilter(5)))
    edge = Image.new("RGBA", (L, L), (200, 190, 200, 0))
    edge.putalpha(ring)
    out.alpha_composite(edge)
    out.alpha_composite(im)
    out = out.convert("RGBa").rotate(rot, resample=Image.BICUBIC).convert("RGBA")
    # nudge inwards so the sticker (incl. border and shadow) stays in the safe area
    px, py = int(spot[0] * SS - L / 2), int(spot[1] * SS - L / 2)
    x0, y0, x1, y1 = out.getchannel("A").getbbox()
    lo, hi = (SAFE_X0 + 4) * SS, (SAFE_X1 - 4) * SS
    px += max(0, lo - (px + x0)) - max(0, (px + x1) - hi)
    py += max(0, 8 * SS - (py + y0)) - max(0, (py + y1) - (CW - 8) * SS)
    canvas.alpha_composite(out, (px, py))


def build_stickers():
    out = []
    for m, (fn, colors, names) in enumerate(STICKER_MOTIFS):
        for k, cname in enumerate(colors):
            spot = STICKER_SPOTS[(m + k) % 4]
            rot = random.Random(f"sticker-{m}-{k}").uniform(-16, 16)
            en, ko, ja, zh = names
            cw = COLOR_WORDS[cname]
            desc = {"en": f"{article(cw[0])} {cw[0]} {en} sticker", "ko": f"{cw[1]} {ko} 스티커",
                    "ja": f"{cw[2]}{ja}のステッカー", "zh-TW": f"{cw[3]}{zh}貼紙"}

            def draw(canvas, fn=fn, c=RGB[cname], spot=spot, rot=rot):
                draw_sticker(canvas, fn, c, spot, rot)
            out.append((draw, desc))
    return out


# ----------------------------------------------------------------------------
# backgrounds (opaque)
# ----------------------------------------------------------------------------

BG_RGB = {
    "pink": (255, 214, 226), "peach": (255, 222, 200), "lemon": (255, 243, 188), "mint": (198, 240, 220),
    "skyblue": (198, 228, 252), "lavender": (222, 214, 252), "cream": (255, 244, 222), "coral": (255, 204, 194),
    "aqua": (194, 238, 238), "lilac": (238, 214, 246), "sakura": (255, 228, 236), "pistachio": (222, 240, 198),
}
BG_ORDER = ["pink", "peach", "lemon", "mint", "skyblue", "lavender", "cream", "coral", "aqua", "lilac", "sakura", "pistachio"]


def lerp3(a, b, t):
    return tuple(a[i] + (b[i] - a[i]) * t for i in range(3))


def gradient_image(stops):
    """Vertical gradient from [(t, rgb), ...] at working resolution."""
    ys = np.linspace(0.0, 1.0, BIG)
    ts = [t for t, _ in stops]
    cols = np.array([c for _, c in stops], np.float64)
    out = np.empty((BIG, 3))
    for ch in range(3):
        out[:, ch] = np.interp(ys, ts, cols[:, ch])
    arr = np.repeat(np.round(out).astype(np.uint8)[:, None, :], BIG, axis=1)
    return Image.fromarray(arr, "RGB")


def bg_base(c):
    return gradient_image([(0.0, lerp3(c, (255, 255, 255), 0.45)), (1.0, lerp3(c, (235, 200, 215), 0.12))])


def rgb_int(c):
    return tuple(int(round(v)) for v in c)


def bg_gradient(c, c2):
    return gradient_image([(0.0, lerp3(c, (255, 255, 255), 0.5)), (0.55, c), (1.0, lerp3(c2, (255, 255, 255), 0.1))])


def bg_dots(c, c2):
    im = bg_base(c)
    pen = Pen(im)
    light = rgb_int(lerp3(c, (255, 255, 255), 0.7))
    for row in range(12):
        for col in range(12):
            x = col * 92 + (46 if row % 2 else 0) - 20
            y = row * 92 - 10
            pen.circle(x, y, 15, light)
    return im


def bg_stripes(c, c2):
    im = bg_base(c)
    pen = Pen(im)
    light = rgb_int(lerp3(c, (255, 255, 255), 0.55))
    for x in range(-20, 1040, 90):
        pen.fill([(x, -10), (x + 40, -10), (x + 40, 1010), (x, 1010)], light)
    return im


def bg_diagonal(c, c2):
    im = bg_base(c)
    pen = Pen(im)
    light = rgb_int(lerp3(c, (255, 255, 255), 0.55))
    for x in range(-1100, 1100, 110):
        pen.fill([(x, 1010), (x + 46, 1010), (x + 1066, -10), (x + 1020, -10)], light)
    return im


def bg_gingham(c, c2):
    w = 64
    base = np.array(lerp3(c, (255, 255, 255), 0.55))
    mid = np.array(lerp3(c, (255, 255, 255), 0.15))
    dark = np.array(lerp3(c, (200, 150, 170), 0.18))
    idx = np.arange(BIG) // (w * SS)
    band = (idx % 2 == 0)
    V = band[None, :]
    H = band[:, None]
    arr = np.where((V & H)[..., None], dark, np.where((V | H)[..., None], mid, base))
    return Image.fromarray(np.round(arr).astype(np.uint8), "RGB")


def bg_starry(c, c2):
    im = bg_base(c)
    pen = Pen(im)
    rng = random.Random("bg-starry")
    light = rgb_int(lerp3(c, (255, 255, 255), 0.75))
    for _ in range(46):
        x, y = rng.uniform(0, 1000), rng.uniform(0, 1000)
        r = rng.uniform(10, 22)
        pen.fill(star_pts(x, y, r, r * 0.45, 5, rng.uniform(-100, -80), 0.2), light)
    return im


def bg_clouds(c, c2):
    im = gradient_image([(0.0, lerp3(c, (120, 110, 170), 0.06)), (1.0, lerp3(c, (255, 255, 255), 0.6))])
    pen = Pen(im)
    white = (255, 255, 255)
    for (x, y, s) in ((230, 120, 1.1), (790, 250, 0.9), (170, 540, 1.0), (830, 690, 1.2), (380, 930, 1.0), (640, 50, 0.7)):
        pts = xform(cloud_pts(), x, y, s * 1.6)
        pen.fill(pts, white)
    return im


def bg_sunburst(c, c2):
    im = Image.new("RGB", (BIG, BIG), rgb_int(lerp3(c, (255, 255, 255), 0.15)))
    pen = Pen(im)
    light = rgb_int(lerp3(c, (255, 255, 255), 0.55))
    n = 28
    for k in range(0, n, 2):
        a0 = math.radians(k * 360 / n)
        a1 = math.radians((k + 1) * 360 / n)
        pen.fill([(HX, HY), (HX + 2000 * math.cos(a0), HY + 2000 * math.sin(a0)), (HX + 2000 * math.cos(a1), HY + 2000 * math.sin(a1))], light)
    pen.circle(HX, HY, 300, rgb_int(lerp3(c, (255, 255, 255), 0.7)))
    return im


def bg_hearts(c, c2):
    im = bg_base(c)
    pen = Pen(im)
    light = rgb_int(lerp3(c, (255, 255, 255), 0.65))
    for row in range(10):
        for col in range(9):
            x = col * 120 + (60 if row % 2 else 0) - 10
            y = row * 110 + 10
            pen.fill(heart_pts(x, y, 20, 60, -12 if (row + col) % 2 else 12), light)
    return im


def bg_sprinkles(c, c2):
    im = bg_base(c)
    pen = Pen(im)
    rng = random.Random("bg-sprinkles")
    cols = [(255, 130, 160), (120, 200, 255), (255, 215, 90), (140, 220, 170), (190, 150, 250), (255, 255, 255)]
    for k in range(100):
        x, y = rng.uniform(0, 1000), rng.uniform(0, 1000)
        a = rng.uniform(0, 180)
        pen.fill(xform(capsule((0, -10), (0, 10), 5, 8), x, y, 1, a), cols[k % len(cols)])
    return im


def bg_waves(c, c2):
    im = bg_base(c)
    pen = Pen(im)
    light = rgb_int(lerp3(c, (255, 255, 255), 0.55))
    for y0 in range(40, 1100, 120):
        top = [(x, y0 + 14 * math.sin(x / 1000 * 2 * math.pi * 4)) for x in range(-10, 1020, 10)]
        bot = [(x, y + 40) for x, y in top]
        pen.fill(top + bot[::-1], light)
    return im


def bg_bubbles(c, c2):
    im = bg_base(c)
    pen = Pen(im)
    rng = random.Random("bg-bubbles")
    light = rgb_int(lerp3(c, (255, 255, 255), 0.7))
    for _ in range(30):
        x, y, r = rng.uniform(0, 1000), rng.uniform(0, 1000), rng.uniform(18, 60)
        pen.stroke(ell(x, y, r, r, 48), light, 6, True)
        pen.stroke(ell(x, y, r * 0.65, r * 0.65, 20, 200, 250), light, 5)
    return im


BG_PATTERNS = [
    (bg_gradient, ("a soft {c} gradient", "부드러운 {c} 그라데이션", "やわらかな{c}グラデーション", "柔和的{c}漸層")),
    (bg_dots, ("{c} polka dots", "{c} 물방울무늬", "{c}水玉模様", "{c}圓點圖案")),
    (bg_stripes, ("{c} stripes", "{c} 줄무늬", "{c}ストライプ", "{c}直條紋")),
    (bg_diagonal, ("{c} diagonal stripes", "{c} 사선 줄무늬", "{c}ななめストライプ", "{c}斜條紋")),
    (bg_gingham, ("{c} gingham checks", "{c} 깅엄 체크", "{c}ギンガムチェック", "{c}格紋")),
    (bg_starry, ("a starry {c} pattern", "{c} 별무늬", "{c}星柄", "{c}星星圖案")),
    (bg_clouds, ("a {c} sky with clouds", "구름 낀 {c} 하늘", "雲の浮かぶ{c}空", "飄著雲朵的{c}天空")),
    (bg_sunburst, ("a {c} sunburst", "{c} 햇살 무늬", "{c}サンバースト", "{c}放射光芒")),
    (bg_hearts, ("{c} hearts", "{c} 하트무늬", "{c}ハート柄", "{c}愛心圖案")),
    (bg_sprinkles, ("{c} frosting with sprinkles", "스프링클을 뿌린 {c} 아이싱", "カラースプレーをのせた{c}アイシング", "撒滿糖粒的{c}糖霜")),
    (bg_waves, ("{c} waves", "{c} 물결무늬", "{c}波模様", "{c}波浪圖案")),
    (bg_bubbles, ("{c} bubbles", "{c} 비눗방울", "{c}シャボン玉", "{c}泡泡")),
]


def build_backgrounds():
    out = []
    for p, (fn, tmpl) in enumerate(BG_PATTERNS):
        for k in range(4):
            cname = BG_ORDER[(p * 5 + k * 3) % 12]
            c2name = BG_ORDER[(p * 5 + k * 3 + 4) % 12]
            cw = COLOR_WORDS[cname]
            if tmpl[0].startswith("a {c}"):
                en = f"{article(cw[0])} {cw[0]}{tmpl[0][5:]}"
            elif tmpl[0].startswith("a "):
                rest = tmpl[0][2:].format(c=cw[0])
                en = f"{article(rest)} {rest}"
            else:
                en = tmpl[0].format(c=cw[0])
            ja = tmpl[2].format(c=cw[2])
            ko = tmpl[1].format(c=cw[1])
            zh = tmpl[3].format(c=cw[3])
            desc = {"en": en, "ko": ko, "ja": ja, "zh-TW": zh}

            def draw(fn=fn, c=BG_RGB[cname], c2=BG_RGB[c2name]):
                return fn(c, c2)
            out.append((draw, desc))
    return out


# ----------------------------------------------------------------------------
# registry, catalogue, rendering
# ----------------------------------------------------------------------------

HAIR_COLORS = [
    ("strawberry", (255, 140, 172), ("strawberry pink", "딸기 핑크", "いちごピンク", "草莓粉")),
    ("mint", (140, 228, 200), ("mint", "민트", "ミント", "薄荷綠")),
    ("blueberry", (110, 130, 232), ("blueberry", "블루베리", "ブルーベリー", "藍莓色")),
    ("chocolate", (124, 78, 54), ("chocolate", "초콜릿", "チョコレート", "巧克力色")),
    ("vanilla", (255, 236, 186), ("vanilla", "바닐라", "バニラ", "香草色")),
    ("caramel", (222, 152, 82), ("caramel", "캐러멜", "キャラメル", "焦糖色")),
    ("lemon", (255, 226, 96), ("lemon", "레몬", "レモン", "檸檬黃")),
    ("cherry", (222, 56, 76), ("cherry", "체리", "チェリー", "櫻桃紅")),
    ("grape", (162, 104, 212), ("grape", "포도", "グレープ", "葡萄紫")),
    ("cotton_candy", (140, 200, 255), ("cotton-candy blue", "솜사탕 블루", "わたあめブルー", "棉花糖藍")),
    ("matcha", (132, 172, 92), ("matcha", "말차", "抹茶", "抹茶綠")),
    ("licorice", (62, 56, 68), ("licorice black", "감초 블랙", "リコリスブラック", "甘草黑")),
    ("cinnamon", (172, 98, 62), ("cinnamon", "시나몬", "シナモン", "肉桂色")),
    ("peach", (255, 182, 144), ("peach", "복숭아", "ピーチ", "蜜桃色")),
    ("snow", (250, 250, 255), ("snow white", "스노우 화이트", "スノーホワイト", "雪白色")),
]

CATEGORY_META = [
    # id, required, tinted, opaque, names
    ("background", False, False, True, D("background", "배경", "背景", "背景")),
    ("back_hair", False, True, False, D("back hair", "뒷머리", "うしろ髪", "後髮")),
    ("body", True, False, False, D("outfit", "옷", "ふく", "服裝")),
    ("face", True, False, False, D("face", "얼굴", "かお", "臉")),
    ("face_paint", False, False, False, D("face paint", "페이스 페인팅", "フェイスペイント", "臉部彩繪")),
    ("eyes", True, False, False, D("eyes", "눈", "め", "眼睛")),
    ("mouth", True, False, False, D("mouth", "입", "くち", "嘴巴")),
    ("front_hair", True, True, False, D("front hair", "앞머리", "まえ髪", "瀏海")),
    ("glasses", False, False, False, D("glasses", "안경", "めがね", "眼鏡")),
    ("crown", False, False, False, D("headwear", "머리 장식", "かざり", "頭飾")),
    ("sticker", False, False, False, D("sticker", "스티커", "ステッカー", "貼紙")),
]

EXPECTED_COUNTS = {"background": 48, "back_hair": 28, "body": 8, "face": 8, "face_paint": 20, "eyes": 10,
                   "mouth": 13, "front_hair": 21, "glasses": 26, "crown": 26, "sticker": 88}

SAFE_X0, SAFE_X1 = 140, 860

# ----------------------------------------------------------------------------
# curation: draw odds, compatibility rules and colour grammar (catalog data only,
# no pixels; service/odds.py and service/alt_text.py read them from the catalog)
# ----------------------------------------------------------------------------

# Probability that an optional category is absent: glasses, headwear, face paint and
# stickers each on roughly 35-50% of cookies (they were on 95-99%).
NONE_ODDS = {"background": 0.02, "back_hair": 0.2, "face_paint": 0.6, "glasses": 0.6, "crown": 0.55,
             "sticker": 0.55}

# Relative weights (default 1): sad or hidden expressions are rarer on a celebration card.
WEIGHTS = {
    ("eyes", 8): 0.5,         # squeezed-shut eyes
    ("eyes", 9): 0.35,        # shiny teary eyes
    ("mouth", 9): 0.5,        # wobbly nervous mouth
    ("mouth", 12): 0.25,      # little pout (the frown)
    ("face_paint", 5): 0.5,   # cheek bandage
    ("face_paint", 14): 0.2,  # teardrop marks
    ("face_paint", 15): 0.5,  # bandage on the nose
    ("glasses", 12): 0.5, ("glasses", 13): 0.5,  # sunglasses
    ("glasses", 18): 0.5, ("glasses", 19): 0.5,  # 3D glasses
}

HATS = ["04", "05", "12", "13", "14", "15", "20", "21", "22", "23", "24", "25"]  # party, beret, beanie,
                                                                               # witch, top, chef
RULES = [
    {"id": "buns_under_hats", "never": {"front_hair": ["05", "06", "15", "17"], "crown": HATS},
     "why": "twin buns, a high ponytail, a soft-serve swirl and a top knot poke through hats and berets"},
    {"id": "expressive_eyes_not_hidden", "never": {"glasses": ["12", "13", "18", "19"],
                                                  "eyes": ["01", "02", "03", "05", "06", "08", "09"]},
     "why": "sunglasses and 3D glasses cover the eyes fully: only plain eyes go under them"},
    {"id": "hair_stands_out_from_face", "min_delta_e": 20, "between": ["hair_color", "face"],
     "why": "hair nearly the colour of the dough reads as a bald cookie (CIE76 dE*ab under 20)"},
]

# Hair colours as a modifier before a noun, per language (names are the colour on its own).
HAIR_ADJECTIVES = {
    "strawberry": ("strawberry-pink", "딸기 핑크", "いちごピンクの", "草莓粉"),
    "mint": ("mint", "민트색", "ミント色の", "薄荷綠"),
    "blueberry": ("blueberry", "블루베리색", "ブルーベリー色の", "藍莓色"),
    "chocolate": ("chocolate", "초콜릿색", "チョコレート色の", "巧克力色"),
    "vanilla": ("vanilla", "바닐라색", "バニラ色の", "香草色"),
    "caramel": ("caramel", "캐러멜색", "キャラメル色の", "焦糖色"),
    "lemon": ("lemon", "레몬색", "レモン色の", "檸檬黃"),
    "cherry": ("cherry", "체리색", "チェリー色の", "櫻桃紅"),
    "grape": ("grape", "포도색", "グレープ色の", "葡萄紫"),
    "cotton_candy": ("cotton-candy-blue", "솜사탕 블루", "わたあめブルーの", "棉花糖藍"),
    "matcha": ("matcha", "말차색", "抹茶色の", "抹茶綠"),
    "licorice": ("licorice-black", "감초 블랙", "リコリスブラックの", "甘草黑"),
    "cinnamon": ("cinnamon", "시나몬색", "シナモン色の", "肉桂色"),
    "peach": ("peach", "복숭아색", "ピーチ色の", "蜜桃色"),
    "snow": ("snow-white", "스노우 화이트", "スノーホワイトの", "雪白色"),
}

# Each hair variant with a {color} slot where its language puts a colour (alt text).
COLORED = {
    "front_hair": [
        D("blunt {color} bob bangs", "{color} 일자 단발 앞머리", "{color}ぱっつん前髪", "{color}齊瀏海"),
        D("side-swept {color} bangs", "옆으로 넘긴 {color} 앞머리", "{color}流し前髪", "{color}側分斜瀏海"),
        D("spiky {color} hair", "삐죽삐죽한 {color} 머리", "{color}ツンツンヘア", "{color}刺刺頭"),
        D("curly {color} hair", "{color} 곱슬머리", "{color}くるくるカールヘア", "{color}捲捲頭"),
        D("wispy {color} bangs with an ahoge", "{color} 더듬이 머리", "アホ毛つきの{color}前髪", "帶呆毛的{color}瀏海"),
        D("{color} twin buns", "{color} 양쪽 똥머리", "{color}おだんごツイン", "{color}雙丸子頭"),
        D("{color} hair in a high ponytail", "{color} 하이 포니테일", "高い{color}ポニーテール", "{color}高馬尾"),
        D("center-parted {color} hair", "{color} 가르마 머리", "{color}センター分け", "{color}中分髮型"),
        D("messy short {color} hair", "부스스한 {color} 짧은 머리", "{color}ぼさぼさショート", "{color}蓬亂短髮"),
        D("a {color} pompadour", "{color} 퐁파두르 머리", "{color}ポンパドール", "{color}飛機頭"),
        D("pointed {color} anime bangs", "뾰족한 {color} 앞머리", "{color}とんがり前髪", "尖尖的{color}瀏海"),
        D("choppy {color} bangs", "삐뚤빼뚤한 {color} 앞머리", "{color}ぎざぎざ前髪", "{color}參差瀏海"),
        D("a {color} bowl cut", "{color} 바가지 머리", "{color}マッシュルームカット", "{color}西瓜皮髮型"),
        D("wavy {color} hair", "{color} 웨이브 머리", "{color}ふんわりウェーブ", "{color}波浪捲髮"),
        D("{color} curtain bangs", "{color} 시스루 가르마 앞머리", "{color}かきあげセンターパート", "{color}八字瀏海"),
        D("a {color} soft-serve swirl", "{color} 소프트아이스크림 회오리 머리", "ソフトクリームみたいな{color}巻き髪",
          "{color}霜淇淋漩渦頭"),
        D("{color} cat-ear hair", "{color} 고양이 귀 머리", "{color}ねこ耳ヘア", "{color}貓耳髮型"),
        D("a {color} top knot", "{color} 정수리 똥머리", "{color}てっぺんおだんご", "{color}頭頂丸子"),
        D("{color} hime-cut hair", "{color} 히메컷", "{color}姫カット", "{color}公主切"),
        D("{color} bangs with a heart ahoge", "{color} 하트 더듬이 머리", "{color}ハートのアホ毛", "{color}愛心呆毛"),
        D("fluffy {color} cloud hair", "구름처럼 폭신한 {color} 머리", "{color}ふわふわ雲ヘア", "{color}蓬鬆雲朵頭"),
    ],
    "back_hair": [
        D("long straight {color} hair", "긴 {color} 생머리", "{color}ロングストレート", "{color}長直髮"),
        D("shoulder-length {color} hair", "어깨 길이의 {color} 머리", "肩までの{color}髪", "{color}及肩髮"),
        D("long wavy {color} hair", "긴 {color} 웨이브 머리", "{color}ロングウェーブ", "{color}長波浪髮"),
        D("low {color} pigtails", "낮게 묶은 {color} 양갈래", "低めの{color}おさげ", "{color}低雙馬尾"),
        D("high {color} twin tails", "높게 묶은 {color} 트윈테일", "高い{color}ツインテール", "{color}高雙馬尾"),
        D("{color} twin braids", "양갈래로 땋은 {color} 머리", "{color}二つ編み", "{color}雙麻花辮"),
        D("a {color} side braid", "옆으로 땋은 {color} 머리", "サイドの{color}三つ編み", "{color}側邊麻花辮"),
        D("a rounded {color} bob", "동글동글한 {color} 단발", "まるい{color}ボブ", "圓圓的{color}鮑伯頭"),
        D("a big fluffy cloud of {color} hair", "구름같이 풍성한 {color} 머리", "もこもこの雲みたいな{color}髪",
          "蓬鬆的{color}雲朵長髮"),
        D("a swishy {color} ponytail", "찰랑이는 {color} 포니테일", "ゆれる{color}ポニーテール", "搖擺的{color}馬尾"),
        D("a {color} side ponytail", "옆으로 묶은 {color} 포니테일", "{color}サイドポニーテール", "{color}側馬尾"),
        D("{color} ringlet twin tails", "돌돌 말린 {color} 트윈테일", "{color}くるくる縦ロール", "{color}螺旋捲雙馬尾"),
        D("flipped-out {color} ends", "바깥으로 뻗친 {color} 머리", "{color}外ハネヘア", "{color}外翹短髮"),
        D("spiky {color} back hair", "삐죽한 {color} 뒷머리", "ツンツンの{color}後ろ髪", "刺刺的{color}後髮"),
        D("very long {color} hair", "아주 긴 {color} 머리", "とても長い{color}髪", "{color}超長髮"),
        D("twin {color} hair loops", "{color} 양쪽 고리 머리", "ループの{color}結い髪", "{color}雙環髮髻"),
        D("layered {color} hair", "{color} 레이어드 컷", "{color}レイヤーカット", "{color}層次剪髮"),
        D("long {color} hime-cut hair", "긴 {color} 히메컷", "ロングの{color}姫カット", "{color}長公主切"),
        D("short fluffy {color} hair", "짧고 폭신한 {color} 머리", "{color}ふわふわショート", "{color}蓬鬆短髮"),
        D("a wild {color} lion mane", "{color} 사자 갈기 머리", "{color}ライオンのたてがみヘア", "{color}獅子鬃毛頭"),
        D("long curly {color} hair", "긴 {color} 곱슬머리", "{color}ロングカール", "{color}長捲髮"),
        D("{color} bubble braids", "{color} 버블 땋은 머리", "{color}バブルおさげ", "{color}泡泡辮"),
        D("short {color} pigtails", "짧은 {color} 양갈래", "ちょこんとした{color}おさげ", "{color}短雙馬尾"),
        D("{color} twin tails with curled ends", "끝이 말린 {color} 트윈테일", "毛先くるんの{color}ツインテール",
          "髮尾捲捲的{color}雙馬尾"),
        D("wind-swept {color} hair", "바람에 날리는 {color} 머리", "風になびく{color}髪", "隨風飄逸的{color}頭髮"),
        D("{color} mermaid waves", "{color} 인어 웨이브", "{color}マーメイドウェーブ", "{color}美人魚大波浪"),
        D("scruffy short {color} hair", "덥수룩한 {color} 짧은 머리", "{color}無造作ショート", "{color}亂翹短髮"),
        D("fluffy {color} pom-pom pigtails", "폭신한 {color} 방울 양갈래", "{color}もこもこぽんぽんおさげ",
          "{color}蓬蓬球雙馬尾"),
    ],
}

_REGISTRY = None


def registry():
    """{category: [(kind, fn, describe), ...]}; kind in {'bg', 'pen', 'rng', 'canvas'}."""
    global _REGISTRY
    if _REGISTRY is not None:
        return _REGISTRY
    reg = {}
    reg["background"] = [("bg", fn, d) for fn, d in build_backgrounds()]
    reg["back_hair"] = [("rng", fn, d) for fn, d in BACK_HAIR]
    reg["body"] = [("pen", (lambda pen, fn=fn, c=c: fn(pen, c)), d) for fn, c, d in BODIES]
    reg["face"] = [("pen", (lambda pen, dough=dough, shape=shape: draw_face(pen, dough, shape)), d) for dough, shape, d in FACES]
    reg["face_paint"] = [("pen", fn, d) for fn, d in FACE_PAINT]
    reg["eyes"] = [("pen", fn, d) for fn, d in EYES]
    reg["mouth"] = [("pen", fn, d) for fn, d in MOUTHS]
    reg["front_hair"] = [("rng", fn, d) for fn, d in FRONT_HAIR]
    reg["glasses"] = [("pen", fn, d) for fn, d in build_glasses()]
    reg["crown"] = [("pen", fn, d) for fn, d in build_crowns()]
    reg["sticker"] = [("canvas", fn, d) for fn, d in build_stickers()]
    for cat, n in EXPECTED_COUNTS.items():
        assert len(reg[cat]) == n, (cat, len(reg[cat]), n)
    for cat, patterns in COLORED.items():
        assert len(patterns) == len(reg[cat]), (cat, len(patterns), len(reg[cat]))
    _REGISTRY = reg
    return reg


def render(cat, idx):
    kind, fn, _ = registry()[cat][idx]
    if kind == "bg":
        big = fn()
        return big.resize((CW, CW), Image.LANCZOS).convert("RGBA")
    im, pen = new_canvas()
    if kind == "pen":
        fn(pen)
    elif kind == "rng":
        fn(pen, random.Random(f"{cat}-{idx:02d}"))
    else:
        fn(im)
    return finish(im)


def render_task(task):
    cat, idx = task
    t0 = time.perf_counter()
    im = render(cat, idx)
    problems = []
    if cat == "background":
        if im.getchannel("A").getextrema() != (255, 255):
            problems.append("background is not opaque")
    else:
        a = np.asarray(im.getchannel("A"))
        if a[:, :SAFE_X0].any() or a[:, SAFE_X1:].any():
            problems.append(f"alpha outside x in [{SAFE_X0}, {SAFE_X1}]")
        if not a.any():
            problems.append("empty")
    out = PARTS_DIR / cat / f"{idx:02d}.png"
    im.save(out, optimize=True)
    return cat, idx, out.stat().st_size, time.perf_counter() - t0, problems


def build_catalog():
    reg = registry()
    cats = []
    for cid, required, tinted, opaque, names in CATEGORY_META:
        variants = []
        for i, (_, _, desc) in enumerate(reg[cid]):
            variant = {"id": f"{i:02d}", "file": f"parts/{cid}/{i:02d}.png",
                       "describe": {k: desc[k] for k in LANGS}}
            if cid in COLORED:
                variant["describe_colored"] = {k: COLORED[cid][i][k] for k in LANGS}
            if cid == "face":  # the dough's base colour, for the hair/face contrast rule
                variant["color"] = list(DOUGHS[FACES[i][0]][0])
            if (cid, i) in WEIGHTS:
                variant["weight"] = WEIGHTS[cid, i]
            variants.append(variant)
        category = {"id": cid, "required": required, "tinted": tinted, "opaque": opaque,
                    "names": {k: names[k] for k in LANGS}}
        if cid in NONE_ODDS:
            category["none"] = NONE_ODDS[cid]
        category["variants"] = variants
        cats.append(category)
    return {
        "canvas": {"width": CW, "height": CW},
        "hair_colors": [{"id": hid, "rgb": list(rgb), "names": dict(zip(LANGS, nm)),
                         "adjective": dict(zip(LANGS, HAIR_ADJECTIVES[hid]))} for hid, rgb, nm in HAIR_COLORS],
        "categories": cats,
        "rules": RULES,
        # Hair is drawn in greyscale with its line art at H_OUT: tones up to there keep the
        # dark-brown outline of every other part, tones from 150 (strand lines and fills)
        # take the hair colour, anti-aliased tones between are blended.
        "hair_outline": {"rgb": list(OUT[:3]), "tones": [H_OUT[0], 150]},
    }


def combinations(catalog):
    total = 1
    for c in catalog["categories"]:
        n = len(c["variants"])
        total *= n if c["required"] else n + 1
    return total * len(catalog["hair_colors"])


def main(argv=None):
    import multiprocessing as mp
    import os

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--only", nargs="*", help="render only these categories (catalog is always written)")
    ap.add_argument("--catalog-only", action="store_true", help="write catalog.json, render no art")
    args = ap.parse_args(argv)
    if args.catalog_only:
        CATALOG.write_text(json.dumps(build_catalog(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {CATALOG.name}")
        return 0

    t0 = time.perf_counter()
    reg = registry()
    cats = [c[0] for c in CATEGORY_META]
    todo = args.only or cats
    for c in todo:
        if c not in reg:
            ap.error(f"unknown category {c}")
    tasks = []
    for c in todo:
        d = PARTS_DIR / c
        d.mkdir(parents=True, exist_ok=True)
        for old in d.glob("*.png"):
            old.unlink()
        tasks += [(c, i) for i in range(len(reg[c]))]
    # heavy categories first for better load balance
    weight = {"sticker": 0, "background": 1}
    tasks.sort(key=lambda t: (weight.get(t[0], 2), t))

    results = []
    if args.jobs > 1:
        with mp.get_context("fork" if hasattr(os, "fork") else "spawn").Pool(args.jobs) as pool:
            for r in pool.imap_unordered(render_task, tasks, chunksize=2):
                results.append(r)
    else:
        results = [render_task(t) for t in tasks]

    problems = [(c, i, p) for c, i, _, _, ps in results for p in ps]
    catalog = build_catalog()
    CATALOG.write_text(json.dumps(catalog, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    size = sum(r[2] for r in results)
    by_cat = {}
    for c, _, sz, _, _ in results:
        by_cat[c] = by_cat.get(c, 0) + sz
    for c in todo:
        print(f"  {c:<11} {len(reg[c]):>3} parts  {by_cat.get(c, 0) / 1e6:6.2f} MB")
    print(f"wrote {len(results)} parts ({size / 1e6:.2f} MB) + {CATALOG.name} in {time.perf_counter() - t0:.1f}s; "
          f"{combinations(catalog):,} combinations before the rules (citizen-atlas stats counts distinct cookies)")
    for c, i, p in sorted(problems):
        print(f"WARNING {c}/{i:02d}: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
