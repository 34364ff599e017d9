"""A short localized description of a card's cookie, for screen readers (the image's alt).

Built from the catalog's per-variant descriptions and the language's sentence pattern in
assets/texts/<lang>.json, so localizers and the art team own every word of it.
"""

from __future__ import annotations

from service.recipe import Recipe

# Which parts a listener hears about, in order; backgrounds and stickers are decoration.
FEATURES = ("front_hair", "back_hair", "eyes", "mouth", "face_paint", "glasses", "crown")
HAIR = ("front_hair", "back_hair")
FALLBACK_PATTERN = {"alt_format": "A cookie with {features}, wearing {outfit}.", "list_separator": ", ",
                    "list_last_separator": " and "}


def _eul(word: str) -> str:
    """Korean object particle: 을 after a final consonant (batchim), else 를."""
    last = word.rstrip()[-1:] or "a"
    return "을" if "\uac00" <= last <= "\ud7a3" and (ord(last) - 0xAC00) % 28 else "를"


def _with_colour(colour: str, phrase: str, language: str) -> str:
    if language == "ja":
        return f"{colour}の{phrase}"
    if language == "zh-TW":
        return f"{colour}{phrase}"
    return f"{colour} {phrase}"


class Describer:
    """Alt texts for one atlas version's catalog and texts; indexes the catalog once."""

    def __init__(self, catalog: dict, texts: dict[str, dict]) -> None:
        self.texts = texts
        self.phrases = {(c["id"], v["id"]): v.get("describe", {}) for c in catalog["categories"]
                        for v in c["variants"]}
        self.colours = {c["id"]: c.get("names", {}) for c in catalog["hair_colors"]}

    @staticmethod
    def _local(table: dict, language: str, fallback: str) -> str:
        # An older atlas may lack a language: English, then the id; never an error.
        return table.get(language) or table.get("en") or fallback

    def describe(self, recipe: Recipe) -> str:
        language, parts = recipe.language, dict(recipe.parts)
        texts = self.texts.get(language, {})
        pattern = texts if "alt_format" in texts else FALLBACK_PATTERN
        colour = self._local(self.colours.get(recipe.hair_color, {}), language, recipe.hair_color)
        features = []
        for category in FEATURES:
            variant = parts.get(category)
            if variant is None:
                continue
            phrase = self._local(self.phrases.get((category, variant), {}), language, category.replace("_", " "))
            features.append(_with_colour(colour, phrase, language) if category in HAIR else phrase)
        listed = pattern["list_separator"].join(features[:-1])
        listed = f"{listed}{pattern['list_last_separator']}{features[-1]}" if listed else features[-1]
        outfit = self._local(self.phrases.get(("body", parts.get("body")), {}), language, "clothes")
        sentence = pattern["alt_format"].format(features=listed, outfit=outfit, eul=_eul(outfit),
                                                eul2=_eul(listed))
        return sentence[0].upper() + sentence[1:]
