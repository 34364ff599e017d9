"""Fast PNG encoding for 8-bit RGB card images.

Cards are flat art with some detail, so a general-purpose encoder's adaptive
per-row filter choice and zlib level 6 cost far more than they save.  This
module instead applies one fixed filter (Sub) to all rows at once (Pillow's
subtract_modulo against the image shifted one pixel) and deflates with ISA-L at
level 1.

:class:`BandEncoder` goes further for cards whose per-request content is
confined to a horizontal band: the rows above and below the band are filtered
and deflated once, and each request only compresses the band, splicing the
pieces into one zlib stream.  The band's rows are left unfiltered (None) and
taken straight from Pillow's raw encoder (:meth:`BandEncoder.encode_padded`).
"""

from __future__ import annotations

import struct
from typing import Protocol

from isal import isal_zlib
from PIL import Image, ImageChops

__all__ = ["BandEncoder", "encode_image", "encode_rgb"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"
# The two-byte zlib header isal emits at level 1 (CM=8, 32K window, FLEVEL=1).
_ZLIB_HEADER = b"\x78\x5e"
_LEVEL = 1
# isal's largest level buffer (memLevel 9): on a card's ~2 MB band, 0.04 ms less than the
# default (8) for 0.2% more bytes, measured (docs/BENCHMARKS.md).
_MEM_LEVEL = 9
_ADLER_BASE = 65521
_MAX_DIMENSION = 2**31 - 1  # PNG spec limit for IHDR width/height


class _RGBImage(Protocol):
    mode: str
    size: tuple[int, int]

    def tobytes(self) -> bytes: ...


def encode_rgb(pixels, width: int, height: int) -> bytes:
    """Encode packed 8-bit RGB pixels as a PNG file.

    ``pixels`` is any contiguous buffer (bytes, memoryview, numpy array,
    ``PIL.Image.tobytes()``) of exactly ``width * height * 3`` bytes, rows top
    to bottom.  The result is a non-interlaced, 8-bit colour-type-2 PNG with a
    single IDAT chunk; every row uses filter type 1 (Sub).

    Raises ValueError for non-positive/oversized dimensions or a buffer of the
    wrong length.
    """
    rows = _as_rows(pixels, width, height)
    return _assemble(width, height, [isal_zlib.compress(_filter_sub(rows, width, height), level=_LEVEL)])


def encode_image(image: _RGBImage) -> bytes:
    """Encode a PIL image in mode "RGB" (see :func:`encode_rgb`)."""
    if image.mode != "RGB":
        raise ValueError(f"expected an RGB image, got mode {image.mode!r}")
    width, height = image.size
    return encode_rgb(image.tobytes(), width, height)


class BandEncoder:
    """Encode frames that differ from a fixed template only inside a row band.

    ``template_rgb`` is a full ``width x height`` RGB frame; ``band`` is the
    half-open row range ``(y0, y1)`` where per-request content is drawn.  The
    rows outside the band are filtered and deflated once here; each request
    compresses only the band.  An empty band (``y0 == y1``) is allowed; every
    frame then encodes as the template.

    Rows outside the band use the Sub filter.  Rows ``y0 .. y1`` (the band and
    the first row below it) use filter None, so that the band's scanlines are
    exactly what Pillow's raw encoder writes with a stride of ``width * 3 + 1``:
    each row's pixels followed by one zero byte, which is the filter byte of the
    next row (see :meth:`encode_padded`).  No per-card filtering pass and no
    copy: measured on the cards, None is also smaller than Sub after deflate
    (the art is flat colour, whose 3-byte repeats deflate finds as well).

    Instances are immutable after construction and safe to share between
    threads.
    """

    def __init__(self, template_rgb, width: int, height: int, band: tuple[int, int]) -> None:
        y0, y1 = band
        if not 0 <= y0 <= y1 <= height:
            raise ValueError(f"band {band!r} is not within 0..{height}")
        rows, row = _as_rows(template_rgb, width, height), width * 3
        self.width, self.height, self.band = width, height, (y0, y1)
        top = _filter_sub(rows[:y0 * row], width, y0)
        bottom = bytearray(_filter_sub(rows[y1 * row:], width, height - y1))
        if y1 > y0:
            # Row y0's filter byte ends the top part; row y1's is the band's last byte,
            # so the bottom part starts with row y1's pixels, unfiltered (None).
            top += b"\x00"
            if y1 < height:
                bottom[1:1 + row] = rows[y1 * row:(y1 + 1) * row]
            bottom = bottom[1:]
        bottom = bytes(bottom)
        # Sub only looks left within a row and None not at all, so the filtered rows
        # outside the band never depend on band content (Up or Paeth would break this
        # at row y1).  Each part is an independent raw deflate stream; a full flush
        # ends it on a byte boundary without the final-block bit, so the parts
        # concatenate into one valid stream with the last part finished.
        self._top = _deflate_raw(top, isal_zlib.Z_FULL_FLUSH)
        self._bottom = _deflate_raw(bottom, isal_zlib.Z_FINISH)
        self._top_adler = isal_zlib.adler32(top)
        self._bottom_adler = isal_zlib.adler32(bottom)
        self._bottom_len = len(bottom)
        self._stride = width * 3 + 1
        # With the band reaching the last row, the band's last byte would be the
        # filter byte of a row that does not exist.
        self._band_len = (y1 - y0) * self._stride - (1 if y1 == height and y1 > y0 else 0)

    @property
    def padded_stride(self) -> int:
        """Bytes per band row for :meth:`encode_padded`: the pixels plus one zero byte."""
        return self._stride

    def encode(self, pixels) -> bytes:
        """Encode a full frame whose rows outside the band equal the template.

        ``pixels`` has the same layout as for :func:`encode_rgb`; only rows
        ``[y0, y1)`` are read, so a frame that differs elsewhere encodes
        silently wrong.  The PNG decodes to exactly those pixels.
        """
        y0, y1 = self.band
        row = self.width * 3
        return self.encode_band(_as_rows(pixels, self.width, self.height)[y0 * row:y1 * row])

    def encode_band(self, band_pixels) -> bytes:
        """Encode a frame given only its band rows (``(y1 - y0) * width * 3`` bytes);
        the rows above and below are the template's."""
        y0, y1 = self.band
        if y1 == y0:
            return self.encode_padded(b"")
        rows, row = _as_rows(band_pixels, self.width, y1 - y0), self.width * 3
        return self.encode_padded(b"".join(rows[i:i + row].tobytes() + b"\x00" for i in range(0, len(rows), row)))

    def encode_padded(self, padded) -> bytes:
        """Encode a frame given its band rows each followed by one zero byte
        (``(y1 - y0) * (width * 3 + 1)`` bytes: Pillow's raw encoder output for the
        band image with stride ``padded_stride``).  The zero bytes become the filter
        bytes (None) of the rows after them; nothing is copied before deflate."""
        view = memoryview(padded).cast("B")
        y0, y1 = self.band
        if len(view) != (y1 - y0) * self._stride:
            raise ValueError(f"expected {(y1 - y0) * self._stride} bytes of padded band rows, got {len(view)}")
        if view[self._stride - 1::self._stride].tobytes().strip(b"\x00"):
            raise ValueError("every padded band row must end with a zero byte")
        band = view[:self._band_len]
        adler = _adler32_combine(self._top_adler, isal_zlib.adler32(band), len(band))
        adler = _adler32_combine(adler, self._bottom_adler, self._bottom_len)
        return _assemble(self.width, self.height, [
            _ZLIB_HEADER, self._top, _deflate_raw(band, isal_zlib.Z_FULL_FLUSH),
            self._bottom, struct.pack(">I", adler),
        ])


def _as_rows(pixels, width: int, height: int) -> memoryview:
    """``pixels`` as a flat byte view (rows of width*3 bytes) without copying."""
    if not (1 <= width <= _MAX_DIMENSION and 1 <= height <= _MAX_DIMENSION):
        raise ValueError(f"invalid PNG size {width}x{height}")
    flat = memoryview(pixels).cast("B")
    if flat.nbytes != width * height * 3:
        raise ValueError(f"expected {width * height * 3} bytes for {width}x{height} RGB, got {flat.nbytes}")
    return flat


def _filter_sub(rows: memoryview, width: int, height: int) -> bytes:
    """Return the PNG scanlines of ``height`` RGB rows: filter byte 1 then Sub-filtered RGB.

    Each pixel minus its left neighbour (none for the first: 0), per channel, modulo
    256 as the spec requires: Pillow's subtract_modulo against the image shifted one
    pixel right. (Used on the template once per worker, and by encode_rgb.)
    """
    if height == 0:
        return b""
    image = Image.frombytes("RGB", (width, height), rows)
    left = Image.new("RGB", (width, height), 0)
    if width > 1:
        left.paste(image.crop((0, 0, width - 1, height)), (1, 0))
    filtered, row = ImageChops.subtract_modulo(image, left).tobytes(), width * 3
    return b"".join(b"\x01" + filtered[i:i + row] for i in range(0, len(filtered), row))


def _deflate_raw(data, flush_mode: int) -> bytes:
    compressor = isal_zlib.compressobj(level=_LEVEL, wbits=-15, memLevel=_MEM_LEVEL)
    return compressor.compress(data) + compressor.flush(flush_mode)


def _adler32_combine(adler1: int, adler2: int, len2: int) -> int:
    """Adler-32 of A+B from adler32(A), adler32(B) and len(B).

    Both sums start at (1, 0).  Appending B adds sum(B) to A's byte sum, and
    each of B's len2 steps also adds A's byte sum (a1 - 1) to the running sum.
    """
    a1, b1 = adler1 & 0xFFFF, adler1 >> 16
    a2, b2 = adler2 & 0xFFFF, adler2 >> 16
    a = (a1 + a2 - 1) % _ADLER_BASE
    b = (b1 + b2 + len2 * (a1 - 1)) % _ADLER_BASE
    return (b << 16) | a


def _assemble(width: int, height: int, idat_parts: list[bytes]) -> bytes:
    """Wrap a zlib stream (given as pieces) in a complete PNG file.

    The CRC is accumulated over the pieces so the stream is copied only once,
    into the final bytes.
    """
    # bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
    ihdr = struct.pack(">4sIIBBBBB", b"IHDR", width, height, 8, 2, 0, 0, 0)
    crc = isal_zlib.crc32(b"IDAT")
    length = 0
    for part in idat_parts:
        crc = isal_zlib.crc32(part, crc)
        length += len(part)
    return b"".join([
        _SIGNATURE,
        struct.pack(">I", 13), ihdr, struct.pack(">I", isal_zlib.crc32(ihdr)),
        struct.pack(">I4s", length, b"IDAT"), *idat_parts, struct.pack(">I", crc),
        _IEND,
    ])
