"""The README's snippets run as written (issue 16): every ```sh and ```python block, in order,
in a scratch directory, against a real server. A block preceded by a line
`<!-- not run by tests/test_readme.py: why -->` is skipped.

The only change made to a snippet: http://127.0.0.1:8080 becomes the test server's URL.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

BLOCK = re.compile(r"(?P<before>[^\n]*)\n```(?P<lang>sh|python)\n(?P<code>.*?)\n```", re.S)
DEFAULT_URL = "http://127.0.0.1:8080"


def snippets(text: str) -> list[tuple[str, str]]:
    return [(m["lang"], m["code"]) for m in BLOCK.finditer(text) if "not run by tests/test_readme.py" not in m["before"]]


def test_readme_snippets_run_as_written(start_server, tmp_path: Path):
    blocks = snippets((ROOT / "README.md").read_text(encoding="utf-8"))
    assert {lang for lang, _ in blocks} == {"sh", "python"} and len(blocks) >= 3
    server = start_server(workers=1)
    for name in (".venv", "build", "assets"):  # the snippets run from the repository root, like a reader
        (tmp_path / name).symlink_to(ROOT / name)
    env = {**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    for i, (lang, code) in enumerate(blocks):
        code = code.replace(DEFAULT_URL, server.url)
        if lang == "sh":
            command = ["bash", "-euo", "pipefail", "-c", code]
        else:
            script = tmp_path / f"snippet{i}.py"
            script.write_text(code, encoding="utf-8")
            command = [sys.executable, str(script)]
        result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"README block {i} ({lang}) failed:\n{code}\n--- stderr:\n{result.stderr}"
        assert "Traceback" not in result.stderr, result.stderr
    assert (tmp_path / "minted.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "card.webp").read_bytes()[8:12] == b"WEBP"
