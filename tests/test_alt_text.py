"""Alt text (service.alt_text): every variant with every hair colour, grammatical in all four languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from service.alt_text import FEATURES, HAIR, Describer
from service.atlas.sections import Catalog, Texts
from service.recipe import Recipe

ROOT = Path(__file__).resolve().parent.parent
CATALOG = json.loads((ROOT / "assets" / "catalog.json").read_text(encoding="utf-8"))
LANGUAGES = ("en", "ko", "ja", "zh-TW")
TEXTS = {lang: json.loads((ROOT / "assets" / "texts" / f"{lang}.json").read_text(encoding="utf-8"))
         for lang in LANGUAGES}
DESCRIBER = Describer(Catalog.read(CATALOG), {lang: Texts.read(t, f"{lang}.json") for lang, t in TEXTS.items()})
CATEGORIES = {c["id"]: c for c in CATALOG["categories"]}
BASE = {c["id"]: c["variants"][0]["id"] if c["required"] else None for c in CATALOG["categories"]}
VOWEL_SOUND_EXCEPTIONS = ("uni", "use", "one", "eu")  # spelled with a vowel, said with a consonant


def recipe(language: str, colour: str, parts: dict) -> Recipe:
    return Recipe(name="Crumb", language=language, seed=1, atlas_version="v", parts=tuple(parts.items()),
                  hair_color=colour, number="0000-0000-0000", issued="2026-11-26", address="", reason="")


def every_description():
    """(language, colour, category, variant, hair phrase, sentence) for every variant and colour."""
    for language in LANGUAGES:
        for colour in CATALOG["hair_colors"]:
            for category in FEATURES + ("body",):
                for variant in CATEGORIES[category]["variants"]:
                    parts = {**BASE, category: variant["id"]}
                    phrase = DESCRIBER.hair(category, variant["id"], colour["id"], language) \
                        if category in HAIR else None
                    yield language, colour, category, variant["id"], phrase, DESCRIBER.describe(
                        recipe(language, colour["id"], parts))


DESCRIPTIONS = list(every_description())


def english_problems(colour: dict, phrase: str | None, sentence: str) -> list[str]:
    problems = []
    adjective = colour["adjective"]["en"]
    for article, word in re.findall(r"\b(a|an|A|An) ([A-Za-z][\w-]*)", sentence):
        lower = word.lower()
        wants_an = lower[0] in "aeiou" and not lower.startswith(VOWEL_SOUND_EXCEPTIONS)
        if (article.lower() == "an") != wants_an:
            problems.append(f"{article!r} before {word!r}")
    colour_words = {colour["names"]["en"], adjective}
    for word in colour_words:
        if re.search(rf"\b{re.escape(word)} (a|an|the)\b", sentence):
            problems.append(f"an article after the colour {word!r}")
    if phrase is not None:
        if adjective not in phrase:
            problems.append(f"the colour is missing from {phrase!r}")
        if phrase.endswith(adjective):
            problems.append(f"the colour ends {phrase!r}: it must come before a noun")
    if not sentence[0].isupper() or not sentence.endswith("."):
        problems.append("not a capitalised sentence with a full stop")
    return problems


def korean_problems(colour: dict, phrase: str | None, sentence: str) -> list[str]:
    problems = []
    for before, particle in re.findall(r"(.)(을|를) ", sentence):
        if "\uac00" <= before <= "\ud7a3":
            batchim = (ord(before) - 0xAC00) % 28 != 0
            if (particle == "을") != batchim:
                problems.append(f"particle {particle} after {before}")
    if phrase is not None:
        adjective = colour["adjective"]["ko"]
        if not re.search(rf"(^| ){re.escape(adjective)} \S", phrase):
            problems.append(f"the colour is not a separate modifier before a noun in {phrase!r}")
    if "색색" in sentence:
        problems.append("doubled 색")
    return problems


def japanese_problems(colour: dict, phrase: str | None, sentence: str) -> list[str]:
    problems = []
    if "のの" in sentence:
        problems.append("doubled の")
    if " " in sentence:
        problems.append("a space in Japanese text")
    if phrase is not None:
        adjective = colour["adjective"]["ja"]
        if not adjective.endswith("の") or phrase.endswith(adjective):
            problems.append(f"the colour must modify a noun with の in {phrase!r}")
    return problems


def chinese_problems(colour: dict, phrase: str | None, sentence: str) -> list[str]:
    problems = []
    if "的的" in sentence or "色色" in sentence:
        problems.append("a doubled character")
    if " " in sentence:
        problems.append("a space in Chinese text")
    if phrase is not None and phrase.endswith(colour["adjective"]["zh-TW"]):
        problems.append(f"the colour must come before a noun in {phrase!r}")
    return problems


RULES = {"en": english_problems, "ko": korean_problems, "ja": japanese_problems, "zh-TW": chinese_problems}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_variant_with_every_colour_is_grammatical(language):
    checked, failures = 0, []
    for lang, colour, category, variant, phrase, sentence in DESCRIPTIONS:
        if lang != language:
            continue
        checked += 1
        problems = RULES[language](colour, phrase, sentence)
        if "{" in sentence or "}" in sentence or "  " in sentence or sentence != sentence.strip():
            problems.append("a leftover placeholder or stray space")
        if phrase is not None and phrase.count(colour["adjective"][language]) != 1:
            problems.append("the colour is not said exactly once")
        failures += [f"{category}/{variant} {colour['id']}: {p}: {sentence}" for p in problems]
    assert checked == len(CATALOG["hair_colors"]) * sum(len(CATEGORIES[c]["variants"]) for c in FEATURES + ("body",))
    assert not failures, "\n".join(failures[:20])


def test_the_reported_phrase_is_fixed():
    parts = {**BASE, "back_hair": "10"}  # a side ponytail
    sentence = DESCRIBER.describe(recipe("en", "peach", parts))
    assert "peach a side ponytail" not in sentence and "a peach side ponytail" in sentence


def test_an_orange_colour_takes_an():
    catalog = json.loads(json.dumps(CATALOG))
    catalog["hair_colors"][0]["adjective"]["en"] = "orange"
    describer = Describer(Catalog.read(catalog), DESCRIBER.texts)
    assert describer.hair("back_hair", "10", catalog["hair_colors"][0]["id"], "en") == "an orange side ponytail"


def test_older_catalogs_without_colour_patterns_still_read_well():
    catalog = json.loads(json.dumps(CATALOG))
    for category in catalog["categories"]:
        for variant in category["variants"]:
            variant.pop("describe_colored", None)
    for colour in catalog["hair_colors"]:
        colour.pop("adjective")
    describer = Describer(Catalog.read(catalog), DESCRIBER.texts)
    assert describer.hair("back_hair", "10", "peach", "en") == "a peach side ponytail"
    assert describer.hair("back_hair", "00", "peach", "en") == "peach long straight hair"


def test_a_colour_pattern_without_its_slot_fails_the_build(tmp_path: Path):
    from atlas_builder.validate import InvalidAssets, load_and_validate
    from tests.tiny_assets import make_tiny_assets

    tiny = make_tiny_assets(tmp_path / "assets")
    catalog = json.loads((tiny / "catalog.json").read_text())
    hair = next(c for c in catalog["categories"] if c["id"] == "back_hair")
    hair["variants"][0]["describe_colored"] = {"en": "a {colour} bob", "ko": "{color} 단발", "ja": "{color}ボブ"}
    catalog["hair_colors"][0]["adjective"] = {"en": "mint"}
    (tiny / "catalog.json").write_text(json.dumps(catalog))
    with pytest.raises(InvalidAssets) as caught:
        load_and_validate(tiny)
    problems = "\n".join(caught.value.problems)
    assert "back_hair/00 describe_colored (en) needs exactly one {color}" in problems
    assert "back_hair/00 describe_colored lacks zh-TW" in problems
    assert "hair colour 'mint' adjective lacks ko, ja, zh-TW" in problems
