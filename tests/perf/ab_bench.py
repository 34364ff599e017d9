"""Old tree against new tree, end to end, in the same run: does a change cost anything?

Starts `python -m service.cli serve` (2 workers, local storage, rate limit off) in each tree,
with the tree's own .venv and atlas, then alternates wrk runs (8 connections,
tests/perf/post.lua) between them, the order flipped every round so neither always runs on
the warmer or quieter half. Per run: cards/s, p99, CPU per request of the server process
and of its workers (from /proc/<pid>/stat), and how much of the machine stood idle
(/proc/stat: the share no process used, ours or anyone's). Medians go to the `ab` section of
docs/BENCHMARKS.md.

    .venv/bin/python tests/perf/ab_bench.py --old /path/to/old/checkout [--new .] [--rounds 3] [--print-only]

Each tree must have run `make setup` (its .venv and build/atlas). The server runs from the
tree's directory with `-m`, so the tree's own `service/` is what runs even where the .venv
holds an editable install of another checkout (a worktree sharing a venv: the `citizen-card`
script would import that checkout's code instead). Used for issue 12's "no worse than
before, in the same run".
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf import report  # noqa: E402

LUA = Path(__file__).with_name("post.lua")
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def start(tree: Path, port: int, scratch: str) -> subprocess.Popen:
    env = {**os.environ, "CITIZEN_RATE_LIMIT": "0", "CITIZEN_STORAGE": f"file://{scratch}/cards-{port}",
           "CITIZEN_IDEMPOTENCY_DIR": f"{scratch}/idem-{port}", "CITIZEN_LOG_REQUESTS": "0"}
    process = subprocess.Popen([str(tree / ".venv/bin/python"), "-m", "service.cli", "serve", "--host", "127.0.0.1",
                                "--port", str(port), "--workers", "2", "--atlas", str(tree / "build/atlas")],
                               cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{tree}: the server did not answer /healthz within 30 s")


def wrk(port: int, seconds: int) -> tuple[int, int, float]:
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", "-s", str(LUA), f"http://127.0.0.1:{port}"],
                         capture_output=True, text=True, check=True).stdout
    sent = int(re.search(r"(\d+) requests in", out).group(1))
    refused = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    return sent, refused, int(re.search(r"p99_us (\d+)", out).group(1)) / 1000


def machine_ticks() -> tuple[int, int]:
    """(all, idle) CPU time of the whole machine so far, in clock ticks (/proc/stat; iowait
    counts as idle)."""
    ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(ticks), ticks[3] + ticks[4]


def measure(process: subprocess.Popen, port: int, seconds: int) -> dict[str, float]:
    workers = children(process.pid)
    server0, workers0, machine0 = cpu_seconds(process.pid), sum(map(cpu_seconds, workers)), machine_ticks()
    sent, refused, p99 = wrk(port, seconds)
    server1, workers1, machine1 = cpu_seconds(process.pid), sum(map(cpu_seconds, workers)), machine_ticks()
    return {"cards_s": (sent - refused) / seconds, "p99_ms": p99, "refused": refused,
            "server_ms": (server1 - server0) / sent * 1000, "worker_ms": (workers1 - workers0) / sent * 1000,
            "idle_pct": 100 * (machine1[1] - machine0[1]) / max(1, machine1[0] - machine0[0])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", type=Path, required=True)
    parser.add_argument("--new", type=Path, default=report.ROOT)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--print-only", action="store_true",
                        help="print the medians and leave docs/BENCHMARKS.md alone (a one-change check)")
    args = parser.parse_args()
    trees = {"old": args.old.resolve(), "new": args.new.resolve()}
    ports = {"old": 18611, "new": 18612}
    scratch = tempfile.mkdtemp(prefix="ab-bench-")
    servers = {name: start(tree, ports[name], scratch) for name, tree in trees.items()}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    try:
        for name in trees:
            wrk(ports[name], 3)  # warm up: caches, the admission estimate
        for round_ in range(args.rounds):
            for name in (["old", "new"] if round_ % 2 == 0 else ["new", "old"]):
                runs[name].append(measure(servers[name], ports[name], args.seconds))
                print(name, {k: round(v, 2) for k, v in runs[name][-1].items()}, flush=True)
    finally:
        for process in servers.values():
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)  # the cards of every run: GBs
    median = {name: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for name, rs in runs.items()}
    rows = "\n".join(f"| {name} | `{trees[name]}` @ {commit(trees[name])} | {m['cards_s']:.0f} | {m['p99_ms']:.1f} | "
                     f"{m['server_ms']:.2f} | {m['worker_ms']:.2f} | {m['idle_pct']:.1f} | {m['refused']:.0f} |"
                     for name, m in median.items())
    ratio = median["new"]["cards_s"] / median["old"]["cards_s"]
    print(rows, f"new / old cards/s: {ratio:.2f}", sep="\n")
    if args.print_only:
        return
    report.write_section("ab", f"""## Old tree against new tree, same run (`tests/perf/ab_bench.py`)

{report.machine()}. wrk, 8 connections, {args.seconds} s per run, {args.rounds} rounds alternating
(order flipped each round); medians. CPU per request from /proc (server process; its workers);
machine idle: the share of both vCPUs' time that nothing ran in.

| tree | checkout | cards/s | p99 ms | server CPU ms/req | worker CPU ms/req | machine idle % | non-2xx |
|---|---|---|---|---|---|---|---|
{rows}

New / old cards/s: **{ratio:.2f}x**.""")


def commit(tree: Path) -> str:
    return subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip() or "?"


if __name__ == "__main__":
    main()
