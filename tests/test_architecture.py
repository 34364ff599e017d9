"""The import rules of docs/ARCHITECTURE.md hold (import-linter; contracts in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_runtime_module_imports_numpy():
    """numpy is a test and art-script dependency (pyproject's test extra), not the image's:
    every module of the service and the builder imports without it (a render worker without
    numpy is 13 MiB smaller, docs/BENCHMARKS.md)."""
    program = (
        "import importlib, pkgutil, sys\n"
        "import service, atlas_builder\n"
        "for package in (service, atlas_builder):\n"
        "    for module in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        if not module.name.endswith('__main__'):\n"
        "            importlib.import_module(module.name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'numpy')[:3])\n"
    )
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
