"""The stored variants (service/render/variants.py): sizes, formats, and a social image built for the crop."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image, ImageChops

from service.card_files import FILES, VARIANTS, parse_variants
from service.recipe import make_recipe
from service.atlas.pages import Atlas
from service.render.compositor import Compositor
from service.render.variants import VariantMaker


@pytest.fixture(scope="module")
def card(atlas_dir) -> Image.Image:
    atlas = Atlas(atlas_dir)
    manifest = atlas.manifest
    recipe = make_recipe(manifest.catalog, manifest.texts["ko"], name="준성맛 쿠키", language="ko", seed=7,
                         atlas_version=atlas.version, issued=dt.date(2026, 11, 26))
    return Compositor(atlas).render(recipe)


def test_every_variant_decodes_at_its_size_and_type(card):
    made, seconds = VariantMaker(tuple(VARIANTS)).make(card)
    assert [name for name, _ in made] == list(VARIANTS) and seconds > 0
    formats = {"image/webp": "WEBP", "image/jpeg": "JPEG", "image/png": "PNG"}
    for name, data in made:
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == formats[FILES[name].content_type], name
            assert image.size == (FILES[name].width, FILES[name].height), name
    sizes = dict((name, len(data)) for name, data in made)
    assert sizes["thumb"] < sizes["og"]


def test_social_image_keeps_the_card_inside_what_previews_crop(card):
    maker = VariantMaker(("og",))
    social = maker.social(card)
    assert social.size == (1200, 630)
    # Where the card landed: everything that differs from the empty branded canvas.
    x0, y0, x1, y1 = ImageChops.difference(social, maker.canvas).getbbox()
    # summary_large_image shows 2:1 (1200x600 of the middle: rows 15..615), Facebook 1.91:1 (1200x628):
    # the card (with its shadow) stays inside both, with room to spare.
    assert 15 + 30 <= y0 and y1 <= 615 - 30
    assert 0 < x0 and x1 < 1200
    # the card itself is drawn whole (scaled, not cropped): its header colour at its top-left inside
    w, h = maker.card_size
    assert abs(w / h - 1200 / 760) < 0.01


def test_parse_variants_names_unknown_ones():
    assert parse_variants("og, webp,og") == ("og", "webp")
    assert parse_variants("") == ()
    with pytest.raises(ValueError, match="'gif'"):
        parse_variants("og,gif")
