"""assets/catalog.json as the generator sees it: data it reads and checks, never writes.

catalog.json is edited by hand: localisers edit the descriptions and category names,
the art director the odds, weights and rules, and whoever adds a drawing adds its entry
(id, file and descriptions). The generator draws ``parts/<category>/<id>.png`` for the ids
its categories declare and refuses to run while the catalog and the drawings disagree,
so a catalog entry always has a drawing behind it and a drawing always has its texts.
"""
from __future__ import annotations

import json
from pathlib import Path

from .categories import CATEGORIES
from .face import BASE_COLOURS
from .geometry import CANVAS_SIZE
from .palette import H_OUT, OUTLINE


# Tones of the greyscale hair up to H_OUT keep the outline colour; from HAIR_TINTED_FROM
# (strand lines and fills) they take the hair colour; the renderer blends in between.
HAIR_TINTED_FROM = 150


def read_catalog(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def part_file(category_id: str, variant_id: str) -> str:
    """Where a part's PNG lives, relative to the assets directory (catalog.json's "file")."""
    return f"parts/{category_id}/{variant_id}.png"


def catalog_problems(catalog: dict) -> list[str]:
    """Every disagreement between catalog.json and the drawings (empty when they agree)."""
    problems = []
    listed = [c.get("id") for c in catalog.get("categories", [])]
    if listed != list(CATEGORIES):
        problems.append(f"catalog.json: categories {listed} differ from the drawn ones {list(CATEGORIES)}")
    for entry in catalog.get("categories", []):
        category = CATEGORIES.get(entry.get("id"))
        if category is None:
            continue
        variants = {v.get("id"): v for v in entry.get("variants", [])}
        for missing in [vid for vid in category.ids if vid not in variants]:
            problems.append(f"catalog.json: {category.id}/{missing} is drawn but has no entry "
                            f"(add its id, file and describe texts)")
        for extra in [vid for vid in variants if vid not in category.ids]:
            problems.append(f"catalog.json: {category.id}/{extra} has an entry but no drawing in assets/art")
        for vid, variant in variants.items():
            if variant.get("file") != part_file(category.id, vid):
                problems.append(f"catalog.json: {category.id}/{vid} file must be {part_file(category.id, vid)!r}")
            if category.id == "face" and vid in BASE_COLOURS and variant.get("color") != list(BASE_COLOURS[vid]):
                problems.append(f"catalog.json: face/{vid} color must be the dough's {list(BASE_COLOURS[vid])}")
    if catalog.get("canvas") != {"width": CANVAS_SIZE, "height": CANVAS_SIZE}:
        problems.append(f"catalog.json: canvas must be {CANVAS_SIZE}x{CANVAS_SIZE}, the size parts are drawn at")
    outline = {"rgb": list(OUTLINE[:3]), "tones": [H_OUT[0], HAIR_TINTED_FROM]}
    if catalog.get("hair_outline") != outline:
        problems.append(f"catalog.json: hair_outline must be {outline} (the outline and hair tones drawn)")
    return problems
