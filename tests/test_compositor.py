"""The fast path against the real atlas: zero-copy sprites, determinism, tint, oracle agreement."""

from __future__ import annotations

import datetime as dt
import io
import random
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from service.atlas import format as fmt
from service.atlas.catalog import load_atlas_info
from service.atlas.pages import Atlas
from service.errors import InvalidName
from service.names import validate_name
from service.recipe import make_recipe
from service.render.compositor import Compositor, draw_text_fields, tint
from service.render.reference import ReferenceRenderer

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("ko", "en", "ja", "zh-TW")
NAMES = {"ko": "준성맛 쿠키", "en": "Gingerbrave", "ja": "抹茶クッキー", "zh-TW": "珍珠奶茶餅乾"}
DAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def compositor(atlas_dir) -> Compositor:
    return Compositor(Atlas(atlas_dir))


def recipe_for(compositor: Compositor, seed: int, language: str = "ko", name: str | None = None):
    manifest = compositor.atlas.manifest
    return make_recipe(manifest.catalog, manifest.texts[language], name=name or NAMES[language],
                       language=language, seed=seed, atlas_version=compositor.atlas.version, issued=DAY)


def decode(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        assert image.mode == "RGB"
        return np.asarray(image)


def test_sprite_views_share_memory_with_the_mapping(atlas_dir: Path, tmp_path: Path):
    copy = tmp_path / "atlas"
    shutil.copytree(fmt.resolve(atlas_dir), copy)
    atlas = Atlas(copy)
    sprite, _, _ = atlas.sprite("sticker", "00")
    rect = atlas.manifest.sprites["sticker/00"]
    entry = atlas.manifest.pages[rect.page]
    page = copy / entry.file
    offset = (rect.y * entry.width + rect.x) * 4
    with page.open("r+b") as handle:  # write through the file: a copy would not see it
        handle.seek(offset)
        handle.write(bytes([1, 2, 3, 4]))
    assert sprite.getpixel((0, 0)) == (1, 2, 3, 4)
    with page.open("r+b") as handle:
        handle.seek(offset)
        handle.write(bytes([9, 8, 7, 6]))
    assert sprite.getpixel((0, 0)) == (9, 8, 7, 6)


def test_same_inputs_give_byte_identical_pngs(compositor):
    first = compositor.render_png(recipe_for(compositor, 42))
    again = Compositor(Atlas(compositor.atlas.directory)).render_png(recipe_for(compositor, 42))
    assert first == again
    assert compositor.render_png(recipe_for(compositor, 43)) != first


def test_output_is_rgb_png_of_the_layout_size(compositor):
    pixels = decode(compositor.render_png(recipe_for(compositor, 7)))
    layout = compositor.atlas.manifest.layout
    assert pixels.shape == (layout.height, layout.width, 3)


def test_hair_takes_the_recipe_colour(compositor):
    base = recipe_for(compositor, 5)
    colours = [c.id for c in compositor.atlas.manifest.catalog.hair_colors]
    other = next(c for c in colours if c != base.hair_color)
    a = np.asarray(compositor.render(base)).astype(int)
    b = np.asarray(compositor.render(replace(base, hair_color=other))).astype(int)
    changed = np.abs(a - b).max(axis=2) > 0
    sprite, (x, y), _ = compositor.atlas.sprite("front_hair", base.part("front_hair"))
    hair_box = changed[y:y + sprite.height, x:x + sprite.width]
    assert hair_box.mean() > 0.05  # the hair pixels changed colour
    outside = changed.copy()
    outside[y:y + sprite.height, x:x + sprite.width] = False
    back = base.part("back_hair")
    if back is not None:
        bs, (bx, by), _ = compositor.atlas.sprite("back_hair", back)
        outside[by:by + bs.height, bx:bx + bs.width] = False
    assert not outside.any()  # and nothing else did


def test_shaded_hair_equals_the_tint_of_the_rgba_sprite(compositor):
    """The palette tint from shades.la gives exactly what `tint` gives over the sprite,
    premultiplied as the pages are (atlas format 4)."""
    atlas = compositor.atlas
    tinted = [c for c in atlas.manifest.catalog.categories if c.tinted]
    assert tinted and len(atlas.manifest.shade_offsets) == sum(len(c.variants) for c in tinted)
    colours = list(compositor.hair_rgb)
    for i, (category, variant) in enumerate((c.id, v.id) for c in tinted for v in c.variants):
        colour = colours[i % len(colours)]
        sprite, _, _ = atlas.sprite(category, variant)
        fast, _, _ = compositor.layer(category, variant, colour)
        assert fast.mode == sprite.mode == "RGBa"
        slow = tint(sprite, compositor.hair_rgb[colour], compositor.outline).convert("RGBa")
        assert fast.tobytes() == slow.tobytes(), (category, variant, colour)


def test_fast_path_matches_the_reference_render(compositor):
    reference = ReferenceRenderer(ROOT / "assets")
    rng = random.Random(2026)
    worst = 1.0
    for i in range(52):
        recipe = recipe_for(compositor, rng.randrange(2**63), LANGUAGES[i % 4])
        fast = decode(compositor.render_png(recipe)).astype(int)
        slow = decode(reference.render_png(recipe)).astype(int)
        close = (np.abs(fast - slow).max(axis=2) <= 3).mean()
        worst = min(worst, close)
    assert worst >= 0.999, f"worst recipe had only {worst:.4%} of pixels within 3"


def test_everything_a_request_draws_lies_inside_the_band(compositor):
    """Only the band is composed per card; sprites and the widest texts must stay in it."""
    y0, y1 = compositor.band
    for rect in compositor.atlas.manifest.sprites.values():
        assert y0 <= rect.card_y and rect.card_y + rect.h <= y1
    for language in LANGUAGES:
        texts = compositor.texts[language]
        template = np.asarray(compositor.atlas.template(language))
        longest = lambda items: max(items, key=len)  # noqa: E731
        for seed in range(3):
            recipe = replace(recipe_for(compositor, seed, language, "W" * 24 if seed else "gjpqy|"),
                             reason=longest(texts.reasons), number="8888-8888-8888",
                             address=texts.address_format.format(number=188, street=longest(texts.address_streets),
                                                                 district=longest(texts.address_districts)))
            card = compositor.atlas.template(language).copy()
            draw_text_fields(card, recipe, texts, compositor.painters[language])
            pixels = np.asarray(card)
            assert (pixels[:y0] == template[:y0]).all() and (pixels[y1:] == template[y1:]).all()


def test_banded_png_decodes_to_the_full_render(compositor):
    recipe = recipe_for(compositor, 99, "ja")
    assert (decode(compositor.render_png(recipe)) == np.asarray(compositor.render(recipe))).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(alphabet=st.sampled_from("AbWgjy 1'.-준성맛쿠키あアン骨直é") | st.characters(codec="utf-8"),
                   min_size=1, max_size=30),
       language=st.sampled_from(LANGUAGES))
def test_every_accepted_name_renders(compositor, name, language):
    info = load_atlas_info(compositor.atlas.directory)
    try:
        accepted = validate_name(name, language, fits=info.fits(language), coverage=info.coverage[language])
    except InvalidName:
        return
    png = compositor.render_png(recipe_for(compositor, 1, language, accepted))
    assert decode(png).shape == (760, 1200, 3)
