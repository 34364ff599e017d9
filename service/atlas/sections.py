"""The art team's three sections of the atlas format, typed: the card layout
(assets/layout.json), the texts of each language (assets/texts/<lang>.json) and the
catalog of parts (assets/catalog.json). The builder copies them into the manifest as
delivered; each keeps that JSON (`source`) so the manifest, and the version hash computed
from it, is the same byte for byte whatever this module reads of it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from service.atlas.fields import Fields

RGB = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A per-card text field (name, number, issued, address, reason): where and how big."""

    x: int
    label_baseline: int
    baseline: int
    width: int
    size: int
    min_size: int
    weight: str
    color: RGB
    lines: int = 1
    line_height: int = 0
    middle: float | None = None  # the slot's middle line (default: from baseline and size)

    @classmethod
    def read(cls, f: Fields) -> FieldSpec:
        return cls(x=f.int("x"), label_baseline=f.int("label_baseline"), baseline=f.int("baseline"),
                   width=f.int("width"), size=f.int("size"), min_size=f.int("min_size", f.int("size")),
                   weight=f.str("weight"), color=f.ints("color", 3), lines=f.int("lines", 1),
                   line_height=f.int("line_height", 0), middle=f.number("middle", None))


@dataclass(frozen=True, slots=True)
class TextLine:
    """A fixed line of the template (title, subtitle, footer), left- or right-aligned."""

    baseline: int
    size: int
    weight: str
    color: RGB
    x: int | None = None
    right: int | None = None

    @classmethod
    def read(cls, f: Fields) -> TextLine:
        return cls(baseline=f.int("baseline"), size=f.int("size"), weight=f.str("weight"),
                   color=f.ints("color", 3), x=f.int("x", None), right=f.int("right", None))


@dataclass(frozen=True, slots=True)
class Portrait:
    box: tuple[int, ...]  # x, y, width, height on the card
    background: RGB
    border_width: int
    border_color: RGB
    canvas_scale: float  # source canvas px -> card px
    canvas_offset: tuple[int, ...]  # where the scaled canvas's top-left lands in the window
    # categories the window's bottom edge may cut (a bust ends there); any other part must
    # stay inside the window and the canvas on every side (atlas_builder checks at build time)
    cut_at_bottom: tuple[str, ...] = ()

    @classmethod
    def read(cls, f: Fields) -> Portrait:
        border, canvas = f.section("border"), f.section("canvas")
        return cls(box=f.ints("box", 4), background=f.ints("background", 3), border_width=border.int("width"),
                   border_color=border.ints("color", 3), canvas_scale=canvas.number("scale"),
                   canvas_offset=canvas.ints("offset", 2), cut_at_bottom=f.strings("cut_at_bottom", ()))


@dataclass(frozen=True, slots=True)
class Decoration:
    """The template's drawing that no field uses: frame, header, rules, sprinkles, seal."""

    frame_inset: int
    frame_width: int
    frame_radius: int
    frame_color: RGB
    header_box: tuple[int, ...]
    header_radius: int
    header_color: RGB
    rules: tuple[tuple[tuple[int, ...], RGB], ...]  # ((x, y, width, height), colour)
    sprinkles_box: tuple[int, ...]
    sprinkles_count: int
    sprinkles_length: int
    sprinkles_width: int
    sprinkles_colors: tuple[RGB, ...]
    seal_center: tuple[int, ...]
    seal_radius: int
    seal_width: int
    seal_color: RGB

    @classmethod
    def read(cls, f: Fields) -> Decoration:
        frame, header, sprinkles, seal = f.section("frame"), f.section("header"), f.section("sprinkles"), \
            f.section("seal")
        rules = tuple(((r.int("x"), r.int("y"), r.int("width"), r.int("height")), r.ints("color", 3))
                      for r in f.sections("rules"))
        colours = tuple(Fields({"color": c}, f.file, f"sprinkles.colors[{i}]").ints("color", 3)
                        for i, c in enumerate(sprinkles.data.get("colors", ())))
        if not colours:
            raise sprinkles.fail("colors", "expected a non-empty list of colours")
        return cls(frame_inset=frame.int("inset"), frame_width=frame.int("width"), frame_radius=frame.int("radius"),
                   frame_color=frame.ints("color", 3), header_box=header.ints("box", 4),
                   header_radius=header.int("radius"), header_color=header.ints("color", 3), rules=rules,
                   sprinkles_box=sprinkles.ints("box", 4), sprinkles_count=sprinkles.int("count"),
                   sprinkles_length=sprinkles.int("length"), sprinkles_width=sprinkles.int("width"),
                   sprinkles_colors=colours, seal_center=seal.ints("center", 2), seal_radius=seal.int("radius"),
                   seal_width=seal.int("width"), seal_color=seal.ints("color", 3))


@dataclass(frozen=True, slots=True)
class Layout:
    """Card geometry, colours and font sizes (assets/layout.json)."""

    width: int
    height: int
    background: RGB
    band: tuple[int, int]  # the rows [y0, y1) a request can change (portrait and fields)
    portrait: Portrait
    fields: Mapping[str, FieldSpec]
    label: TextLine  # the field labels' size, weight and colour (each at its field's x)
    title: TextLine
    subtitle: TextLine
    footer: TextLine
    decoration: Decoration
    source: Mapping[str, Any] = field(repr=False, compare=False)

    @classmethod
    def read(cls, data: object, file: str = "layout.json", where: str = "") -> Layout:
        f = Fields(data, file, where)
        card, header, label = f.section("card"), f.section("header"), f.section("label")
        band = f.ints("band", 2)
        return cls(width=card.int("width"), height=card.int("height"), background=card.ints("background", 3),
                   band=(band[0], band[1]), portrait=Portrait.read(f.section("portrait")),
                   fields=MappingProxyType({name: FieldSpec.read(s) for name, s in f.named("fields").items()}),
                   label=TextLine(0, label.int("size"), label.str("weight"), label.ints("color", 3)),
                   title=TextLine.read(header.section("title")), subtitle=TextLine.read(header.section("subtitle")),
                   footer=TextLine.read(f.section("footer")), decoration=Decoration.read(f), source=f.data)


@dataclass(frozen=True, slots=True)
class Texts:
    """One language's words on the card and in its alt text (assets/texts/<lang>.json)."""

    title: str
    subtitle: str
    labels: Mapping[str, str]  # by field
    footer: str
    date_format: str
    month_names: tuple[str, ...]
    address_format: str
    address_streets: tuple[str, ...]
    address_districts: tuple[str, ...]
    reasons: tuple[str, ...]
    alt_format: str | None  # None in older atlases: alt_text.py has an English fallback
    list_separator: str | None
    list_last_separator: str | None
    source: Mapping[str, Any] = field(repr=False, compare=False)

    @classmethod
    def read(cls, data: object, file: str, where: str = "") -> Texts:
        f = Fields(data, file, where)
        return cls(title=f.str("title"), subtitle=f.str("subtitle"), labels=f.table("labels"), footer=f.str("footer"),
                   date_format=f.str("date_format"), month_names=f.strings("month_names"),
                   address_format=f.str("address_format"), address_streets=f.strings("address_streets"),
                   address_districts=f.strings("address_districts"), reasons=f.strings("reasons"),
                   alt_format=f.str("alt_format", None), list_separator=f.str("list_separator", None),
                   list_last_separator=f.str("list_last_separator", None), source=f.data)


@dataclass(frozen=True, slots=True)
class Variant:
    id: str
    file: str  # source art, relative to the assets directory
    describe: Mapping[str, str]  # alt-text phrase by language
    describe_colored: Mapping[str, str] | None  # hair: the phrase with a {color} slot, by language
    weight: float = 1  # relative draw weight among the category's variants (service.odds)
    color: RGB | None = None  # the part's main colour, for a min_delta_e rule

    @classmethod
    def read(cls, f: Fields) -> Variant:
        return cls(id=f.str("id"), file=f.str("file"), describe=f.table("describe", {}),
                   describe_colored=f.table("describe_colored", None), weight=f.number("weight", 1),
                   color=f.ints("color", 3, None))


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    required: bool
    tinted: bool  # drawn in greys, multiplied by the hair colour
    opaque: bool  # covers its whole window (backgrounds): pasted without a mask
    variants: tuple[Variant, ...]
    none: float | None = None  # probability an optional category is absent (None: 1 / (variants + 1))


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A compatibility rule as the catalog writes it (compiled and checked by service.odds):
    `never` forbids one of the listed ids in each listed slot at once; `min_delta_e` forbids a
    hair colour and a variant of `between[1]` closer than that in CIELAB."""

    id: str
    why: str
    never: Mapping[str, tuple[str, ...]] | None
    min_delta_e: float | None
    between: tuple[str, ...] | None

    @classmethod
    def read(cls, f: Fields) -> RuleSpec:
        never = None
        if "never" in f.data:
            never = {slot: f.section("never").strings(slot) for slot in f.section("never").data}
        return cls(id=f.str("id"), why=f.str("why", ""), never=never, min_delta_e=f.number("min_delta_e", None),
                   between=f.strings("between", None))


@dataclass(frozen=True, slots=True)
class HairColor:
    id: str
    rgb: RGB
    names: Mapping[str, str]  # by language
    adjective: Mapping[str, str]  # the form that fills a {color} slot, by language (may be empty)


@dataclass(frozen=True, slots=True)
class Catalog:
    """Part categories in draw order, their variants, the hair colours and the compatibility
    rules (assets/catalog.json). service.odds compiles the odds and rules and checks them."""

    categories: tuple[Category, ...]
    hair_colors: tuple[HairColor, ...]
    hair_outline: tuple[RGB, int, int] | None  # line colour, line tones up to, fill tones from
    rules: tuple[RuleSpec, ...]
    source: Mapping[str, Any] = field(repr=False, compare=False)

    @classmethod
    def read(cls, data: object, file: str = "catalog.json", where: str = "") -> Catalog:
        f = Fields(data, file, where)
        categories = tuple(
            Category(id=c.str("id"), required=c.bool("required", False), tinted=c.bool("tinted", False),
                     opaque=c.bool("opaque", False), variants=tuple(Variant.read(v) for v in c.sections("variants")),
                     none=c.number("none", None))
            for c in f.sections("categories"))
        colours = tuple(HairColor(id=h.str("id"), rgb=h.ints("rgb", 3), names=h.table("names", {}),
                                  adjective=h.table("adjective", {})) for h in f.sections("hair_colors"))
        outline = None
        if "hair_outline" in f.data:
            spec = f.section("hair_outline")
            dark, light = spec.ints("tones", 2)
            outline = (spec.ints("rgb", 3), dark, light)
        rules = tuple(RuleSpec.read(r) for r in f.sections("rules", []))
        return cls(categories, colours, outline, rules, source=f.data)

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)
