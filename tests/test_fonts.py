"""The right regional face per language, Han unification, coverage and loading."""

from __future__ import annotations

import itertools

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from service import fonts


@pytest.fixture(autouse=True)
def _fresh_face_cache():
    fonts.face_for.cache_clear()
    yield
    fonts.face_for.cache_clear()


@pytest.mark.parametrize(("language", "weight", "expected"), [
    ("ko", "Bold", "NotoSansCJKkr-Bold"),
    ("en", "Bold", "NotoSansCJKkr-Bold"),
    ("ja", "Bold", "NotoSansCJKjp-Bold"),
    ("zh-TW", "Bold", "NotoSansCJKtc-Bold"),
    ("ko", "Regular", "NotoSansCJKkr-Regular"),
    ("zh-TW", "Regular", "NotoSansCJKtc-Regular"),
])
def test_face_for_picks_regional_face_by_postscript_name(language, weight, expected):
    face = fonts.face_for(language, weight)
    assert face.postscript_name == expected
    assert face.path.endswith(f"NotoSansCJK-{weight}.ttc")
    # FreeType, opening the file at that index, agrees on which face it is.
    region = expected[len("NotoSansCJK"):len("NotoSansCJK") + 2].upper()
    assert fonts.load(face, 20).getname() == (f"Noto Sans CJK {region}", weight)


def test_face_for_is_cached_and_hashable():
    assert fonts.face_for("ja") is fonts.face_for("ja")
    assert {fonts.face_for("ko"), fonts.face_for("en")} == {fonts.face_for("ko")}


def test_face_for_rejects_unknown_language_and_weight():
    with pytest.raises(ValueError, match="zh-CN"):
        fonts.face_for("zh-CN")
    with pytest.raises(ValueError, match="Thin"):
        fonts.face_for("ko", "Thin")


def test_missing_font_directory_gives_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("CITIZEN_FONT_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="NotoSansCJK-Bold.ttc"):
        fonts.face_for("ko")


def test_font_dir_env_override(monkeypatch, tmp_path):
    monkeypatch.setenv("CITIZEN_FONT_DIR", str(tmp_path))
    assert fonts.font_dir() == str(tmp_path)
    monkeypatch.delenv("CITIZEN_FONT_DIR")
    assert fonts.font_dir() == fonts.FONT_DIR


def test_missing_face_gives_clear_error(monkeypatch, tmp_path):
    # A "collection" with only the Japanese face: asking for Korean must fail loudly.
    from fontTools.ttLib import TTCollection
    src = fonts.face_for("ja", "Regular")
    with TTCollection(src.path, lazy=True) as collection:
        only_jp = TTCollection()
        only_jp.fonts = [collection.fonts[src.index]]
        only_jp.save(str(tmp_path / "NotoSansCJK-Regular.ttc"))
    monkeypatch.setenv("CITIZEN_FONT_DIR", str(tmp_path))
    fonts.face_for.cache_clear()
    assert fonts.face_for("ja", "Regular").index == 0
    with pytest.raises(LookupError, match="NotoSansCJKkr-Regular"):
        fonts.face_for("ko", "Regular")


def _render(ch: str, language: str) -> Image.Image:
    font = fonts.load(fonts.face_for(language, "Bold"), 64)
    image = Image.new("L", (96, 96), 0)
    ImageDraw.Draw(image).text((16, 8), ch, font=font, fill=255)
    assert image.getbbox() is not None, f"{ch} rendered blank for {language}"
    return image


def _differ(ch: str, a: str, b: str) -> bool:
    return ImageChops.difference(_render(ch, a), _render(ch, b)).getbbox() is not None


@pytest.mark.parametrize("ch", ["骨", "直"])
def test_han_unification_japanese_korean_share_but_taiwan_differs(ch):
    assert _differ(ch, "ja", "zh-TW")
    assert _differ(ch, "ko", "zh-TW")
    assert not _differ(ch, "ja", "ko")


@pytest.mark.parametrize("ch", ["公", "勇"])
def test_han_unification_all_three_regions_differ(ch):
    for a, b in itertools.combinations(["ja", "ko", "zh-TW"], 2):
        assert _differ(ch, a, b), (ch, a, b)


def test_en_draws_exactly_like_ko():
    for ch in "Ag骨公준":
        assert not _differ(ch, "en", "ko")


@pytest.mark.parametrize("language", fonts.LANGUAGES)
def test_coverage(language):
    cov = fonts.coverage(language)
    for ch in "AZaz09 준성맛쿠키あアン骨公勇é":
        assert ord(ch) in cov, ch
    for cp in (0xE000, 0x1F600, 0x1F1E6, 0x0000, 0x200B, 0x202E, 0xFEFF, 0xFE0F):
        assert cp not in cov, hex(cp)


def test_coverage_same_for_both_weights():
    bold = fonts.coverage("ja").ranges
    assert fonts.cmap_ranges(fonts.face_for("ja", "Regular")) == bold


def test_coverage_ranges_match_the_cmap_point_by_point():
    from fontTools.ttLib import TTCollection

    face = fonts.face_for("ko")
    with TTCollection(face.path, lazy=True) as collection:
        cmap = set(collection.fonts[face.index].getBestCmap())
    coverage = fonts.coverage("ko")
    assert all(cp in coverage for cp in cmap)
    assert not any(cp in coverage for cp in range(0x110000) if cp not in cmap)


def test_load_uses_basic_layout_and_is_cached():
    face = fonts.face_for("ko")
    font = fonts.load(face, 48)
    assert isinstance(font, ImageFont.FreeTypeFont)
    assert font.layout_engine == ImageFont.Layout.BASIC
    assert font.size == 48
    assert fonts.load(face, 48) is font
    assert fonts.load(face, 49) is not font
    with pytest.raises(ValueError):
        fonts.load(face, 0)


@pytest.mark.parametrize("language", fonts.LANGUAGES)
def test_fallback_chain_starts_with_the_languages_face_and_ends_with_emoji(language):
    for weight in fonts.WEIGHTS:
        chain = fonts.chain_for(language, weight)
        assert chain[0] == fonts.face_for(language, weight)
        assert [f.postscript_name for f in chain[1:6]] == [f"{family}-{weight}" for family in fonts.FALLBACKS[:5]]
        assert fonts.is_emoji(chain[-1]) and not any(fonts.is_emoji(f) for f in chain[:-1])


def test_fallback_faces_cover_the_same_code_points_in_both_weights():
    # the manifest records the Bold chain's coverage; Regular lines rely on it too
    for family in fonts.FALLBACKS:
        bold, regular = ({p for a, b in fonts.cmap_ranges(fonts.fallback_face(family, w)) for p in range(a, b + 1)}
                         for w in ("Bold", "Regular"))
        assert bold <= regular, (family, sorted(bold - regular)[:5])


def test_missing_fallback_font_names_its_package(monkeypatch):
    monkeypatch.setattr(fonts, "FALLBACK_DIR", "/nonexistent")
    fonts.fallback_face.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match="fonts-noto-core"):
            fonts.fallback_face("NotoSansThai", "Bold")
        with pytest.raises(FileNotFoundError, match="fonts-noto-color-emoji"):
            fonts.fallback_face(fonts.EMOJI)
    finally:
        fonts.fallback_face.cache_clear()
