"""Backgrounds (opaque): a pattern in two pastel colours, drawn on a whole 2x image."""
from __future__ import annotations

import math
import random
from functools import partial

import numpy as np
from PIL import Image

from .canvas import SUPERSAMPLE, WORK_SIZE, Pen
from .geometry import HX, HY, capsule, cloud_pts, ell, heart_pts, star_pts, xform
from .variants import Category, Variant


BG_RGB = {
    "pink": (255, 214, 226), "peach": (255, 222, 200), "lemon": (255, 243, 188), "mint": (198, 240, 220),
    "skyblue": (198, 228, 252), "lavender": (222, 214, 252), "cream": (255, 244, 222), "coral": (255, 204, 194),
    "aqua": (194, 238, 238), "lilac": (238, 214, 246), "sakura": (255, 228, 236), "pistachio": (222, 240, 198),
}


def lerp3(a, b, t):
    return tuple(a[i] + (b[i] - a[i]) * t for i in range(3))


def gradient_image(stops):
    """Vertical gradient from [(t, rgb), ...] at working resolution."""
    ys = np.linspace(0.0, 1.0, WORK_SIZE)
    ts = [t for t, _ in stops]
    cols = np.array([c for _, c in stops], np.float64)
    out = np.empty((WORK_SIZE, 3))
    for ch in range(3):
        out[:, ch] = np.interp(ys, ts, cols[:, ch])
    arr = np.repeat(np.round(out).astype(np.uint8)[:, None, :], WORK_SIZE, axis=1)
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
    idx = np.arange(WORK_SIZE) // (w * SUPERSAMPLE)
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
    for (x, y, s) in ((230, 120, 1.1), (790, 250, 0.9), (170, 540, 1.0), (830, 690, 1.2), (380, 930, 1.0),
                      (640, 50, 0.7)):
        pts = xform(cloud_pts(), x, y, s * 1.6)
        pen.fill(pts, white)
    return im


def bg_sunburst(c, c2):
    im = Image.new("RGB", (WORK_SIZE, WORK_SIZE), rgb_int(lerp3(c, (255, 255, 255), 0.15)))
    pen = Pen(im)
    light = rgb_int(lerp3(c, (255, 255, 255), 0.55))
    n = 28
    for k in range(0, n, 2):
        a0 = math.radians(k * 360 / n)
        a1 = math.radians((k + 1) * 360 / n)
        pen.fill([(HX, HY), (HX + 2000 * math.cos(a0), HY + 2000 * math.sin(a0)),
                  (HX + 2000 * math.cos(a1), HY + 2000 * math.sin(a1))], light)
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


# (id, pattern, colour, second colour)
CATEGORY = Category("background", "opaque", tuple(Variant(vid, partial(pattern, BG_RGB[c], BG_RGB[c2]))
                                                  for vid, pattern, c, c2 in (
    ("00", bg_gradient, "pink", "skyblue"),
    ("01", bg_gradient, "mint", "coral"),
    ("02", bg_gradient, "cream", "sakura"),
    ("03", bg_gradient, "lilac", "peach"),
    ("04", bg_dots, "lavender", "lilac"),
    ("05", bg_dots, "aqua", "pink"),
    ("06", bg_dots, "pistachio", "mint"),
    ("07", bg_dots, "lemon", "cream"),
    ("08", bg_stripes, "sakura", "lemon"),
    ("09", bg_stripes, "peach", "lavender"),
    ("10", bg_stripes, "skyblue", "aqua"),
    ("11", bg_stripes, "coral", "pistachio"),
    ("12", bg_diagonal, "mint", "coral"),
    ("13", bg_diagonal, "cream", "sakura"),
    ("14", bg_diagonal, "lilac", "peach"),
    ("15", bg_diagonal, "pink", "skyblue"),
    ("16", bg_gingham, "aqua", "pink"),
    ("17", bg_gingham, "pistachio", "mint"),
    ("18", bg_gingham, "lemon", "cream"),
    ("19", bg_gingham, "lavender", "lilac"),
    ("20", bg_starry, "peach", "lavender"),
    ("21", bg_starry, "skyblue", "aqua"),
    ("22", bg_starry, "coral", "pistachio"),
    ("23", bg_starry, "sakura", "lemon"),
    ("24", bg_clouds, "cream", "sakura"),
    ("25", bg_clouds, "lilac", "peach"),
    ("26", bg_clouds, "pink", "skyblue"),
    ("27", bg_clouds, "mint", "coral"),
    ("28", bg_sunburst, "pistachio", "mint"),
    ("29", bg_sunburst, "lemon", "cream"),
    ("30", bg_sunburst, "lavender", "lilac"),
    ("31", bg_sunburst, "aqua", "pink"),
    ("32", bg_hearts, "skyblue", "aqua"),
    ("33", bg_hearts, "coral", "pistachio"),
    ("34", bg_hearts, "sakura", "lemon"),
    ("35", bg_hearts, "peach", "lavender"),
    ("36", bg_sprinkles, "lilac", "peach"),
    ("37", bg_sprinkles, "pink", "skyblue"),
    ("38", bg_sprinkles, "mint", "coral"),
    ("39", bg_sprinkles, "cream", "sakura"),
    ("40", bg_waves, "lemon", "cream"),
    ("41", bg_waves, "lavender", "lilac"),
    ("42", bg_waves, "aqua", "pink"),
    ("43", bg_waves, "pistachio", "mint"),
    ("44", bg_bubbles, "coral", "pistachio"),
    ("45", bg_bubbles, "sakura", "lemon"),
    ("46", bg_bubbles, "peach", "lavender"),
    ("47", bg_bubbles, "skyblue", "aqua"),
)))
