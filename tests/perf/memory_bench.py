"""Memory of the server and its workers after N requests, and proof that the atlas pages
are shared: the atlas mappings' PSS summed over workers stays about one copy's RSS.

    .venv/bin/python tests/perf/memory_bench.py [--requests 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf.e2e_bench import server  # noqa: E402
from tests.perf.loadgen import closed_loop  # noqa: E402
from tests.perf.report import machine, write_section  # noqa: E402


def rollup(pid: int) -> dict[str, int]:
    """Rss and Pss in KiB from /proc/PID/smaps_rollup."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("Rss", "Pss"):
            values[key] = int(rest.split()[0])
    return values


def atlas_mappings(pid: int) -> dict[str, int]:
    """Rss and Pss (KiB) of the mappings of atlas files (pages, templates, shades) in a process."""
    totals, inside = {"Rss": 0, "Pss": 0}, False
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and len(head) >= 5 and ":" not in head[0]:
            inside = len(head) >= 6 and "/versions/" in head[-1] and head[-1].endswith((".rgba", ".rgb", ".la"))
        elif inside and head and head[0] in ("Rss:", "Pss:"):
            totals[head[0][:-1]] += int(head[1])
    return totals


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    with server("file://TMP/cards") as (url, proc):
        asyncio.run(closed_loop(url, args.requests, args.connections))
        parent = psutil.Process(proc.pid)
        workers = [c for c in parent.children(recursive=True) if "resource_tracker" not in " ".join(c.cmdline())]
        rows = [("server", proc.pid, rollup(proc.pid), atlas_mappings(proc.pid))]
        rows += [(f"worker {i}", w.pid, rollup(w.pid), atlas_mappings(w.pid)) for i, w in enumerate(workers)]
    total_rss = sum(r[2]["Rss"] for r in rows) / 1024
    total_pss = sum(r[2]["Pss"] for r in rows) / 1024
    atlas_rss = [r[3]["Rss"] / 1024 for r in rows[1:]]
    atlas_pss = sum(r[3]["Pss"] for r in rows[1:]) / 1024
    lines = ["## Memory after a long run", "", f"Machine: {machine()}", "",
             f"`.venv/bin/python tests/perf/memory_bench.py --requests {args.requests}`: the server with 2 workers "
             f"after {args.requests:,} requests at {args.connections} connections (local storage). "
             "From /proc/PID/smaps_rollup and, for the atlas files' mappings, /proc/PID/smaps.", "",
             "| process | RSS MiB | PSS MiB | atlas mapped, RSS MiB | atlas mapped, PSS MiB |", "|---|---|---|---|---|"]
    for label, _pid, roll, atlas in rows:
        lines.append(f"| {label} | {roll['Rss'] / 1024:.1f} | {roll['Pss'] / 1024:.1f} | "
                     f"{atlas['Rss'] / 1024:.1f} | {atlas['Pss'] / 1024:.1f} |")
    lines += ["", f"Total RSS {total_rss:.0f} MiB, total PSS {total_pss:.0f} MiB (budget: 300 MB RSS). "
              f"The atlas pages each worker touched add up to {max(atlas_rss, default=0):.1f} MiB resident per "
              f"worker, yet their PSS summed over the workers is {atlas_pss:.1f} MiB: the page cache holds one "
              "copy that the workers share, not one per worker."]
    body = "\n".join(lines)
    print(body)
    write_section("memory", body)


if __name__ == "__main__":
    main()
