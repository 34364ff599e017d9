"""Shared by the benchmark scripts: the machine's description and docs/BENCHMARKS.md sections.

Each benchmark owns one section of docs/BENCHMARKS.md between marker comments and
rewrites only that section, so the scripts can run separately or all from `make bench`.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "docs" / "BENCHMARKS.md"
HEADER = """# Benchmarks

Numbers from `make bench` (each script rewrites its own section below). The machine is
shared and noisy: figures are medians of several runs, with the spread shown, and ratios
are measured within the same run.

"""


SIMD_FLAGS = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni")


def cpu() -> str:
    """The CPU model and the SIMD flags that matter for pillow-simd and ISA-L."""
    model, flags = "unknown CPU", set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and model == "unknown CPU":
                model = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not flags:
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return f"{model} (flags: {' '.join(f for f in SIMD_FLAGS if f in flags) or 'none of ' + ', '.join(SIMD_FLAGS)})"


def build_label() -> str:
    """Which PIL this interpreter imports and how it was compiled (recorded gcc switches)."""
    import PIL
    from PIL import Image

    if ".post" not in PIL.__version__:
        return f"stock Pillow {PIL.__version__} (PyPI wheel)"
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from check_pillow_build import recorded_switches
    finally:
        sys.path.pop(0)
    switches = recorded_switches(Path(Image.core.__file__))
    levels = [s for s in switches if s.startswith("-O")] or ["no -O: -O0"]
    simd = [s for s in switches if s.startswith(("-mavx", "-msse", "-march"))]
    return f"pillow-simd {PIL.__version__} built with {levels[-1]} {' '.join(dict.fromkeys(simd))}".rstrip()


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()
    return (f"{cpu()}, {os.cpu_count()} cores, {memory:.0f} GiB RAM; Linux {platform.release()}; "
            f"Python {platform.python_version()}; {build_label()}; load average {load[0]:.1f} / {load[2]:.1f} "
            "(1 / 15 min, the whole machine); "
            f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")


def spread(values: list[float]) -> str:
    """median (min-max) of per-run figures."""
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def write_section(name: str, body: str) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    text = REPORT.read_text() if REPORT.exists() else HEADER
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    REPORT.write_text(text)
