"""Card text: cached-glyph lines equal Pillow's, fitting and wrapping stay in their boxes."""

import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from service import fonts
from service.render.glyphs import GlyphCache
from service.render.text import TextPainter

ASSETS = Path(__file__).resolve().parent.parent / "assets"
LAYOUT = json.loads((ASSETS / "layout.json").read_text())


def painter(language="en"):
    return TextPainter({w: fonts.face_for(language, w) for w in ("Bold", "Regular")}, LAYOUT)


@pytest.mark.parametrize("language", ["ko", "ja", "zh-TW"])
def test_cached_glyph_lines_are_pixel_identical_to_imagedraw(language):
    cache = GlyphCache()
    texts = ["Gingerbrave Jr.", "WAVE fff iii Tj", "0859-2852-9663", "준성맛 쿠키", "骨直公勇 クッキー"]
    for lang in ("en", "ko", "ja", "zh-TW"):
        data = json.loads((ASSETS / "texts" / f"{lang}.json").read_text())
        texts += data["reasons"][:12] + data["address_streets"][:6]
    for weight, size in (("Bold", 64), ("Bold", 28), ("Regular", 28), ("Regular", 21)):
        font = fonts.load(fonts.face_for(language, weight), size)
        for text in texts:
            expected = Image.new("RGB", (1900, 110), (255, 248, 236))
            actual = expected.copy()
            ImageDraw.Draw(expected).text((7, 80), text, font=font, fill=(84, 46, 24), anchor="ls")
            cache.draw(ImageDraw.Draw(actual), (7, 80), text, font, (84, 46, 24))
            assert actual.tobytes() == expected.tobytes(), (weight, size, text)


def test_name_shrinks_to_fit_then_gives_up_below_the_floor():
    p, spec = painter(), LAYOUT["fields"]["name"]
    assert p.fit_size("Crumb", spec) == spec["size"]
    long = "W" * 24
    size = p.fit_size(long, spec)
    assert size is not None and spec["min_size"] <= size < spec["size"]
    assert p.width(long, spec["weight"], size) <= spec["width"]
    assert p.fit_size("W" * 60, spec) is None


def test_reason_wraps_into_at_most_its_lines_within_the_width():
    p, spec = painter(), LAYOUT["fields"]["reason"]
    text = "Followed the smell of cinnamon rolls all the way across the Milk River at dawn"
    size, lines = p.layout_block(text, spec)
    assert 1 < len(lines) <= spec["lines"]
    assert all(p.width(line, spec["weight"], size) <= spec["width"] for line in lines)
    assert " ".join(lines) == text
    cjk = painter("ja")
    size, lines = cjk.layout_block("クッキー王国のお菓子の地図屋さんを開きたくてはるばるやってきました", spec)
    assert "".join(lines) == "クッキー王国のお菓子の地図屋さんを開きたくてはるばるやってきました"
