"""A small, valid assets/ tree (2 variants per category) for fast builder tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from PIL import Image, ImageDraw

from atlas_builder.catalog import CATEGORIES, REQUIRED_CATEGORIES

REAL_ASSETS = Path(__file__).resolve().parent.parent / "assets"
DRAW_ORDER = ("background", "back_hair", "body", "face", "face_paint", "eyes", "mouth", "front_hair",
              "glasses", "crown", "sticker")


def make_tiny_assets(root: Path, variants: int = 2) -> Path:
    assert set(DRAW_ORDER) == set(CATEGORIES)
    shutil.copytree(REAL_ASSETS / "texts", root / "texts")
    shutil.copy(REAL_ASSETS / "layout.json", root / "layout.json")
    words = {lang: "thing" for lang in ("ko", "en", "ja", "zh-TW")}
    catalog = {"canvas": {"width": 1000, "height": 1000},
               "hair_colors": [{"id": "mint", "rgb": [120, 220, 180], "names": words},
                               {"id": "cocoa", "rgb": [120, 70, 40], "names": words}],
               "categories": []}
    for i, category in enumerate(DRAW_ORDER):
        opaque, tinted = category == "background", category.endswith("hair")
        folder = root / "parts" / category
        folder.mkdir(parents=True)
        entries = []
        for v in range(variants):
            image = Image.new("RGBA", (1000, 1000), (230, 200 - 10 * v, 160, 255) if opaque else (0, 0, 0, 0))
            draw = ImageDraw.Draw(image)
            box = [250 + 40 * v, 150 + 50 * i, 700 - 20 * v, 420 + 45 * i]
            fill = (240, 240, 240, 255) if tinted else ((37 * i) % 256, 120 + 10 * v, 200 - 12 * i, 255)
            draw.ellipse(box, fill=fill, outline=(60, 30, 10, 255), width=12)
            image.save(folder / f"{v:02d}.png")
            entries.append({"id": f"{v:02d}", "file": f"parts/{category}/{v:02d}.png", "describe": words})
        catalog["categories"].append({"id": category, "required": category in REQUIRED_CATEGORIES,
                                      "tinted": tinted, "opaque": opaque, "names": {}, "variants": entries})
    (root / "catalog.json").write_text(json.dumps(catalog))
    return root
