"""Bake the per-language card template: everything on the card that no request changes.

Used at build time (scale 1, stored raw in the atlas) and by the reference renderer at
print scale, so both paths start from the same drawing.
"""

from __future__ import annotations

import math

from PIL import Image, ImageDraw

from service.render.text import TextPainter


def draw_template(layout: dict, texts: dict, painter: TextPainter) -> Image.Image:
    s = painter.scale
    card = layout["card"]
    image = Image.new("RGB", (round(card["width"] * s), round(card["height"] * s)), tuple(card["background"]))
    draw = ImageDraw.Draw(image)

    def box(x, y, w, h):
        return [round(x * s), round(y * s), round((x + w) * s) - 1, round((y + h) * s) - 1]

    frame = layout["frame"]
    inset = frame["inset"]
    draw.rounded_rectangle(box(inset, inset, card["width"] - 2 * inset, card["height"] - 2 * inset),
                           radius=round(frame["radius"] * s), outline=tuple(frame["color"]),
                           width=max(1, round(frame["width"] * s)))

    header = layout["header"]
    draw.rounded_rectangle(box(*header["box"]), radius=round(header["radius"] * s), fill=tuple(header["color"]))
    title, subtitle = header["title"], header["subtitle"]
    painter.draw(draw, texts["title"], title["x"], title["baseline"], weight=title["weight"],
                 size=title["size"], color=title["color"])
    painter.draw(draw, texts["subtitle"], subtitle["right"], subtitle["baseline"], weight=subtitle["weight"],
                 size=subtitle["size"], color=subtitle["color"], anchor="rs")

    portrait = layout["portrait"]
    px, py, pw, ph = portrait["box"]
    border = portrait["border"]["width"]
    draw.rounded_rectangle(box(px - border, py - border, pw + 2 * border, ph + 2 * border),
                           radius=round(border * 1.5 * s), fill=tuple(portrait["border"]["color"]))
    draw.rectangle(box(px, py, pw, ph), fill=tuple(portrait["background"]))

    label = layout["label"]
    for field, spec in layout["fields"].items():
        painter.draw(draw, texts["labels"][field], spec["x"], spec["label_baseline"], weight=label["weight"],
                     size=label["size"], color=label["color"])
    for rule in layout["rules"]:
        draw.rectangle(box(rule["x"], rule["y"], rule["width"], rule["height"]), fill=tuple(rule["color"]))

    _draw_sprinkles(draw, layout["sprinkles"], s)
    footer = layout["footer"]
    painter.draw(draw, texts["footer"], footer["x"], footer["baseline"], weight=footer["weight"],
                 size=footer["size"], color=footer["color"])
    _draw_seal(draw, layout["seal"], s)
    return image


def _draw_sprinkles(draw: ImageDraw.ImageDraw, spec: dict, s: float) -> None:
    """A row of candy sprinkles: evenly spaced, angles and colours in a fixed pattern."""
    x0, y0, w, h = spec["box"]
    half = spec["length"] / 2
    for i in range(spec["count"]):
        cx = x0 + half + i * (w - 2 * half) / (spec["count"] - 1)
        cy = y0 + h / 2 + (h / 4 if i % 2 else -h / 4)
        angle = math.radians((35, -30, 70, -60, 10)[i % 5])
        dx, dy = half * math.cos(angle), half * math.sin(angle)
        colour = tuple(spec["colors"][(i * 3) % len(spec["colors"])])
        draw.line([(round((cx - dx) * s), round((cy - dy) * s)), (round((cx + dx) * s), round((cy + dy) * s))],
                  fill=colour, width=max(1, round(spec["width"] * s)), joint="curve")
        for end in (-1, 1):  # rounded ends
            ex, ey, r = cx + end * dx, cy + end * dy, spec["width"] / 2
            draw.ellipse([round((ex - r) * s), round((ey - r) * s), round((ex + r) * s), round((ey + r) * s)],
                         fill=colour)


def _draw_seal(draw: ImageDraw.ImageDraw, seal: dict, s: float) -> None:
    """The royal oven seal: a ring with a star, stamped in the corner."""
    cx, cy = seal["center"]
    r, width, colour = seal["radius"], seal["width"], tuple(seal["color"])
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
