"""`citizen-card render`: the offline card, the reference path and print scale from a recipe."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def render(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", "render", *args], cwd=ROOT, capture_output=True,
                          text=True)


def test_render_then_reference_then_print_scale(atlas_dir, tmp_path: Path):
    card = tmp_path / "card.png"
    result = render("--name", "준성맛 쿠키", "--lang", "ko", "--seed", "42", "--date", "2026-11-26", "-o", str(card))
    assert result.returncode == 0, result.stderr
    recipe = json.loads(card.with_suffix(".json").read_text())
    assert recipe["seed"] == 42 and recipe["name"] == "준성맛 쿠키"
    with Image.open(card) as image:
        assert image.size == (1200, 760)

    reference = tmp_path / "reference.png"
    assert render("--recipe", str(card.with_suffix(".json")), "--reference", "-o", str(reference)).returncode == 0

    print_png = tmp_path / "print.png"
    result = render("--recipe", str(card.with_suffix(".json")), "--scale", "4", "-o", str(print_png))
    assert result.returncode == 0, result.stderr
    assert "upsampled" in result.stderr  # 1000 px source art covers 2.5x, not 4x
    with Image.open(print_png) as image:
        assert image.size == (4800, 3040)
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.1)  # pHYs: a print knows its size


def test_output_suffix_picks_the_format_or_is_refused(atlas_dir, tmp_path: Path):
    base = ("--name", "Format Cookie", "--lang", "en", "--seed", "9", "--date", "2026-11-26")
    for suffix, expected in ((".png", "PNG"), (".webp", "WEBP"), (".jpg", "JPEG"), (".JPEG", "JPEG")):
        out = tmp_path / f"card{suffix}"
        result = render(*base, "-o", str(out))
        assert result.returncode == 0, result.stderr
        with Image.open(out) as image:
            assert (image.format, image.size) == (expected, (1200, 760)), suffix
    for bad in ("card.gif", "card.txt", "card"):
        result = render(*base, "-o", str(tmp_path / bad))
        assert result.returncode == 2 and ".png" in result.stderr and "Traceback" not in result.stderr
        assert not (tmp_path / bad).exists()


def test_a_bad_name_is_a_clear_error_not_a_traceback(atlas_dir, tmp_path: Path):
    result = render("--name", "a\u202eb", "--lang", "en", "-o", str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert "U+202E" in result.stderr and "Traceback" not in result.stderr
