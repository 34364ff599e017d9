import datetime as dt

from service.atlas.sections import Catalog, Texts
from service.recipe import Recipe, format_date, make_recipe
from tests.tiny_assets import REAL_ASSETS

import json

CATALOG = Catalog.read(json.loads((REAL_ASSETS / "catalog.json").read_text()))
TEXTS = {lang: Texts.read(json.loads((REAL_ASSETS / "texts" / f"{lang}.json").read_text()), f"{lang}.json")
         for lang in ("ko", "en", "ja", "zh-TW")}


def mk(seed, language="en", catalog=None):
    return make_recipe(catalog or CATALOG, TEXTS[language], name="Crumb", language=language, seed=seed,
                       atlas_version="v1", issued=dt.date(2026, 1, 2))


def test_same_seed_same_recipe_and_json_round_trip():
    assert mk(1) == mk(1)
    assert mk(1) != mk(2)
    assert Recipe.from_json(json.loads(json.dumps(mk(9).to_json()))) == mk(9)


def test_required_parts_always_present_and_optional_sometimes_absent():
    recipes = [mk(seed) for seed in range(300)]
    required = {c.id for c in CATALOG.categories if c.required}
    for recipe in recipes:
        parts = dict(recipe.parts)
        assert all(parts[c] is not None for c in required)
        assert list(parts) == [c.id for c in CATALOG.categories]  # draw order
    assert any(dict(r.parts)["glasses"] is None for r in recipes)
    assert any(dict(r.parts)["glasses"] is not None for r in recipes)


def test_localized_dates():
    assert format_date(TEXTS["en"], "2026-03-07") == "Mar 7, 2026"
    assert format_date(TEXTS["ko"], "2026-03-07") == "2026년 3월 7일"
