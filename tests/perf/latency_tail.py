"""Where the p99 goes at 8 connections: the server's own stage timings of its slowest
answers against those of its typical ones.

Runs the real server (2 workers, local storage, access log on) under wrk at 8 connections
and reads the access log, whose `timings_ms` has every stage of a mint: validate (and the
recipe), queue (submitted until a worker picks the recipe up), blend, text, encode (the
worker's own stages), upload (the local write). What the handler took beyond them is the
hand-off: the pipe each way, the loop noticing the answer, the PNG copied out of the window.
Per run it compares the mean of each stage over the middle half of the 201s (by the
handler's time) with its mean over the slowest 2%: a tail made of queue wait behind renders
of the usual length points at the dispatch; one whose renders are themselves slower points
at CPU the workers did not get.

    .venv/bin/python tests/perf/latency_tail.py [--runs 3] [--seconds 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf.e2e_bench import closed_loop, server, warm  # noqa: E402
from tests.perf.report import machine, write_section  # noqa: E402

STAGES = ("validate", "queue", "blend", "text", "encode", "upload")
TAIL_SHARE = 0.02


def minted(log: Path) -> list[dict]:
    """The access log's 201s, fastest first by the handler's time."""
    rows = []
    for line in log.read_bytes().splitlines():
        try:
            entry = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(entry, dict) and entry.get("status") == 201 and "timings_ms" in entry:
            rows.append(entry)
    return sorted(rows, key=lambda entry: entry["ms"])


def stage_means(rows: list[dict]) -> dict[str, float]:
    """Mean ms per stage, the hand-off (the handler's time less the stages) and the total."""
    means = {stage: statistics.fmean(row["timings_ms"].get(stage, 0.0) for row in rows) for stage in STAGES}
    means["handler"] = statistics.fmean(row["ms"] for row in rows)
    means["hand-off"] = means["handler"] - sum(means[stage] for stage in STAGES)
    return means


def one_run(url: str, pid: int, log: Path, seconds: float) -> dict:
    log.write_bytes(b"")  # the server appends (O_APPEND): only this run's lines are read
    result = closed_loop(url, pid, 8, seconds)
    rows = minted(log)
    n = len(rows)
    middle, tail = rows[n // 4:3 * n // 4], rows[n - max(1, round(n * TAIL_SHARE)):]
    return {"cards_per_s": result["cards_per_s"], "wrk_p50": result["p50_ms"], "wrk_p99": result["p99_ms"],
            "server_cpu_ms": result["parent_cpu_ms"], "worker_cpu_ms": result["worker_cpu_ms"],
            "handler_p50": rows[n // 2]["ms"], "handler_p99": rows[min(n - 1, int(n * 0.99))]["ms"],
            "middle": stage_means(middle), "tail": stage_means(tail), "answers": n}


def report(runs: list[dict], command: str) -> str:
    def med(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    def stage(part: str, name: str) -> float:
        return statistics.median(run[part][name] for run in runs)

    lines = [machine(), "", f"`{command}`: {len(runs)} runs; medians over runs of each run's means.", "",
             f"wrk: {med('cards_per_s'):.0f} cards/s, p50 {med('wrk_p50'):.1f} ms, p99 {med('wrk_p99'):.1f} ms; "
             f"the handler's own p50 {med('handler_p50'):.1f} ms, p99 {med('handler_p99'):.1f} ms "
             f"({med('answers'):.0f} answers a run); CPU per answer: server {med('server_cpu_ms'):.2f} ms, "
             f"workers {med('worker_cpu_ms'):.2f} ms.", "",
             "| stage (ms) | middle half | slowest 2% | ratio |", "|---|---|---|---|"]
    for name in (*STAGES, "hand-off", "handler"):
        middle, tail = stage("middle", name), stage("tail", name)
        ratio = f"{tail / middle:.1f}x" if middle > 0.005 else ""
        lines.append(f"| {name} | {middle:.2f} | {tail:.2f} | {ratio} |")
    render = {part: sum(stage(part, name) for name in ("blend", "text", "encode")) for part in ("middle", "tail")}
    lines += ["", f"A render (blend + text + encode) took {render['middle']:.2f} ms in the middle half and "
                  f"{render['tail']:.2f} ms in the slowest 2%."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--print-only", action="store_true")
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory(prefix="tail-") as scratch:
        log = Path(scratch) / "access.log"
        with server("file://TMP/cards", log=log) as (url, proc):
            warm(url)
            for i in range(args.runs):
                runs.append(one_run(url, proc.pid, log, args.seconds))
                print(f"run {i + 1}: {runs[-1]['cards_per_s']:.0f} cards/s, wrk p99 {runs[-1]['wrk_p99']:.1f} ms",
                      flush=True)
    body = report(runs, f"tests/perf/latency_tail.py --runs {args.runs} --seconds {args.seconds:g}")
    print(body)
    if not args.print_only:
        write_section("tail", "#### Where the p99 goes at 8 connections\n\n" + body)


if __name__ == "__main__":
    main()
