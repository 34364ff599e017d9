"""Timing check for service.render.png (prints only; not collected by pytest).

Run: .venv/bin/python tests/perf/png_encode.py
Median of 50 encodes of a 1200x760 card: flat fills, shapes and text, plus a
variant with a noisy 300x400 "photo" to show the cost of incompressible detail.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from service.render.png import BandEncoder, encode_rgb  # noqa: E402

W, H, RUNS, BAND = 1200, 760, 50, (150, 640)


def template() -> Image.Image:
    image = Image.new("RGB", (W, H), (232, 238, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, W, 120), fill=(20, 60, 120))
    draw.text((40, 40), "REPUBLIC OF EXAMPLE - CITIZEN CARD", fill=(255, 255, 255))
    draw.rectangle((0, 680, W, H), fill=(120, 20, 40))
    for x in range(0, W, 24):
        draw.line((x, 690, x + 12, 750), fill=(200, 160, 60), width=2)
    return image


def personalise(image: Image.Image, photo: bool) -> Image.Image:
    image = image.copy()
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((50, 160, 370, 620), radius=16, fill=(210, 200, 190), outline=(0, 0, 0), width=3)
    draw.ellipse((110, 220, 310, 460), fill=(224, 190, 160))
    if photo:
        noise = np.random.default_rng(0).integers(0, 256, (400, 300, 3), dtype=np.uint8)
        image.paste(Image.fromarray(noise), (60, 200))
    for i in range(12):
        draw.text((420, 180 + i * 36), f"FIELD {i}: Jane Q. Citizen 1987-04-{i + 1:02d} No. 0123456789",
                  fill=(10, 10, 10))
    draw.ellipse((950, 450, 1150, 630), outline=(90, 30, 30), width=4)
    return image


def median_ms(fn) -> tuple[float, int]:
    size, times = 0, []
    for _ in range(RUNS):
        start = time.perf_counter()
        size = len(fn())
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3, size


def pillow(image: Image.Image, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", **options)
    return out.getvalue()


def main() -> None:
    base = template()
    band = BandEncoder(base.tobytes(), W, H, BAND)
    for photo in (False, True):
        card = personalise(base, photo)
        raw = card.tobytes()
        print(f"1200x760 card, {'noisy 300x400 photo' if photo else 'flat art'}:")
        for name, fn in [
            ("Pillow PNG default", lambda: pillow(card)),
            ("Pillow compress_level=1", lambda: pillow(card, compress_level=1)),
            ("encode_rgb", lambda: encode_rgb(raw, W, H)),
            (f"BandEncoder rows {BAND[0]}-{BAND[1]}", lambda: band.encode(raw)),
        ]:
            ms, size = median_ms(fn)
            print(f"  {name:<28} {ms:7.2f} ms  {size / 1000:8.1f} KB")


if __name__ == "__main__":
    main()
