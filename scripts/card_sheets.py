"""The README's card sheets: docs/img/cards-before-after.png and docs/img/cards-40.png.

    .venv/bin/python scripts/card_sheets.py --before /work/main

cards-before-after.png: the same recipes drawn by another checkout (`--before`, e.g. main: its
own citizen-card and atlas, run in a subprocess into a temporary directory, never written to)
and by this one (the recipe moved to this atlas version; its name fitting is recomputed for
this layout's name slot). cards-40.png: 40 new cookies from this atlas, seeds 1..40.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.atlas.pages import Atlas  # noqa: E402 (the checkout's own service, by path)
from service.recipe import Recipe, make_recipe  # noqa: E402
from service.render.compositor import Compositor  # noqa: E402
from service.render.text import painter_for  # noqa: E402

ISSUED = "2026-11-26"
NAMES = {
    "en": ["Gingerbrave Jr.", "Maple Crumbleton", "Sir Snickerdoodle III", "Nguyễn Văn Ánh", "Cookie 🍪",
           "Ali علي 7", "Tokyo WAVE P. Jr.", "Ελένη Παπαδοπούλου", "Oatmeal Rosie", "Biscotti B."],
    "ko": ["준성맛 쿠키", "김민준", "말랑말랑 찹쌀떡 공주님", "준성 😀", "호두과자 기사"],
    "ja": ["抹茶ラテ クッキー", "さくら🌸", "もちもちクッキー大好き王国の姫", "山田太郎", "キャラメル・ラテ"],
    "zh-TW": ["珍珠奶茶餅乾", "鳳梨酥公主", "王小明", "勇敢餅乾🍪", "蔡依林 Jolin"],
}
BEFORE_AFTER = [("en", "Gingerbrave Jr.", 31337), ("ja", "抹茶ラテ クッキー", 777), ("ko", "준성맛 쿠키", 20261126),
                ("zh-TW", "珍珠奶茶餅乾", 8888), ("en", "Sir Snickerdoodle III", 4242),
                ("en", "Maple Crumbleton", 99)]
INK, PAPER, GAP = (84, 46, 24), (250, 246, 240), 24


def before_recipes(checkout: Path, work: Path) -> list[tuple[Image.Image, dict]]:
    """Each BEFORE_AFTER card as `checkout`'s own CLI renders it, with the recipe it wrote."""
    cards = []
    for i, (language, name, seed) in enumerate(BEFORE_AFTER):
        out = work / f"before-{i}.png"
        subprocess.run([str(checkout / ".venv" / "bin" / "citizen-card"), "render", "--name", name, "--lang", language,
                        "--seed", str(seed), "--date", ISSUED, "-o", str(out)], cwd=checkout, check=True,
                       capture_output=True, text=True)
        with Image.open(out) as image:
            cards.append((image.convert("RGB"), json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))))
    return cards


def after(compositor: Compositor, stored: dict) -> Image.Image:
    """The stored recipe's parts and texts on this atlas (the name refitted to this name slot)."""
    moved = {key: value for key, value in stored.items() if key != "nameFit"}
    moved["atlasVersion"] = compositor.atlas.version
    return compositor.render(Recipe.from_json(moved))


def before_after_sheet(pairs: list[tuple[Image.Image, Image.Image]], before_label: str, painter) -> Image.Image:
    width, height = pairs[0][0].width // 2, pairs[0][0].height // 2
    top = 56
    sheet = Image.new("RGB", (2 * width + 3 * GAP, top + len(pairs) * (height + GAP)), PAPER)
    draw = ImageDraw.Draw(sheet)
    for column, label in enumerate((before_label, "issue 15: the new layout and template")):
        painter.draw(draw, label, GAP + column * (width + GAP), 38, weight="Bold", size=26, color=INK)
    for row, cards in enumerate(pairs):
        for column, card in enumerate(cards):
            sheet.paste(card.resize((width, height), Image.Resampling.LANCZOS),
                        (GAP + column * (width + GAP), top + row * (height + GAP)))
    return sheet


def grid_sheet(cards: list[Image.Image], columns: int = 5) -> Image.Image:
    width, height = cards[0].width // 4, cards[0].height // 4
    rows = -(-len(cards) // columns)
    sheet = Image.new("RGB", (columns * (width + GAP // 2) + GAP // 2, rows * (height + GAP // 2) + GAP // 2), PAPER)
    for i, card in enumerate(cards):
        sheet.paste(card.resize((width, height), Image.Resampling.LANCZOS),
                    (GAP // 2 + (i % columns) * (width + GAP // 2), GAP // 2 + (i // columns) * (height + GAP // 2)))
    return sheet


def forty(compositor: Compositor) -> list[Image.Image]:
    manifest = compositor.atlas.manifest
    names = [(language, name) for language, some in NAMES.items() for name in some]
    cards = []
    for seed in range(1, 41):
        language, name = names[(seed * 7) % len(names)]
        recipe = make_recipe(manifest.catalog, manifest.texts[language], name=name, language=language, seed=seed,
                             atlas_version=compositor.atlas.version, issued=dt.date.fromisoformat(ISSUED))
        cards.append(compositor.render(recipe))
    return cards


def save(sheet: Image.Image, path: Path) -> None:
    """As a 256-colour PNG: the cards are flat colours and anti-aliased edges, and the sheets are
    committed, so a third of the size is worth a difference the eye does not see at this scale."""
    sheet.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="a checkout with a .venv and a built atlas")
    parser.add_argument("--before-label", default="main")
    parser.add_argument("--atlas", type=Path, default=ROOT / "build" / "atlas")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args(argv)
    compositor = Compositor(Atlas(args.atlas))
    painter = painter_for(compositor.atlas.manifest.fonts, "en", compositor.layout)
    with tempfile.TemporaryDirectory(prefix="card-sheets-") as work:
        pairs = [(card, after(compositor, stored)) for card, stored in before_recipes(args.before, Path(work))]
    save(before_after_sheet(pairs, args.before_label, painter), args.out / "cards-before-after.png")
    save(grid_sheet(forty(compositor)), args.out / "cards-40.png")
    print(f"wrote {args.out / 'cards-before-after.png'} and {args.out / 'cards-40.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
