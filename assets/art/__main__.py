"""python -m assets.art: draw every part into <assets>/parts after checking <assets>/catalog.json."""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

from .catalog import catalog_problems, part_file, read_catalog
from .categories import CATEGORIES, problems_of, render


ASSETS = Path(__file__).resolve().parent.parent
# Stickers and backgrounds take longest: start them first so the pool ends together.
HEAVY_FIRST = {"sticker": 0, "background": 1}


def render_task(task: tuple[str, str, str]) -> tuple[str, str, int, list[str]]:
    """Render one part and write it; runs in a pool worker (only ids cross the process boundary)."""
    category_id, variant_id, assets = task
    category = CATEGORIES[category_id]
    image = render(category, category.variant(variant_id))
    out = Path(assets) / part_file(category_id, variant_id)
    image.save(out, optimize=True)
    return category_id, variant_id, out.stat().st_size, problems_of(category, image)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assets.art", description=__doc__.split(":", 1)[1].strip())
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", nargs="*", choices=list(CATEGORIES), metavar="CATEGORY",
                        help=f"render only these categories (of {', '.join(CATEGORIES)})")
    parser.add_argument("--assets", type=Path, default=ASSETS,
                        help="the assets directory: reads its catalog.json, writes its parts/ (default: %(default)s)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    problems = catalog_problems(read_catalog(args.assets / "catalog.json"))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    todo = args.only or list(CATEGORIES)
    tasks = []
    for category_id in todo:
        folder = args.assets / "parts" / category_id
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()
        tasks += [(category_id, variant_id, str(args.assets)) for variant_id in CATEGORIES[category_id].ids]
    tasks.sort(key=lambda task: (HEAVY_FIRST.get(task[0], 2), task[:2]))
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            results = list(pool.imap_unordered(render_task, tasks, chunksize=2))
    else:
        results = [render_task(task) for task in tasks]

    for category_id in todo:
        size = sum(r[2] for r in results if r[0] == category_id)
        print(f"  {category_id:<11} {len(CATEGORIES[category_id].variants):>3} parts  {size / 1e6:6.2f} MB")
    print(f"wrote {len(results)} parts ({sum(r[2] for r in results) / 1e6:.2f} MB) "
          f"in {time.perf_counter() - started:.1f}s")
    warnings = sorted((c, v, p) for c, v, _, ps in results for p in ps)
    for category_id, variant_id, problem in warnings:
        print(f"WARNING {category_id}/{variant_id}: {problem}", file=sys.stderr)
    return 1 if warnings else 0


if __name__ == "__main__":
    sys.exit(main())
