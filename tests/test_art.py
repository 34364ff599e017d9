"""The art generator (assets/art): the pixels and ids of before the package, a catalog it only reads.

tests/golden/art/ holds what main drew before the generator became a package (commit 8d766ab):
parts_main.json, the pixels of every part as assets/generate_art.py drew it with this
venv's Pillow (the committed assets/parts were drawn by another Pillow build: neither
pillow-simd nor stock Pillow 13 redraws them bit for bit, so they are not the oracle), and
recipes_main.json, 60 recipes minted by service.recipe.make_recipe with the card each rendered.
parts_added.json holds the parts drawn since (issue 15: new silhouettes), as this venv's Pillow
drew them: their committed PNGs are those very pixels.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from assets.art.__main__ import main as generate
from assets.art.catalog import catalog_problems, part_file, read_catalog
from assets.art.categories import CATEGORIES, render
from assets.art.variants import Category, Variant
from service.recipe import Recipe
from service.atlas.pages import Atlas
from service.render.compositor import Compositor

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
GOLDEN = ROOT / "tests" / "golden" / "art"
PARTS_MAIN: dict[str, str] = json.loads((GOLDEN / "parts_main.json").read_text())
PARTS_ADDED: dict[str, str] = json.loads((GOLDEN / "parts_added.json").read_text())
GOLDEN_PARTS = {**PARTS_MAIN, **PARTS_ADDED}
RECIPES_MAIN: list[dict] = json.loads((GOLDEN / "recipes_main.json").read_text(encoding="utf-8"))


def pixels(image: Image.Image) -> str:
    return hashlib.sha256(image.mode.encode() + repr(image.size).encode() + image.tobytes()).hexdigest()


def catalog() -> dict:
    return read_catalog(ASSETS / "catalog.json")


@pytest.mark.parametrize("category_id", list(CATEGORIES))
def test_every_part_is_drawn_as_generate_art_drew_it(category_id: str):
    category = CATEGORIES[category_id]
    drawn = {f"{category_id}/{variant.id}": pixels(render(category, variant)) for variant in category.variants}
    assert drawn == {key: digest for key, digest in GOLDEN_PARTS.items() if key.split("/")[0] == category_id}


@pytest.mark.parametrize("key", sorted(PARTS_ADDED))
def test_an_added_part_is_committed_as_drawn(key: str):
    with Image.open(ASSETS / part_file(*key.split("/"))) as committed:
        assert pixels(committed) == PARTS_ADDED[key]


def alpha_box(key: str) -> tuple[int, int, int, int]:
    with Image.open(ASSETS / part_file(*key.split("/"))) as image:
        ys, xs = np.nonzero(np.asarray(image.getchannel("A")))
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


@pytest.mark.parametrize("key", sorted(PARTS_ADDED))
def test_an_added_part_stays_inside_the_box_its_category_already_spanned(key: str):
    """A layout checked against the parts of before (the portrait window's clip check) holds for the new ones."""
    boxes = [alpha_box(old) for old in PARTS_MAIN if old.split("/")[0] == key.split("/")[0]]
    x0, y0, x1, y1 = alpha_box(key)
    assert min(b[0] for b in boxes) <= x0 and min(b[1] for b in boxes) <= y0, key
    assert x1 <= max(b[2] for b in boxes) and y1 <= max(b[3] for b in boxes), key


def test_stored_recipes_resolve_to_the_same_parts():
    files = {(c["id"], v["id"]): v["file"] for c in catalog()["categories"] for v in c["variants"]}
    for stored in RECIPES_MAIN:
        recipe = Recipe.from_json(stored["recipe"])
        for category_id, variant_id in recipe.parts:
            if variant_id is not None:  # the same file, and a drawing under that id (its pixels: the test above)
                assert files[category_id, variant_id] == part_file(category_id, variant_id)
                assert CATEGORIES[category_id].variant(variant_id).id == variant_id


def test_stored_recipes_render_the_same_cards_with_the_atlas_version_they_name(atlas_dir: Path):
    """The cards changed on purpose since (issue 15's layout): a stored recipe keeps its look
    through the version it names, which publishing never deletes. A fresh checkout builds only
    the newest version, so the old one is there only where it was built before (make setup
    on an older commit)."""
    named = atlas_dir / "versions" / RECIPES_MAIN[0]["recipe"]["atlasVersion"]
    if not (named / "manifest.json").exists():
        pytest.skip(f"{named} was not built here (it is the atlas of the commit these recipes were minted on)")
    compositor = Compositor(Atlas(named))
    for stored in RECIPES_MAIN:
        recipe = Recipe.from_json(stored["recipe"])
        with Image.open(io.BytesIO(compositor.render_png(recipe))) as card:
            assert pixels(card) == stored["card"], recipe.seed


def test_inserting_a_variant_changes_no_other_id():
    eyes = CATEGORIES["eyes"]
    inserted = Category("eyes", eyes.kind, (Variant("10", lambda pen: None),) + eyes.variants)
    assert inserted.ids[1:] == eyes.ids
    assert {vid: inserted.variant(vid) for vid in eyes.ids} == {vid: eyes.variant(vid) for vid in eyes.ids}


def test_a_seeded_part_draws_the_same_wherever_it_sits_in_its_list():
    hair = CATEGORIES["front_hair"]  # 08, messy short hair, jitters its tips with the variant's RNG
    moved = Category("front_hair", hair.kind, (Variant("24", lambda pen, rng: None),) + hair.variants[::-1])
    assert pixels(render(moved, moved.variant("08"))) == PARTS_MAIN["front_hair/08"]


def test_a_category_refuses_two_variants_with_one_id():
    with pytest.raises(ValueError, match="'03'"):
        Category("mouth", "pen", CATEGORIES["mouth"].variants + (Variant("03", lambda pen: None),))
    with pytest.raises(ValueError, match="names a file"):
        Variant("../03", lambda pen: None)


def test_catalog_lists_exactly_the_drawn_variants():
    assert catalog_problems(catalog()) == []


def test_a_catalog_that_disagrees_with_the_drawings_is_reported():
    broken = catalog()
    faces = next(c for c in broken["categories"] if c["id"] == "face")
    del faces["variants"][7]
    faces["variants"][0]["file"] = "parts/face/0.png"
    faces["variants"].append({"id": "11", "file": "parts/face/11.png", "describe": {}})
    assert catalog_problems(broken) == [
        "catalog.json: face/07 is drawn but has no entry (add its id, file and describe texts)",
        "catalog.json: face/11 has an entry but no drawing in assets/art",
        "catalog.json: face/00 file must be 'parts/face/00.png'",
    ]


def test_the_generator_reads_the_catalog_and_never_writes_it(tmp_path: Path):
    data = catalog()
    face = next(c for c in data["categories"] if c["id"] == "face")
    face["variants"][0]["describe"]["en"] = "a golden round cookie face, freshly baked"  # a localiser's edit
    (tmp_path / "catalog.json").write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    before = (tmp_path / "catalog.json").read_bytes()

    assert generate(["--assets", str(tmp_path), "--only", "face", "--jobs", "2"]) == 0

    assert (tmp_path / "catalog.json").read_bytes() == before
    drawn = sorted((tmp_path / "parts" / "face").glob("*.png"))
    assert [p.stem for p in drawn] == list(CATEGORIES["face"].ids)
    for png in drawn:
        with Image.open(png) as image:
            assert pixels(image) == GOLDEN_PARTS[f"face/{png.stem}"]


def test_the_generator_refuses_a_catalog_without_a_drawn_variant(tmp_path: Path):
    data = catalog()
    next(c for c in data["categories"] if c["id"] == "mouth")["variants"].pop()
    (tmp_path / "catalog.json").write_text(json.dumps(data), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "assets.art", "--assets", str(tmp_path), "--only", "mouth"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert "mouth/12 is drawn but has no entry" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "parts").exists()
