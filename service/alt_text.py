"""A short localized description of a card's cookie, for screen readers (the image's alt).

Built from the catalog's per-variant descriptions and the language's sentence pattern in
assets/texts/<lang>.json, so localizers and the art team own every word of it. Hair
variants carry a `describe_colored` pattern per language with a `{color}` slot placed
where that language puts a colour ("a rounded {color} bob", "긴 {color} 생머리"), and
hair colours an `adjective` form to fill it ("strawberry-pink", "초콜릿색",
"チョコレート色の"); catalogs without them get the colour put in front of the phrase.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from service.atlas.sections import Catalog, Texts
from service.recipe import Recipe

# Which parts a listener hears about, in order; backgrounds and stickers are decoration.
FEATURES = ("front_hair", "back_hair", "eyes", "mouth", "face_paint", "glasses", "crown")
HAIR = ("front_hair", "back_hair")
FALLBACK_PATTERN = ("A cookie with {features}, wearing {outfit}.", ", ", " and ")
"""alt_format, list_separator, list_last_separator for a language an older atlas has none for."""


def _eul(word: str) -> str:
    """Korean object particle: 을 after a final consonant (batchim), else 를."""
    last = word.rstrip()[-1:] or "a"
    return "을" if "\uac00" <= last <= "\ud7a3" and (ord(last) - 0xAC00) % 28 else "를"


def _with_colour(colour: str, phrase: str, language: str) -> str:
    """Older catalogs (no `describe_colored`): the colour in front of the phrase."""
    if language == "ja":
        return f"{colour}の{phrase}"
    if language == "zh-TW":
        return f"{colour}{phrase}"
    if language == "en":
        article, _, rest = phrase.partition(" ")
        if article in ("a", "an") and rest:  # "a side ponytail": "a peach side ponytail"
            return f"{english_article(colour)} {colour} {rest}"
    return f"{colour} {phrase}"


def english_article(word: str) -> str:
    """The English article for a word: "an" before a vowel sound, else "a" (by spelling)."""
    lower = word.lower()
    if lower.startswith(("uni", "use", "usu", "one", "eu")):
        return "a"
    return "an" if lower[:1] in "aeiou" or lower.startswith(("hour", "honest")) else "a"


class Describer:
    """Alt texts for one atlas version's catalog and texts; indexes the catalog once."""

    def __init__(self, catalog: Catalog, texts: Mapping[str, Texts]) -> None:
        self.texts = texts
        self.phrases = {(c.id, v.id): v.describe for c in catalog.categories for v in c.variants}
        self.patterns = {(c.id, v.id): v.describe_colored for c in catalog.categories
                         for v in c.variants if v.describe_colored is not None}
        self.colours = {c.id: c.names for c in catalog.hair_colors}
        self.adjectives = {c.id: c.adjective for c in catalog.hair_colors}

    @staticmethod
    def _local(table: Mapping[str, str], language: str, fallback: str) -> str:
        # An older atlas may lack a language: English, then the id; never an error.
        return table.get(language) or table.get("en") or fallback

    def describe(self, recipe: Recipe) -> str:
        language, parts = recipe.language, dict(recipe.parts)
        texts = self.texts.get(language)
        pattern = FALLBACK_PATTERN if texts is None or texts.alt_format is None else \
            (texts.alt_format, texts.list_separator, texts.list_last_separator)
        alt_format, separator, last_separator = pattern
        features = []
        for category in FEATURES:
            variant = parts.get(category)
            if variant is None:
                continue
            if category in HAIR:
                features.append(self.hair(category, variant, recipe.hair_color, language))
            else:
                features.append(self._local(self.phrases.get((category, variant), {}), language,
                                            category.replace("_", " ")))
        listed = separator.join(features[:-1])
        listed = f"{listed}{last_separator}{features[-1]}" if listed else features[-1]
        outfit = self._local(self.phrases.get(("body", parts.get("body")), {}), language, "clothes")
        sentence = alt_format.format(features=listed, outfit=outfit, eul=_eul(outfit),
                                                eul2=_eul(listed))
        return sentence[0].upper() + sentence[1:]

    def hair(self, category: str, variant: str, colour_id: str, language: str) -> str:
        """A hair part in its colour: "a rounded strawberry-pink bob"."""
        pattern = self.patterns.get((category, variant), {}).get(language)
        adjective = self.adjectives.get(colour_id, {}).get(language)
        if pattern and adjective:
            if language == "en":  # "a {color} bob": the article agrees with the colour
                pattern = re.sub(r"\b[Aa]n? (?=\{color\})", lambda m: f"{english_article(adjective)} ", pattern)
            return pattern.format(color=adjective)
        colour = self._local(self.colours.get(colour_id, {}), language, colour_id)
        phrase = self._local(self.phrases.get((category, variant), {}), language, category.replace("_", " "))
        return _with_colour(colour, phrase, language)
