"""What the art team delivers in assets/: the catalog, the card layout and the texts.

    assets/catalog.json        categories in draw order, variants, hair colours
    assets/layout.json         card geometry, colours, font sizes (data, not code)
    assets/texts/<lang>.json   labels, address parts and entry reasons per language
    assets/parts/<category>/NN.png   source art, RGBA on the shared canvas
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from service.atlas.sections import Catalog
from service.fonts import LANGUAGES  # the one list of card languages
from service.odds import Odds


# The product's part categories (SPEC §3/§4). The catalog orders them (draw order);
# a folder or catalog entry outside this set is a mistake worth reporting.
REQUIRED_CATEGORIES = ("face", "body", "eyes", "mouth", "front_hair")
OPTIONAL_CATEGORIES = ("background", "face_paint", "glasses", "crown", "sticker", "back_hair")
CATEGORIES = REQUIRED_CATEGORIES + OPTIONAL_CATEGORIES


@dataclass(frozen=True)
class Assets:
    """The parsed contents of an assets directory (not yet checked: see validate)."""

    root: Path
    catalog: dict
    layout: dict
    texts: dict[str, dict]

    def source_path(self, variant: dict) -> Path:
        return self.root / variant["file"]


def load_json(path: Path, problems: list[str]) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{path}: file is missing")
    except (OSError, ValueError) as exc:
        problems.append(f"{path}: not valid JSON ({exc})")
    return {}


def count_combinations(catalog: Catalog) -> int:
    """Every combination of parts: the product of variant counts (+1 "none" for optional
    categories) times the number of hair colours (SPEC §4's figure, before any rule)."""
    counts = [len(c.variants) + (0 if c.required else 1) for c in catalog.categories]
    return math.prod(counts) * len(catalog.hair_colors)


def count_cookies(catalog: Catalog) -> int:
    """Distinct cookies that can be drawn: the combinations that break no compatibility
    rule and have odds above zero (exact; service.odds)."""
    return Odds.of(catalog).count()


def read_assets(root: Path) -> Assets:
    """Parse assets/ without checking the art (see validate.load_and_validate)."""
    root = Path(root)
    problems: list[str] = []
    assets = Assets(root, load_json(root / "catalog.json", problems), load_json(root / "layout.json", problems),
                    {lang: load_json(root / "texts" / f"{lang}.json", problems) for lang in LANGUAGES})
    if problems:
        raise FileNotFoundError("; ".join(problems))
    return assets
