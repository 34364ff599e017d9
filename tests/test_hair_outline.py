"""Hair is tinted without tinting its line art (issue 15 item 4): the outline keeps the
dark brown of every other part on the palest and the darkest hair colour."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from service.atlas.pages import Atlas
from service.atlas.sections import Catalog, HairColor
from service.colour import lab
from service.recipe import make_recipe
from service.render.compositor import Compositor, tint


@pytest.fixture(scope="module")
def atlas(atlas_dir) -> Atlas:
    return Atlas(atlas_dir)


def extremes(catalog: Catalog) -> list[HairColor]:
    """The palest and the darkest hair colour, by CIELAB lightness."""
    by_lightness = sorted(catalog.hair_colors, key=lambda c: lab(c.rgb)[0])
    return [by_lightness[-1], by_lightness[0]]


def test_line_art_keeps_its_colour_and_fills_take_the_hair_colour(atlas):
    catalog = atlas.manifest.catalog
    outline = catalog.hair_outline
    line, dark, light = outline
    assert line == (74, 44, 34)  # the outline of every other part (assets/art/palette.py OUTLINE)
    for colour in extremes(catalog):
        rgb = np.array(colour.rgb)
        for category in ("front_hair", "back_hair"):
            for variant in (v.id for v in catalog.category(category).variants):
                sprite = atlas.straight(category, variant)
                source = np.asarray(sprite).astype(int)
                tinted = np.asarray(tint(sprite, colour.rgb, outline)).astype(int)
                drawn = source[..., 3] > 0
                lines = drawn & (source[..., 0] <= dark)
                fills = drawn & (source[..., 0] >= light)
                assert lines.sum() > 200, (category, variant)
                assert (tinted[lines][:, :3] == line).all(), (colour.id, category, variant)
                assert (tinted[fills][:, :3] == source[fills][:, :3] * rgb // 255).all()
                assert (tinted[..., 3] == source[..., 3]).all()


def test_snow_hair_outline_was_grey_and_is_brown_now_on_the_card(atlas):
    """On a whole card: the pixels of the hair's line art, grey before, are the brown."""
    compositor = Compositor(atlas)
    manifest = atlas.manifest
    recipe = make_recipe(manifest.catalog, manifest.texts["en"], name="Crumb", language="en", seed=3,
                         atlas_version=atlas.version, issued=dt.date(2026, 11, 26))
    recipe = replace(recipe, hair_color="snow", parts=tuple(
        (c, v if c in ("background", "back_hair", "body", "face", "front_hair") else None) for c, v in recipe.parts))
    card = np.asarray(compositor.render(recipe)).astype(int)
    sprite, (x, y), _ = atlas.sprite("front_hair", recipe.part("front_hair"))
    source = np.asarray(sprite).astype(int)
    solid_line = (source[..., 3] == 255) & (source[..., 0] <= manifest.catalog.hair_outline[1])
    on_card = card[y:y + sprite.height, x:x + sprite.width][solid_line]
    assert np.abs(on_card - (74, 44, 34)).max() <= 1
    grey = np.asarray(tint(sprite, (250, 250, 255))).astype(int)[solid_line][:, :3]  # the old pure multiply
    assert (grey.min(axis=1) >= 80).all()  # grey, not brown


def test_an_atlas_without_hair_outline_multiplies_every_tone_as_before(atlas):
    sprite = atlas.straight("front_hair", "00")
    source = np.asarray(sprite).astype(int)
    without = Catalog.read({"categories": [], "hair_colors": []})
    assert without.hair_outline is None
    plain = np.asarray(tint(sprite, (255, 226, 96), without.hair_outline)).astype(int)
    assert (plain[..., :3] == source[..., :3] * np.array([255, 226, 96]) // 255).all()
