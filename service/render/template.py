"""Bake the per-language card template: everything on the card that no request changes.

Used at build time (scale 1, stored raw in the atlas) and by the reference renderer at
print scale, so both paths start from the same drawing.
"""

from __future__ import annotations

import math

from PIL import Image, ImageDraw

from service.atlas.sections import Decoration, Layout, Texts, TextLine
from service.render.text import TextPainter


def draw_template(layout: Layout, texts: Texts, painter: TextPainter) -> Image.Image:
    s, look = painter.scale, layout.decoration
    image = Image.new("RGB", (round(layout.width * s), round(layout.height * s)), layout.background)
    draw = ImageDraw.Draw(image)

    def box(x, y, w, h):
        return [round(x * s), round(y * s), round((x + w) * s) - 1, round((y + h) * s) - 1]

    def line(text: str, spec: TextLine, x: int, anchor: str = "ls") -> None:
        painter.draw(draw, text, x, spec.baseline, weight=spec.weight, size=spec.size, color=spec.color,
                     anchor=anchor)

    inset = look.frame_inset
    draw.rounded_rectangle(box(inset, inset, layout.width - 2 * inset, layout.height - 2 * inset),
                           radius=round(look.frame_radius * s), outline=look.frame_color,
                           width=max(1, round(look.frame_width * s)))

    draw.rounded_rectangle(box(*look.header_box), radius=round(look.header_radius * s), fill=look.header_color)
    line(texts.title, layout.title, layout.title.x)
    line(texts.subtitle, layout.subtitle, layout.subtitle.right, anchor="rs")

    portrait = layout.portrait
    px, py, pw, ph = portrait.box
    border = portrait.border_width
    draw.rounded_rectangle(box(px - border, py - border, pw + 2 * border, ph + 2 * border),
                           radius=round(border * 1.5 * s), fill=portrait.border_color)
    draw.rectangle(box(px, py, pw, ph), fill=portrait.background)

    label = layout.label
    for field, spec in layout.fields.items():
        painter.draw(draw, texts.labels[field], spec.x, spec.label_baseline, weight=label.weight,
                     size=label.size, color=label.color)
    for rule_box, colour in look.rules:
        draw.rectangle(box(*rule_box), fill=colour)

    _draw_sprinkles(draw, look, s)
    line(texts.footer, layout.footer, layout.footer.x)
    _draw_seal(draw, look, s)
    return image


def _draw_sprinkles(draw: ImageDraw.ImageDraw, look: Decoration, s: float) -> None:
    """A row of candy sprinkles: evenly spaced, angles and colours in a fixed pattern."""
    x0, y0, w, h = look.sprinkles_box
    half, count, colours = look.sprinkles_length / 2, look.sprinkles_count, look.sprinkles_colors
    for i in range(count):
        cx = x0 + half + i * (w - 2 * half) / (count - 1)
        cy = y0 + h / 2 + (h / 4 if i % 2 else -h / 4)
        angle = math.radians((35, -30, 70, -60, 10)[i % 5])
        dx, dy = half * math.cos(angle), half * math.sin(angle)
        colour = colours[(i * 3) % len(colours)]
        draw.line([(round((cx - dx) * s), round((cy - dy) * s)), (round((cx + dx) * s), round((cy + dy) * s))],
                  fill=colour, width=max(1, round(look.sprinkles_width * s)), joint="curve")
        for end in (-1, 1):  # rounded ends
            ex, ey, r = cx + end * dx, cy + end * dy, look.sprinkles_width / 2
            draw.ellipse([round((ex - r) * s), round((ey - r) * s), round((ex + r) * s), round((ey + r) * s)],
                         fill=colour)


def _draw_seal(draw: ImageDraw.ImageDraw, look: Decoration, s: float) -> None:
    """The royal oven seal: a ring with a star, stamped in the corner."""
    cx, cy = look.seal_center
    r, width, colour = look.seal_radius, look.seal_width, look.seal_color
    for radius in (r, r - width * 2):
        draw.ellipse([round((cx - radius) * s), round((cy - radius) * s),
                      round((cx + radius) * s), round((cy + radius) * s)],
                     outline=colour, width=max(1, round(width * s * (1 if radius == r else 0.5))))
    points = []
    for i in range(10):
        radius = (r * 0.55) if i % 2 == 0 else (r * 0.24)
        angle = math.radians(-90 + i * 36)
        points.append((round((cx + radius * math.cos(angle)) * s), round((cy + radius * math.sin(angle)) * s)))
    draw.polygon(points, fill=colour)
