"""PNG encoder tests: every output is checked by independent decoders.

Three decoders see each file: Pillow, pypng (strict: verifies chunk CRCs) and a
hand-rolled chunk walk + zlib.decompress, which verifies CRCs and the zlib
Adler-32 trailer that image decoders may skip once they have all the rows.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import png
import pytest
from hypothesis import given, settings, strategies as st
from PIL import Image, ImageDraw

from service.render.png import BandEncoder, _adler32_combine, encode_image, encode_rgb

W, H = 1200, 760


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """Split a PNG into (tag, payload) pairs, asserting the signature and every CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack_from(">I", data, pos)
        tag = data[pos + 4:pos + 8]
        payload = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack_from(">I", data, pos + 8 + length)
        assert crc == zlib.crc32(tag + payload), f"bad CRC on {tag!r}"
        chunks.append((tag, payload))
        pos += 12 + length
    assert pos == len(data)
    return chunks


def _assert_decodes_to(data: bytes, pixels: bytes, width: int, height: int) -> None:
    chunks = _chunks(data)
    tags = [tag for tag, _ in chunks]
    assert tags[0] == b"IHDR" and tags[-1] == b"IEND"
    assert set(tags[1:-1]) == {b"IDAT"}
    assert chunks[0][1] == struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    # zlib.decompress raises on a wrong Adler-32, and on trailing garbage being absent
    scanlines = zlib.decompress(b"".join(p for t, p in chunks if t == b"IDAT"))
    assert len(scanlines) == height * (1 + width * 3)
    filters = {scanlines[y * (1 + width * 3)] for y in range(height)}
    assert filters <= {0, 1}, f"expected Sub or None filters only, got {filters}"

    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (width, height) and im.mode == "RGB"
        assert im.convert("RGB").tobytes() == pixels

    w, h, flat, info = png.Reader(bytes=data).read_flat()
    assert (w, h) == (width, height)
    assert info["bitdepth"] == 8 and info["planes"] == 3 and not info["alpha"]
    assert not info["greyscale"] and not info["interlace"]
    assert bytes(flat) == pixels


def _card(seed: int = 0) -> bytes:
    """A 1200x760 frame mixing random noise, flat fills and a gradient."""
    rng = np.random.default_rng(seed)
    a = np.full((H, W, 3), (232, 238, 245), dtype=np.uint8)
    a[:120] = (20, 60, 120)
    a[150:550, 60:360] = rng.integers(0, 256, (400, 300, 3), dtype=np.uint8)
    a[600:700, :, 0] = np.arange(W, dtype=np.uint32) * 255 // (W - 1)
    a[200:210, 400:1100] = rng.integers(0, 2, (10, 700, 1), dtype=np.uint8) * 255
    return a.tobytes()


@pytest.mark.parametrize("width,height", [(1, 1), (3, 2), (2, 3), (1, 17), (33, 1), (W, H)])
@pytest.mark.parametrize("kind", ["random", "flat", "extremes"])
def test_round_trip(width, height, kind):
    rng = np.random.default_rng(width * 1000 + height)
    n = width * height * 3
    if kind == "random":
        pixels = rng.integers(0, 256, n, dtype=np.uint8).tobytes()
    elif kind == "flat":
        pixels = bytes([200, 17, 255]) * (width * height)
    else:  # 0/255 alternation exercises uint8 wrap-around in both directions
        pixels = (rng.integers(0, 2, n, dtype=np.uint8) * 255).tobytes()
    _assert_decodes_to(encode_rgb(pixels, width, height), pixels, width, height)


def test_round_trip_card_frame():
    pixels = _card()
    _assert_decodes_to(encode_rgb(pixels, W, H), pixels, W, H)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 24), st.integers(1, 24), st.data())
def test_round_trip_property(width, height, data):
    pixels = data.draw(st.binary(min_size=width * height * 3, max_size=width * height * 3))
    _assert_decodes_to(encode_rgb(pixels, width, height), pixels, width, height)


def test_accepts_buffers_and_pil_images():
    pixels = _card(1)
    expected = encode_rgb(pixels, W, H)
    assert encode_rgb(memoryview(pixels), W, H) == expected
    assert encode_rgb(bytearray(pixels), W, H) == expected
    assert encode_rgb(np.frombuffer(pixels, np.uint8).reshape(H, W, 3), W, H) == expected
    image = Image.frombytes("RGB", (W, H), pixels)
    assert encode_image(image) == expected
    with pytest.raises(ValueError):
        encode_image(image.convert("RGBA"))


@pytest.mark.parametrize("width,height,size", [(2, 2, 11), (2, 2, 13), (0, 1, 0), (1, 0, 0)])
def test_rejects_bad_sizes(width, height, size):
    with pytest.raises(ValueError):
        encode_rgb(bytes(size), width, height)


def test_pypng_detects_corruption():
    """Guards the CRC checks above: a flipped payload byte must be caught."""
    data = bytearray(encode_rgb(_card(), W, H))
    data[len(data) // 2] ^= 0x40
    with pytest.raises(png.ChunkError):
        png.Reader(bytes=bytes(data)).read_flat()


def _template_and_frame(band: tuple[int, int]) -> tuple[bytes, bytes]:
    """A card template and a frame with new content pasted only inside ``band``."""
    y0, y1 = band
    template = Image.frombytes("RGB", (W, H), _card(2))
    drawn = template.copy()
    draw = ImageDraw.Draw(drawn)
    draw.ellipse((400, y0 - 20, 900, y1 + 20), fill=(9, 99, 199))
    for i, y in enumerate(range(y0 - 5, y1, 40)):
        draw.text((450, y), f"Holder {i} AB-123", fill=(0, 0, 0))
    # Pillow may touch rows just outside the drawing box; paste keeps the band exact.
    frame = template.copy()
    frame.paste(drawn.crop((0, y0, W, y1)), (0, y0))
    if y1 > y0:
        assert frame.tobytes() != template.tobytes()
    return template.tobytes(), frame.tobytes()


@pytest.mark.parametrize("band", [(0, 100), (150, 640), (700, H), (0, H), (300, 301), (400, 400)])
def test_band_encoder_matches_frame(band):
    template, frame = _template_and_frame(band)
    encoder = BandEncoder(template, W, H, band)
    _assert_decodes_to(encoder.encode(frame), frame, W, H)
    _assert_decodes_to(encoder.encode(template), template, W, H)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.data())
def test_band_encoder_property(width, height, data):
    y0 = data.draw(st.integers(0, height))
    y1 = data.draw(st.integers(y0, height))
    size = width * height * 3
    template = data.draw(st.binary(min_size=size, max_size=size))
    band = data.draw(st.binary(min_size=(y1 - y0) * width * 3, max_size=(y1 - y0) * width * 3))
    row = width * 3
    frame = template[:y0 * row] + band + template[y1 * row:]
    encoded = BandEncoder(template, width, height, (y0, y1)).encode(frame)
    _assert_decodes_to(encoded, frame, width, height)


@pytest.mark.parametrize("band", [(-1, 5), (5, 4), (0, H + 1)])
def test_band_encoder_rejects_bad_band(band):
    with pytest.raises(ValueError):
        BandEncoder(bytes(W * H * 3), W, H, band)


@settings(max_examples=50)
@given(st.binary(max_size=300), st.binary(max_size=300))
def test_adler32_combine(a, b):
    assert _adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(a + b)


def test_adler32_combine_large_lengths():
    """Lengths and sums beyond the modulus, where a missing reduction would show."""
    a, b = b"\xff" * 70_000, b"\xfe" * 200_003
    assert _adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(a + b)


@pytest.mark.parametrize("band", [(0, 100), (150, 640), (700, H), (0, H), (300, 301), (400, 400)])
def test_band_encoder_takes_pillows_padded_rows(band):
    """encode_padded gets the band image as Pillow's raw encoder writes it with a stride of
    width * 3 + 1 (a zero after each row): no copy, no filter pass, the same pixels out."""
    _, frame = _template_and_frame(band)
    template, _ = _template_and_frame(band)
    y0, y1 = band
    encoder = BandEncoder(template, W, H, band)
    image = Image.frombytes("RGB", (W, H), frame).crop((0, y0, W, y1))
    padded = image.tobytes("raw", "RGB", encoder.padded_stride) if y1 > y0 else b""
    _assert_decodes_to(encoder.encode_padded(padded), frame, W, H)


def test_band_encoder_refuses_rows_without_their_zero_byte():
    encoder = BandEncoder(bytes(W * H * 3), W, H, (10, 12))
    with pytest.raises(ValueError):
        encoder.encode_padded(bytes(2 * W * 3))  # unpadded
    with pytest.raises(ValueError):
        encoder.encode_padded(b"\x01" * (2 * encoder.padded_stride))
