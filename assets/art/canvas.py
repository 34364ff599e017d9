"""Drawing surfaces: every part is drawn at 2x on a transparent canvas and downsampled.

A ``Pen`` takes coordinates in output pixels (the 1000x1000 part canvas) and draws them
onto the supersampled image, so the drawing code never sees the working resolution.
``finish`` downsamples in premultiplied alpha, so edges get no dark fringes.
"""
from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageChops, ImageDraw

from .geometry import CANVAS_SIZE, ell
from .palette import OUTLINE, OUTLINE_WIDTH


SUPERSAMPLE = 2  # supersampling factor
WORK_SIZE = CANVAS_SIZE * SUPERSAMPLE  # working canvas size


class Pen:
    """Draws output-pixel geometry onto a supersampled RGBA image.

    (ox, oy) is the output-pixel coordinate of the image's top-left corner."""

    def __init__(self, im, ox=0.0, oy=0.0):
        self.im = im
        self.d = ImageDraw.Draw(im)
        self.ox, self.oy = ox, oy

    def P(self, pts):
        ox, oy = self.ox, self.oy
        return [((x - ox) * SUPERSAMPLE, (y - oy) * SUPERSAMPLE) for x, y in pts]

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

    def poly(self, pts, fill=None, ow=OUTLINE_WIDTH, oc=OUTLINE):
        """Filled polygon with an outline of width `ow` drawn outside it."""
        q = self.P(pts)
        if ow and oc is not None:
            self._wide(q, oc, 2 * ow * SUPERSAMPLE, True)
        if fill is not None:
            self.d.polygon(q, fill=fill)

    def fill(self, pts, fill):
        self.d.polygon(self.P(pts), fill=fill)

    def stroke(self, pts, color=OUTLINE, w=OUTLINE_WIDTH, closed=False):
        self._wide(self.P(pts), color, w * SUPERSAMPLE, closed)

    def circle(self, cx, cy, r, fill, ow=0, oc=OUTLINE):
        if ow:
            self.poly(ell(cx, cy, r), fill, ow, oc)
        else:
            x, y = (cx - self.ox) * SUPERSAMPLE, (cy - self.oy) * SUPERSAMPLE
            self.d.ellipse((x - r * SUPERSAMPLE, y - r * SUPERSAMPLE, x + r * SUPERSAMPLE, y + r * SUPERSAMPLE),
                           fill=fill)

    def oval(self, cx, cy, rx, ry, fill, ow=0, oc=OUTLINE, rot=0.0):
        if ow or rot:
            self.poly(ell(cx, cy, rx, ry, rot=rot), fill, ow, oc)
        else:
            x, y = (cx - self.ox) * SUPERSAMPLE, (cy - self.oy) * SUPERSAMPLE
            self.d.ellipse((x - rx * SUPERSAMPLE, y - ry * SUPERSAMPLE, x + rx * SUPERSAMPLE, y + ry * SUPERSAMPLE),
                           fill=fill)

    # layers -----------------------------------------------------------
    def sub(self, bbox=None):
        if bbox is None:
            x0, y0 = self.ox, self.oy
            x1, y1 = x0 + self.im.width / SUPERSAMPLE, y0 + self.im.height / SUPERSAMPLE
        else:
            x0, y0, x1, y1 = bbox
            x0 = max(math.floor(x0), self.ox)
            y0 = max(math.floor(y0), self.oy)
            x1 = min(math.ceil(x1), self.ox + self.im.width / SUPERSAMPLE)
            y1 = min(math.ceil(y1), self.oy + self.im.height / SUPERSAMPLE)
        w, h = max(1, int((x1 - x0) * SUPERSAMPLE)), max(1, int((y1 - y0) * SUPERSAMPLE))
        return Pen(Image.new("RGBA", (w, h), (0, 0, 0, 0)), x0, y0)

    def merge(self, sub, clip=None, opacity=1.0, clip_alpha=False):
        """Composite a sub layer back, optionally clipped to polygon(s) or to
        the alpha already present on this image."""
        im = sub.im
        dx, dy = int(round((sub.ox - self.ox) * SUPERSAMPLE)), int(round((sub.oy - self.oy) * SUPERSAMPLE))
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
    im = Image.new("RGBA", (WORK_SIZE, WORK_SIZE), (0, 0, 0, 0))
    return im, Pen(im)


def finish(im):
    """Downsample a 2x RGBA canvas to output size without dark fringes."""
    out = im.convert("RGBa").resize((CANVAS_SIZE, CANVAS_SIZE), Image.LANCZOS).convert("RGBA")
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
