"""The server process's floor: what aiohttp and uvloop alone cost per request on this machine.

A bare app with none of the service answers POST /citizen-card: it reads the body, waits as
long as a card takes (so that wrk at 8 connections runs at the real server's rate: CPU per
request grows as the rate falls) and answers a card-sized JSON body. Its CPU per request,
beside the server's in the e2e tables, says how much of the server's CPU is the framework's
and how much is ours. `--busy` runs two spinning processes beside it, as the render workers
keep both cores busy under load.

    .venv/bin/python tests/perf/server_floor.py [--runs 3] [--seconds 8] [--wait 0.019]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf.e2e_bench import cpu_seconds, wrk  # noqa: E402
from tests.perf.report import machine, write_section  # noqa: E402

# About the size of a 201's body: id, urls, the recipe, the alt text.
ANSWER = b'{"id": "' + b"x" * 22 + b'", "recipe": {"k": "' + b"v" * 1100 + b'"}}'


def serve(port: int, wait: float) -> None:
    import uvloop
    from aiohttp import web

    async def issue(request: web.Request) -> web.Response:
        await request.read()
        await asyncio.sleep(wait)
        return web.Response(body=ANSWER, status=201, content_type="application/json")

    app = web.Application()
    app.router.add_post("/citizen-card", issue)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None, loop=uvloop.new_event_loop())


def spin(until: float) -> None:
    while time.time() < until:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(args, busy: bool) -> list[dict]:
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--wait", str(args.wait)])
    spinners = []
    try:
        deadline = time.time() + 10
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        if busy:
            until = time.time() + args.runs * (args.seconds + 2) + 5
            spinners = [multiprocessing.Process(target=spin, args=(until,)) for _ in range(2)]
            for p in spinners:
                p.start()
        runs = []
        for _ in range(args.runs):
            before, _ = cpu_seconds(server.pid)
            result = wrk(f"http://127.0.0.1:{port}/citizen-card", 8, args.seconds)
            after, _ = cpu_seconds(server.pid)
            answers = sum(result["statuses"].values())
            runs.append({"rps": result["rps"], "cpu_ms": (after - before) * 1000 / answers})
        return runs
    finally:
        for p in spinners:
            p.terminate()
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--wait", type=float, default=0.019, help="seconds each answer waits (a card's time)")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.wait)
        return
    lines = ["### The server's floor: aiohttp and uvloop alone", "", machine(), "",
             f"`.venv/bin/python tests/perf/server_floor.py --runs {args.runs} --seconds {args.seconds:g} "
             f"--wait {args.wait:g}`: a bare aiohttp app on uvloop (no service code) reads the POST body, waits "
             f"{args.wait * 1000:g} ms as a card would, and answers 1.2 KB of JSON; wrk at 8 connections with the "
             "benchmarks' script. CPU of the app's process per request, median (min-max) over runs.", "",
             "| beside it | requests/s | CPU ms per request |", "|---|---|---|"]
    for busy in (False, True):
        runs = measure(args, busy)
        cpu = [r["cpu_ms"] for r in runs]
        rps = [r["rps"] for r in runs]
        lines.append(f"| {'two spinning processes (as the workers under load)' if busy else 'nothing'} | "
                     f"{statistics.median(rps):.0f} | {statistics.median(cpu):.3f} ({min(cpu):.3f}-{max(cpu):.3f}) |")
    body = "\n".join(lines) + "\n"
    print(body)
    write_section("floor", body)


if __name__ == "__main__":
    main()
