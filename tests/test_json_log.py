"""Log lines (service/json_log.py): one JSON object per line, whatever the values hold, and
no module of the service building one by hand."""

from __future__ import annotations

import ast
import json
import logging
from pathlib import Path

import pytest

from service.json_log import log_json

SERVICE = Path(__file__).resolve().parent.parent / "service"
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}


def test_values_with_quotes_backslashes_and_newlines_stay_one_parseable_line(caplog):
    """Hand-built lines broke here: a storage error's message holding a quote gave invalid JSON."""
    reason = 'bucket "cards" said: C:\\no\nsuch key'
    with caplog.at_level(logging.INFO, logger="citizen_card.test"):
        log_json(logging.getLogger("citizen_card.test"), logging.WARNING,
                 {"event": "storage_not_ready_at_start", "reason": reason, "atlas": Path("build/atlas"), "n": 3})
    (line,) = [record.getMessage() for record in caplog.records]
    assert "\n" not in line
    assert json.loads(line) == {"event": "storage_not_ready_at_start", "reason": reason, "atlas": "build/atlas",
                                "n": 3}
    assert line.startswith('{"event":"storage_not_ready_at_start","reason":')  # the fields keep their order


def test_a_disabled_level_serialises_nothing(caplog):
    class Unserialisable:
        def __str__(self) -> str:
            raise AssertionError("serialised although the level is off")

    with caplog.at_level(logging.WARNING, logger="citizen_card.test"):
        log_json(logging.getLogger("citizen_card.test"), logging.INFO, {"event": "x", "value": Unserialisable()})
    assert not caplog.records


def hand_built_log_lines(source: str) -> list[str]:
    """Logger calls whose message is JSON made by hand: a '{...' format string or a dumps() result."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in LOG_METHODS and ast.unparse(node.func.value).endswith("log")):
            continue
        for arg in node.args:
            text = ast.unparse(arg)
            if (isinstance(arg, ast.Constant) and str(arg.value).lstrip().startswith("{")) or "dumps(" in text:
                found.append(f"line {node.lineno}: {ast.unparse(node)[:80]}")
    return found


def test_the_checker_sees_both_old_ways():
    assert len(hand_built_log_lines("log.info('{\"event\": \"stopped\"}')\n"
                                    "log.warning(orjson.dumps({'event': 'x'}).decode())\n")) == 2


@pytest.mark.parametrize("module", sorted(p.relative_to(SERVICE).as_posix() for p in SERVICE.rglob("*.py")))
def test_no_module_builds_a_json_log_line_by_hand(module):
    assert hand_built_log_lines((SERVICE / module).read_text(encoding="utf-8")) == []
