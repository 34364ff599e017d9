"""Render micro-benchmark: per-card CPU time of the fast path and the reference path,
stage by stage (blend, text, encode), on the same 200 fixed recipes, in one process.

    .venv/bin/python tests/perf/render_bench.py [--runs 3] [--reference-runs 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from atlas_builder.reference import ReferenceRenderer  # noqa: E402
from service.recipe import make_recipe  # noqa: E402
from service.render.atlas import Atlas  # noqa: E402
from service.render.compositor import Compositor  # noqa: E402
from tests.perf.report import ROOT, machine, spread, write_section  # noqa: E402

LANGUAGES = ("ko", "en", "ja", "zh-TW")
NAMES = ("준성맛 쿠키", "Gingerbrave", "抹茶ラテ", "珍珠奶茶餅乾", "Custard Cookie III", "용감한 쿠키")
STAGES = ("blend", "text", "encode")


def recipes(atlas: Atlas, count: int = 200) -> list:
    rng = random.Random(20261126)
    manifest = atlas.manifest
    out = []
    for i in range(count):
        language = LANGUAGES[i % 4]
        out.append(make_recipe(manifest["catalog"], manifest["texts"][language], name=NAMES[i % len(NAMES)],
                               language=language, seed=rng.randrange(2**63), atlas_version=atlas.version,
                               issued=dt.date(2026, 11, 26)))
    return out


def one_run(renderer, batch: list) -> dict[str, float]:
    """Median per-card CPU milliseconds per stage (thread CPU time, immune to other load)."""
    samples = {stage: [] for stage in (*STAGES, "total")}
    for recipe in batch:
        t0 = time.thread_time_ns()
        card = renderer.blend(recipe)
        t1 = time.thread_time_ns()
        renderer.draw_text(card, recipe)
        t2 = time.thread_time_ns()
        renderer.encode(card, recipe.language)
        t3 = time.thread_time_ns()
        for stage, ns in zip((*STAGES, "total"), (t1 - t0, t2 - t1, t3 - t2, t3 - t0)):
            samples[stage].append(ns / 1e6)
    return {stage: statistics.median(values) for stage, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reference-runs", type=int, default=1)
    parser.add_argument("--atlas", type=Path, default=ROOT / "build" / "atlas")
    args = parser.parse_args()
    atlas = Atlas(args.atlas)
    batch = recipes(atlas)
    fast, reference = Compositor(atlas), ReferenceRenderer(ROOT / "assets")
    for renderer in (fast, reference):  # warm caches (fonts, glyphs, decoded sources)
        for recipe in batch[:8]:
            renderer.render_png(recipe)
    fast_runs = [one_run(fast, batch) for _ in range(args.runs)]
    ref_runs = [one_run(reference, batch) for _ in range(args.reference_runs)]

    def row(label, runs):
        return f"| {label} | " + " | ".join(spread([r[s] for r in runs]) for s in (*STAGES, "total")) + " |"

    if not ref_runs:  # a quick look at the fast path only: print, do not rewrite the report
        print(row(f"fast (atlas + ISA-L PNG), {args.runs} runs", fast_runs))
        return
    ratio = statistics.median(r["total"] for r in ref_runs) / statistics.median(r["total"] for r in fast_runs)
    body = "\n".join([
        "## Render micro-benchmark (one process, per card)",
        "",
        f"Machine: {machine()}",
        "",
        f"`.venv/bin/python tests/perf/render_bench.py --runs {args.runs} --reference-runs {args.reference_runs}`:"
        f" {len(batch)} fixed recipes (seeded), 4 languages, CPU time of the rendering thread per stage,"
        " median over the recipes; then median (min-max) over runs.",
        "",
        "| path | blend ms | text ms | encode ms | total ms |",
        "|---|---|---|---|---|",
        row(f"fast (atlas + ISA-L PNG), {args.runs} runs", fast_runs),
        row(f"reference (resize per draw + Pillow PNG), {args.reference_runs} run(s)", ref_runs),
        "",
        f"Reference / fast, total CPU per card: **{ratio:.1f}x**.",
    ])
    print(body)
    write_section("render", body)


if __name__ == "__main__":
    main()
