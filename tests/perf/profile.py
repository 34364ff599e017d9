"""`make profile`: the server under wrk load, recorded by py-spy (parent and workers).

    .venv/bin/python tests/perf/profile.py [--seconds 15] [-o docs/img/flamegraph.svg]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf.e2e_bench import LUA, server  # noqa: E402
from tests.perf.report import ROOT  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)  # below the admission bound: no 503s
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "img" / "flamegraph.svg")
    args = parser.parse_args()
    py_spy = Path(sys.executable).parent / "py-spy"
    with server("file://TMP/cards") as (url, proc):
        load = threading.Thread(target=subprocess.run, args=(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds + 4}s", "-s", str(LUA), url],),
            kwargs={"capture_output": True})
        load.start()
        subprocess.run([str(py_spy), "record", "--pid", str(proc.pid), "--subprocesses", "--rate", "200",
                        "--duration", str(args.seconds), "--format", "flamegraph", "-o", str(args.output)],
                       check=True)
        load.join()
    print(f"flamegraph written to {args.output}")


if __name__ == "__main__":
    main()
