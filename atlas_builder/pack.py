"""Pack trimmed sprites into fixed-size atlas pages with rectpack (MaxRects, best short side)."""

from __future__ import annotations

from dataclasses import dataclass

import rectpack
from PIL import Image

PAGE_SIZE = 2048


@dataclass(frozen=True)
class Placement:
    page: int
    x: int
    y: int


def pack(sizes: dict[str, tuple[int, int]], page_size: int = PAGE_SIZE) -> tuple[dict[str, Placement], int]:
    """Place every rectangle (no rotation: sprites are wrapped as-is); returns placements
    by key and the number of pages used. Deterministic for the same input."""
    packer = rectpack.newPacker(mode=rectpack.PackingMode.Offline, bin_algo=rectpack.PackingBin.BFF,
                                pack_algo=rectpack.MaxRectsBssf, rotation=False)
    for key in sorted(sizes):
        width, height = sizes[key]
        if width > page_size or height > page_size:
            raise ValueError(f"sprite {key} ({width}x{height}) is larger than a {page_size} page")
        packer.add_rect(width, height, rid=key)
    # The last row stays free: a sprite is wrapped as `height` rows of the full page
    # stride from its top-left, so a sprite in the bottom row must not end the file.
    packer.add_bin(page_size, page_size - 1, count=float("inf"))
    packer.pack()
    placements = {rid: Placement(page, x, y) for page, x, y, _w, _h, rid in packer.rect_list()}
    missing = set(sizes) - set(placements)
    if missing:
        raise RuntimeError(f"packer dropped sprites: {sorted(missing)}")
    return placements, 1 + max(p.page for p in placements.values())


def paint_pages(sprites: dict[str, Image.Image], placements: dict[str, Placement], count: int,
                page_size: int = PAGE_SIZE) -> list[Image.Image]:
    """Copy each sprite's pixels (not blended) into its page, transparent elsewhere."""
    pages = [Image.new("RGBA", (page_size, page_size), (0, 0, 0, 0)) for _ in range(count)]
    for key, sprite in sprites.items():
        where = placements[key]
        pages[where.page].paste(sprite, (where.x, where.y))
    return pages
