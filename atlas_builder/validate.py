"""Check everything in assets/ before building, and report every problem at once."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from service import odds
from service.atlas.fields import FormatError
from service.atlas.sections import Catalog, Portrait

from .catalog import CATEGORIES, LANGUAGES, REQUIRED_CATEGORIES, Assets, load_json
from .resize import Sprite

MIN_TEXTS = 40


class InvalidAssets(Exception):
    """The art or its catalog has problems; nothing was published."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the assets:\n" + "\n".join(f"  - {p}" for p in problems))
        self.problems = problems


def load_and_validate(root: Path) -> Assets:
    """Parse assets/ and check it; raise InvalidAssets listing every problem."""
    root = Path(root)
    problems: list[str] = []
    catalog = load_json(root / "catalog.json", problems)
    texts = {lang: load_json(root / "texts" / f"{lang}.json", problems) for lang in LANGUAGES}
    assets = Assets(root, catalog, load_json(root / "layout.json", problems), texts)
    if catalog:
        problems += _catalog_problems(assets)
    for lang, text in texts.items():
        problems += _text_problems(lang, text)
    if problems:
        raise InvalidAssets(problems)
    return assets


def _catalog_problems(assets: Assets) -> list[str]:
    catalog = assets.catalog
    problems = []
    categories = catalog.get("categories", [])
    ids = [c.get("id") for c in categories]
    for cid in ids:
        if cid not in CATEGORIES:
            problems.append(f"catalog.json: unknown category {cid!r} (known: {', '.join(CATEGORIES)})")
    for cid in CATEGORIES:
        if cid not in ids:
            problems.append(f"catalog.json: category {cid!r} is missing")
    for category in categories:
        if category.get("id") in REQUIRED_CATEGORIES and not category.get("required"):
            problems.append(f"catalog.json: category {category['id']!r} must be required")
        if not category.get("variants"):
            problems.append(f"catalog.json: category {category.get('id')!r} has no variants")
    if not catalog.get("hair_colors"):
        problems.append("catalog.json: no hair colours")
    for colour in catalog.get("hair_colors", []):
        rgb = colour.get("rgb")
        if not (isinstance(rgb, list) and len(rgb) == 3 and all(isinstance(v, int) and 0 <= v <= 255 for v in rgb)):
            problems.append(f"catalog.json: hair colour {colour.get('id')!r} needs rgb as three 0..255 integers")
        problems += _missing_languages(f"hair colour {colour.get('id')!r} names", colour.get("names"))
        if "adjective" in colour:
            problems += _missing_languages(f"hair colour {colour.get('id')!r} adjective", colour["adjective"])
    for category in categories:
        for variant in category.get("variants", []):
            problems += _missing_languages(f"{category.get('id')}/{variant.get('id')} describe",
                                           variant.get("describe"))
            if "describe_colored" in variant:
                problems += _pattern_problems(f"{category.get('id')}/{variant.get('id')} describe_colored",
                                              variant["describe_colored"])
    problems += _odds_problems(catalog)
    problems += _outline_problems(catalog.get("hair_outline"))
    canvas = catalog.get("canvas", {})
    size = (canvas.get("width"), canvas.get("height"))
    referenced = set()
    for category in categories:
        for variant in category.get("variants", []):
            path = assets.source_path(variant)
            referenced.add(path.resolve())
            problems += _image_problems(path, size)
    parts_dir = assets.root / "parts"
    if parts_dir.is_dir():
        for folder in sorted(p for p in parts_dir.iterdir() if p.is_dir()):
            if folder.name not in CATEGORIES:
                problems.append(f"parts/{folder.name}/: unknown category folder")
            for png in sorted(folder.glob("*.png")):
                if png.resolve() not in referenced and folder.name in CATEGORIES:
                    problems.append(f"parts/{folder.name}/{png.name}: not referenced by catalog.json")
    return problems


def clipping_problems(portrait: Portrait, canvas: tuple[int, int],
                      parts: list[tuple[str, str, str, Sprite]]) -> list[str]:
    """Parts the portrait window would clip: each (category, id, file, sprite) is a part
    resized into the window and trimmed to its pixels with alpha > 0. What the card shows is
    the window, and of it only the scaled canvas (the art stops at the canvas's edge), so a
    part touching either edge is cut off in some card. Opaque parts (backgrounds) fill the
    window by design; the categories in `portrait.cut_at_bottom` may run out at the bottom."""
    ox, oy = portrait.canvas_offset
    width, height = portrait.box[2:]
    left, top = max(0, ox), max(0, oy)
    right = min(width, ox + round(canvas[0] * portrait.canvas_scale))
    bottom = min(height, oy + round(canvas[1] * portrait.canvas_scale))
    problems = [f"layout.json: portrait.cut_at_bottom names {name!r}, which is not a category"
                for name in portrait.cut_at_bottom if name not in CATEGORIES]
    for category, variant, file, sprite in parts:
        if sprite.image.getchannel("A").getbbox() is None:
            continue  # an empty part (trimmed to one transparent pixel) shows nothing to clip
        x0, y0 = sprite.x, sprite.y
        x1, y1 = x0 + sprite.image.width, y0 + sprite.image.height
        cut = [side for side, clipped in (("top", y0 <= top), ("left", x0 <= left), ("right", x1 >= right),
                                          ("bottom", y1 >= bottom and category not in portrait.cut_at_bottom))
               if clipped]
        if cut:
            problems.append(f"{category}/{variant} ({file}): clipped at the {' and '.join(cut)} of the portrait "
                            f"window (its pixels span x {x0}..{x1}, y {y0}..{y1} of the window; the visible "
                            f"canvas is x {left}..{right}, y {top}..{bottom}): move or shrink it in the art")
    return problems


def _outline_problems(spec) -> list[str]:
    """hair_outline (optional): {"rgb": [r, g, b], "tones": [dark, light]}, 0 <= dark < light <= 255."""
    if spec is None:
        return []
    rgb, tones = (spec.get("rgb"), spec.get("tones")) if isinstance(spec, dict) else (None, None)
    if not (isinstance(rgb, list) and len(rgb) == 3 and all(isinstance(v, int) and 0 <= v <= 255 for v in rgb)
            and isinstance(tones, list) and len(tones) == 2 and all(isinstance(v, int) for v in tones)
            and 0 <= tones[0] < tones[1] <= 255):
        return ["catalog.json: hair_outline needs rgb as three 0..255 integers and tones [dark, light] "
                "with 0 <= dark < light <= 255"]
    return []


def _odds_problems(catalog: dict) -> list[str]:
    """Draw odds and compatibility rules (service.odds): a rule naming a part that does
    not exist, a probability out of range, rules that leave nothing to draw; first the
    catalog as the atlas format reads it (a field of the wrong type, named)."""
    try:
        typed = Catalog.read(catalog)
    except FormatError as exc:
        return [str(exc)]
    return odds.problems(typed)


def _missing_languages(what: str, table) -> list[str]:
    """Alt texts need every language: report the ones a catalog entry lacks."""
    missing = [lang for lang in LANGUAGES if not (isinstance(table, dict) and table.get(lang))]
    return [f"catalog.json: {what} lacks {', '.join(missing)}"] if missing else []


def _pattern_problems(what: str, table) -> list[str]:
    """A colour pattern needs every language, each with one {color} slot and no other field."""
    problems = _missing_languages(what, table)
    for lang, pattern in (table.items() if isinstance(table, dict) else ()):
        if not isinstance(pattern, str) or pattern.count("{color}") != 1 or \
                pattern.replace("{color}", "").count("{") + pattern.replace("{color}", "").count("}"):
            problems.append(f"catalog.json: {what} ({lang}) needs exactly one {{color}} and no other braces")
    return problems


def _image_problems(path: Path, size: tuple) -> list[str]:
    if not path.is_file():
        return [f"{path}: referenced by catalog.json but missing"]
    try:
        with Image.open(path) as image:
            mode, actual = image.mode, image.size
            # Every chunk and its CRC up to IEND: a truncated or damaged file fails here,
            # without inflating the pixels (the build decodes each part once, to resize
            # it, and reports a part that still cannot be decoded there).
            image.verify()
    except Exception as exc:  # Pillow raises many types for corrupt files
        return [f"{path}: cannot be decoded ({exc})"]
    problems = []
    if mode != "RGBA":
        problems.append(f"{path}: mode {mode}, expected RGBA")
    if actual != size:
        problems.append(f"{path}: canvas {actual[0]}x{actual[1]}, expected {size[0]}x{size[1]}")
    return problems


def _text_problems(lang: str, text: dict) -> list[str]:
    if not text:
        return []
    problems = []
    for key in ("address_districts", "address_streets", "reasons"):
        values = text.get(key, [])
        if len(values) < MIN_TEXTS:
            problems.append(f"texts/{lang}.json: {key} has {len(values)} entries, needs at least {MIN_TEXTS}")
    for key in ("title", "subtitle", "labels", "footer", "date_format", "address_format", "month_names",
                "alt_format", "list_separator", "list_last_separator"):
        if key not in text:
            problems.append(f"texts/{lang}.json: missing {key!r}")
    return problems
