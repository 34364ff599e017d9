"""The paths where resizing happens: the atlas build (296 parts, cold resize cache) and one
`citizen-card render --reference` from the command line, under each PIL build.

    .venv/bin/python tests/perf/build_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf.render_bench import BUILDS  # noqa: E402
from tests.perf.report import ROOT, machine, write_section  # noqa: E402


def timed(command: list[str]) -> tuple[float, float]:
    """(wall s, CPU s of the child) for one command run to completion."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def measure(python: str, runs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="build-bench-") as tmp:
        builds = []
        for i in range(runs):  # a fresh resize cache each time: all 296 parts resized
            builds.append(timed([python, "-m", "atlas_builder.cli", "build", "--assets", "assets", "--out",
                                 f"{tmp}/atlas{i}", "--cache", f"{tmp}/cache{i}", "--quiet"]))
        recipe = Path(tmp) / "card.json"
        subprocess.run([python, "-m", "service.cli", "render", "--name", "준성맛 쿠키", "--lang", "ko", "--seed", "42",
                        "--date", "2026-11-26", "--atlas", f"{tmp}/atlas0", "-o", f"{tmp}/card.png"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        common = [python, "-m", "service.cli", "render", "--recipe", str(recipe), "--atlas", f"{tmp}/atlas0"]
        reference = [timed([*common, "--reference", "-o", f"{tmp}/ref.png"]) for _ in range(runs)]
        fast = [timed([*common, "-o", f"{tmp}/fast.png"]) for _ in range(runs)]
    return {"atlas": builds, "reference": reference, "fast": fast}


def cell(runs: list[tuple[float, float]], which: int) -> str:
    values = [r[which] for r in runs]
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    pythons = {"pillow-simd -O3": sys.executable, **{k: str(v) for k, v in BUILDS.items() if v.exists()}}
    results = {label: measure(python, args.runs) for label, python in pythons.items()}
    lines = ["## Atlas build and the reference render (the resize paths)", "", f"Machine: {machine()}", "",
             f"`.venv/bin/python tests/perf/build_bench.py --runs {args.runs}`: `citizen-atlas build` of the 296 parts"
             " with an empty resize cache, and one `citizen-card render --recipe card.json --reference` (and, for the"
             " process start-up it includes, the same command without `--reference`), each run as a new process;"
             " seconds, median (min-max) over runs. CPU is the child's user + system time (the atlas build's"
             " wall time includes disk writes and the machine's other load).", "",
             "| build | atlas build CPU s | atlas build wall s | render --reference CPU s | render (fast) CPU s |",
             "|---|---|---|---|---|"]
    for label, r in results.items():
        lines.append(f"| {label} | {cell(r['atlas'], 1)} | {cell(r['atlas'], 0)} | {cell(r['reference'], 1)} | "
                     f"{cell(r['fast'], 1)} |")
    body = "\n".join(lines)
    print(body)
    write_section("build", body)


if __name__ == "__main__":
    main()
