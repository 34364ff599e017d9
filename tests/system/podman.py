"""podman as the container tests use it: the flags this sandbox needs (deploy/podman/),
containers named per test process, removed by name (never by pattern)."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "podman" / "containers.conf"
COMMAND = ["podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs"]


def env() -> dict[str, str]:
    return {**os.environ, "CONTAINERS_CONF": os.environ.get("CONTAINERS_CONF", str(CONF))}


def podman(*args: str, check: bool = True, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([*COMMAND, *args], env=env(), capture_output=True, text=True, timeout=timeout, **kwargs)
    if check and result.returncode != 0:
        raise RuntimeError(f"podman {' '.join(args)} -> {result.returncode}:\n{result.stdout[-2000:]}\n"
                           f"{result.stderr[-3000:]}")
    return result


def inspect(kind: str, name: str) -> dict:
    return json.loads(podman(kind, "inspect", name).stdout)[0]


def unique_name(prefix: str) -> str:
    """A name no other checkout's tests will use (several run on one machine)."""
    return f"{prefix}-{os.getpid()}-{time.monotonic_ns() % 10**8}"


def remove(name: str) -> None:
    podman("rm", "-f", "-t", "0", name, check=False)


def wait_exit(name: str, timeout: float) -> int:
    """The container's exit code, once it has stopped (podman wait)."""
    return int(podman("wait", name, timeout=timeout).stdout.strip().splitlines()[-1])


def logs(name: str) -> str:
    result = podman("logs", name, check=False)
    return result.stdout + result.stderr


def base_image() -> str:
    """The locally built base image (deploy/podman/base-image.sh: cached, so quick)."""
    return subprocess.run([str(ROOT / "deploy" / "podman" / "base-image.sh")], env={**env(), "PODMAN": " ".join(COMMAND)},
                          capture_output=True, text=True, timeout=600, check=True).stdout.strip()
