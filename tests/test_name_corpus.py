"""A corpus of names players type (tests/corpus/names.tsv): each is either drawn, with every
cluster's glyphs present (no tofu, checked by rendering), inside the name slot, or
refused with its code."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from service.atlas.sections import Layout
from service.errors import InvalidName
from service.fonts import font_table
from service.names import validate_name
from service.render import itemize
from service.render.text import painter_for

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = Layout.read(json.loads((ROOT / "assets" / "layout.json").read_text()))
NAME = LAYOUT.fields["name"]
RULE_Y = LAYOUT.decoration.rules[0][0][1]


def load_corpus() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in (ROOT / "tests" / "corpus" / "names.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            language, expected, script, name = line.split("\t")
            rows.append((language, expected, script, re.sub(r"\\u\{([0-9A-F]+)\}", lambda m: chr(int(m[1], 16)), name)))
    return rows


CORPUS = load_corpus()


@cache
def painter(language: str):
    return painter_for(font_table(), language, LAYOUT)


def test_corpus_is_large_and_varied():
    assert len(CORPUS) >= 300
    scripts = {script for _, _, script, _ in CORPUS}
    assert len(scripts) >= 15
    assert sum(expected == "ok" for _, expected, _, _ in CORPUS) >= 250
    assert {language for language, _, _, _ in CORPUS} == {"ko", "en", "ja", "zh-TW"}


def _ink(p, line, size: int) -> np.ndarray:
    image = Image.new("RGB", (1400, 160), (0, 0, 0))
    p.glyphs.draw(image, ImageDraw.Draw(image), (20, 110), line, p.chains["Bold"], size, (255, 255, 255))
    return np.asarray(image)


@cache
def _tofu(language: str, face: int) -> bytes:
    """What a face's .notdef (glyph 0) looks like at 42 px."""
    from service.render.shaping import ShapedLine

    return _ink(painter(language), ShapedLine(((face, 0, 0.0, 0.0),), 1.0), 42).tobytes()


@pytest.mark.parametrize(("language", "expected", "script", "name"), CORPUS,
                         ids=[f"{i}-{row[2]}-{row[1]}" for i, row in enumerate(CORPUS)])
def test_name_is_drawn_whole_or_refused_with_its_code(language, expected, script, name):
    p = painter(language)

    def check():
        return validate_name(name, language, fits=lambda n: p.fit_name(n, NAME) is not None, coverage=p.coverage)

    if expected != "ok":
        with pytest.raises(InvalidName) as info:
            check()
        assert info.value.code == expected
        return
    text = check()
    fit = p.fit_name(text, NAME)
    shaper = p.shaper("Bold")
    for line in fit.lines:
        assert all(gid != 0 for _, gid, _, _ in shaper.shape(line).glyphs), line  # no .notdef glyph
    for cluster in itemize.CLUSTER.findall(text):  # each cluster alone draws ink, and not a tofu box
        if cluster == " ":
            continue
        line = shaper.shape(cluster)
        ink = _ink(p, line, 42)
        assert ink.any(), f"U+{ord(cluster[0]):04X} draws nothing"
        assert all(ink.tobytes() != _tofu(language, face) for face, _, _, _ in line.glyphs)
    card = Image.new("RGB", (1200, 400), (0, 0, 0))
    p.draw_name(card, text, replace(NAME, color=(255, 255, 255)))
    rows = np.nonzero(np.asarray(card).max(axis=(1, 2)))[0]
    cols = np.nonzero(np.asarray(card).max(axis=(0, 2)))[0]
    assert NAME.label_baseline + 3 <= rows.min() and rows.max() < RULE_Y, (rows.min(), rows.max())
    assert NAME.x - 6 <= cols.min() and cols.max() < NAME.x + NAME.width + 6
