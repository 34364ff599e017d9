"""Memory of the server and its workers after N requests, three ways (summed RSS, summed PSS,
and the group's resident pages each counted once), where it is (file-backed: atlas, fonts,
libraries; anonymous: heap and the rest), and proof that the atlas pages are shared.

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
from tests.perf.smaps import CATEGORIES, breakdown, group_unique_kib, shared_once_estimate_kib  # noqa: E402

MIB = 1024  # KiB


def totals(parts: dict[str, dict[str, int]]) -> dict[str, int]:
    """A process's Rss, Pss and Private (KiB): its categories summed (= smaps_rollup)."""
    return {key: sum(row[key] for row in parts.values()) for key in ("Rss", "Pss", "Private")}


def measure(requests: int, connections: int) -> tuple[list[tuple[str, dict]], int | None, int]:
    """Run the load, then read every process's smaps (and pagemap) while the server is up."""
    with server("file://TMP/cards") as (url, proc):
        asyncio.run(closed_loop(url, requests, connections))
        parent = psutil.Process(proc.pid)
        workers = [c for c in parent.children(recursive=True) if "resource_tracker" not in " ".join(c.cmdline())]
        pids = [proc.pid] + [w.pid for w in workers]
        labels = ["server"] + [f"worker {i}" for i in range(len(workers))]
        rows = [(label, breakdown(pid)) for label, pid in zip(labels, pids)]
        return rows, group_unique_kib(pids), shared_once_estimate_kib(pids)


def report(rows: list[tuple[str, dict]], unique: int | None, estimate: int, args) -> str:
    summed = {key: sum(totals(parts)[key] for _, parts in rows) / MIB for key in ("Rss", "Pss", "Private")}
    atlas = [parts.get("atlas files", {"Rss": 0, "Pss": 0}) for _, parts in rows[1:]]
    once = (f"{unique / MIB:.0f} MiB (distinct physical pages, from /proc/PID/pagemap)" if unique is not None else
            f"{estimate / MIB:.0f} MiB (estimated from smaps: pagemap's frame numbers need CAP_SYS_ADMIN)")
    lines = ["## Memory after a long run", "", f"Machine: {machine()}", "",
             f"`.venv/bin/python tests/perf/memory_bench.py --requests {args.requests}`: the server with 2 workers "
             f"after {args.requests:,} requests at {args.connections} connections (local storage, `en` cards "
             "with unique names). From /proc/PID/smaps per mapping, and /proc/PID/pagemap for the pages counted "
             "once.", "",
             "| process | RSS MiB | PSS MiB | private MiB | atlas mapped, RSS MiB | atlas mapped, PSS MiB |",
             "|---|---|---|---|---|---|"]
    for label, parts in rows:
        total, mapped = totals(parts), parts.get("atlas files", {"Rss": 0, "Pss": 0})
        lines.append(f"| {label} | {total['Rss'] / MIB:.1f} | {total['Pss'] / MIB:.1f} | {total['Private'] / MIB:.1f} "
                     f"| {mapped['Rss'] / MIB:.1f} | {mapped['Pss'] / MIB:.1f} |")
    lines += ["", "| the group (server + workers) | MiB |", "|---|---|",
              f"| summed RSS (a page shared by n processes counts n times) | {summed['Rss']:.0f} |",
              f"| summed PSS (a page shared by n processes, here or elsewhere on the host, counts 1/n in each) "
              f"| {summed['Pss']:.0f} |",
              f"| **resident pages counted once** (each physical page the group holds, once) | "
              f"**{(unique if unique is not None else estimate) / MIB:.0f}** |", "",
              f"Budget: 300 MB (286 MiB) for the server and its workers, atlas shared: judged on the pages counted "
              f"once, {once}. The atlas pages resident in each worker add up to "
              f"{max((a['Rss'] for a in atlas), default=0) / MIB:.1f} MiB resident per worker, yet their PSS summed "
              f"over the workers is {sum(a['Pss'] for a in atlas) / MIB:.1f} MiB: the page cache holds one copy "
              "that the workers share, not one per worker.", "",
              "Where it is, per process (RSS / private MiB; private = pages no other process maps):", "",
              "| category | " + " | ".join(label for label, _ in rows) + " |",
              "|---|" + "---|" * len(rows)]
    for category in CATEGORIES:
        cells = [parts.get(category, {"Rss": 0, "Private": 0}) for _, parts in rows]
        if any(cell["Rss"] for cell in cells):
            lines.append(f"| {category} | " + " | ".join(f"{c['Rss'] / MIB:.1f} / {c['Private'] / MIB:.1f}"
                                                      for c in cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    rows, unique, estimate = measure(args.requests, args.connections)
    body = report(rows, unique, estimate, args)
    print(body)
    write_section("memory", body)


if __name__ == "__main__":
    main()
