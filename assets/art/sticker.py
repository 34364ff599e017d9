"""Stickers: a motif with a white die-cut border and a soft shadow, tilted, in a corner."""
from __future__ import annotations

import random
from functools import partial

from PIL import Image, ImageChops, ImageFilter

from .canvas import SUPERSAMPLE, Pen, dilate_mask
from .geometry import CANVAS_SIZE, SAFE_X0, SAFE_X1
from .motifs import (
    st_balloon, st_boba, st_bolt, st_bow, st_candy, st_cat, st_cloud, st_cupcake, st_donut, st_flower, st_gem,
    st_heart, st_icecream, st_lollipop, st_macaron, st_moon, st_mushroom, st_note, st_paw, st_planet,
    st_sparkle, st_star,
)
from .palette import RGB, rgba
from .variants import Category, Variant


STICKER_SPOTS = [(230, 160), (770, 160), (230, 860), (770, 860)]
ST_L = 300  # local canvas size (output px)


def draw_sticker(canvas, motif, col, spot, rot):
    L = ST_L * SUPERSAMPLE
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
    px, py = int(spot[0] * SUPERSAMPLE - L / 2), int(spot[1] * SUPERSAMPLE - L / 2)
    x0, y0, x1, y1 = out.getchannel("A").getbbox()
    lo, hi = (SAFE_X0 + 4) * SUPERSAMPLE, (SAFE_X1 - 4) * SUPERSAMPLE
    px += max(0, lo - (px + x0)) - max(0, (px + x1) - hi)
    py += max(0, 8 * SUPERSAMPLE - (py + y0)) - max(0, (py + y1) - (CANVAS_SIZE - 8) * SUPERSAMPLE)
    canvas.alpha_composite(out, (px, py))


def _sticker(motif, colour, corner, rotation_seed):
    rotation = random.Random(rotation_seed).uniform(-16, 16)
    return partial(draw_sticker, motif=motif, col=RGB[colour], spot=STICKER_SPOTS[corner], rot=rotation)


# (id, motif, colour, corner: index into STICKER_SPOTS, seed of the tilt)
CATEGORY = Category("sticker", "canvas", tuple(Variant(vid, _sticker(*sticker)) for vid, *sticker in (
    ("00", st_star, "yellow", 0, "sticker-0-0"),
    ("01", st_star, "pink", 1, "sticker-0-1"),
    ("02", st_star, "skyblue", 2, "sticker-0-2"),
    ("03", st_star, "mint", 3, "sticker-0-3"),
    ("04", st_heart, "red", 1, "sticker-1-0"),
    ("05", st_heart, "pink", 2, "sticker-1-1"),
    ("06", st_heart, "lavender", 3, "sticker-1-2"),
    ("07", st_heart, "orange", 0, "sticker-1-3"),
    ("08", st_sparkle, "yellow", 2, "sticker-2-0"),
    ("09", st_sparkle, "skyblue", 3, "sticker-2-1"),
    ("10", st_sparkle, "pink", 0, "sticker-2-2"),
    ("11", st_sparkle, "lilac", 1, "sticker-2-3"),
    ("12", st_lollipop, "pink", 3, "sticker-3-0"),
    ("13", st_lollipop, "mint", 0, "sticker-3-1"),
    ("14", st_lollipop, "orange", 1, "sticker-3-2"),
    ("15", st_lollipop, "purple", 2, "sticker-3-3"),
    ("16", st_candy, "red", 0, "sticker-4-0"),
    ("17", st_candy, "blue", 1, "sticker-4-1"),
    ("18", st_candy, "green", 2, "sticker-4-2"),
    ("19", st_candy, "yellow", 3, "sticker-4-3"),
    ("20", st_cloud, "white", 1, "sticker-5-0"),
    ("21", st_cloud, "pink", 2, "sticker-5-1"),
    ("22", st_cloud, "skyblue", 3, "sticker-5-2"),
    ("23", st_cloud, "lavender", 0, "sticker-5-3"),
    ("24", st_note, "purple", 2, "sticker-6-0"),
    ("25", st_note, "blue", 3, "sticker-6-1"),
    ("26", st_note, "pink", 0, "sticker-6-2"),
    ("27", st_note, "black", 1, "sticker-6-3"),
    ("28", st_paw, "pink", 3, "sticker-7-0"),
    ("29", st_paw, "brown", 0, "sticker-7-1"),
    ("30", st_paw, "black", 1, "sticker-7-2"),
    ("31", st_paw, "orange", 2, "sticker-7-3"),
    ("32", st_moon, "yellow", 0, "sticker-8-0"),
    ("33", st_moon, "lavender", 1, "sticker-8-1"),
    ("34", st_moon, "peach", 2, "sticker-8-2"),
    ("35", st_moon, "white", 3, "sticker-8-3"),
    ("36", st_flower, "pink", 1, "sticker-9-0"),
    ("37", st_flower, "yellow", 2, "sticker-9-1"),
    ("38", st_flower, "lavender", 3, "sticker-9-2"),
    ("39", st_flower, "coral", 0, "sticker-9-3"),
    ("40", st_cupcake, "pink", 2, "sticker-10-0"),
    ("41", st_cupcake, "mint", 3, "sticker-10-1"),
    ("42", st_cupcake, "lavender", 0, "sticker-10-2"),
    ("43", st_cupcake, "yellow", 1, "sticker-10-3"),
    ("44", st_donut, "pink", 3, "sticker-11-0"),
    ("45", st_donut, "brown", 0, "sticker-11-1"),
    ("46", st_donut, "mint", 1, "sticker-11-2"),
    ("47", st_donut, "white", 2, "sticker-11-3"),
    ("48", st_icecream, "pink", 0, "sticker-12-0"),
    ("49", st_icecream, "mint", 1, "sticker-12-1"),
    ("50", st_icecream, "brown", 2, "sticker-12-2"),
    ("51", st_icecream, "lemon", 3, "sticker-12-3"),
    ("52", st_bolt, "yellow", 1, "sticker-13-0"),
    ("53", st_bolt, "orange", 2, "sticker-13-1"),
    ("54", st_bolt, "skyblue", 3, "sticker-13-2"),
    ("55", st_bolt, "purple", 0, "sticker-13-3"),
    ("56", st_cat, "orange", 2, "sticker-14-0"),
    ("57", st_cat, "black", 3, "sticker-14-1"),
    ("58", st_cat, "white", 0, "sticker-14-2"),
    ("59", st_cat, "silver", 1, "sticker-14-3"),
    ("60", st_mushroom, "red", 3, "sticker-15-0"),
    ("61", st_mushroom, "pink", 0, "sticker-15-1"),
    ("62", st_mushroom, "orange", 1, "sticker-15-2"),
    ("63", st_mushroom, "purple", 2, "sticker-15-3"),
    ("64", st_macaron, "pink", 0, "sticker-16-0"),
    ("65", st_macaron, "mint", 1, "sticker-16-1"),
    ("66", st_macaron, "lavender", 2, "sticker-16-2"),
    ("67", st_macaron, "yellow", 3, "sticker-16-3"),
    ("68", st_balloon, "red", 1, "sticker-17-0"),
    ("69", st_balloon, "blue", 2, "sticker-17-1"),
    ("70", st_balloon, "yellow", 3, "sticker-17-2"),
    ("71", st_balloon, "green", 0, "sticker-17-3"),
    ("72", st_gem, "skyblue", 2, "sticker-18-0"),
    ("73", st_gem, "pink", 3, "sticker-18-1"),
    ("74", st_gem, "purple", 0, "sticker-18-2"),
    ("75", st_gem, "green", 1, "sticker-18-3"),
    ("76", st_bow, "red", 3, "sticker-19-0"),
    ("77", st_bow, "pink", 0, "sticker-19-1"),
    ("78", st_bow, "skyblue", 1, "sticker-19-2"),
    ("79", st_bow, "purple", 2, "sticker-19-3"),
    ("80", st_planet, "orange", 0, "sticker-20-0"),
    ("81", st_planet, "purple", 1, "sticker-20-1"),
    ("82", st_planet, "mint", 2, "sticker-20-2"),
    ("83", st_planet, "peach", 3, "sticker-20-3"),
    ("84", st_boba, "brown", 1, "sticker-21-0"),
    ("85", st_boba, "purple", 2, "sticker-21-1"),
    ("86", st_boba, "green", 3, "sticker-21-2"),
    ("87", st_boba, "pink", 0, "sticker-21-3"),
)))
