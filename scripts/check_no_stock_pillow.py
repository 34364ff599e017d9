"""Fail the set-up if stock Pillow shadows pillow-simd (a dependency that requires
`pillow` makes pip install it over our build)."""
import importlib.metadata as md
import sys

names = {d.metadata["Name"].lower() for d in md.distributions()}
if "pillow" in names:
    sys.exit("stock Pillow is installed in the venv: a dependency pulled it in; remove it and rebuild pillow-simd")
if "pillow-simd" not in names:
    sys.exit("pillow-simd is not installed")
print("pillow-simd OK")
