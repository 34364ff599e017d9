"""A built atlas, memory-mapped: sprites and templates wrapped as images without copying.

Pages are mapped read-only and shared through the page cache, so N workers mapping the
same version cost the atlas once in physical memory. A sprite is a PIL image whose rows
point straight into the mapping (mapped with the page stride): no decode, no copy.
Sprites are in the pages' own mode, "RGBa" (premultiplied; "RGBA" in format 3 atlases):
paste one with itself as the mask and Pillow blends by that mode, so both formats draw
the same card (within a level of rounding).
"""

from __future__ import annotations

import mmap
from pathlib import Path

from PIL import Image

from service.atlas import format as fmt


class Atlas:
    """One atlas version, mapped. Thread-unsafe by design: one per worker process."""

    def __init__(self, root: Path | str) -> None:
        self.directory = fmt.resolve(Path(root))
        self.manifest = fmt.read(self.directory)
        self.version: str = self.manifest.version
        self._maps: list[mmap.mmap] = []
        self._pages = [self._map(entry) for entry in self.manifest.pages]
        self._templates = {lang: self._map(entry) for lang, entry in self.manifest.templates.items()}
        shades = self.manifest.shades
        # (mmap refuses an empty file: an atlas whose tinted parts all have colour has no shades)
        self._shades = self._map(shades)[0] if shades.size else memoryview(b"")
        self._shade_offsets = self.manifest.shade_offsets
        self._rects = self.manifest.sprites
        self._sprites: dict[str, tuple[Image.Image, tuple[int, int], bool]] = {}

    def _map(self, entry: fmt.RawFile) -> tuple[memoryview, int, int]:
        with open(self.directory / entry.file, "rb") as handle:
            mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        self._maps.append(mapping)
        return memoryview(mapping), entry.width, entry.height

    def template(self, language: str) -> Image.Image:
        """The language's card template, read-only, backed by the mapping."""
        buffer, width, height = self._templates[language]
        return Image.frombuffer("RGB", (width, height), buffer, "raw", "RGB", 0, 1)

    def template_bytes(self, language: str) -> bytes:
        """The whole template as bytes, read from the file rather than the mapping: used once
        at start (to pre-compress the static rows), it leaves the mapping's pages outside the
        band untouched, so they never count in this worker's resident memory."""
        return (self.directory / self.manifest.templates[language].file).read_bytes()

    def template_rows(self, language: str, y0: int, y1: int) -> Image.Image:
        """Rows [y0, y1) of the template as a new, writable image (Pillow keeps RGB as
        4 bytes a pixel, so wrapping 3-byte rows decodes them: that is the band's copy)."""
        buffer, width, _ = self._templates[language]
        stride = width * 3
        return Image.frombuffer("RGB", (width, y1 - y0), buffer[y0 * stride:y1 * stride], "raw", "RGB", 0, 1)

    def sprite(self, category: str, variant: str) -> tuple[Image.Image, tuple[int, int], bool]:
        """(image, top-left on the card, opaque) for a part; wrapped once, then reused. The
        image is in the manifest's sprite_mode (see the module docstring); `straight`
        gives the RGBA pixels."""
        key = fmt.sprite_key(category, variant)
        found = self._sprites.get(key)
        if found is None:
            rect = self._rects[key]
            buffer, page_width, _ = self._pages[rect.page]
            stride = page_width * 4
            offset = rect.y * stride + rect.x * 4
            view = buffer[offset:offset + rect.h * stride]  # Pillow wants whole strides
            mode = self.manifest.sprite_mode
            # Image.frombuffer maps only a few modes and copies the rest (RGBa among them);
            # the core maps any 4-byte mode, as frombuffer does for RGBA.
            image = Image.new(mode, (0, 0))._new(Image.core.map_buffer(view, (rect.w, rect.h), "raw", 0,
                                                                       (mode, stride, 1)))
            image.readonly = 1
            found = self._sprites[key] = (image, (rect.card_x, rect.card_y), rect.opaque)
        return found

    def straight(self, category: str, variant: str) -> Image.Image:
        """A part's pixels in straight alpha (RGBA), a new image (for tools and tests)."""
        image = self.sprite(category, variant)[0]
        return image.convert("RGBA") if image.mode == "RGBa" else image.copy()

    def tinted(self, category: str, variant: str, palette: bytes) -> Image.Image | None:
        """A tinted part, in the sprites' mode and pasted as they are: its grey + alpha from
        shades.la with `palette` (256 RGB triples, the colour per grey level) applied in one
        conversion; None for a part not drawn in greys (the builder stores no shade for it)."""
        key = fmt.sprite_key(category, variant)
        offset = self._shade_offsets.get(key)
        if offset is None:
            return None
        # Pillow cannot map 2-byte pixels, so this decodes (0.02 ms of the tint's 0.08).
        # Keeping the decoded parts would cost 11 MB of RSS per worker (Pillow holds PA in
        # 4 bytes a pixel): measured, and the memory budget says no. Decoded, paletted and
        # converted through the core: frombuffer, putpalette and convert also copy the
        # palette in and out of Python objects (with the blend's core paste, 0.06 ms a card).
        rect = self._rects[key]
        shade = Image.core.fill("PA", (rect.w, rect.h), 0)
        decoder = Image._getdecoder("PA", "raw", ("PA", 0, 1))
        decoder.setimage(shade, (0, 0, rect.w, rect.h))  # Pillow 13 requires the extents
        if decoder.decode(self._shades[offset:offset + rect.w * rect.h * 2]) != (-1, 0):
            raise fmt.AtlasError(f"shade of {key} is truncated")
        shade.putpalette("RGB", "RGB", palette)
        tinted = shade.convert("RGBA", 0)
        if self.manifest.sprite_mode == "RGBa":  # (a format 3 atlas draws its cards as it always did)
            # Premultiplied after the palette (which cannot give RGBa): the premultiplied
            # paste saves more than this pass costs (0.41 against 0.48 ms a card, two layers).
            tinted = tinted.convert("RGBa", 0)
        return Image.Image()._new(tinted)

    def close(self) -> None:
        self._sprites.clear()
        self._pages.clear()
        self._shades = memoryview(b"")
        self._templates.clear()
        for mapping in self._maps:
            try:
                mapping.close()
            except BufferError:  # an image still references it; the GC will unmap it
                pass
        self._maps.clear()
