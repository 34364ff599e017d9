"""The one way the service writes a log line: a JSON object serialised by orjson.

stderr carries one JSON object per line (app.configure_logging prints the bare message), so
log collectors parse every line without a grok pattern. Building those lines by hand, with
%-formatting into a JSON-shaped string, broke on a value holding a quote or a backslash;
here every value is serialised, whatever it holds. Lines are compact (`{"event":"stopped"}`),
as orjson writes them, and keep the order their fields are given in.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson


def log_json(logger: logging.Logger, level: int, fields: dict[str, Any]) -> None:
    """Log `fields` as one JSON line at `level`. Values that are not JSON types (a Path, an
    exception) are written as their str()."""
    if logger.isEnabledFor(level):
        logger.log(level, orjson.dumps(fields, default=str).decode())
