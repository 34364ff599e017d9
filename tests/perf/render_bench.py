"""Render micro-benchmark: per-card CPU time of the fast path and the reference path,
stage by stage, on the same 200 fixed recipes, in one process; the blend broken down
into its parts (template band, sprite wrapping, tint, each layer), and the same code
under the other PIL builds of `make bench-envs` (stock Pillow, pillow-simd at -O0).

    .venv/bin/python tests/perf/render_bench.py [--runs 3] [--reference-runs 1]
    .venv/bin/python tests/perf/render_bench.py --loop 12   (the card loop alone, for a profiler)
    build/stockenv/bin/python tests/perf/render_bench.py --json out.json   (one build, no report)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PIL import Image  # noqa: E402

from service.atlas.format import sprite_key  # noqa: E402
from service.render.reference import ReferenceRenderer  # noqa: E402
from service.recipe import make_recipe  # noqa: E402
from service.atlas.pages import Atlas  # noqa: E402
from service.render.compositor import Compositor, tint  # noqa: E402
from tests.perf.report import ROOT, build_label, machine, write_section  # noqa: E402

LANGUAGES = ("ko", "en", "ja", "zh-TW")
NAMES = ("준성맛 쿠키", "Gingerbrave", "抹茶ラテ", "珍珠奶茶餅乾", "Custard Cookie III", "용감한 쿠키")
STAGES = ("blend", "text", "encode")
# The other builds `make bench-envs` creates: label -> interpreter.
BUILDS = {"stock Pillow": ROOT / "build" / "stockenv" / "bin" / "python",
          "pillow-simd -O0": ROOT / "build" / "o0env" / "bin" / "python"}
CLOCK = time.thread_time_ns  # CPU time of this thread: immune to other processes' load


def recipes(atlas: Atlas, count: int = 200) -> list:
    rng = random.Random(20261126)
    manifest = atlas.manifest
    out = []
    for i in range(count):
        language = LANGUAGES[i % 4]
        out.append(make_recipe(manifest.catalog, manifest.texts[language], name=NAMES[i % len(NAMES)],
                               language=language, seed=rng.randrange(2**63), atlas_version=atlas.version,
                               issued=dt.date(2026, 11, 26)))
    return out


def one_run(renderer, batch: list) -> dict[str, float]:
    """Median per-card CPU milliseconds per stage."""
    samples = {stage: [] for stage in (*STAGES, "total")}
    for recipe in batch:
        t0 = CLOCK()
        card = renderer.blend(recipe)
        t1 = CLOCK()
        renderer.draw_text(card, recipe)
        t2 = CLOCK()
        renderer.encode(card, recipe.language)
        t3 = CLOCK()
        for stage, ns in zip((*STAGES, "total"), (t1 - t0, t2 - t1, t3 - t2, t3 - t0)):
            samples[stage].append(ns / 1e6)
    return {stage: statistics.median(values) for stage, values in samples.items()}


def blend_parts(compositor: Compositor, recipe, parts: dict[str, float]):
    """Compositor.blend step by step with a clock around each step (adds CPU ms into
    `parts`); the band must come out equal to blend()'s (checked in main)."""
    y0, _ = compositor.band
    t0 = CLOCK()
    band = compositor.template_band(recipe.language)
    t1 = CLOCK()
    parts["template band"] += t1 - t0
    for category, variant in recipe.parts:
        if variant is None:
            continue
        t0 = CLOCK()
        sprite, (x, y), opaque = compositor.atlas.sprite(category, variant)
        t1 = CLOCK()
        parts["sprite wrapping"] += t1 - t0
        if category in compositor.tinted:
            sprite, _, _ = compositor.layer(category, variant, recipe.hair_color)
            t0, t1 = t1, CLOCK()
            parts["tint"] += t1 - t0
        box = (x, y - y0, x + sprite.width, y - y0 + sprite.height)
        if opaque:
            band.im.paste(sprite.im, box)
        else:
            band.im.paste(sprite.im, box, sprite.im)
        parts[f"layer: {category}"] += CLOCK() - t1
    return band


class StraightPages:
    """The atlas's sprites in straight alpha, as format 3 stored them: each page
    un-premultiplied once into bytes of the same stride, sprites wrapped over them as
    format 3's Atlas.sprite mapped them. For the candidates below, which are the blends
    before format 4 (measured beside it, so the premultiplied pages are a choice)."""

    def __init__(self, atlas: Atlas) -> None:
        self.atlas = atlas
        self._pages = []
        for entry in atlas.manifest.pages:
            page = Image.frombytes(atlas.manifest.sprite_mode, (entry.width, entry.height),
                                   (atlas.directory / entry.file).read_bytes())
            self._pages.append((page.convert("RGBA").tobytes(), entry.width))

    def sprite(self, category: str, variant: str):
        rect = self.atlas.manifest.sprites[sprite_key(category, variant)]
        data, width = self._pages[rect.page]
        stride = width * 4
        view = memoryview(data)[rect.y * stride + rect.x * 4:][:rect.h * stride]
        image = Image.frombuffer("RGBA", (rect.w, rect.h), view, "raw", "RGBA", stride, 1)
        return image, (rect.card_x, rect.card_y), rect.opaque


def blend_straight(compositor: Compositor, recipe, straight: StraightPages):
    """A candidate: the shipped blend before format 4, sprites in straight alpha pasted
    through themselves (Pillow's straight blend); the hair as shipped."""
    y0, _ = compositor.band
    band = compositor.template_band(recipe.language)
    for category, variant in recipe.parts:
        if variant is None:
            continue
        if category in compositor.tinted:
            sprite, (x, y), opaque = compositor.layer(category, variant, recipe.hair_color)
        else:
            sprite, (x, y), opaque = straight.sprite(category, variant)
        box = (x, y - y0, x + sprite.width, y - y0 + sprite.height)
        if opaque:
            band.im.paste(sprite.im, box)
        else:
            band.im.paste(sprite.im, box, sprite.im)
    return band


def blend_alpha_composite(compositor: Compositor, recipe, straight: StraightPages):
    """A candidate: the portrait window composed in straight RGBA with `alpha_composite`
    (pillow-simd's AVX2 kernel), then pasted into the RGB band once (the hair converted
    back to straight alpha for it: ~0.03 ms of its time)."""
    layout = compositor.layout.portrait
    px, py, pw, ph = layout.box
    y0, _ = compositor.band
    band = compositor.template_band(recipe.language)
    portrait = None
    for category, variant in recipe.parts:
        if variant is None:
            continue
        if category in compositor.tinted:
            sprite, (x, y), opaque = compositor.layer(category, variant, recipe.hair_color)
            sprite = sprite.convert("RGBA")
        else:
            sprite, (x, y), opaque = straight.sprite(category, variant)
        if opaque:
            portrait = sprite.copy()
            continue
        if portrait is None:
            portrait = Image.new("RGBA", (pw, ph), (*layout.background, 255))
        portrait.alpha_composite(sprite, (x - px, y - py))
    band.paste(portrait, (px, py - y0))
    return band


def blend_point_tint(compositor: Compositor, recipe, straight: StraightPages):
    """The first pass's blend, measured for comparison: straight sprites, hair tinted by
    `point()` over the RGBA sprite (and the band copied once more)."""
    y0, _ = compositor.band
    band = compositor.atlas.template_rows(recipe.language, *compositor.band).copy()
    for category, variant in recipe.parts:
        if variant is None:
            continue
        sprite, (x, y), opaque = straight.sprite(category, variant)
        if category in compositor.tinted:
            sprite = tint(sprite, compositor.hair_rgb[recipe.hair_color])
        band.paste(sprite, (x, y - y0), None if opaque else sprite)
    return band


def breakdown_run(compositor: Compositor, batch: list, straight: StraightPages) -> dict[str, float]:
    """Mean CPU ms per card of each part of the blend, and of the candidate blends."""
    parts: dict[str, float] = defaultdict(float)
    for recipe in batch:
        blend_parts(compositor, recipe, parts)
    out = {name: ns / 1e6 / len(batch) for name, ns in parts.items()}
    # Whole blends run one after another (warmer caches than "fast: blend", which alternates
    # with text and encode): compare these rows with each other.
    for label, candidate in (("shipped blend, blend after blend", lambda c, r, _: c.blend(r)),
                             ("candidate: straight-alpha pages (format 3)", blend_straight),
                             ("candidate: alpha_composite portrait", blend_alpha_composite),
                             ("candidate: point() tint (first pass)", blend_point_tint)):
        t0 = CLOCK()
        for recipe in batch:
            candidate(compositor, recipe, straight)
        out[label] = (CLOCK() - t0) / 1e6 / len(batch)
    return out


def measure(args) -> dict:
    """Everything for one PIL build, in this interpreter."""
    atlas = Atlas(args.atlas)
    batch = recipes(atlas)
    fast, reference = Compositor(atlas), ReferenceRenderer(ROOT / "assets")
    for recipe in batch[:8]:  # the breakdown replays blend(): it must compose the same band
        assert blend_parts(fast, recipe, defaultdict(float)).tobytes() == fast.blend(recipe).tobytes()
    for renderer in (fast, reference):  # warm caches (fonts, glyphs, decoded sources)
        for recipe in batch[:8]:
            renderer.render_png(recipe)
    fast_runs = [one_run(fast, batch) for _ in range(args.runs)]
    straight = StraightPages(atlas)
    for recipe in batch[:8]:  # the format 3 candidate composes the same card, within rounding
        shipped, before = fast.blend(recipe).tobytes(), blend_straight(fast, recipe, straight).tobytes()
        assert max(abs(a - b) for a, b in zip(shipped, before)) <= 2
    parts_runs = [breakdown_run(fast, batch, straight) for _ in range(args.runs)]
    ref_batch = batch[:args.reference_cards]
    ref_runs = [one_run(reference, ref_batch) for _ in range(args.reference_runs)]
    return {"build": build_label(), "fast": fast_runs, "parts": parts_runs, "reference": ref_runs}


def med(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def spread(runs: list[dict], key: str) -> str:
    values = [r[key] for r in runs]
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def report(results: dict[str, dict], args) -> str:
    """results: label -> measure() output; the first is the service's build."""
    labels = list(results)
    ours = results[labels[0]]
    lines = ["## Render micro-benchmark (one process, per card)", "", f"Machine: {machine()}", "",
             f"`.venv/bin/python tests/perf/render_bench.py --runs {args.runs} --reference-runs {args.reference_runs}`:"
             " 200 fixed recipes (seeded), 4 languages, CPU time of the rendering"
             " thread per stage, median over the recipes; then median (min-max) over runs. The reference path"
             f" renders the first {args.reference_cards} of the recipes.", "",
             "| path | blend ms | text ms | encode ms | total ms |", "|---|---|---|---|---|"]
    lines.append(f"| fast (atlas + ISA-L PNG), {args.runs} runs | "
                 + " | ".join(spread(ours["fast"], s) for s in (*STAGES, "total")) + " |")
    if ours["reference"]:
        lines.append(f"| reference (resize per draw + Pillow PNG), {args.reference_runs} run(s) | "
                     + " | ".join(spread(ours["reference"], s) for s in (*STAGES, "total")) + " |")
        ratio = med(ours["reference"], "total") / med(ours["fast"], "total")
        lines += ["", f"Reference / fast, total CPU per card: **{ratio:.1f}x**."]
    # Per stage, per build: the same code under each PIL build, in this run.
    lines += ["", "### The same code under each PIL build (same run)", "",
              "Builds: " + "; ".join(f"**{label}** = {results[label]['build']}" for label in labels) + ".", "",
              "| stage (CPU ms per card) | " + " | ".join(labels) + " | fastest, and by how much |",
              "|---|" + "---|" * len(labels) + "---|"]

    def row(name: str, values: list[float | None]) -> str:
        known = [(v, label) for v, label in zip(values, labels) if v is not None]
        best, winner = min(known)
        others = [v for v, label in known if label != winner]
        margin = f"{winner}, {min(others) / best:.2f}x ahead of the next" if others and best > 0 else winner
        cells = " | ".join("-" if v is None else f"{v:.3f}" for v in values)
        return f"| {name} | {cells} | {margin} |"

    part_names = list(ours["parts"][0])
    for stage in (*STAGES, "total"):
        lines.append(row(f"fast: {stage}", [med(results[label]["fast"], stage) for label in labels]))
        if stage == "blend":
            for part in part_names:
                lines.append(row(f"&nbsp;&nbsp;{part}", [med(results[label]["parts"], part)
                                                        if part in results[label]["parts"][0] else None
                                                        for label in labels]))
    if all(results[label]["reference"] for label in labels):
        lines.append(row("reference: total", [med(results[label]["reference"], "total") for label in labels]))
    lines += ["", "Blend parts are means per card (optional layers are absent from some cards). The last three blend"
              " rows are whole blends run one after another, so their caches are warmer than in \"fast: blend\""
              " (which alternates with text and encode): compare them with each other. They are measured so the"
              " shipped blend is a choice, not a guess."]
    return "\n".join(lines)


def card_loop(atlas_dir: Path, seconds: float) -> None:
    """What a worker does, and nothing else (the profile of docs/img/render-flamegraph.svg):
    `py-spy record --native -o out.svg -- python tests/perf/render_bench.py --loop 12`."""
    compositor = Compositor(Atlas(atlas_dir))
    batch, cards, end = recipes(compositor.atlas), 0, time.monotonic() + seconds
    while time.monotonic() < end:
        for recipe in batch:
            compositor.render_png(recipe)
        cards += len(batch)
    print(f"{cards} cards in {seconds:g} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reference-runs", type=int, default=1)
    parser.add_argument("--reference-cards", type=int, default=50)
    parser.add_argument("--atlas", type=Path, default=ROOT / "build" / "atlas")
    parser.add_argument("--json", type=Path, help="measure this interpreter's build only, write the results here")
    parser.add_argument("--builds", default=",".join(BUILDS), help="other builds to run (comma-separated labels)")
    parser.add_argument("--loop", type=float, metavar="SECONDS",
                        help="only render the recipes' PNGs over and over, for a profiler, then exit")
    args = parser.parse_args()
    if args.loop:
        card_loop(args.atlas, args.loop)
        return
    if args.json:
        args.json.write_text(json.dumps(measure(args)))
        return
    results = {"pillow-simd -O3": measure(args)}
    for label in filter(None, args.builds.split(",")):
        python = BUILDS[label]
        if not python.exists():
            print(f"no {python}: skipping {label} (make bench-envs creates it)")
            continue
        out = ROOT / "build" / "bench" / f"render-{label.replace(' ', '_')}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(python), __file__, "--json", str(out), "--runs", str(args.runs), "--reference-runs",
                        str(args.reference_runs), "--reference-cards", str(args.reference_cards),
                        "--atlas", str(args.atlas)], check=True, cwd=ROOT)
        results[label] = json.loads(out.read_text())
    (ROOT / "build" / "bench").mkdir(parents=True, exist_ok=True)
    (ROOT / "build" / "bench" / "render.json").write_text(json.dumps(results, indent=1))
    body = report(results, args)
    print(body)
    if args.reference_runs:
        write_section("render", body)


if __name__ == "__main__":
    main()
