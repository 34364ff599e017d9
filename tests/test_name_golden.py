"""Golden images of the name slot: a dozen names per card language, drawn and compared
pixel for pixel with PNGs under tests/golden/names/ that were looked at by a person.

After an intended change, regenerate with CITIZEN_UPDATE_GOLDEN=1, look at every image
that changed (git diff lists them) and commit them.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from service.atlas.sections import Layout
from service.fonts import font_table
from service.render.text import painter_for

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "names"
LAYOUT = Layout.read(json.loads((ROOT / "assets" / "layout.json").read_text()))
NAME = LAYOUT.fields["name"]
RULE_Y = LAYOUT.decoration.rules[0][0][1]  # the rule under the name
BOX = (NAME.x - 12, NAME.label_baseline - 16, NAME.x + NAME.width + 14, RULE_Y + 4)  # the name slot, label to rule

NAMES = {
    "ko": ["준성맛 쿠키", "김민준", "가나다라마바사아자차카타파하가나다라마바사아자차", "말랑말랑 찹쌀떡 공주님",
           "Łukasz Żółć", "준성 😀", "Tokyo WAVE P. Jr.", "👨‍👩‍👧‍👦 우리 가족", "🇰🇷 대한민국", "骨直公 쿠키",
           "สมชาย ใจดี", "محمد علي"],
    "en": ["Tokyo WAVE P. Jr.", "Çağatay İnönü", "Ελένη Παπαδοπούλου", "Иван Петров", "Nguyễn Văn Ánh", "שרה לוי",
           "देवनागरी क्षत्रिय", "Ali علي 7", "Cookie 🍪", "👩🏻‍❤️‍💋‍👨🏼 #️⃣", "W" * 24, "1️⃣🇹🇭👍🏽 Şükrü"],
    "ja": ["トーキョー・ミライ", "さくら🌸", "山田太郎", "おいしいクッキーをたべたいな", "骨直公", "勇敢なクッキー",
           "キャラメル・ラテ", "ヴァイオリン", "Tom トム", "「ゆい」ちゃん", "エマ・ワトソン", "もちもちクッキー大好き王国の姫"],
    "zh-TW": ["臺灣的老鷹山貓", "王小明", "珍珠奶茶", "骨直公", "ㄅㄆㄇㄈ", "鳳梨酥公主", "鳳梨酥公主鳳梨酥公主鳳梨酥公主鳳梨酥公主",
              "林志玲 ❤️", "蔡依林 Jolin", "劉德華「華仔」", "小ㄇㄠ", "勇敢餅乾🍪"],
}


def draw(language: str, name: str) -> Image.Image:
    painter = painter_for(font_table(), language, LAYOUT)
    slot = Image.new("RGB", (BOX[2] - BOX[0], BOX[3] - BOX[1]), LAYOUT.background)
    spec = replace(NAME, x=NAME.x - BOX[0], baseline=NAME.baseline - BOX[1])
    painter.draw_name(slot, name, spec)
    return slot


def golden_path(language: str, name: str) -> Path:
    return GOLDEN / f"{language}-{hashlib.sha1(name.encode()).hexdigest()[:10]}.png"


@pytest.mark.parametrize(("language", "name"), [(lang, name) for lang, names in NAMES.items() for name in names])
def test_name_slot_matches_its_golden_image(language, name, tmp_path):
    actual = draw(language, name)
    path = golden_path(language, name)
    if os.environ.get("CITIZEN_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        actual.save(path, optimize=True)
    with Image.open(path) as golden:
        expected = np.asarray(golden.convert("RGB"))
    if not np.array_equal(expected, np.asarray(actual)):
        actual.save(tmp_path / path.name)
        pytest.fail(f"{name!r} ({language}) differs from {path}; this run's image: {tmp_path / path.name}")

