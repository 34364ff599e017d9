"""Variants benchmark (issue 16): CPU per card and bytes per card for each stored file,
and the WebP encoder choices we weighed (lossless vs lossy q85, libwebp's method).

    .venv/bin/python tests/perf/variants_bench.py [--cards 60] [--runs 3] [--no-write]

Same fixed recipes as render_bench.py; CPU time of the rendering thread per card, median
over the cards, then median (min-max) over runs. Bytes are the median file size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PIL import Image  # noqa: E402

from service.card_files import VARIANTS  # noqa: E402
from service.atlas.pages import Atlas  # noqa: E402
from service.render.compositor import Compositor  # noqa: E402
from service.render.variants import VariantMaker, encode_webp  # noqa: E402
from tests.perf.render_bench import recipes  # noqa: E402
from tests.perf.report import ROOT, machine, spread, write_section  # noqa: E402


def measure(fn, cards: list) -> tuple[float, float]:
    """(median CPU ms per card, median bytes) of fn(card) -> bytes."""
    times, sizes = [], []
    for card in cards:
        t0 = time.thread_time_ns()
        data = fn(card)
        times.append((time.thread_time_ns() - t0) / 1e6)
        sizes.append(len(data))
    return statistics.median(times), statistics.median(sizes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--atlas", type=Path, default=ROOT / "build" / "atlas")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/BENCHMARKS.md alone")
    args = parser.parse_args()
    atlas = Atlas(args.atlas)
    compositor = Compositor(atlas)
    batch = recipes(atlas, args.cards)
    cards = [compositor.render(recipe) for recipe in batch]
    maker = VariantMaker(tuple(VARIANTS))
    maker.canvas  # drawn once per worker, not per card

    def card_png(recipe):
        return compositor.render_png(recipe)

    bands = []
    for recipe in batch:
        band = compositor.blend(recipe)
        compositor.draw_text(band, recipe)
        bands.append((band, recipe.language))

    def whole_card(band_language):  # what the worker adds to make any variant: the template around the band
        compositor.whole(*band_language)
        return b""

    thumb = VARIANTS["thumb"]
    rows = {
        "png: the card (blend + text + encode, for scale)": (card_png, batch),
        "whole card from the band (paid once if any variant is on)": (whole_card, bands),
        "webp: lossy q85, method 2 (chosen)": (lambda c: maker.make_one("webp", c), cards),
        "webp: lossy q85, method 4 (libwebp's default)": (lambda c: encode_webp(c, method=4), cards),
        "webp: lossy q85, method 0": (lambda c: encode_webp(c, method=0), cards),
        "webp: lossless, method 0 (fastest lossless)": (lambda c: encode_webp(c, lossless=True, quality=0, method=0),
                                                        cards),
        "webp: lossless, method 4": (lambda c: encode_webp(c, lossless=True, quality=75, method=4), cards),
        "og: 1200x630 social image, JPEG q90 (chosen)": (lambda c: maker.make_one("og", c), cards),
        "og as PNG, ISA-L (not chosen)": (lambda c: _png(maker.social(c)), cards),
        "thumb: 600x380 JPEG q85 (chosen)": (lambda c: maker.make_one("thumb", c), cards),
        "thumb as WebP q85 method 2 (not chosen)": (lambda c: encode_webp(c.reduce(2)), cards),
        "thumb as PNG, ISA-L (not chosen)": (lambda c: _png(c.resize((thumb.width, thumb.height), Image.LANCZOS)),
                                             cards),
    }
    for fn, inputs in rows.values():  # warm up
        fn(inputs[0])
    runs = {label: [measure(fn, inputs) for _ in range(args.runs)] for label, (fn, inputs) in rows.items()}
    lines = [
        "## Card variants (issue 16: WebP, social image, thumbnail)",
        "",
        f"Machine: {machine()}",
        "",
        f"`.venv/bin/python tests/perf/variants_bench.py --cards {args.cards} --runs {args.runs}`: the fixed "
        "recipes of render_bench.py, CPU time of the rendering thread per card (median over cards; median "
        "(min-max) over runs), median bytes per file.",
        "",
        "| file | CPU ms per card | KiB per card |",
        "|---|---|---|",
    ]
    for label, results in runs.items():
        size = statistics.median(r[1] for r in results) / 1024
        size_text = f"{size:.1f}" if not label.startswith("whole") else "-"
        lines.append(f"| {label} | {spread([r[0] for r in results])} | {size_text} |")
    median = {label: statistics.median(r[0] for r in results) for label, results in runs.items()}
    card_ms, whole_ms = median[next(iter(rows))], median[list(rows)[1]]
    chosen = {"og": "og: 1200x630 social image, JPEG q90 (chosen)", "thumb": "thumb: 600x380 JPEG q85 (chosen)",
              "webp": "webp: lossy q85, method 2 (chosen)"}
    lines.append("")
    lines.append("What a deployment adds per card, by CITIZEN_VARIANTS (the whole card once, then each variant), "
                 "against the card's own render:")
    lines.append("")
    for combo in (("og",), ("og", "thumb"), ("og", "thumb", "webp")):
        extra = whole_ms + sum(median[chosen[n]] for n in combo)
        lines.append(f"- `{','.join(combo)}`: +{extra:.2f} ms ({extra / card_ms:.1f}x the card's {card_ms:.2f} ms)")
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section("variants", body)


def _png(image: Image.Image) -> bytes:
    from service.render.png import encode_image

    return encode_image(image)


if __name__ == "__main__":
    main()
