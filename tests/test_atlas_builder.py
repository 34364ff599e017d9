"""The offline atlas builder: validation, caching, packing, publishing, CLI."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from atlas_builder.build import build
from atlas_builder.catalog import count_combinations, count_cookies
from atlas_builder.validate import InvalidAssets, load_and_validate
from service.atlas import format as fmt
from service.atlas.sections import Catalog
from tests.tiny_assets import make_tiny_assets

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return make_tiny_assets(tmp_path / "assets")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "atlas_builder.cli", *args], cwd=ROOT, capture_output=True,
                          text=True)


def test_real_catalog_counts_match_the_spec(atlas_dir):
    result = run_cli("stats", "--atlas", str(atlas_dir))
    assert result.returncode == 0, result.stderr
    catalog = json.loads((ROOT / "assets" / "catalog.json").read_text())
    counts = {c["id"]: len(c["variants"]) for c in catalog["categories"]}
    # SPEC §4's catalog, plus issue 15's new silhouettes: 3 faces, 3 outfits, 3 front hairs
    assert counts == {"face": 11, "body": 11, "eyes": 10, "mouth": 13, "front_hair": 24, "background": 48,
                      "face_paint": 20, "glasses": 26, "crown": 26, "sticker": 88, "back_hair": 28}
    assert len(catalog["hair_colors"]) == 15
    # SPEC §4's rule, before the compatibility rules: each count (+1 "none" if optional) times the colours
    combinations = math.prod(counts[c["id"]] + (0 if c["required"] else 1) for c in catalog["categories"]) * 15
    assert count_combinations(Catalog.read(catalog)) == combinations
    assert f"combinations of parts: {combinations:,}" in result.stdout
    assert f"distinct cookies: {count_cookies(Catalog.read(catalog)):,}" in result.stdout  # after them (tests/test_odds.py)


def test_real_texts_have_forty_of_each():
    for lang in ("ko", "en", "ja", "zh-TW"):
        texts = json.loads((ROOT / "assets" / "texts" / f"{lang}.json").read_text())
        for key in ("address_districts", "address_streets", "reasons"):
            assert len(set(texts[key])) >= 40, (lang, key)


def test_broken_art_lists_every_problem_and_publishes_nothing(tiny: Path, tmp_path: Path):
    (tiny / "parts" / "eyes" / "01.png").unlink()  # missing file
    Image.new("RGBA", (800, 1000)).save(tiny / "parts" / "mouth" / "00.png")  # wrong canvas
    Image.new("RGB", (1000, 1000)).save(tiny / "parts" / "crown" / "01.png")  # not RGBA
    data = (tiny / "parts" / "glasses" / "00.png").read_bytes()
    (tiny / "parts" / "glasses" / "00.png").write_bytes(data[: len(data) // 2])  # truncated
    catalog = json.loads((tiny / "catalog.json").read_text())
    catalog["categories"].append({"id": "wings", "required": False, "variants": []})  # unknown category
    del catalog["categories"][0]["variants"][0]["describe"]["ja"]  # a missing translation
    (tiny / "catalog.json").write_text(json.dumps(catalog))
    (tiny / "parts" / "tail").mkdir()

    with pytest.raises(InvalidAssets) as caught:
        load_and_validate(tiny)
    problems = "\n".join(caught.value.problems)
    for expected in ("eyes/01.png: referenced by catalog.json but missing", "mouth/00.png: canvas 800x1000",
                     "crown/01.png: mode RGB, expected RGBA", "glasses/00.png: cannot be decoded",
                     "unknown category 'wings'", "parts/tail/: unknown category folder",
                     "background/00 describe lacks ja"):
        assert expected in problems

    out = tmp_path / "atlas"
    result = run_cli("build", "--assets", str(tiny), "--out", str(out), "--quiet")
    assert result.returncode == 1
    assert "nothing was published" in result.stderr and "eyes/01.png" in result.stderr
    assert not (out / "current").exists()


def test_missing_category_is_reported(tiny: Path):
    catalog = json.loads((tiny / "catalog.json").read_text())
    catalog["categories"] = [c for c in catalog["categories"] if c["id"] != "mouth"]
    (tiny / "catalog.json").write_text(json.dumps(catalog))
    with pytest.raises(InvalidAssets, match="category 'mouth' is missing"):
        load_and_validate(tiny)


def test_rebuild_after_one_change_resizes_only_that_part(tiny: Path, tmp_path: Path):
    out, cache = tmp_path / "atlas", tmp_path / "cache"
    first = build(tiny, out, cache, progress=False)
    assert (first.cache_misses, first.cache_hits) == (22, 0)
    image = Image.open(tiny / "parts" / "sticker" / "01.png")
    image.putpixel((500, 500), (255, 0, 0, 255))
    image.save(tiny / "parts" / "sticker" / "01.png")
    second = build(tiny, out, cache, progress=False)
    assert (second.cache_misses, second.cache_hits) == (1, 21)
    assert second.version != first.version
    assert (out / "current").resolve().name == second.version
    assert (out / "versions" / first.version).is_dir()  # kept for in-flight servers


def test_published_atlas_matches_its_manifest_and_verify_catches_corruption(tiny: Path, tmp_path: Path):
    out = tmp_path / "atlas"
    report = build(tiny, out, tmp_path / "cache", progress=False)
    version_dir = out / "current"
    assert fmt.verify(version_dir.resolve()) == []
    assert run_cli("verify", "--atlas", str(out)).returncode == 0
    manifest = fmt.read(version_dir)
    assert manifest.version == report.version
    page = version_dir / manifest.pages[0].file
    assert page.stat().st_size == manifest.pages[0].width * manifest.pages[0].height * 4
    with page.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\x01\x02\x03")
    result = run_cli("verify", "--atlas", str(out))
    assert result.returncode == 1 and "does not match manifest" in result.stderr


def test_sprites_are_trimmed_and_placed_where_the_part_lands(tiny: Path, tmp_path: Path):
    build(tiny, tmp_path / "atlas", tmp_path / "cache", progress=False)
    manifest = fmt.read(tmp_path / "atlas" / "current")
    portrait_x, portrait_y, width, height = manifest.layout.portrait.box
    background = manifest.sprites["background/00"]
    assert (background.w, background.h, background.opaque) == (width, height, True)
    eyes = manifest.sprites["eyes/00"]
    assert eyes.w < width and eyes.h < height  # transparent borders trimmed
    assert portrait_x <= eyes.card_x and portrait_y <= eyes.card_y


def test_a_part_the_portrait_window_would_clip_fails_the_build_and_is_named(tiny: Path, tmp_path: Path):
    hat = Image.new("RGBA", (1000, 1000))
    ImageDraw.Draw(hat).polygon([(500, 0), (420, 200), (580, 200)], fill=(240, 120, 160, 255))  # a tip on row 0
    hat.save(tiny / "parts" / "crown" / "01.png")
    sticker = Image.new("RGBA", (1000, 1000))
    ImageDraw.Draw(sticker).ellipse([20, 500, 160, 640], fill=(90, 160, 220, 255))  # left of the window
    sticker.save(tiny / "parts" / "sticker" / "00.png")
    body = Image.new("RGBA", (1000, 1000))
    ImageDraw.Draw(body).rectangle([300, 700, 700, 999], fill=(90, 160, 220, 255))  # a bust: cut at the bottom
    body.save(tiny / "parts" / "body" / "00.png")

    with pytest.raises(InvalidAssets) as caught:
        build(tiny, tmp_path / "atlas", tmp_path / "cache", progress=False)

    clipped = [p.split(":")[0] for p in caught.value.problems]
    assert clipped == ["crown/01 (parts/crown/01.png)", "sticker/00 (parts/sticker/00.png)"]
    assert "clipped at the top" in caught.value.problems[0] and "clipped at the left" in caught.value.problems[1]
    assert not (tmp_path / "atlas" / "current").exists()


def test_a_category_the_window_may_cut_must_exist(tiny: Path, tmp_path: Path):
    layout = json.loads((tiny / "layout.json").read_text())
    layout["portrait"]["cut_at_bottom"] = ["body", "tail"]
    (tiny / "layout.json").write_text(json.dumps(layout))
    with pytest.raises(InvalidAssets) as caught:
        build(tiny, tmp_path / "atlas", tmp_path / "cache", progress=False)
    assert caught.value.problems == ["layout.json: portrait.cut_at_bottom names 'tail', which is not a category"]


def test_every_real_part_fits_the_portrait_window(atlas_dir: Path):
    """The real art as built: no part the window or the canvas cuts (the build refused it otherwise)."""
    manifest = fmt.read(atlas_dir / "current")
    x, y, width, height = manifest.layout.portrait.box
    for key, sprite in manifest.sprites.items():
        if not sprite.opaque:
            assert x < sprite.card_x and y < sprite.card_y and sprite.card_x + sprite.w < x + width, key
            assert key.startswith("body/") or sprite.card_y + sprite.h < y + height, key


def test_half_written_version_is_refused(tiny: Path, tmp_path: Path):
    build(tiny, tmp_path / "atlas", tmp_path / "cache", progress=False)
    version_dir = (tmp_path / "atlas" / "current").resolve()
    template = version_dir / "template-ko.rgb"
    os.truncate(template, template.stat().st_size // 2)
    with pytest.raises(fmt.AtlasError, match="half-written"):
        fmt.read(version_dir)


def test_preview_writes_a_contact_sheet(atlas_dir: Path, tmp_path: Path):
    sheet = tmp_path / "sheet.png"
    result = run_cli("preview", "--atlas", str(atlas_dir), "-o", str(sheet))
    assert result.returncode == 0, result.stderr
    with Image.open(sheet) as image:
        assert image.width == 12 * 150 and image.height > 20 * 200


def _modes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): oct(p.stat().st_mode & 0o7777) for p in [root, *root.rglob("*")]
            if not p.is_symlink()}


def _python_anyone_can_run() -> str:
    """This interpreter, or the system's when ours lives in a private home (pyenv in /root):
    the check below needs the stdlib only (service.atlas.format)."""
    for candidate in (sys.executable, "/usr/bin/python3"):
        path = Path(os.path.realpath(candidate))
        if all(p.stat().st_mode & 0o001 for p in path.parents) and path.stat().st_mode & 0o001:
            return str(path)
    return sys.executable


def test_published_atlas_is_world_readable_whatever_the_umask(tiny: Path):
    """Issue 13: mkdtemp makes 0700 directories, so a version renamed into place stayed
    unreadable to every other user (the image's uid 10001 then found no atlas)."""
    import tempfile

    shared = Path(tempfile.mkdtemp(prefix="atlas-umask-"))  # outside pytest's 0700 tmp root
    try:
        os.chmod(shared, 0o755)  # a shared volume: other users may enter it
        old_umask = os.umask(0o077)
        try:
            build(tiny, shared / "atlas", shared / "cache", progress=False)
        finally:
            os.umask(old_umask)
        version = (shared / "atlas" / "current").resolve()
        modes = _modes(version)
        assert modes.pop(".") == "0o755"
        assert modes and set(modes.values()) == {"0o644"}, modes
        for directory in (shared / "atlas", shared / "atlas" / fmt.VERSIONS):
            assert directory.stat().st_mode & 0o555 == 0o555, oct(directory.stat().st_mode)
        # Read by another user, as the image's service user reads what root built.
        check = ("import sys; from service.atlas import format as fmt; "
                 "print(fmt.read(fmt.resolve(sys.argv[1])).version)")
        other = {"user": 65534, "group": 65534, "extra_groups": []} if os.geteuid() == 0 else {}
        result = subprocess.run([_python_anyone_can_run(), "-c", check, str(shared / "atlas")], cwd=ROOT,
                                capture_output=True, text=True, **other)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == version.name
    finally:
        import shutil

        shutil.rmtree(shared, ignore_errors=True)


def test_republishing_fixes_a_version_published_unreadable(tiny: Path, tmp_path: Path):
    """A version left 0700 by the old publish is repaired by the next publish of it."""
    out = tmp_path / "atlas"
    build(tiny, out, tmp_path / "cache", progress=False)
    version = (out / "current").resolve()
    os.chmod(version, 0o700)
    for file in version.iterdir():
        os.chmod(file, 0o600)
    build(tiny, out, tmp_path / "cache", progress=False)
    modes = _modes(version)
    assert modes.pop(".") == "0o755" and set(modes.values()) == {"0o644"}, modes


def test_tinted_parts_in_colour_get_no_shade_and_are_still_tinted(tiny: Path, tmp_path: Path):
    """shades.la holds only tinted parts drawn in greys; a part with colour in it (the tiny
    art's hair, whose anti-aliased edges are not grey) is tinted by `point()` at render
    time, with the same result as before."""
    from service.atlas.pages import Atlas
    from service.render.compositor import Compositor, tint

    out = tmp_path / "atlas"
    build(tiny, out, tmp_path / "cache", progress=False)
    compositor = Compositor(Atlas(out))
    manifest = compositor.atlas.manifest
    tinted = [(c.id, v.id) for c in manifest.catalog.categories if c.tinted for v in c.variants]
    assert tinted and manifest.shade_offsets == {}
    colour = next(iter(compositor.hair_rgb))
    for category, variant in tinted:
        sprite, _, _ = compositor.atlas.sprite(category, variant)
        layer, _, _ = compositor.layer(category, variant, colour)
        assert layer.tobytes() == tint(sprite, compositor.hair_rgb[colour], compositor.outline).tobytes()


def render_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", "render", *args], cwd=ROOT, capture_output=True,
                          text=True)


def test_new_art_keeps_old_cards_renderable_pixel_for_pixel(tiny: Path, tmp_path: Path):
    """SPEC §7's promise: a stored recipe re-renders after the art changes, with the art it was minted with."""
    out, cache = tmp_path / "atlas", tmp_path / "cache"
    old = build(tiny, out, cache, progress=False)
    card = tmp_path / "minted.png"
    result = render_cli("--atlas", str(out), "--name", "Old Cookie", "--lang", "en", "--seed", "5",
                        "--date", "2026-11-26", "-o", str(card))
    assert result.returncode == 0, result.stderr
    recipe = json.loads(card.with_suffix(".json").read_text())
    assert recipe["atlasVersion"] == old.version

    for part in (tiny / "parts").glob("*/*.png"):  # new art for every part
        image = Image.open(part)
        image.putpixel((500, 500), (255, 0, 0, 255))
        image.save(part)
    new = build(tiny, out, cache, progress=False)
    assert new.version != old.version and (out / "current").resolve().name == new.version

    again = tmp_path / "again.png"
    result = render_cli("--atlas", str(out), "--recipe", str(card.with_suffix(".json")), "-o", str(again))
    assert result.returncode == 0, result.stderr  # found versions/<old> by itself
    with Image.open(card) as before, Image.open(again) as after:
        assert before.tobytes() == after.tobytes()
    fresh = tmp_path / "fresh.png"
    assert render_cli("--atlas", str(out), "--name", "Old Cookie", "--lang", "en", "--seed", "5",
                      "--date", "2026-11-26", "-o", str(fresh)).returncode == 0
    with Image.open(card) as before, Image.open(fresh) as now:
        assert before.tobytes() != now.tobytes()  # the new art really is different

    # gc keeps every version current since the date it is given, and says what it removes
    result = run_cli("gc", "--atlas", str(out), "--keep-since", "2000-01-01")
    assert result.returncode == 0 and "0 version(s) removed" in result.stdout
    assert (out / "versions" / old.version).is_dir()
    tomorrow = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)).date().isoformat()
    result = run_cli("gc", "--atlas", str(out), "--keep-since", tomorrow, "--dry-run")
    assert result.returncode == 0 and f"would remove {old.version}" in result.stdout
    assert (out / "versions" / old.version).is_dir()
    result = run_cli("gc", "--atlas", str(out), "--keep-since", tomorrow)
    assert f"removed {old.version}" in result.stdout and new.version not in result.stdout
    assert not (out / "versions" / old.version).exists() and (out / "versions" / new.version).is_dir()
    result = render_cli("--atlas", str(out), "--recipe", str(card.with_suffix(".json")), "-o", str(again))
    assert result.returncode == 2 and old.version in result.stderr and "Traceback" not in result.stderr


def test_building_never_deletes_an_older_version(tiny: Path, tmp_path: Path):
    out, cache = tmp_path / "atlas", tmp_path / "cache"
    versions = []
    for i in range(5):  # more than the 3 the builder used to keep
        image = Image.open(tiny / "parts" / "sticker" / "01.png")
        image.putpixel((500, 400 + i), (255, 0, 0, 255))
        image.save(tiny / "parts" / "sticker" / "01.png")
        versions.append(build(tiny, out, cache, progress=False).version)
    assert sorted(p.name for p in (out / "versions").iterdir() if not p.name.startswith(".")) == sorted(versions)
    history = [json.loads(line)["version"] for line in (out / "history.jsonl").read_text().splitlines()]
    assert history == versions


def test_a_part_whose_pixels_do_not_inflate_is_reported_by_the_build(tiny: Path, tmp_path: Path):
    """Validation checks every chunk's CRC without inflating the pixels; a file whose chunks
    are intact but whose compressed pixels are not fails where the build decodes it, once."""
    import struct
    import zlib

    path = tiny / "parts" / "glasses" / "00.png"
    data = bytearray(path.read_bytes())
    pos = 8
    while data[pos + 4:pos + 8] != b"IDAT":
        pos += 12 + struct.unpack_from(">I", data, pos)[0]
    length = struct.unpack_from(">I", data, pos)[0]
    data[pos + 8 + 2:pos + 8 + length] = bytes([0xFF]) * (length - 2)  # keep the zlib header, ruin the rest
    struct.pack_into(">I", data, pos + 8 + length, zlib.crc32(bytes(data[pos + 4:pos + 8 + length])))
    path.write_bytes(bytes(data))
    load_and_validate(tiny)  # the chunks are fine
    out = tmp_path / "atlas"
    with pytest.raises(InvalidAssets) as caught:
        build(tiny, out, tmp_path / "cache", progress=False)
    assert any("glasses/00.png: cannot be decoded" in p for p in caught.value.problems)
    assert not (out / "current").exists()


def test_parts_drawn_from_their_shades_have_pages_of_their_own(atlas_dir: Path):
    """Workers draw hair from shades.la, never from its RGBA copy; the kernel maps the page
    files in 2 MiB folios, so a copy sharing a page with drawn sprites was resident in every
    worker. On pages of their own, nothing maps them in."""
    manifest = fmt.read(fmt.resolve(atlas_dir))
    shaded = {rect.page for key, rect in manifest.sprites.items() if key in manifest.shade_offsets}
    drawn = {rect.page for key, rect in manifest.sprites.items() if key not in manifest.shade_offsets}
    assert shaded and drawn
    assert not shaded & drawn
