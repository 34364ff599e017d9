"""`citizen-atlas build`: validate assets, resize once, pack, bake templates, publish."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops
from tqdm import tqdm

from service import fonts
from service.atlas import format as fmt
from service.atlas.fields import FormatError
from service.atlas.sections import Catalog, Layout, Texts
from service.render.template import draw_template
from service.render.text import painter_for

from .catalog import LANGUAGES, Assets
from .pack import pack_apart, paint_pages
from .publish import publish
from .resize import SpriteCache
from .validate import InvalidAssets, clipping_problems, load_and_validate


@dataclass(frozen=True)
class BuildReport:
    version: str
    directory: Path
    sprites: int
    pages: int
    cache_hits: int
    cache_misses: int
    atlas_bytes: int


@dataclass(frozen=True)
class Sections:
    """The checked assets' JSON, typed by the atlas format (what the manifest will hold)."""

    catalog: Catalog
    layout: Layout
    texts: dict[str, Texts]

    @classmethod
    def of(cls, assets: Assets) -> Sections:
        try:
            return cls(Catalog.read(assets.catalog), Layout.read(assets.layout),
                       {lang: Texts.read(assets.texts[lang], f"texts/{lang}.json") for lang in LANGUAGES})
        except FormatError as exc:
            raise InvalidAssets([str(exc)]) from exc


def text_problems(sections: Sections, font_table: fmt.FontTable) -> list[str]:
    """Every address and reason must fit its box at the smallest allowed size."""
    problems = []
    fields = sections.layout.fields
    for lang in LANGUAGES:
        texts = sections.texts[lang]
        painter = painter_for(font_table, lang, sections.layout)
        longest = texts.address_format.format(
            number=188, street=max(texts.address_streets, key=lambda t: painter.width(t, "Regular", 20)),
            district=max(texts.address_districts, key=lambda t: painter.width(t, "Regular", 20)))
        if painter.layout_block(longest, fields["address"]) is None:
            problems.append(f"texts/{lang}.json: longest address does not fit: {longest!r}")
        for reason in texts.reasons:
            if painter.layout_block(reason, fields["reason"]) is None:
                problems.append(f"texts/{lang}.json: reason does not fit in its box: {reason!r}")
    return problems


def shade_table(sprites: dict[str, Image.Image]) -> tuple[bytes, dict[str, int]]:
    """The tinted (hair) parts drawn in greys, as grey + alpha, 2 bytes a pixel, one after
    another: a worker tints one with a 256-colour palette (grey g -> g * colour // 255,
    what `tint` computes) in a single PA -> RGBA conversion, 3.5x faster than `point()`
    over the RGBA sprite, and with no per-colour copies in the atlas (15 colours would add
    148 MB). A tinted part with colour in it has no entry and is tinted with `point()`.
    Returns the bytes and each sprite's offset."""
    chunks, offsets, offset = [], {}, 0
    for key in sorted(sprites):
        red, green, blue, alpha = sprites[key].split()
        if _coloured(red, green, blue, alpha):
            continue
        data = Image.merge("LA", (red, alpha)).tobytes()
        offsets[key] = offset
        chunks.append(data)
        offset += len(data)
    return b"".join(chunks), offsets


def _coloured(red: Image.Image, green: Image.Image, blue: Image.Image, alpha: Image.Image) -> bool:
    """Whether any visible pixel (alpha > 0) has R, G and B not all equal."""
    spread = ImageChops.lighter(ImageChops.difference(red, green), ImageChops.difference(red, blue))
    visible = alpha.point(lambda a: 255 if a else 0)
    return ImageChops.multiply(spread, visible).getbbox() is not None


def build(assets_dir: Path, out: Path, cache_dir: Path | None = None, progress: bool = True) -> BuildReport:
    """Build and atomically publish an atlas version; raise InvalidAssets on any problem."""
    assets = load_and_validate(assets_dir)
    sections = Sections.of(assets)
    font_table = fonts.font_table()
    problems = text_problems(sections, font_table)
    if problems:
        raise InvalidAssets(problems)

    layout, catalog = sections.layout, sections.catalog
    portrait = layout.portrait
    cache = SpriteCache(str(cache_dir or Path(out) / ".cache"))
    variants = [(c, v) for c in catalog.categories for v in c.variants]
    sprites, rects, undecodable = {}, {}, []
    try:
        for category, variant in tqdm(variants, desc="resizing parts", unit="part", disable=not progress):
            key = fmt.sprite_key(category.id, variant.id)
            path = assets.root / variant.file
            try:
                sprite = cache.sprite(path.read_bytes(), portrait, category.opaque)
            except Exception as exc:  # Pillow raises many types for corrupt pixel data
                undecodable.append(f"{path}: cannot be decoded ({exc})")
                continue
            sprites[key] = sprite.image
            rects[key] = (sprite, category.opaque)
    finally:
        cache.close()
    if undecodable:
        raise InvalidAssets(undecodable)
    canvas = assets.catalog["canvas"]
    clipped = clipping_problems(portrait, (canvas["width"], canvas["height"]), [
        (category.id, variant.id, variant.file, rects[fmt.sprite_key(category.id, variant.id)][0])
        for category, variant in variants if not category.opaque])
    if clipped:
        raise InvalidAssets(clipped)

    # Pages store premultiplied alpha (atlas format 4). The shades are made from the stored
    # pixels read back as straight alpha, so a shaded tint equals `tint` of the stored part.
    stored = {key: image.convert("RGBa") for key, image in sprites.items()}
    tinted = {c.id for c in catalog.categories if c.tinted}
    shades, shade_offsets = shade_table({k: im.convert("RGBA") for k, im in stored.items()
                                         if k.split("/")[0] in tinted})
    placements, geometry = pack_apart(stored, set(shade_offsets))
    pages = paint_pages(stored, placements, geometry)
    px, py = portrait.box[:2]
    sprite_table = {
        key: fmt.SpriteRect(page=placements[key].page, x=placements[key].x, y=placements[key].y,
                            w=sprite.image.width, h=sprite.image.height,
                            card_x=px + sprite.x, card_y=py + sprite.y, opaque=opaque)
        for key, (sprite, opaque) in rects.items()
    }
    templates = {
        lang: draw_template(layout, sections.texts[lang], painter_for(font_table, lang, layout))
        for lang in LANGUAGES
    }

    files = {f"page-{i:02d}.rgba": page.tobytes() for i, page in enumerate(pages)}
    files[fmt.SHADES] = shades
    files.update({f"template-{lang}.rgb": image.tobytes() for lang, image in templates.items()})
    hashes = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}

    def manifest(version: str) -> fmt.Manifest:
        return fmt.Manifest(
            version=version, width=layout.width, height=layout.height,
            pages=tuple(fmt.RawFile(f"page-{i:02d}.rgba", geometry.width, geometry.height, 4,
                                    hashes[f"page-{i:02d}.rgba"]) for i in range(geometry.count)),
            templates={lang: fmt.RawFile(f"template-{lang}.rgb", im.width, im.height, 3,
                                         hashes[f"template-{lang}.rgb"]) for lang, im in templates.items()},
            shades=fmt.RawFile(fmt.SHADES, len(shades), 1, 1, hashes[fmt.SHADES]), shade_offsets=shade_offsets,
            sprites=sprite_table, catalog=catalog, layout=layout, texts=sections.texts, fonts=font_table)

    version = fmt.Manifest.version_of(manifest("").body())
    text = manifest(version).to_json()

    def write(directory: Path) -> None:
        for name, data in files.items():
            (directory / name).write_bytes(data)
        (directory / fmt.MANIFEST).write_text(text, encoding="utf-8")

    directory = publish(Path(out), version, write)  # older versions are kept: see publish.py on retention
    return BuildReport(version=version, directory=directory, sprites=len(sprites), pages=geometry.count,
                       cache_hits=cache.hits, cache_misses=cache.misses,
                       atlas_bytes=sum(len(d) for d in files.values()))
