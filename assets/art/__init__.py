"""Deterministic procedural art for the citizen-card cookie parts.

Run from the repository root:  python -m assets.art [--jobs N] [--only CATEGORY ...]

Writes ``assets/parts/<category>/<id>.png`` (RGBA, 1000x1000, all parts share one canvas)
for every variant of every category. Everything is drawn with PIL vector primitives at 2x
and downsampled with LANCZOS in premultiplied alpha, with fixed per-part RNG seeds, so two
runs with the same Pillow give byte-identical files. No network.

One module per part category (face, body, eyes, mouth, front_hair, back_hair, background,
face_paint, glasses, crown, sticker) declares its variants, each under a stable id
(variants.py); geometry, canvas, palette, hair_cap, back_hair_shapes and motifs hold what
they share. The texts (descriptions, names), odds and rules live in assets/catalog.json,
which the generator reads and checks against the drawings but never writes (catalog.py).
"""
