"""A short localized description of a card's cookie, for screen readers (the image's alt).

Built from the catalog's per-variant descriptions and the language's sentence pattern in
assets/texts/<lang>.json, so localizers and the art team own every word of it.
"""

from __future__ import annotations

from service.recipe import Recipe

# Which parts a listener hears about, in order; backgrounds and stickers are decoration.
FEATURES = ("front_hair", "back_hair", "eyes", "mouth", "face_paint", "glasses", "crown")
HAIR = ("front_hair", "back_hair")


def _has_final_consonant(word: str) -> bool:
    """Korean object particle 을/를 depends on whether the last syllable has a batchim."""
    last = word.rstrip()[-1:] or "a"
    return "\uac00" <= last <= "\ud7a3" and (ord(last) - 0xAC00) % 28 != 0


def _eul(word: str) -> str:
    return "을" if _has_final_consonant(word) else "를"


def describe(recipe: Recipe, catalog: dict, texts: dict) -> str:
    language = recipe.language
    variants = {(c["id"], v["id"]): v for c in catalog["categories"] for v in c["variants"]}
    colour = next(c for c in catalog["hair_colors"] if c["id"] == recipe.hair_color)["names"][language]
    parts = dict(recipe.parts)
    features = []
    for category in FEATURES:
        variant = parts.get(category)
        if variant is None:
            continue
        phrase = variants[(category, variant)]["describe"][language]
        if category in HAIR:
            phrase = f"{colour} {phrase}" if language in ("en", "ko") else (
                f"{colour}の{phrase}" if language == "ja" else f"{colour}{phrase}")
        features.append(phrase)
    if len(features) > 1:
        listed = texts["list_separator"].join(features[:-1]) + texts["list_last_separator"] + features[-1]
    else:
        listed = features[0]
    outfit = variants[("body", parts["body"])]["describe"][language]
    sentence = texts["alt_format"].format(features=listed, outfit=outfit, eul=_eul(outfit), eul2=_eul(listed))
    return sentence[0].upper() + sentence[1:]
