"""Draw odds and compatibility rules (service.odds): exact counts, honoured rules, published odds."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import math
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from atlas_builder.catalog import count_combinations, count_cookies
from atlas_builder.validate import InvalidAssets, load_and_validate
from service.colour import delta_e
from service.odds import HAIR, InvalidOdds, Odds
from service.atlas.sections import Catalog, Texts
from service.recipe import MAX_SEED, Recipe, make_recipe
from tests.tiny_assets import make_tiny_assets

ROOT = Path(__file__).resolve().parent.parent
CATALOG = json.loads((ROOT / "assets" / "catalog.json").read_text(encoding="utf-8"))
TEXTS = json.loads((ROOT / "assets" / "texts" / "en.json").read_text(encoding="utf-8"))
TYPED_CATALOG, TYPED_TEXTS = Catalog.read(CATALOG), Texts.read(TEXTS, "texts/en.json")
ODDS = Odds(TYPED_CATALOG)


def small_catalog() -> dict:
    """Three categories and colours, with odds, a zero weight and one rule of each kind."""
    def variants(category, n, **extra):
        return [{"id": f"{i:02d}", "file": f"parts/{category}/{i:02d}.png", **{k: v[i] for k, v in extra.items()}}
                for i in range(n)]
    return {
        "hair_colors": [{"id": "cocoa", "rgb": [124, 78, 54]}, {"id": "mint", "rgb": [140, 228, 200]},
                        {"id": "snow", "rgb": [250, 250, 255]}],
        "categories": [
            {"id": "face", "required": True,
             "variants": variants("face", 3, color=[[170, 108, 72], [255, 238, 204], [196, 220, 146]],
                                  weight=[1, 2, 1])},
            {"id": "front_hair", "required": True, "variants": variants("front_hair", 3)},
            {"id": "eyes", "required": True, "variants": variants("eyes", 3, weight=[1, 0.5, 0])},
            {"id": "crown", "required": False, "none": 0.5, "variants": variants("crown", 3)},
            {"id": "glasses", "required": False, "variants": variants("glasses", 2)},
            {"id": "sticker", "required": False, "none": 0.0, "variants": variants("sticker", 2)},
        ],
        "rules": [
            {"id": "buns", "never": {"front_hair": ["01", "02"], "crown": ["00"]}},
            {"id": "shades", "never": {"glasses": ["01"], "eyes": ["01", "02"], "crown": ["02"]}},
            {"id": "contrast", "min_delta_e": 20, "between": ["hair_color", "face"]},
        ],
    }


def brute_force(catalog: dict) -> tuple[int, dict[tuple[str, object], float]]:
    """Every combination enumerated: (distinct cookies, probability of each (slot, value))."""
    slots = []
    for category in catalog["categories"]:
        weights = {v["id"]: v.get("weight", 1) for v in category["variants"]}
        total = sum(weights.values())
        if category["required"]:
            slots.append((category["id"], {v: w / total for v, w in weights.items()}))
        else:
            none = category.get("none", 1 / (len(weights) + 1))
            slots.append((category["id"], {None: none, **{v: (1 - none) * w / total for v, w in weights.items()}}))
    colours = catalog["hair_colors"]
    slots.append((HAIR, {c["id"]: 1 / len(colours) for c in colours}))
    face_rgb = {v["id"]: v.get("color") for c in catalog["categories"] if c["id"] == "face" for v in c["variants"]}
    hair_rgb = {c["id"]: c["rgb"] for c in colours}

    def allowed(cookie: dict) -> bool:
        for rule in catalog.get("rules", []):
            if "never" in rule and all(cookie[s] in ids for s, ids in rule["never"].items()):
                return False
            if "min_delta_e" in rule and delta_e(hair_rgb[cookie[HAIR]], face_rgb[cookie["face"]]) < rule["min_delta_e"]:
                return False
        return True

    count, mass, marginals = 0, 0.0, {}
    names = [name for name, _ in slots]
    for values in itertools.product(*(table.items() for _, table in slots)):
        p = math.prod(prob for _, prob in values)
        cookie = dict(zip(names, (v for v, _ in values)))
        if p == 0 or not allowed(cookie):
            continue
        count += 1
        mass += p
        for name, value in cookie.items():
            marginals[name, value] = marginals.get((name, value), 0.0) + p
    return count, {key: p / mass for key, p in marginals.items()}


def test_exact_count_and_odds_match_brute_force_enumeration():
    catalog = small_catalog()
    odds = Odds(Catalog.read(catalog))
    count, marginals = brute_force(catalog)
    assert odds.count() == count
    assert odds.combinations() == 3 * 3 * 3 * 4 * 3 * 3 * 3  # rules, weights and odds ignored
    for slot in [c["id"] for c in catalog["categories"]] + [HAIR]:
        for value, p in odds.probabilities(slot).items():
            assert p == pytest.approx(marginals.get((slot, value), 0.0), abs=1e-12), (slot, value)
    # the no-rules count is the plain product (minus zero-odds values), as SPEC §4 counts it
    plain = {**catalog, "rules": []}
    assert Odds(Catalog.read(plain)).count() == brute_force(plain)[0] == 3 * 3 * 2 * 4 * 3 * 2 * 3


def test_real_catalog_counts(atlas_dir):
    result = subprocess.run([sys.executable, "-m", "atlas_builder.cli", "stats", "--atlas", str(atlas_dir)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    combinations = math.prod(len(c["variants"]) + (0 if c["required"] else 1) for c in CATALOG["categories"]) \
        * len(CATALOG["hair_colors"])  # SPEC §4's rule, before any compatibility rule
    assert count_combinations(TYPED_CATALOG) == combinations
    assert f"combinations of parts: {combinations:,}" in result.stdout
    assert f"distinct cookies: {count_cookies(TYPED_CATALOG):,}" in result.stdout
    assert count_cookies(TYPED_CATALOG) < count_combinations(TYPED_CATALOG)
    published = json.loads(subprocess.run(
        [sys.executable, "-m", "atlas_builder.cli", "stats", "--json", "--atlas", str(atlas_dir)],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    assert published["distinctCookies"] == count_cookies(TYPED_CATALOG)


def test_the_readme_states_the_counts_of_the_catalog():
    """The README's figures are recomputed from the catalog's parts and rules, not copied from an old one."""
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"a hair colour: {count_combinations(TYPED_CATALOG):,} combinations" in readme
    assert f"of which {count_cookies(TYPED_CATALOG):,} distinct cookies pass the compatibility rules" in readme


def test_curated_odds_on_the_real_catalog():
    on = {c["id"]: 1 - c["none"] for c in ODDS.published()["categories"]}
    for category in ("glasses", "crown", "face_paint", "sticker"):
        assert 0.35 <= on[category] <= 0.50, (category, on[category])
    even = {cid: 1 / len([c for c in CATALOG["categories"] if c["id"] == cid][0]["variants"])
            for cid in ("mouth", "face_paint")}
    assert ODDS.probabilities("mouth")["12"] < 0.5 * even["mouth"]  # the frown
    assert ODDS.probabilities("face_paint")["14"] < 0.5 * even["face_paint"] * on["face_paint"]  # tears
    hidden = sum(ODDS.probabilities("glasses")[g] for g in ("12", "13", "18", "19"))
    assert hidden < 0.03  # eyes fully hidden on 15% of cookies before


def test_a_hundred_thousand_draws_break_no_rule_and_follow_the_published_odds():
    rng = random.Random(15)
    seen: dict[tuple[str, object], int] = {}
    n = 100_000
    for _ in range(n):
        cookie = ODDS.sample(rng)
        assert not ODDS.broken(cookie), cookie
        for slot in ("glasses", "crown", "front_hair", HAIR):
            seen[slot, cookie[slot]] = seen.get((slot, cookie[slot]), 0) + 1
    for slot in ("glasses", "crown", "front_hair", HAIR):
        for value, p in ODDS.probabilities(slot).items():
            sigma = math.sqrt(n * p * (1 - p)) or 1
            assert abs(seen.get((slot, value), 0) - n * p) < 5 * sigma, (slot, value)


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, MAX_SEED))
def test_recipes_from_any_seed_break_no_rule(seed):
    recipe = make_recipe(TYPED_CATALOG, TYPED_TEXTS, name="Crumb", language="en", seed=seed, atlas_version="v",
                         issued=dt.date(2026, 11, 26))
    assert ODDS.broken({**dict(recipe.parts), HAIR: recipe.hair_color}) == []


def test_a_rule_naming_a_missing_part_fails_the_build(tmp_path: Path):
    tiny = make_tiny_assets(tmp_path / "assets")
    catalog = json.loads((tiny / "catalog.json").read_text())
    catalog["rules"] = [{"id": "buns_under_hats", "never": {"front_hair": ["01"], "crown": ["00", "99"]}},
                        {"id": "wings", "never": {"wings": ["00"], "crown": ["00"]}},
                        {"id": "contrast", "min_delta_e": 20, "between": ["hair_color", "face"]}]
    catalog["categories"][1]["none"] = 1.5
    (tiny / "catalog.json").write_text(json.dumps(catalog))
    with pytest.raises(InvalidAssets) as caught:
        load_and_validate(tiny)
    problems = "\n".join(caught.value.problems)
    assert "rule 'buns_under_hats' names crown/99, which does not exist" in problems
    assert "rule 'wings' names category 'wings', which does not exist" in problems
    assert "face/00 needs \"color\"" in problems
    assert "'back_hair' 'none' must be a probability" in problems
    result = subprocess.run([sys.executable, "-m", "atlas_builder.cli", "build", "--assets", str(tiny), "--out",
                             str(tmp_path / "atlas"), "--quiet"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "crown/99" in result.stderr and "nothing was published" in result.stderr


def test_rules_that_leave_nothing_to_draw_are_refused():
    catalog = small_catalog()
    catalog["rules"].append({"id": "all", "never": {"front_hair": ["00", "01", "02"], "face": ["00", "01", "02"]}})
    with pytest.raises(InvalidOdds, match="leave no allowed combination"):
        Odds(Catalog.read(catalog))


# A recipe stored before the rules (the old uniform sampler drew it for seed 11): twin buns
# under a beanie. Stored recipes name their parts, so they keep rendering what they were.
STORED = {"name": "Crumb", "language": "en", "seed": 11, "atlasVersion": "old",
          "parts": {"background": "27", "back_hair": "26", "body": "07", "face": "07", "face_paint": "15",
                    "eyes": "09", "mouth": "03", "front_hair": "05", "glasses": "24", "crown": "15",
                    "sticker": "59"},
          "hairColor": "matcha", "number": "1559-2192-1153", "issued": "2026-11-26",
          "address": "158 Chocolate Chip Way, Toffee Harbor", "reason": "Came to find the legendary golden sugar cube."}


def test_a_stored_recipe_renders_its_own_parts_whatever_the_sampler_draws_now(atlas_dir, tmp_path: Path):
    from service.atlas.pages import Atlas
    from service.render.compositor import Compositor

    # A recipe renders only with the atlas version it names (other versions are kept for
    # that, see the sharing issue); the art is the same, so name the one built here.
    record = {**STORED, "atlasVersion": Atlas(atlas_dir).version}
    stored = Recipe.from_json(record)
    assert ODDS.broken({**dict(stored.parts), HAIR: stored.hair_color}) == ["buns_under_hats"]
    redrawn = make_recipe(TYPED_CATALOG, TYPED_TEXTS, name="Crumb", language="en", seed=11, atlas_version=stored.atlas_version,
                          issued=dt.date(2026, 11, 26))
    assert redrawn.parts != stored.parts  # a new card from seed 11 is another cookie (documented)

    path = tmp_path / "stored.json"
    path.write_text(json.dumps(record))
    out = tmp_path / "card.png"
    result = subprocess.run([sys.executable, "-m", "service.cli", "render", "--recipe", str(path), "-o", str(out)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(out.with_suffix(".json").read_text()) == record
    # Pixels, not PNG bytes: the bytes are one valid deflate of them (they differed once in a
    # long test run, after byte 240,855 of 245,020, inside the template's pre-compressed
    # bottom rows); a difference in pixels is reported by where it is.
    drawn, expected = _pixels(out.read_bytes()), _pixels(Compositor(Atlas(atlas_dir)).render_png(stored))
    assert drawn.shape == expected.shape
    rows, cols = np.nonzero((drawn != expected).any(axis=2))
    assert rows.size == 0, f"{rows.size} pixels differ, rows {rows.min()}-{rows.max()}, columns {cols.min()}-{cols.max()}"


def _pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        return np.asarray(image.convert("RGB"))


async def test_the_odds_endpoint_publishes_the_live_atlas_odds(app_server):
    import aiohttp

    server = await app_server()
    async with aiohttp.ClientSession() as session:
        async with session.get(server.url + "/odds") as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("application/json")
            body = await response.json()
    assert body["distinctCookies"] == count_cookies(TYPED_CATALOG)
    assert body["combinations"] == count_combinations(TYPED_CATALOG)
    assert [c["id"] for c in body["categories"]] == [c["id"] for c in CATALOG["categories"]]
    glasses = next(c for c in body["categories"] if c["id"] == "glasses")
    assert glasses["none"] + sum(glasses["variants"].values()) == pytest.approx(1, abs=1e-4)
    assert {r["id"] for r in body["rules"]} == {r["id"] for r in CATALOG["rules"]}
