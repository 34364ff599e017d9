"""Shaped text: equal to Pillow's RAQM layout (HarfBuzz + FriBiDi) per script, kerning and
palt applied, right-to-left order, and the name's fitting rule."""

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont, features

from service.atlas.sections import Layout
from service.fonts import font_table
from service.render.text import NameFit, painter_for

ASSETS = Path(__file__).resolve().parent.parent / "assets"
LAYOUT = Layout.read(json.loads((ASSETS / "layout.json").read_text()))
NAME = LAYOUT.fields["name"]


def painter(language="en"):
    return painter_for(font_table(), language, LAYOUT)


def ours(p, text, size, weight="Bold") -> np.ndarray:
    image = Image.new("L", (1100, 130), 0)
    p.glyphs.draw(image, ImageDraw.Draw(image), (10, 95), p.shaper(weight).shape(text), p.chains[weight], size, 255)
    return np.asarray(image, int)


def raqm(p, text, size, weight="Bold", **options) -> np.ndarray:
    face = p.chains[weight][p.shaper(weight).runs(text)[0].face]
    font = ImageFont.truetype(face.path, size, index=face.index, layout_engine=ImageFont.Layout.RAQM)
    image = Image.new("L", (1100, 130), 0)
    ImageDraw.Draw(image).text((10, 95), text, font=font, fill=255, anchor="ls", **options)
    return np.asarray(image, int)


SCRIPTS = [  # (card language, text, RAQM options): one face per line, so RAQM can draw it too
    ("en", "Tokyo WAVE P. Jr. office", {}),
    ("ko", "준성맛 쿠키 용감한", {"language": "ko"}),
    ("ja", "トーキョー・ミライ（さくら）", {"features": ["palt"], "language": "ja"}),
    ("zh-TW", "臺灣的老鷹山貓，骨直", {"language": "zh-Hant"}),
    ("en", "Łukasz Çağatay Ștefan Ελένη", {}),
    ("en", "สมชาย ใจดี น้ำใส", {}),
    ("en", "محمد عبد الله", {"direction": "rtl"}),
    ("en", "שרה לוי", {"direction": "rtl"}),
    ("en", "देवनागरी क्षत्रिय श्री", {}),
]


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow without libraqm")
@pytest.mark.parametrize(("language", "text", "options"), SCRIPTS)
@pytest.mark.parametrize("size", [64, 42, 28])
def test_shaped_lines_match_pillows_raqm_layout(language, text, options, size):
    """Same glyphs, same masks; pen positions may round a pixel apart (HarfBuzz positions
    through FreeType's hinted advances in RAQM, unhinted here)."""
    p = painter(language)
    expected, actual = raqm(p, text, size, **options), ours(p, text, size)
    assert abs(expected.sum() - actual.sum()) <= 0.001 * expected.sum()  # the same glyphs, each once
    assert (np.abs(expected - actual) > 3).mean() <= 0.005


def test_kerning_applied():
    p = painter("en")
    assert p.width("To", "Bold", 64) < p.width("T", "Bold", 64) + p.width("o", "Bold", 64) - 3
    assert p.width("P.", "Bold", 64) < p.width("P", "Bold", 64) + p.width(".", "Bold", 64) - 5


def test_palt_for_japanese_only():
    text = "トーキョー・ミライ"
    assert painter("ja").width(text, "Bold", 64) < 0.9 * 64 * len(text)
    assert painter("zh-TW").width("臺灣的老鷹", "Bold", 64) == 5 * 64  # full width


def test_right_to_left_name_reads_right_to_left_in_a_left_aligned_slot():
    p = painter("en")
    line = p.shaper("Bold").shape("שרה")  # shin resh he
    xs = [x for _, _, x, _ in line.glyphs]
    assert xs == sorted(xs) and line.glyphs[0][2] == 0  # drawn from the slot's left end
    ids = [gid for _, gid, _, _ in line.glyphs]
    assert ids == [gid for _, gid, _, _ in p.shaper("Bold").shape("ה").glyphs + p.shaper("Bold").shape("ר").glyphs
                   + p.shaper("Bold").shape("ש").glyphs]


def test_mixed_direction_runs_in_visual_order():
    p = painter("en")
    runs = p.shaper("Bold").runs("محمد 2000")
    assert [(r.text, r.rtl) for r in runs] == [("2000", False), ("محمد ", True)]
    runs = p.shaper("Bold").runs("Ali علي 7")
    # after Arabic letters the 7 is an Arabic number (W2) and joins the right-to-left part
    assert [(r.text, r.rtl) for r in runs] == [("Ali ", False), ("7", False), ("علي ", True)]


def test_emoji_drawn_in_colour_at_the_lines_size():
    p = painter("ko")
    image = Image.new("RGB", (300, 120), (255, 255, 255))
    p.draw_name(image, "😀", replace(NAME, x=10, baseline=90, middle=60))
    pixels = np.asarray(image, int)
    yellow = (pixels[:, :, 0] > 200) & (pixels[:, :, 1] > 150) & (pixels[:, :, 2] < 100)
    assert yellow.sum() > 1000
    ys, xs = np.nonzero(yellow)
    assert 55 < ys.max() - ys.min() + 1 <= 80  # about the em at 64 px


def test_name_fitting_one_line_then_two_then_refused():
    p, ko = painter("en"), painter("ko")
    assert p.fit_name("Crumb", NAME) == NameFit(64, ("Crumb",))
    size = p.fit_name("Maximilian Gingerbread", NAME).size
    assert NAME.min_size <= size < 64
    fit = ko.fit_name("가나다라마바사아자차카타파하가나다라마바사아자차", NAME)
    assert fit.size == NAME.min_size and "".join(fit.lines) == "가나다라마바사아자차카타파하가나다라마바사아자차"
    assert len(fit.lines[0]) == 12  # balanced
    fit = p.fit_name("MWMWMWMWMW MWMWMWMWMWMWM", NAME)
    assert fit.lines == ("MWMWMWMWMW", "MWMWMWMWMWMWM")
    assert all(p.width(line, "Bold", fit.size) <= NAME.width for line in fit.lines)
    fit = p.fit_name("W" * 24, NAME)  # no space, no CJK: between graphemes as a last resort
    assert fit.lines == ("W" * 12, "W" * 12)
    assert p.fit_name("W" * 60, NAME) is None


def test_short_name_centred_on_the_slots_middle_line():
    p = painter("en")
    tops = []
    for name in ("HH", "H" * 20):
        image = Image.new("L", (1200, 400), 0)
        spec = replace(NAME, color=(255, 255, 255))
        p.draw_name(image.convert("RGB"), name, spec)
        rgb = image.convert("RGB")
        p.draw_name(rgb, name, spec)
        rows = np.nonzero(np.asarray(rgb.convert("L")).max(axis=1))[0]
        tops.append(((rows.min() + rows.max()) / 2))
    assert abs(tops[0] - tops[1]) <= 2  # cap middles on one line whatever the size


def test_reason_wraps_into_at_most_its_lines_within_the_width():
    p, spec = painter(), LAYOUT.fields["reason"]
    text = "Followed the smell of cinnamon rolls all the way across the Milk River at dawn"
    size, lines = p.layout_block(text, spec)
    assert 1 < len(lines) <= spec.lines
    assert all(p.width(line, spec.weight, size) <= spec.width for line in lines)
    assert " ".join(lines) == text
    cjk = painter("ja")
    size, lines = cjk.layout_block("クッキー王国のお菓子の地図屋さんを開きたくてはるばるやってきました", spec)
    assert "".join(lines) == "クッキー王国のお菓子の地図屋さんを開きたくてはるばるやってきました"


@pytest.mark.parametrize("language", ["ko", "en", "ja", "zh-TW"])
def test_simple_lines_skip_the_itemizer_with_the_same_runs(language):
    from service.render import itemize

    shaper = painter(language).shaper("Bold")
    texts = ["0859-2852-9663", "Nov 30, 2026", "2026年11月30日", "서울 12-3 쿠키", "さくら・ミライ", "Zoë Ærø ©",
             "臺灣 100", "ヴァイオリン", "Łódź", "محمد 2000", "Cookie 🍪", "a\u0301", "☕ 7"]
    for text in texts:
        clusters = itemize.CLUSTER.findall(text)
        expected = itemize.runs(clusters, itemize.faces(clusters, shaper.coverage, shaper.emoji))
        assert shaper.runs(text) == expected, text


def test_is_emoji_skips_only_code_points_that_cannot_be_an_emoji_alone():
    from service.render import itemize

    below = [chr(c) for c in range(ord(itemize._LOWEST_EMOJI_PART))]
    assert not any(ch in itemize._EMOJI_JOINERS or itemize._PRESENTATION.match(ch) for ch in below)
    assert itemize._LOWEST_EMOJI_PART in itemize._EMOJI_JOINERS  # the bound is the lowest part, not past it
    assert itemize.is_emoji("\u231a") and itemize.is_emoji("\U0001f36a") and not itemize.is_emoji("A")


def test_glyph_cache_stays_within_its_budget():
    from service.render.glyphs import GlyphCache

    p = painter("ja")
    cache = GlyphCache(budget=200_000)
    line = p.shaper("Bold").shape("あいうえおかきくけこさしすせそたちつてとなにぬねの😀🍪")
    chain = p.chains["Bold"]
    for size in range(42, 65):
        image = Image.new("RGB", (1400, 130))
        cache.draw(image, ImageDraw.Draw(image), (10, 95), line, chain, size, (255, 255, 255))
        assert cache.bytes <= 200_000
    assert cache.bytes > 100_000  # it evicts a quarter, not everything


def test_every_painter_of_a_process_draws_from_one_glyph_cache():
    """The budget is the process's: a cache per language was four budgets per worker."""
    caches = {id(painter(language).glyphs) for language in ("ko", "en", "ja", "zh-TW")}
    assert len(caches) == 1


def test_recurring_lines_are_kept_per_painter_in_the_shared_cache():
    """Two painters of one language with different faces share the glyph cache but never
    each other's composed lines (the line key names the painter, not the language)."""
    table = font_table()
    taiwan_first = {w: (table.chains["zh-TW"][w][0], *chain[1:]) for w, chain in table.chains["en"].items()}
    other = replace(table, chains={**table.chains, "en": taiwan_first})
    spec = LAYOUT.fields["reason"]
    drawn = []
    for p in (painter("en"), painter_for(other, "en", LAYOUT)):
        image = Image.new("RGB", (1200, 300), (255, 255, 255))
        p.draw_field(image, "骨直", spec, dy=-spec.baseline + 150, recurs=True)
        drawn.append(image.tobytes())
    assert drawn[0] != drawn[1]  # the Korean face's 骨 and 直 differ from the Traditional Chinese face's


@pytest.mark.parametrize(("language", "text"), [(language, text) for language, text, _ in SCRIPTS]
                         + [("en", "0859-2852-9663")])
def test_lines_pasted_into_rgb_equal_imagedraws_fill(language, text):
    """Into an RGB image a line is blended by a masked paste of solid ink (the fast path);
    it must give exactly the pixels of ImageDraw's fill through the same mask."""
    p = painter(language)
    line, chain = p.shaper("Bold").shape(text), p.chains["Bold"]
    background = Image.linear_gradient("L").resize((1100, 130)).convert("RGB")  # every blend weight shows
    pasted, filled = background.copy(), background.copy()
    p.glyphs.draw(pasted, None, (10, 95), line, chain, 48, (84, 46, 24))
    p.glyphs.draw(None, ImageDraw.Draw(filled), (10, 95), line, chain, 48, (84, 46, 24))
    assert pasted.tobytes() == filled.tobytes()
    assert pasted.tobytes() != background.tobytes()


def test_ink_kept_between_lines_blends_as_a_fresh_fill():
    """The solid ink is a view into rows kept per colour and regrown for a wider or taller
    line; lines of every size in turn, on one cache, must still equal ImageDraw's fill."""
    p = painter("en")
    chain = p.chains["Bold"]
    for size, text in ((24, "Iii"), (64, "Gingerbrave"), (30, "Custard Cookie III W"), (48, "Ty"), (90, "Wg")):
        line = p.shaper("Bold").shape(text)
        background = Image.linear_gradient("L").resize((1100, 130)).convert("RGB")
        pasted, filled = background.copy(), background.copy()
        p.glyphs.draw(pasted, None, (10, 95), line, chain, size, (84, 46, 24))
        p.glyphs.draw(None, ImageDraw.Draw(filled), (10, 95), line, chain, size, (84, 46, 24))
        assert pasted.tobytes() == filled.tobytes(), (size, text)


@pytest.mark.parametrize(("language", "text"), [(language, text) for language, text, _ in SCRIPTS]
                         + [("en", "a\u0301e\u0300 ff fi"), ("en", "AVAWAT Ty")])
def test_line_masks_composite_every_overlap(language, text):
    """Glyph boxes that reach back over earlier glyphs (marks, kerning, joined scripts) are
    composited "over" what is there; the shortcut for boxes right of all earlier ones must
    give the mask compositing every glyph would."""
    from service.render.glyphs import _pixel

    p = painter(language)
    line, chain, size = p.shaper("Bold").shape(text), p.chains["Bold"], 64
    (left, top), mask, _ = p.glyphs._compose(line, chain, size)
    expected = np.zeros((mask.height, mask.width), np.uint8)
    for face_index, gid, x, y in line.glyphs:
        glyph = p.glyphs.glyph(chain[face_index], gid, size)
        if glyph.mask.mode == "L" and glyph.mask.width:
            gx = _pixel(round(x * size * 64)) + glyph.dx - left
            gy = glyph.dy - _pixel(round(y * size * 64)) - top
            target = expected[gy:gy + glyph.mask.height, gx:gx + glyph.mask.width]
            target[:] = _over(np.asarray(glyph.mask), target)
    assert np.array_equal(np.asarray(mask), expected)


def _over(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Pillow's glyph compositing: s + t*(255-s)/255 where both are set (MULDIV255)."""
    s, t = source.astype(np.uint32), target.astype(np.uint32)
    tmp = t * (255 - s) + 128
    over = np.minimum(s + (((tmp >> 8) + tmp) >> 8), 255)
    return np.where(s > 0, np.where(t > 0, over, s), t).astype(np.uint8)
