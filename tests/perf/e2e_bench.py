"""End-to-end benchmark: the real server on this machine, driven from outside.

Closed loop with wrk at fixed concurrency, open loop at fixed arrival rates (our own
generator, latency from the scheduled start), with local storage and with moto's S3
server, and the same server with --renderer reference for the side-by-side ratio.
CPU per request is read from /proc for the server process and its workers separately.

    .venv/bin/python tests/perf/e2e_bench.py [--runs 3] [--seconds 10] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.conftest import free_port, wait_http  # noqa: E402
from tests.perf import spent_cards  # noqa: E402
from tests.perf.loadgen import open_loop  # noqa: E402
from tests.perf.render_bench import BUILDS  # noqa: E402
from tests.perf.report import ROOT, build_label, machine, write_section  # noqa: E402

LUA = Path(__file__).with_name("post.lua")
RESULTS = ROOT / "build" / "bench" / "e2e.json"
ONLY_RESULTS = ROOT / "build" / "bench" / "e2e-only.json"
PARTS = ("local", "builds", "s3", "reference")
CARDS = {}  # server pid -> its card directory, emptied after every measured run (spent_cards)


@contextmanager
def moto_server():
    port = free_port()
    # Keep-alive, as S3 is: moto_server's Werkzeug closes every connection (moto_keepalive.py).
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("moto_keepalive.py")), str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url + "/moto-api/", proc=proc)
        import boto3

        boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="bench",
                     aws_secret_access_key="bench").create_bucket(Bucket="cards")
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(10)


@contextmanager
def server(storage: str, renderer: str = "fast", env: dict | None = None, python: str = sys.executable,
           log: Path | None = None):
    """A server on a free port (2 workers, rate limit off); its stderr (the JSON log) appended to `log`."""
    port = free_port()
    data = tempfile.mkdtemp(prefix="bench-")
    environment = {**os.environ, "CITIZEN_RATE_LIMIT": "0", "CITIZEN_IDEMPOTENCY_DIR": f"{data}/idem",
                   **(env or {})}
    storage = storage.replace("TMP", data)
    stderr = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    proc = subprocess.Popen([python, "-m", "service.cli", "serve", "--port", str(port), "--workers", "2",
                             "--storage", storage, "--renderer", renderer],
                            cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=stderr)
    if log is not None:
        stderr.close()  # the server holds its own copy
    url = f"http://127.0.0.1:{port}"
    CARDS[proc.pid] = f"{data}/cards"
    try:
        wait_http(url + "/readyz", proc=proc, timeout=120)
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(60)
        spent_cards.clear(data)  # not deleted: see spent_cards
        shutil.rmtree(data, ignore_errors=True)  # the directories, now empty


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(server process, all its children) CPU seconds so far."""
    parent = psutil.Process(pid)
    own = sum(parent.cpu_times()[:2])
    children = sum(sum(child.cpu_times()[:2]) for child in parent.children(recursive=True))
    return own, children


def wrk(url: str, connections: int, seconds: float) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{round(seconds)}s", "-s", str(LUA), url],
                         capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # wrk runs response() in per-thread Lua states, so counts come from its own summary.
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    statuses = {201: total - non_2xx, "non-2xx": non_2xx, "socket errors": errors}
    pct = {k: int(v) / 1000 for k, v in re.findall(r"^(p\d+)_us (\d+)$", out, re.M)}
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "statuses": statuses,
            "cards_per_s": (total - non_2xx) / seconds,
            "p50_ms": pct["p50"], "p90_ms": pct["p90"], "p99_ms": pct["p99"],
            "wrk_cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)}


def measured(pid: int, run) -> dict:
    own0, kids0 = cpu_seconds(pid)
    t0 = time.perf_counter()
    result = run()
    wall = time.perf_counter() - t0
    own1, kids1 = cpu_seconds(pid)
    # Outside the measured window: the next run starts with no card stored and no inode freed (spent_cards).
    spent_cards.clear(CARDS[pid])
    completed = result.get("completed", sum(result["statuses"].values()))
    result.update(parent_cpu_ms=(own1 - own0) * 1000 / max(1, completed),
                  worker_cpu_ms=(kids1 - kids0) * 1000 / max(1, completed), wall_s=wall)
    return result


def closed_loop(url: str, pid: int, connections: int, seconds: float) -> dict:
    return measured(pid, lambda: wrk(url, connections, seconds))


def open_loop_run(url: str, pid: int, rate: float, seconds: float) -> dict:
    def run():
        r = asyncio.run(open_loop(url, rate, seconds))
        return {"rate": rate, "statuses": r.statuses, "p50_ms": r.percentile(50) * 1000,
                "p90_ms": r.percentile(90) * 1000, "p99_ms": r.percentile(99) * 1000,
                "shed_share": r.statuses.get(503, 0) / max(1, r.sent), "completed": r.sent}
    return measured(pid, run)


def warm(url: str) -> None:
    asyncio.run(open_loop(url, 50, 3))


def med(runs: list[dict], key: str) -> str:
    values = [r[key] for r in runs]
    return f"{statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})"


def suite(url: str, pid: int, args, connections, rates) -> dict:
    warm(url)
    closed = {c: [closed_loop(url, pid, c, args.seconds) for _ in range(args.runs)] for c in connections}
    opened = {r: [open_loop_run(url, pid, r, args.seconds) for _ in range(args.runs)] for r in rates}
    return {"closed": closed, "open": opened}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--quick", action="store_true", help="fewer points (smoke run)")
    parser.add_argument("--report-only", action="store_true", help="rewrite the section from the last results")
    parser.add_argument("--only", help=f"run only these parts (comma-separated: {','.join(PARTS)}); "
                        "prints the figures and leaves docs/BENCHMARKS.md alone")
    args = parser.parse_args()
    if args.report_only:
        results = json.loads(RESULTS.read_text())
        write_section("e2e", render(results, args, results.get("moto_cpu_ms_per_request", float("nan"))))
        return
    connections = (8,) if args.quick else (8, 32, 128)
    rates = (100,) if args.quick else (25, 50, 100, 150, 200, 300)
    parts = args.only.split(",") if args.only else PARTS
    if unknown := set(parts) - set(PARTS):
        parser.error(f"--only: unknown part(s) {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")
    results = {"build": build_label()}
    if "local" in parts:
        with server("file://TMP/cards") as (url, proc):
            results["local"] = suite(url, proc.pid, args, connections, rates)
    if "builds" in parts:
        results["builds"] = builds_runs(args)
    if "s3" in parts:
        with moto_server() as (moto_url, moto):
            s3_env = {"AWS_ENDPOINT_URL": moto_url, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                      "AWS_DEFAULT_REGION": "us-east-1", "CITIZEN_S3_ACL": "public-read"}
            with server("s3://cards/cards", env=s3_env) as (url, proc):
                moto0 = sum(psutil.Process(moto.pid).cpu_times()[:2])
                results["s3"] = suite(url, proc.pid, args, connections, rates)
                moto_cpu = sum(psutil.Process(moto.pid).cpu_times()[:2]) - moto0
    if "reference" in parts:
        with server("file://TMP/cards", renderer="reference") as (url, proc):
            asyncio.run(open_loop(url, 4, 2))  # warm up
            results["reference"] = {"closed": {8: [closed_loop(url, proc.pid, 8, args.seconds)
                                                   for _ in range(max(1, args.runs // 2))]}}
    if args.only:  # a partial run: its figures on stdout, the report and its section untouched
        ONLY_RESULTS.parent.mkdir(parents=True, exist_ok=True)
        ONLY_RESULTS.write_text(json.dumps(results, indent=1, default=str))
        print("\n".join(builds_table(results, [])) if "builds" in parts else "", f"\nresults: {ONLY_RESULTS}")
        return
    s3_requests = sum(sum(r["statuses"].values()) for runs in results["s3"]["closed"].values() for r in runs) + \
        sum(sum(r["statuses"].values()) for runs in results["s3"]["open"].values() for r in runs)
    results["moto_cpu_ms_per_request"] = moto_cpu * 1000 / max(1, s3_requests)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1, default=str))
    write_section("e2e", render(results, args, results["moto_cpu_ms_per_request"]))
    # matplotlib depends on stock Pillow, so it lives in its own venv (make bench creates it),
    # never in the service's environment where it would replace pillow-simd.
    plot_python = ROOT / "build" / "plotenv" / "bin" / "python"
    if plot_python.exists():
        subprocess.run([str(plot_python), str(Path(__file__).with_name("plot.py")), str(RESULTS),
                        str(ROOT / "docs" / "img" / "latency-vs-load.png")], check=True)
    else:
        print(f"no {plot_python}: skipping the plot (make bench creates it)")


def builds_runs(args) -> dict:
    """The same code under each PIL build (make bench-envs), 8 connections, in the same minutes: the
    servers run side by side and take turns run by run, the order rotated every round (no build always
    first, or right after the same other), so the machine's other load falls on all of them alike."""
    builds = {"pillow-simd -O3": Path(sys.executable), **{k: v for k, v in BUILDS.items() if v.exists()}}
    results = {}
    with ExitStack() as stack:
        servers = {label: stack.enter_context(server("file://TMP/cards", python=str(python)))
                   for label, python in builds.items()}
        for label, (url, proc) in servers.items():
            warm(url)
            spent_cards.clear(CARDS[proc.pid])
            results[label] = {
                "build": subprocess.run([str(builds[label]), "-c", "from tests.perf.report import build_label; "
                                         "print(build_label())"], cwd=ROOT, capture_output=True, text=True,
                                        check=True).stdout.strip(), "closed": []}
        labels = list(servers)
        for round_ in range(args.runs):
            for label in labels[round_ % len(labels):] + labels[:round_ % len(labels)]:
                url, proc = servers[label]
                results[label]["closed"].append(closed_loop(url, proc.pid, 8, args.seconds))
    return results


def builds_table(results: dict, fast: list[dict]) -> list[str]:
    """The same server and code under each PIL build, 8 connections, local storage."""
    builds = results.get("builds") or {}
    if not builds:
        return []
    rows = {label: (entry["build"], entry["closed"]) for label, entry in builds.items()}
    base = rows.get("pillow-simd -O0")
    lines = ["### The same code under each PIL build (8 connections, local storage, same run)", "",
             "Three servers side by side, taking turns run by run, the order rotated every round (so the"
             " machine's other load falls on all alike); every run starts with an empty card directory and no"
             " recently deleted inode (tests/perf/spent_cards.py); median (min-max) over runs.", "",
             "| build | cards/s | p50 ms | p99 ms | parent CPU ms/answer | worker CPU ms/answer |"
             + (" cards/s vs -O0 |" if base else ""), "|---|---|---|---|---|---|" + ("---|" if base else "")]
    for label, (description, runs) in rows.items():
        ratio = (f" {statistics.median(r['cards_per_s'] for r in runs) / statistics.median(r['cards_per_s'] for r in base[1]):.2f}x |"
                 if base else "")
        lines.append(f"| {label}: {description} | {med(runs, 'cards_per_s')} | {med(runs, 'p50_ms')} | "
                     f"{med(runs, 'p99_ms')} | {med(runs, 'parent_cpu_ms')} | {med(runs, 'worker_cpu_ms')} |{ratio}")
    return lines


def render(results: dict, args, moto_ms: float) -> str:
    lines = ["## End to end (real server, 2 workers, external load generator)", "",
             f"Machine: {machine()}", "",
             f"`.venv/bin/python tests/perf/e2e_bench.py --runs {args.runs} --seconds {args.seconds:g}`; "
             "median (min-max) over runs. CPU per request: the server process (HTTP, validation, hand-off, "
             "storage) and its render workers, from /proc. wrk's own CPU shares the 2 cores.", ""]
    for runs in (*results["reference"]["closed"].values(),):
        for r in runs:
            r.setdefault("cards_per_s", r["statuses"].get("201", r["statuses"].get(201, 0)) / args.seconds)
    for backend in ("local", "s3"):
        lines += [f"### Closed loop, {backend} storage (wrk)", "",
                  "| connections | cards/s (201) | all answers/s | p50 ms | p90 ms | p99 ms | non-201 | "
                  "parent CPU ms/answer | worker CPU ms/answer | wrk CPU s |", "|---|---|---|---|---|---|---|---|---|---|"]
        for c, runs in results[backend]["closed"].items():
            bad = sum(n for r in runs for s, n in r["statuses"].items() if s not in (201, "201"))
            for r in runs:  # older result files lack it
                r.setdefault("cards_per_s", r["statuses"].get("201", r["statuses"].get(201, 0)) / args.seconds)
            lines.append(f"| {c} | {med(runs, 'cards_per_s')} | {med(runs, 'rps')} | {med(runs, 'p50_ms')} | "
                         f"{med(runs, 'p90_ms')} | "
                         f"{med(runs, 'p99_ms')} | {bad} | {med(runs, 'parent_cpu_ms')} | "
                         f"{med(runs, 'worker_cpu_ms')} | {med(runs, 'wrk_cpu_s')} |")
        lines += ["", f"### Open loop, {backend} storage (fixed arrival rate, {args.seconds:g} s per point)", "",
                  "| offered req/s | p50 ms | p90 ms | p99 ms | 503 share | parent CPU ms/req | worker CPU ms/req |",
                  "|---|---|---|---|---|---|---|"]
        for rate, runs in results[backend]["open"].items():
            lines.append(f"| {rate} | {med(runs, 'p50_ms')} | {med(runs, 'p90_ms')} | {med(runs, 'p99_ms')} | "
                         f"{statistics.median(r['shed_share'] for r in runs):.1%} | "
                         f"{med(runs, 'parent_cpu_ms')} | {med(runs, 'worker_cpu_ms')} |")
        lines.append("")
    first = lambda table: next(iter(table.values()))  # noqa: E731 (the 8-connection runs; JSON keys are str)
    ref = first(results["reference"]["closed"])
    fast = first(results["local"]["closed"])
    ratio = statistics.median(r["cards_per_s"] for r in fast) / statistics.median(r["cards_per_s"] for r in ref)
    lines += ["### Reference renderer, same server, same run", "",
              f"`--renderer reference` at 8 connections: {med(ref, 'cards_per_s')} cards/s, p50 {med(ref, 'p50_ms')} ms, "
              f"worker CPU {med(ref, 'worker_cpu_ms')} ms/req. Fast path / reference throughput: **{ratio:.1f}x**.",
              "", f"moto's own CPU (not ours) during the S3 runs: {moto_ms:.1f} ms per request.", ""]
    lines += builds_table(results, fast)
    lines += ["",
              "![latency vs offered load](img/latency-vs-load.png)"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
