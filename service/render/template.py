"""Bake the per-language card template: everything on the card that no request changes.

Used at build time (scale 1, stored raw in the atlas) and by the reference renderer at
print scale, so both paths start from the same drawing. The shapes (frame, header, portrait
border, sprinkles, seal) are drawn at SUPERSAMPLE x the card's size and downsampled, so their
edges are anti-aliased (ImageDraw's shapes are not); it costs nothing per card, since the
template is baked once. The fixed text is drawn after, at the card's size, by the same text
code as the fields (FreeType anti-aliases and hints it at its real size).
"""

from __future__ import annotations

import math

from PIL import Image, ImageDraw

from service.atlas.sections import Decoration, Layout, Texts, TextLine
from service.render.text import TextPainter

SUPERSAMPLE = 4  # the shapes' resolution over the card's at scale 1 (at print scales, up to 4x the card)
DOUGH_LINE = (120, 68, 34)  # the dark-brown line art of the parts, for the frame's and the seal's outlines
CROWN_GOLD = (255, 204, 92)


class _Pen:
    """ImageDraw in card coordinates, at `s` pixels per card pixel."""

    def __init__(self, image: Image.Image, s: float) -> None:
        self.draw, self.s = ImageDraw.Draw(image), s

    def box(self, x: float, y: float, w: float, h: float) -> list[int]:
        s = self.s
        return [round(x * s), round(y * s), round((x + w) * s) - 1, round((y + h) * s) - 1]

    def rounded(self, x, y, w, h, radius, fill=None, outline=None, width=0.0) -> None:
        self.draw.rounded_rectangle(self.box(x, y, w, h), radius=round(radius * self.s), fill=fill, outline=outline,
                                    width=max(1, round(width * self.s)) if outline else 0)

    def disc(self, cx, cy, r, fill=None, outline=None, width=0.0) -> None:
        self.rounded(cx - r, cy - r, 2 * r, 2 * r, r, fill, outline, width)

    def polygon(self, points, fill, outline=None, width=0.0) -> None:
        scaled = [(round(x * self.s), round(y * self.s)) for x, y in points]
        self.draw.polygon(scaled, fill=fill, outline=outline, width=max(1, round(width * self.s)) if outline else 1)

    def line(self, points, fill, width) -> None:
        scaled = [(round(x * self.s), round(y * self.s)) for x, y in points]
        self.draw.line(scaled, fill=fill, width=max(1, round(width * self.s)), joint="curve")
        for x, y in points[:: len(points) - 1]:  # round caps
            self.disc(x, y, width / 2, fill=fill)


def _mix(colour, other, t: float) -> tuple[int, ...]:
    return tuple(round(a + (b - a) * t) for a, b in zip(colour, other))


def draw_template(layout: Layout, texts: Texts, painter: TextPainter) -> Image.Image:
    s = painter.scale
    supersample = max(1, round(SUPERSAMPLE / s))
    size = (round(layout.width * s), round(layout.height * s))
    big = Image.new("RGB", (size[0] * supersample, size[1] * supersample), layout.background)
    _draw_shapes(_Pen(big, s * supersample), layout)
    image = big.resize(size, Image.Resampling.BOX) if supersample > 1 else big
    draw = ImageDraw.Draw(image)

    def line(text: str, spec: TextLine, x: int, anchor: str = "ls") -> None:
        painter.draw(draw, text, x, spec.baseline, weight=spec.weight, size=spec.size, color=spec.color,
                     anchor=anchor)

    line(texts.title, layout.title, layout.title.x)
    line(texts.subtitle, layout.subtitle, layout.subtitle.right, anchor="rs")
    label = layout.label
    for field, spec in layout.fields.items():
        painter.draw(draw, texts.labels[field], spec.x, spec.label_baseline, weight=label.weight,
                     size=label.size, color=label.color)
    line(texts.footer, layout.footer, layout.footer.x)
    return image


def _draw_shapes(pen: _Pen, layout: Layout) -> None:
    look = layout.decoration
    _draw_frame(pen, layout)
    hx, hy, hw, hh = look.header_box
    pen.rounded(hx, hy, hw, hh, look.header_radius, fill=look.header_color)

    portrait = layout.portrait
    px, py, pw, ph = portrait.box
    border = portrait.border_width
    pen.rounded(px - border, py - border, pw + 2 * border, ph + 2 * border, border * 2.5, fill=portrait.border_color)
    pen.rounded(px - border / 2, py - border / 2, pw + border, ph + border, border * 2,
                fill=_mix(portrait.border_color, look.frame_color, 0.55))
    pen.draw.rectangle(pen.box(px, py, pw, ph), fill=portrait.background)

    for (x, y, w, h), colour in look.rules:
        pen.draw.rectangle(pen.box(x, y, w, h), fill=colour)
    _draw_sprinkles(pen, look)
    _draw_seal(pen, look)


def _draw_frame(pen: _Pen, layout: Layout) -> None:
    """A shortbread border: a golden band with a dark edge and a row of docking holes."""
    look = layout.decoration
    inset, width, radius = look.frame_inset, look.frame_width, look.frame_radius
    w, h = layout.width - 2 * inset, layout.height - 2 * inset
    pen.rounded(inset, inset, w, h, radius, fill=_mix(look.frame_color, DOUGH_LINE, 0.45))
    pen.rounded(inset + 1.5, inset + 1.5, w - 3, h - 3, radius - 1.5, fill=look.frame_color)
    pen.rounded(inset + width - 1.5, inset + width - 1.5, w - 2 * width + 3, h - 2 * width + 3, radius - width,
                fill=_mix(look.frame_color, DOUGH_LINE, 0.45))
    pen.rounded(inset + width, inset + width, w - 2 * width, h - 2 * width, radius - width, fill=layout.background)
    hole, middle = _mix(look.frame_color, DOUGH_LINE, 0.3), inset + width / 2
    step, straight_x, straight_y = 30, (inset + radius, layout.width - inset - radius), \
        (inset + radius, layout.height - inset - radius)
    for along, (lo, hi) in (("x", straight_x), ("y", straight_y)):
        count = int((hi - lo) // step)
        for i in range(count + 1):
            t = lo + (hi - lo) * i / count
            for edge in (middle, (layout.height if along == "x" else layout.width) - middle):
                x, y = (t, edge) if along == "x" else (edge, t)
                pen.disc(x, y, 1.8, fill=hole)


def _draw_sprinkles(pen: _Pen, look: Decoration) -> None:
    """A row of candy sprinkles: evenly spaced, angles and colours in a fixed pattern."""
    x0, y0, w, h = look.sprinkles_box
    half, count, colours = look.sprinkles_length / 2, look.sprinkles_count, look.sprinkles_colors
    for i in range(count):
        cx = x0 + half + i * (w - 2 * half) / (count - 1)
        cy = y0 + h / 2 + (h / 4 if i % 2 else -h / 4)
        angle = math.radians((35, -30, 70, -60, 10)[i % 5])
        dx, dy = half * math.cos(angle), half * math.sin(angle)
        pen.line([(cx - dx, cy - dy), (cx + dx, cy + dy)], colours[(i * 3) % len(colours)], look.sprinkles_width)


def _scallops(cx: float, cy: float, r: float, bumps: int, depth: float) -> list[tuple[float, float]]:
    """A cookie's fluted edge: a circle whose radius swells `bumps` times around."""
    return [(cx + (r - depth * (1 - abs(math.cos(math.pi * bumps * i / 360)))) * math.cos(math.radians(i / 2)),
             cy + (r - depth * (1 - abs(math.cos(math.pi * bumps * i / 360)))) * math.sin(math.radians(i / 2)))
            for i in range(720)]


def _draw_seal(pen: _Pen, look: Decoration) -> None:
    """The Royal Oven's seal: a fluted shortbread with ribbon tails, docking holes and the crown."""
    cx, cy = look.seal_center
    r, ribbon = look.seal_radius, look.seal_color
    for side in (-1, 1):  # the ribbon tails, notched, behind the cookie
        tail = [(cx + side * r * 0.18, cy + r * 0.2), (cx + side * r * 0.62, cy + r * 0.45),
                (cx + side * r * 0.78, cy + r * 1.12), (cx + side * r * 0.56, cy + r * 0.98),
                (cx + side * r * 0.42, cy + r * 1.18), (cx + side * r * 0.05, cy + r * 0.5)]
        pen.polygon(tail, ribbon, DOUGH_LINE, 2.5)
    dough, crust = (236, 184, 110), (214, 150, 78)
    # the fluted edge's outline as a fill under a smaller fill (a stroked 720-point polygon frays)
    pen.polygon(_scallops(cx, cy, r, 14, r * 0.08), DOUGH_LINE)
    pen.polygon(_scallops(cx, cy, r - 2.5, 14, r * 0.08), crust)
    pen.disc(cx, cy, r * 0.78, fill=dough, outline=_mix(crust, DOUGH_LINE, 0.35), width=2)
    for i in range(16):  # docking holes around the rim
        angle = math.radians(i * 22.5)
        pen.disc(cx + r * 0.66 * math.cos(angle), cy + r * 0.66 * math.sin(angle), 2.2,
                 fill=_mix(crust, DOUGH_LINE, 0.4))
    _draw_crown(pen, cx, cy + r * 0.04, r * 0.42)


def _draw_crown(pen: _Pen, cx: float, cy: float, k: float) -> None:
    """A three-pointed crown, `k` half its width, with the seal's red jewels."""
    base = cy + k * 0.55
    points = [(cx - k, base), (cx - k * 1.05, cy - k * 0.55), (cx - k * 0.5, cy - k * 0.05), (cx, cy - k * 0.85),
              (cx + k * 0.5, cy - k * 0.05), (cx + k * 1.05, cy - k * 0.55), (cx + k, base)]
    pen.polygon(points, CROWN_GOLD, DOUGH_LINE, 2.5)
    pen.rounded(cx - k * 1.08, base - k * 0.12, k * 2.16, k * 0.34, k * 0.1, fill=CROWN_GOLD, outline=DOUGH_LINE,
                width=2.5)
    for x, y in ((cx - k * 1.05, cy - k * 0.55), (cx, cy - k * 0.85), (cx + k * 1.05, cy - k * 0.55)):
        pen.disc(x, y, k * 0.14, fill=(214, 62, 70), outline=DOUGH_LINE, width=1.5)
