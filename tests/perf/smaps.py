"""Where a process's memory is, from /proc/PID/smaps, and a process group's memory with every
shared page counted once, from /proc/PID/pagemap. Used by memory_bench.py.

Summed RSS counts a page once per process that maps it (the atlas pages the two workers
share count twice); summed PSS splits a shared page between everything that maps it, so a
library page also mapped by processes outside the group (other Pythons on the host) counts
only in part. The group's unique figure counts each physical page the group has resident
exactly once, whoever else maps it: what the group costs the machine, no more, no less.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

PAGE = 4096
FIELDS = ("Rss", "Pss", "Private_Clean", "Private_Dirty", "Shared_Clean", "Shared_Dirty")
CATEGORIES = ("atlas files", "fonts", "shared libraries", "python binary", "PNG window (shm)", "anonymous: heap",
              "anonymous: other", "stack", "other files")


@dataclass
class Mapping:
    start: int
    end: int
    offset: int  # into the file, bytes
    path: str
    sizes: dict[str, int] = field(default_factory=dict)  # KiB, FIELDS


def mappings(pid: int) -> list[Mapping]:
    """Every mapping of the process with its smaps sizes (KiB)."""
    found: list[Mapping] = []
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split(maxsplit=5)
        if head and "-" in head[0] and ":" not in head[0]:
            start, _, end = head[0].partition("-")
            found.append(Mapping(int(start, 16), int(end, 16), int(head[2], 16), head[5] if len(head) > 5 else ""))
        elif found and head and head[0][:-1] in FIELDS:
            found[-1].sizes[head[0][:-1]] = int(head[1])
    return found


def category(path: str) -> str:
    """What a mapping holds, from its path."""
    if "/versions/" in path and path.endswith((".rgba", ".rgb", ".la")):
        return "atlas files"
    if path.startswith("/usr/share/fonts/"):
        return "fonts"
    if ".so" in Path(path).name:
        return "shared libraries"
    if "/python" in path and "/bin/" in path or Path(path).name.startswith("python3"):
        return "python binary"
    if path.startswith("/dev/shm/"):
        return "PNG window (shm)"
    if path == "[heap]":
        return "anonymous: heap"
    if path in ("", "[anon]") or path.startswith("[anon:"):
        return "anonymous: other"
    if path == "[stack]":
        return "stack"
    return "other files"


def breakdown(pid: int) -> dict[str, dict[str, int]]:
    """KiB per category: Rss, Pss, Private (clean + dirty), Shared (clean + dirty)."""
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"Rss": 0, "Pss": 0, "Private": 0, "Shared": 0})
    for mapping in mappings(pid):
        row, sizes = totals[category(mapping.path)], mapping.sizes
        row["Rss"] += sizes.get("Rss", 0)
        row["Pss"] += sizes.get("Pss", 0)
        row["Private"] += sizes.get("Private_Clean", 0) + sizes.get("Private_Dirty", 0)
        row["Shared"] += sizes.get("Shared_Clean", 0) + sizes.get("Shared_Dirty", 0)
    return dict(totals)


def resident_frames(pid: int) -> np.ndarray | None:
    """Physical frame numbers of the process's resident pages (None when the kernel hides
    them: reading frame numbers from pagemap needs CAP_SYS_ADMIN)."""
    frames = []
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for mapping in mappings(pid):
            if mapping.sizes.get("Rss", 0) == 0 or mapping.path == "[vsyscall]":
                continue
            pagemap.seek(mapping.start // PAGE * 8)
            entries = np.frombuffer(pagemap.read((mapping.end - mapping.start) // PAGE * 8), np.uint64)
            present = entries[(entries >> np.uint64(63)) == 1]
            frames.append(present & np.uint64((1 << 55) - 1))
    every = np.concatenate(frames) if frames else np.zeros(0, np.uint64)
    if every.size and not every.any():
        return None
    return every


def group_unique_kib(pids: list[int]) -> int | None:
    """KiB of the distinct physical pages the processes have resident (each shared page
    once); None without the right to read frame numbers."""
    frames = [resident_frames(pid) for pid in pids]
    if any(f is None for f in frames):
        return None
    return int(np.unique(np.concatenate(frames)).size) * PAGE // 1024


def shared_once_estimate_kib(pids: list[int]) -> int:
    """Without pagemap: each process's private pages, plus each file mapping's shared pages
    once (the largest Shared count among the processes mapping that file range). Anonymous
    shared pages (none between spawned processes) are counted per process."""
    total, shared_files = 0, {}
    for pid in pids:
        for mapping in mappings(pid):
            sizes = mapping.sizes
            total += sizes.get("Private_Clean", 0) + sizes.get("Private_Dirty", 0)
            shared = sizes.get("Shared_Clean", 0) + sizes.get("Shared_Dirty", 0)
            if mapping.path.startswith("/"):
                key = (mapping.path, mapping.offset, mapping.end - mapping.start)
                shared_files[key] = max(shared_files.get(key, 0), shared)
            else:
                total += shared
    return total + sum(shared_files.values())
