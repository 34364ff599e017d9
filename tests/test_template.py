"""The baked card template (service/render/template.py) as the atlas stores it: text at WCAG AA
contrast against the pixels actually behind it, and shapes drawn with anti-aliased edges."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from service.atlas.pages import Atlas
from service.fonts import LANGUAGES
from service.render.text import painter_for

SMALL, LARGE = 4.5, 3.0  # WCAG 2 AA: small text, and large text (the name, the header's title and subtitle)


def luminance(rgb) -> float:
    """WCAG relative luminance of an sRGB colour (0..255 channels)."""
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_boxes(atlas: Atlas, language: str):
    """(what, colour, box, needed, fixed) for every text on the card: fixed text is in the template
    (its box holds its own glyphs), a field's box is what the card's text will be drawn on."""
    layout, texts = atlas.manifest.layout, atlas.manifest.texts[language]
    painter = painter_for(atlas.manifest.fonts, language, layout)

    def line_box(x, baseline, size, width):
        return (round(x), baseline - size, round(x + width), baseline + size // 4)

    title, subtitle, footer, label = layout.title, layout.subtitle, layout.footer, layout.label
    sub_width = painter.width(texts.subtitle, subtitle.weight, subtitle.size)
    yield ("title", title.color, line_box(title.x, title.baseline, title.size,
                                          painter.width(texts.title, title.weight, title.size)), LARGE, True)
    yield ("subtitle", subtitle.color, line_box(subtitle.right - sub_width, subtitle.baseline, subtitle.size,
                                                sub_width), LARGE, True)
    yield ("footer", footer.color, line_box(footer.x, footer.baseline, footer.size,
                                            painter.width(texts.footer, footer.weight, footer.size)), SMALL, True)
    for field, spec in layout.fields.items():
        yield (f"{field} label", label.color,
               line_box(spec.x, spec.label_baseline, label.size,
                        painter.width(texts.labels[field], label.weight, label.size)), SMALL, True)
        # a field's lines run down from its baseline; the name's are centred on its full-size line
        below = 0 if field == "name" else (spec.lines - 1) * spec.line_height
        bottom = spec.baseline + spec.size // 4 + below
        yield (field, spec.color, (spec.x, spec.baseline - spec.size, spec.x + spec.width, bottom),
               LARGE if field == "name" else SMALL, False)


def contrast_problems(atlas: Atlas) -> list[str]:
    """Text whose colour falls below AA against the template behind it: a fixed text against its
    box's most common colour (the ground between its glyphs), a field against the worst pixel
    of its box (nothing is drawn there yet)."""
    problems = []
    for language in LANGUAGES:
        pixels = np.asarray(atlas.template(language).convert("RGB"))
        for what, colour, (x0, y0, x1, y1), needed, fixed in text_boxes(atlas, language):
            colours, counts = np.unique(pixels[y0:y1, x0:x1].reshape(-1, 3), axis=0, return_counts=True)
            if fixed:
                ratio = contrast(colour, colours[counts.argmax()])
            else:
                ratio = min(contrast(colour, rgb) for rgb in colours)
            if ratio < needed:
                problems.append(f"{language} {what}: {ratio:.2f}:1, needs {needed}:1")
    return problems


def test_every_text_meets_wcag_aa_against_the_template_behind_it(atlas_dir: Path):
    assert contrast_problems(Atlas(atlas_dir)) == []


def test_contrast_is_measured_on_the_template_pixels():
    assert contrast((255, 255, 255), (0, 0, 0)) == pytest.approx(21)
    assert contrast((196, 132, 84), (255, 248, 236)) == pytest.approx(2.94, abs=0.01)  # main's labels (issue 15)


def test_the_templates_shapes_have_anti_aliased_edges(atlas_dir: Path):
    """Baked at 4x and downsampled: the frame's corner and the seal's edge blend into the card
    in many tones (drawn at 1x they would show two or three)."""
    atlas = Atlas(atlas_dir)
    layout = atlas.manifest.layout
    look = layout.decoration
    pixels = np.asarray(atlas.template("en").convert("RGB"))
    corner = look.frame_inset + look.frame_radius
    cx, cy = look.seal_center
    r = look.seal_radius
    for what, (x0, y0, x1, y1) in (("frame corner", (0, 0, corner, corner)),
                                   ("seal edge", (cx - r - 4, cy - 8, cx - r + 12, cy + 8))):
        tones = len(np.unique(pixels[y0:y1, x0:x1].reshape(-1, 3), axis=0))
        assert tones > 12, f"{what}: {tones} colours"
