"""Exit non-zero unless the imported PIL is pillow-simd compiled with optimisation and SIMD
(and with WebP support).

The build records its compiler switches (-frecord-gcc-switches) in the `.GCC.command.line`
section of PIL's C extensions; this reads them back, so an -O0 build cannot pass.
Used by scripts/install_pillow_simd.sh (to decide whether to rebuild) and by the tests.
"""
import subprocess
import sys
from pathlib import Path

REQUIRED_SIMD = {"-mavx2", "-msse4.2", "-msse4", "-march=native"}


def recorded_switches(extension: Path) -> list[str]:
    """The compiler switches recorded in one shared object (empty when none were recorded)."""
    dump = subprocess.run(["readelf", "-p", ".GCC.command.line", str(extension)],
                          capture_output=True, text=True, check=False).stdout
    switches: list[str] = []
    for line in dump.splitlines():
        if "]" in line:
            switches.extend(line.split("]", 1)[1].split())
    return switches


def problems() -> list[str]:
    """Why the installed PIL is not an optimised pillow-simd build (empty when it is)."""
    import PIL
    from PIL import Image

    found: list[str] = []
    if ".post" not in PIL.__version__:
        found.append(f"PIL {PIL.__version__} is not pillow-simd")
    from PIL import features

    if not features.check("webp"):  # the card's WebP variants (service/render/variants.py)
        found.append("built without WebP (install libwebp-dev, then rebuild)")
    # Every C extension of the build, not only the core: the card's text goes through
    # _imagingft (FreeType), which an -O0 build slows down as much.
    core = Path(Image.core.__file__)
    for extension in sorted({core, *core.parent.glob("_imaging*.so")}):
        found += [f"{extension.name}: {p}" for p in switch_problems(recorded_switches(extension))]
    return found


def switch_problems(switches: list[str]) -> list[str]:
    """Why a binary compiled with these recorded switches is not optimised SIMD code."""
    if not switches:
        return ["no compiler switches recorded (built without -frecord-gcc-switches)"]
    found = []
    levels = [s for s in switches if s.startswith("-O")]
    # gcc honours the last -O it is given.
    if not levels or levels[-1] not in {"-O2", "-O3", "-Ofast"}:
        found.append(f"compiled with {levels[-1] if levels else 'no -O (so -O0)'}, not -O2/-O3")
    if not REQUIRED_SIMD & set(switches):
        found.append(f"compiled without a SIMD flag ({' '.join(sorted(REQUIRED_SIMD))})")
    return found


if __name__ == "__main__":
    trouble = problems()
    for line in trouble:
        print(f"pillow-simd build: {line}", file=sys.stderr)
    if not trouble:
        print("pillow-simd build OK (optimised, SIMD)")
    sys.exit(1 if trouble else 0)
