"""Colours shared by every part: the outline, the greyscale hair tones, named colours.

Hair parts are drawn in greys (the renderer multiplies them by the recipe's hair colour
and maps the tones up to ``H_OUT`` to the dark-brown ``OUTLINE``: catalog.json's
``hair_outline``), everything else in its final colours.
"""
from __future__ import annotations


OUTLINE = (74, 44, 34, 255)  # the dark-brown outline used everywhere
OUTLINE_WIDTH = 10  # in output pixels
WHITE = (255, 255, 255, 255)

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


# eyes, mouths and sticker faces
DK = (50, 30, 26, 255)
MOUTH_IN = (150, 46, 60, 255)
TONGUE = (255, 130, 148, 255)

# base RGB for the named colours of glasses, headwear, outfits and stickers
RGB = {
    "red": (232, 72, 80), "pink": (255, 140, 180), "blue": (80, 130, 230), "navy": (52, 70, 140),
    "skyblue": (130, 200, 250), "yellow": (255, 214, 72), "green": (90, 190, 110), "mint": (130, 225, 195),
    "purple": (160, 100, 220), "lavender": (190, 170, 245), "gold": (255, 200, 60), "silver": (205, 212, 225),
    "black": (60, 52, 60), "white": (250, 250, 250), "orange": (255, 150, 70), "brown": (150, 95, 60),
    "peach": (255, 190, 160), "lemon": (255, 236, 130), "coral": (255, 140, 125), "aqua": (120, 220, 230),
    "lilac": (215, 180, 240), "cream": (255, 242, 215), "sakura": (255, 200, 215), "pistachio": (200, 230, 160),
}

