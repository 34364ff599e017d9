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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "docs" / "BENCHMARKS.md"
HEADER = """# Benchmarks

Numbers from `make bench` (each script rewrites its own section below). The machine is
shared and noisy: figures are medians of several runs, with the spread shown, and ratios
are measured within the same run.

"""


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import PIL

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{model}, {os.cpu_count()} cores, {memory:.0f} GiB RAM; Linux {platform.release()}; "
            f"Python {platform.python_version()}; pillow-simd {PIL.__version__}; "
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
