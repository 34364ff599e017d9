"""The typed atlas format (service/atlas/format.py): a manifest reads into frozen classes and
writes back byte for byte; a broken one is refused naming the file and the field."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from service.atlas import format as fmt
from service.atlas.fields import FormatError
from service.atlas.sections import Layout


@pytest.fixture(scope="module")
def published(atlas_dir) -> tuple[Path, dict]:
    directory = fmt.resolve(atlas_dir)
    return directory, json.loads((directory / fmt.MANIFEST).read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict) -> Path:
    (tmp_path / fmt.MANIFEST).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def refusal(tmp_path: Path, data: dict) -> str:
    with pytest.raises(fmt.AtlasError) as caught:
        fmt.read(write(tmp_path, data))
    return str(caught.value)


def test_a_published_manifest_round_trips_byte_for_byte(published):
    directory, _ = published
    manifest = fmt.read(directory)
    assert manifest.to_json() == (directory / fmt.MANIFEST).read_text(encoding="utf-8")
    assert fmt.Manifest.version_of(manifest.body()) == manifest.version == directory.name


def test_the_manifest_is_typed_and_frozen(published):
    manifest = fmt.read(published[0])
    name = manifest.layout.fields["name"]
    assert (name.lines, name.min_size, name.weight) == (2, 42, "Bold")
    assert manifest.layout.fields["number"].lines == 1  # absent in layout.json: the default
    assert manifest.sprites["background/00"].opaque is True
    assert manifest.catalog.category("front_hair").tinted
    assert manifest.fonts.chains["ja"]["Bold"][0].postscript_name == "NotoSansCJKjp-Bold"
    with pytest.raises(dataclasses.FrozenInstanceError):
        manifest.version = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        manifest.sprites["eyes/00"] = manifest.sprites["eyes/01"]  # type: ignore[index]


@pytest.mark.parametrize(("path", "value", "field", "problem"), [
    (("layout", "fields", "name", "size"), "big", "layout.fields.name.size", "expected an integer"),
    (("sprites", "eyes/00", "opaque"), 1, "sprites.eyes/00.opaque", "expected true or false"),
    (("texts", "ja", "reasons"), "one reason", "texts.ja.reasons", "expected a list of strings"),
    (("catalog", "hair_colors", 0, "rgb"), [1, 2], "catalog.hair_colors[0].rgb", "expected a list of 3 integers"),
    (("fonts", "ko", "Bold", 0, "index"), "0", "fonts.ko.Bold[0].index", "expected an integer"),
])
def test_a_wrong_value_is_refused_naming_the_file_and_the_field(tmp_path, published, path, value, field, problem):
    data = copy.deepcopy(published[1])
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    message = refusal(tmp_path, data)
    assert message.startswith(f"{tmp_path / fmt.MANIFEST}: {field}: {problem}"), message


@pytest.mark.parametrize(("path", "field"), [
    (("sprites",), "sprites"),
    (("layout", "band"), "layout.band"),
    (("catalog", "categories", 2, "variants", 0, "file"), "catalog.categories[2].variants[0].file"),
    (("texts", "en", "address_format"), "texts.en.address_format"),
])
def test_a_missing_field_is_refused_naming_it(tmp_path, published, path, field):
    data = copy.deepcopy(published[1])
    target = data
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    assert refusal(tmp_path, data) == f"{tmp_path / fmt.MANIFEST}: {field}: missing"


def test_an_older_format_is_refused(tmp_path, published):
    data = {**published[1], "format": 2}
    assert "not an atlas manifest of format 3 or 4 (got 2)" in refusal(tmp_path, data)


def straight_copy(version_dir: Path, out: Path) -> Path:
    """The version as format 3 wrote it: pages in straight alpha, "format": 3, same name."""
    from PIL import Image

    target = out / version_dir.name
    shutil.copytree(version_dir, target)
    data = json.loads((target / fmt.MANIFEST).read_text(encoding="utf-8"))
    assert data["format"] == 4
    for page in data["pages"]:
        path = target / page["file"]
        premultiplied = Image.frombytes("RGBa", (page["width"], page["height"]), path.read_bytes())
        path.write_bytes(premultiplied.convert("RGBA").tobytes())
        page["sha256"] = fmt.sha256_file(path)
    (target / fmt.MANIFEST).write_text(json.dumps({**data, "format": 3}, ensure_ascii=False, indent=1),
                                       encoding="utf-8")
    return target


def test_a_format_3_version_kept_for_old_cards_still_draws_them(tmp_path, published):
    """Format 4 stores premultiplied pages; a version of format 3 (straight alpha), kept
    under versions/ for the cards minted with it, is read by its own format and draws
    the same cards, within the level that premultiplying rounds away."""
    import numpy as np

    from service.atlas.pages import Atlas
    from service.recipe import make_recipe
    from service.render.compositor import Compositor

    old = straight_copy(published[0], tmp_path)
    manifest = fmt.read(old)
    assert (manifest.format, manifest.sprite_mode) == (3, "RGBA")
    assert manifest.to_json() == (old / fmt.MANIFEST).read_text(encoding="utf-8")  # written back as format 3
    assert fmt.verify(old) == []
    new_atlas, old_atlas = Atlas(published[0]), Atlas(old)
    assert new_atlas.sprite("face", "00")[0].mode == "RGBa" and old_atlas.sprite("face", "00")[0].mode == "RGBA"
    for seed in range(6):
        recipe = make_recipe(manifest.catalog, manifest.texts["en"], name="Crumb", language="en", seed=seed,
                             atlas_version=manifest.version, issued=dt.date(2026, 11, 30))
        new = np.asarray(Compositor(new_atlas).render(recipe)).astype(int)
        before = np.asarray(Compositor(old_atlas).render(recipe)).astype(int)
        difference = np.abs(new - before).max(axis=2)
        assert difference.max() <= 2, seed
        assert (difference == 0).mean() > 0.98, seed


def test_unknown_fields_of_the_art_sections_are_kept_so_the_version_does_not_change(published):
    """The builder copies layout, catalog and texts as delivered: a key this server does not
    read (a newer layout's) stays in the manifest and in the hash of the version."""
    data = copy.deepcopy(published[1])
    data["layout"]["seal"]["shine"] = 3
    data["catalog"]["categories"][0]["variants"][0]["artist"] = "Mo"
    manifest = fmt.Manifest.from_json(data)
    assert json.loads(manifest.to_json()) == data
    body = {k: v for k, v in data.items() if k != "version"}
    assert fmt.Manifest.version_of(manifest.body()) == fmt.Manifest.version_of(body) != published[1]["version"]


def test_an_asset_file_is_checked_under_its_own_name():
    layout = json.loads((Path(__file__).resolve().parent.parent / "assets" / "layout.json").read_text())
    del layout["fields"]["reason"]["weight"]
    with pytest.raises(FormatError, match=r"^layout\.json: fields\.reason\.weight: missing$"):
        Layout.read(layout)
