"""Perceptual colour distance: sRGB -> CIELAB (D65) and the CIE76 difference ΔE*ab.

Used by the compatibility rules (a hair colour must stand out from the face's dough).
ΔE*ab of about 2 is a just-noticeable difference; under about 20 two flat fills read
as "the same colour" at card size, which is what the rule guards against.
"""

from __future__ import annotations

import math

# sRGB (D65) -> XYZ, IEC 61966-2-1, and the D65 white point.
_M = ((0.4124564, 0.3575761, 0.1804375),
      (0.2126729, 0.7151522, 0.0721750),
      (0.0193339, 0.1191920, 0.9503041))
_WHITE = (0.95047, 1.0, 1.08883)


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _f(t: float) -> float:
    return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116


def lab(rgb: tuple[int, int, int] | list[int]) -> tuple[float, float, float]:
    """CIELAB (L*, a*, b*) of an 8-bit sRGB colour."""
    linear = [_linear(c) for c in rgb]
    fx, fy, fz = (_f(sum(m * c for m, c in zip(row, linear)) / w) for row, w in zip(_M, _WHITE))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: tuple[int, int, int] | list[int], b: tuple[int, int, int] | list[int]) -> float:
    """CIE76 colour difference ΔE*ab between two sRGB colours (Euclidean in CIELAB)."""
    return math.dist(lab(a), lab(b))
