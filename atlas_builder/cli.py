"""`citizen-atlas`: build, stats, preview and verify the sprite atlas. Parses and hands off."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from service.atlas import format as fmt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="citizen-atlas", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="validate assets/, resize once, pack, publish a new version")
    build.add_argument("--assets", type=Path, default=Path("assets"))
    build.add_argument("--out", type=Path, default=Path("build/atlas"))
    build.add_argument("--cache", type=Path, default=None, help="resized-sprite cache (default OUT/.cache)")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    gc = sub.add_parser("gc", help="delete atlas versions that stopped being current before a date")
    gc.add_argument("--atlas", type=Path, default=Path("build/atlas"))
    gc.add_argument("--keep-since", required=True, type=_utc_date,
                    help="keep every version current at any time since this date (YYYY-MM-DD or ISO time, UTC): "
                         "cards minted since then may name it")
    gc.add_argument("--dry-run", action="store_true", help="only print what would be removed")
    for name, text in (("stats", "print distinct cookies and atlas size"),
                       ("verify", "check a built atlas against its manifest hashes"),
                       ("preview", "draw a contact sheet of every part")):
        command = sub.add_parser(name, help=text)
        command.add_argument("--atlas", type=Path, default=Path("build/atlas"))
        if name == "preview":
            command.add_argument("-o", "--output", type=Path, default=Path("sheet.png"))
        if name == "stats":
            command.add_argument("--json", action="store_true",
                                 help="print the full draw odds as JSON (what GET /odds serves)")
    args = parser.parse_args(argv)
    return {"build": _build, "stats": _stats, "verify": _verify, "preview": _preview,
            "gc": _gc}[args.command](args)


def _utc_date(text: str) -> dt.datetime:
    when = dt.datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def _gc(args: argparse.Namespace) -> int:
    from .publish import gc

    if not (args.atlas / fmt.VERSIONS).is_dir():
        print(f"citizen-atlas: no atlas versions under {args.atlas}", file=sys.stderr)
        return 1
    removed = gc(args.atlas, args.keep_since, dry_run=args.dry_run)
    verb = "would remove" if args.dry_run else "removed"
    for retired in removed:
        print(f"{verb} {retired.version} (current until {retired.current_until:%Y-%m-%d %H:%M:%S} UTC)")
    print(f"{len(removed)} version(s) {verb}; kept every version current since {args.keep_since:%Y-%m-%d %H:%M} UTC "
          f"and the current one")
    return 0


def _build(args: argparse.Namespace) -> int:
    from .build import build
    from .validate import InvalidAssets

    try:
        report = build(args.assets, args.out, args.cache, progress=not args.quiet)
    except InvalidAssets as exc:
        print(f"citizen-atlas: {exc}\nnothing was published.", file=sys.stderr)
        return 1
    print(f"published atlas {report.version} -> {report.directory}\n"
          f"  {report.sprites} sprites on {report.pages} page(s), {report.atlas_bytes / 2**20:.1f} MiB raw\n"
          f"  resized {report.cache_misses} part(s), {report.cache_hits} from cache")
    return 0


def _stats(args: argparse.Namespace) -> int:
    import json

    from service.odds import Odds

    from .catalog import count_combinations

    try:
        directory = fmt.resolve(args.atlas)
        manifest = fmt.read(directory)
    except fmt.AtlasError as exc:
        print(f"citizen-atlas: {exc}", file=sys.stderr)
        return 1
    catalog = manifest.catalog
    odds = Odds.of(catalog)
    published = odds.published()
    if args.json:
        print(json.dumps({"atlasVersion": manifest.version, **published}, ensure_ascii=False, indent=1))
        return 0
    size = sum(f.stat().st_size for f in directory.iterdir())
    print(f"atlas {manifest.version} at {directory}")
    print("  category   variants  drawn on   rarest variants (probability on a cookie)")
    for category, entry in zip(catalog.categories, published["categories"]):
        shown = 1 - entry["none"]
        kind = "required" if category.required else f"{shown:6.1%}"
        even = shown / len(category.variants)
        rare = sorted((p, v) for v, p in entry["variants"].items() if p < 0.75 * even)[:4]
        rarest = ", ".join(f"{v} {p:.2%}" for p, v in rare)
        print(f"  {category.id:<11} {len(category.variants):>3}     {kind:>8}   {rarest}")
    print(f"  hair colours {len(catalog.hair_colors)}")
    for rule in published["rules"]:
        print(f"  rule {rule['id']}: never {' x '.join(rule['slots'])} in {rule['forbidden']} combination(s)")
    print(f"combinations of parts: {count_combinations(catalog):,}")
    print(f"distinct cookies: {odds.count():,} (after {len(published['rules'])} compatibility rule(s))")
    print(f"atlas size: {size / 2**20:.1f} MiB in {len(manifest.pages)} page(s) + "
          f"{len(manifest.templates)} templates, {len(manifest.sprites)} sprites")
    return 0


def _verify(args: argparse.Namespace) -> int:
    try:
        directory = fmt.resolve(args.atlas)
    except fmt.AtlasError as exc:
        print(f"citizen-atlas: {exc}", file=sys.stderr)
        return 1
    problems = fmt.verify(directory)
    for problem in problems:
        print(f"citizen-atlas: {problem}", file=sys.stderr)
    if not problems:
        print(f"atlas {directory.name} OK")
    return 1 if problems else 0


def _preview(args: argparse.Namespace) -> int:
    from service.atlas.pages import Atlas

    from .preview import contact_sheet

    contact_sheet(Atlas(args.atlas)).save(args.output)
    print(f"contact sheet written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
