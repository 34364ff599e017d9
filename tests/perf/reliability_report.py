"""Regenerate the figures table of docs/RELIABILITY.md from build/reliability/*.json.

The reliability tests (tests/test_reliability_*.py) each write the figures they measured
into build/reliability/<name>.json (tests/load.py: record). This script turns them into
the table between the `reliability:start` / `reliability:end` markers of the document (or
`<block>:start` / `<block>:end` for rows with a `block`, e.g. the overload figures),
leaving the rest of it, and any table without figures in build/reliability, as written:

    .venv/bin/pytest -q tests/test_reliability_*.py && .venv/bin/python tests/perf/reliability_report.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "build" / "reliability"
DOC = ROOT / "docs" / "RELIABILITY.md"
START, END = "<!-- reliability:start -->", "<!-- reliability:end -->"


def _counts(counts: dict[str, int]) -> str:
    if not counts:
        return "none"
    return "<br>".join(f"{n:,} × {label}" for label, n in sorted(counts.items(), key=lambda kv: -kv[1]))


def _recovery(value) -> str:
    if value is None:
        return "n/a"
    return "none needed" if value == 0 else f"{value:.2f} s"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(rows: list[dict]) -> str:
    lines = ["| # | Fault | How injected | Requests sent | 201s | Clean errors (status) | Anything else | "
             "Cards lost | Recovery time |",
             "|---|---|---|---:|---:|---|---|---:|---|"]
    for i, row in enumerate(rows, 1):
        lines.append("| " + " | ".join(_cell(c) for c in (
            i, row["fault"], row["injected"], f"{row['sent']:,}", f"{row['created']:,}", _counts(row["clean_errors"]),
            _counts(row["other"]), row["cards_lost"], _recovery(row.get("recovery_s")))) + " |")
    lines.append("")
    lines.append("What each row showed:")
    lines.append("")
    for i, row in enumerate(rows, 1):
        lines.append(f"{i}. **{row['fault']}**: {row.get('notes', '')} (measured {row.get('measured_at', '?')})")
    return "\n".join(lines)


def main() -> int:
    files = sorted(FIGURES.glob("*.json"))
    if not files:
        print(f"no figures in {FIGURES}: run the reliability tests first", file=sys.stderr)
        return 1
    rows = sorted((json.loads(f.read_text()) for f in files), key=lambda r: (r.get("order", 99), r["fault"]))
    text = DOC.read_text() if DOC.exists() else f"# Reliability\n\n{START}\n{END}\n"
    # Each row names its table (`block`; the overload figures have their own): only the tables
    # with figures in build/reliability are rewritten, so running one test file keeps the rest.
    for name in sorted({row.get("block", "reliability") for row in rows}):
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        block = f"{start}\n{table([r for r in rows if r.get('block', 'reliability') == name])}\n{end}"
        if start in text:
            text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
        else:
            text = text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text)
    print(f"{DOC.relative_to(ROOT)}: {len(rows)} rows from {FIGURES.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
