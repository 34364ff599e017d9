"""Names in every script through both render paths: the fast path (atlas, cached masks)
and the reference path draw the name slot pixel-identically, and a print re-render at
another scale sets the name by the fitting decision stored in the recipe."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from service.atlas.catalog import load_atlas_info
from service.atlas.pages import Atlas
from service.recipe import Recipe, make_recipe
from service.render.compositor import Compositor
from service.render.reference import ReferenceRenderer

ROOT = Path(__file__).resolve().parent.parent
NAMES = [("ko", "준성 😀 Łukasz"), ("en", "محمد علي 2000"), ("ja", "トーキョー・ミライ 🇯🇵"), ("zh-TW", "臺灣 👨‍👩‍👧‍👦"),
         ("en", "สมชาย ใจดี"), ("ko", "देवनागरी क्षत्रिय"), ("ja", "שרה לוי 1️⃣"),
         ("zh-TW", "鳳梨酥公主鳳梨酥公主鳳梨酥公主鳳梨酥公主"), ("ko", "가나다라마바사아자차카타파하가나다라마바사아자차")]


@pytest.fixture(scope="module")
def paths(atlas_dir):
    atlas = Atlas(atlas_dir)
    return atlas, Compositor(atlas), ReferenceRenderer(ROOT / "assets"), load_atlas_info(atlas_dir)


def recipe(atlas: Atlas, info, language: str, name: str, seed: int = 7) -> Recipe:
    manifest = atlas.manifest
    return make_recipe(manifest.catalog, manifest.texts[language], name=name, language=language, seed=seed,
                       atlas_version=atlas.version, issued=dt.date(2026, 11, 30),
                       name_fit=info.name_fit(language, name).as_recipe())


def decode(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGB")).astype(int)


@pytest.mark.parametrize(("language", "name"), NAMES)
def test_fast_and_reference_paths_draw_the_name_alike(paths, language, name):
    atlas, fast, reference, info = paths
    r = recipe(atlas, info, language, name)
    a, b = decode(fast.render_png(r)), decode(reference.render_png(r))
    field = atlas.manifest.layout.fields["name"]
    (_, rule_y, _, _), _ = atlas.manifest.layout.decoration.rules[0]
    slot = (slice(field.label_baseline + 4, rule_y), slice(field.x - 8, field.x + field.width + 8))
    assert (a[slot] == b[slot]).all()  # text: same code, same pixels
    assert (np.abs(a - b).max(axis=2) <= 3).mean() >= 0.999  # the card: SPEC §3's tolerance


def test_recipe_json_round_trips_the_fitting_decision(paths):
    atlas, _, _, info = paths
    r = recipe(atlas, info, "ko", "가나다라마바사아자차카타파하가나다라마바사아자차")
    assert r.to_json()["nameFit"] == {"size": 42, "lines": ["가나다라마바사아자차카타파", "하가나다라마바사아자차"]} \
        or len(r.to_json()["nameFit"]["lines"]) == 2
    assert Recipe.from_json(json.loads(json.dumps(r.to_json()))) == r


def test_print_rerender_uses_the_recorded_fit(paths, monkeypatch):
    atlas, _, _, info = paths
    r = recipe(atlas, info, "zh-TW", "鳳梨酥公主鳳梨酥公主鳳梨酥公主鳳梨酥公主")
    printer = ReferenceRenderer(ROOT / "assets", scale=2)
    painter = printer.painters["zh-TW"]
    monkeypatch.setattr(painter, "fit_name", lambda *a: pytest.fail("fitted again instead of using nameFit"))
    card = np.asarray(printer.render(r).convert("L")).astype(int)
    field = atlas.manifest.layout.fields["name"]
    x0, x1 = 2 * field.x, 2 * (field.x + field.width)
    rows = np.nonzero((card[2 * (field.label_baseline + 4):2 * 318, x0:x1] < 150).any(axis=1))[0]
    assert np.diff(rows).max() > 4  # two lines of ink with a gap between them
