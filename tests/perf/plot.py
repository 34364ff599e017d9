"""Latency vs offered load from build/bench/e2e.json (runs in build/plotenv, with matplotlib).

    build/plotenv/bin/python tests/perf/plot.py build/bench/e2e.json docs/img/latency-vs-load.png
"""

import json
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(source: str, target: str) -> None:
    results = json.load(open(source))
    fig, (ax, shed) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110)
    styles = {"local": ("#e28040", "local disk"), "s3": ("#4a7fc1", "S3 (moto)")}
    for backend, (colour, label) in styles.items():
        points = sorted(results[backend]["open"].items(), key=lambda kv: float(kv[0]))
        rates = [float(r) for r, _ in points]
        for key, dash, name in (("p50_ms", "-", "p50"), ("p99_ms", "--", "p99")):
            ax.plot(rates, [statistics.median(run[key] for run in runs) for _, runs in points], dash,
                    color=colour, marker="o", label=f"{label} {name}")
        shed.plot(rates, [100 * statistics.median(run["shed_share"] for run in runs) for _, runs in points],
                  color=colour, marker="o", label=label)
    ax.set(xlabel="offered load (requests/s)", ylabel="latency (ms)", title="Latency of accepted requests",
           yscale="log")
    shed.set(xlabel="offered load (requests/s)", ylabel="answered 503 (%)", title="Load shed")
    for axis in (ax, shed):
        axis.grid(alpha=0.3)
        axis.legend(fontsize=8)
    fig.suptitle("citizen-card on 2 cores, 2 render workers (open loop, median of runs)")
    fig.tight_layout()
    fig.savefig(target)


if __name__ == "__main__":
    main(*sys.argv[1:3])
