"""A contact sheet of every part in a built atlas, grouped by category, for eyes."""

from __future__ import annotations

from PIL import Image, ImageDraw

from service.atlas.pages import Atlas
from service.render.compositor import tint
from service.render.text import painter_for

COLUMNS = 12
CELL_WIDTH = 150  # a portrait window's cell, its height in the window's proportions
HEADER = 44


def contact_sheet(atlas: Atlas) -> Image.Image:
    manifest = atlas.manifest
    layout, catalog = manifest.layout, manifest.catalog
    px, py, pw, ph = layout.portrait.box
    cell_size = (CELL_WIDTH, round(CELL_WIDTH * ph / pw))
    hair = catalog.hair_colors[0].rgb
    rows = sum(1 + (len(c.variants) - 1) // COLUMNS for c in catalog.categories)
    sheet = Image.new("RGB", (COLUMNS * cell_size[0], rows * cell_size[1] + len(catalog.categories) * HEADER),
                      (250, 246, 240))
    draw = ImageDraw.Draw(sheet)
    painter = painter_for(manifest.fonts, "en", layout)
    y = 0
    for category in catalog.categories:
        painter.draw(draw, f"{category.id} ({len(category.variants)})", 10, y + 32,
                     weight="Bold", size=26, color=(84, 46, 24))
        y += HEADER
        for i, variant in enumerate(category.variants):
            sprite, (cx, cy), opaque = atlas.sprite(category.id, variant.id)
            if category.tinted:
                sprite = tint(sprite, hair, catalog.hair_outline)
            cell = Image.new("RGB", (pw, ph), (255, 228, 200) if not opaque else (0, 0, 0))
            cell.paste(sprite, (cx - px, cy - py), None if opaque else sprite)
            x = (i % COLUMNS) * cell_size[0]
            sheet.paste(cell.resize(cell_size, Image.Resampling.LANCZOS), (x, y + (i // COLUMNS) * cell_size[1]))
            painter.draw(draw, variant.id, x + 4, y + (i // COLUMNS) * cell_size[1] + 18,
                         weight="Bold", size=16, color=(84, 46, 24))
        y += (1 + (len(category.variants) - 1) // COLUMNS) * cell_size[1]
    return sheet
