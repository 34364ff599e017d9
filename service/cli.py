"""`citizen-card`: render cards offline (and, later, serve them). Parses and hands off."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from service.errors import InvalidName
from service.fonts import LANGUAGES
from service.recipe import MAX_SEED, Recipe, make_recipe, random_seed

PRINT_DPI = 300
OUTPUT_FORMATS = {".png": "PNG", ".webp": "WEBP", ".jpg": "JPEG", ".jpeg": "JPEG"}
"""What `render -o` writes, by the output's suffix; anything else is refused, not written as PNG."""
SAMPLE_SEEDS = {"ko": 20261126, "en": 31337, "ja": 777, "zh-TW": 8888}
SAMPLE_NAMES = {"ko": "준성맛 쿠키", "en": "Gingerbrave Jr.", "ja": "抹茶ラテ クッキー", "zh-TW": "珍珠奶茶餅乾"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="citizen-card", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    render = sub.add_parser("render", help="render one card (or one per language with --samples)")
    render.add_argument("--name")
    render.add_argument("--lang", choices=LANGUAGES, default="en")
    render.add_argument("--seed", type=int)
    render.add_argument("--date", type=dt.date.fromisoformat, default=None, help="issue date (default today)")
    render.add_argument("--recipe", type=Path, help="render a stored recipe JSON instead of a new one")
    render.add_argument("--reference", action="store_true", help="draw from source art (slow oracle path)")
    render.add_argument("--scale", type=float, default=1.0, help="print scale (reference path, from source art)")
    render.add_argument("--atlas", type=Path, default=Path("build/atlas"),
                        help="atlas root; a --recipe is drawn with the version it names, found under it")
    render.add_argument("--assets", type=Path, default=Path("assets"))
    render.add_argument("--samples", type=Path, help="write one sample card per language into this directory")
    render.add_argument("--dpi", type=int, default=PRINT_DPI,
                        help=f"resolution written into a print render's file (--scale); default {PRINT_DPI}")
    render.add_argument("-o", "--output", type=Path, default=Path("card.png"),
                        help=f"the image; its suffix picks the format: {', '.join(OUTPUT_FORMATS)}")
    serve = sub.add_parser("serve", help="run the HTTP service (flags override CITIZEN_* env vars)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int, help="0 takes any free port; the \"listening\" log line names it")
    serve.add_argument("--storage", help="file://DIR (default file://./data/cards) or s3://BUCKET/PREFIX")
    serve.add_argument("--atlas", type=Path, help="atlas root (default build/atlas, which `make setup` builds)")
    serve.add_argument("--workers", type=int, help="render processes (default: CPU count)")
    serve.add_argument("--renderer", choices=("fast", "reference"), help="reference: slow oracle, for benchmarks")
    serve.add_argument("--public-base-url", help="public origin of this service, e.g. its CDN (share pages and "
                                                 "card URLs are built on it, never on a request's Host)")
    serve.add_argument("--rate-limit", type=float, help="requests/s per client IP, 0 disables (default 10)")
    args = parser.parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    try:
        return _render(args)
    except InvalidName as exc:
        print(f"citizen-card: {exc.message}", file=sys.stderr)
        return 2


def _serve(args: argparse.Namespace) -> int:
    from service.atlas.format import AtlasError
    from service.config import SettingsError, from_env
    from service.server import run

    try:
        settings = from_env(host=args.host, port=args.port, storage=args.storage, atlas=args.atlas,
                            workers=args.workers, renderer=args.renderer, public_base_url=args.public_base_url,
                            rate_limit=args.rate_limit)
    except SettingsError as exc:
        print(f"citizen-card: {exc}", file=sys.stderr)
        return 2
    try:
        run(settings)
    except AtlasError as exc:  # missing or unreadable: the server never builds one itself
        print(f"citizen-card: cannot serve without an atlas: {exc}", file=sys.stderr)
        return 1
    return 0


def _atlas_for(root: Path, recipe: Recipe | None):
    """The atlas to draw with: the version a recipe names (kept under the root's versions/,
    whatever `current` is now), else the current one."""
    from service.atlas import format as fmt
    from service.atlas.pages import Atlas

    if recipe is not None and not (root / fmt.MANIFEST).is_file():
        version_dir = root / fmt.VERSIONS / recipe.atlas_version
        if not (version_dir / fmt.MANIFEST).is_file():
            raise fmt.AtlasError(f"the recipe was drawn with atlas {recipe.atlas_version}, which is not under "
                                 f"{root / fmt.VERSIONS} (removed by `citizen-atlas gc`?)")
        return Atlas(version_dir)
    return Atlas(root)


def _current_version(root: Path) -> str | None:
    from service.atlas import format as fmt

    try:
        return fmt.resolve(root).name
    except fmt.AtlasError:
        return None


def _encode(png: bytes, suffix: str, dpi: int | None) -> bytes:
    """The card in the format of the output's suffix, with its resolution when it is a print."""
    if OUTPUT_FORMATS[suffix] == "PNG" and dpi is None:
        return png
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        options: dict = {"dpi": (dpi, dpi)} if dpi else {}
        if OUTPUT_FORMATS[suffix] != "PNG":
            options["quality"] = 90
        image.save(out, format=OUTPUT_FORMATS[suffix], **options)
        return out.getvalue()


def _render(args: argparse.Namespace) -> int:
    from service.atlas.format import AtlasError
    from service.names import validate_name
    from service.render.compositor import Compositor
    from service.render.text import painter_for

    suffix = args.output.suffix.lower()
    if not args.samples and suffix not in OUTPUT_FORMATS:
        print(f"citizen-card: cannot write {args.output}: give it one of the suffixes "
              f"{', '.join(OUTPUT_FORMATS)}", file=sys.stderr)
        return 2
    stored = Recipe.from_json(json.loads(args.recipe.read_text(encoding="utf-8"))) if args.recipe else None
    try:
        atlas = _atlas_for(args.atlas, stored)
    except AtlasError as exc:
        print(f"citizen-card: {exc}", file=sys.stderr)
        return 2
    manifest = atlas.manifest
    issued = args.date or dt.date.today()

    def new_recipe(name: str, language: str, seed: int | None) -> Recipe:
        painter, spec = painter_for(manifest.fonts, language, manifest.layout), manifest.layout.fields["name"]
        name = validate_name(name, language, fits=lambda n: painter.fit_name(n, spec) is not None,
                             coverage=painter.coverage)
        return make_recipe(manifest.catalog, manifest.texts[language], name=name, language=language,
                           seed=random_seed() if seed is None else seed, atlas_version=atlas.version,
                           issued=issued, name_fit=painter.fit_name(name, spec).as_recipe())

    if args.samples:
        args.samples.mkdir(parents=True, exist_ok=True)
        compositor = Compositor(atlas)
        for language, name in SAMPLE_NAMES.items():
            out = args.samples / f"card-{language}.png"
            out.write_bytes(compositor.render_png(new_recipe(name, language, SAMPLE_SEEDS[language])))
            print(out)
        return 0
    if stored is not None:
        recipe = stored
    elif args.name is not None:
        if args.seed is not None and not 0 <= args.seed <= MAX_SEED:
            print(f"citizen-card: --seed must be between 0 and {MAX_SEED}", file=sys.stderr)
            return 2
        recipe = new_recipe(args.name, args.lang, args.seed)
    else:
        print("citizen-card: give --name (with --lang) or --recipe", file=sys.stderr)
        return 2

    printing = args.scale != 1.0
    if args.reference or printing:
        from service.render.reference import ReferenceRenderer

        renderer = ReferenceRenderer(args.assets, scale=args.scale)
        if stored is not None and atlas.version != _current_version(args.atlas):
            print(f"citizen-card: the recipe was drawn with atlas {recipe.atlas_version}, not the current one: "
                  f"this render draws today's art from {args.assets}, which may differ", file=sys.stderr)
        if args.scale > renderer.max_native_scale:
            print(f"citizen-card: scale {args.scale:g} is past the source art's native "
                  f"{renderer.max_native_scale:g}x: parts are upsampled", file=sys.stderr)
        png = renderer.render_png(recipe)
    else:
        png = Compositor(atlas).render_png(recipe)
    image = _encode(png, suffix, args.dpi if printing else None)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(image)
    args.output.with_suffix(".json").write_text(json.dumps(recipe.to_json(), ensure_ascii=False, indent=1),
                                                encoding="utf-8")
    at = f", {args.dpi} dpi" if printing else ""
    print(f"{args.output} ({len(image):,} bytes{at}, recipe in {args.output.with_suffix('.json')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
