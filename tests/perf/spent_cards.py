"""Emptying a benchmark server's card directory between runs without deleting a file.

A run at 8 connections stores ~3,500 cards (~1 GB), so the benchmarks must clear them
as they go. Deleting them is what they did, and it made the runs after it slower: this
machine's root file system is ext4 *without a journal*, where the inode allocator passes
over every inode freed in the last 60 s (360 s while its inode-table block is still dirty),
one buffer-cache lookup each, scanning the group from its first inode again for every new
file (`find_inode_bit` and `recently_deleted` in fs/ext4/ialloc.c). After a deletion the
next runs' card files each cost up to ~2 ms of kernel CPU, charged to whichever server
writes them (`perf record` on the server: `recently_deleted` and `find_get_block_common`
were 40% of its samples).

So a run's cards are truncated (their data blocks go back at once, as a deletion would
free them) and moved into a graveyard that keeps their inodes allocated; the graveyard
is deleted once, when the benchmark process ends, after every measured run. Under `make
bench`, whose scripts run one after another, the graveyard is one directory for them all
(CITIZEN_BENCH_GRAVEYARD) and is deleted by the target's last step: a script's deletion at
its exit would slow the next script's servers for minutes.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
from pathlib import Path

_graveyard: Path | None = None
_burials = itertools.count()


def _root() -> Path:
    global _graveyard
    if _graveyard is None:
        if shared := os.environ.get("CITIZEN_BENCH_GRAVEYARD"):  # deleted by whoever set it
            os.makedirs(shared, exist_ok=True)
            _graveyard = Path(tempfile.mkdtemp(prefix="spent-", dir=shared))
        else:
            _graveyard = Path(tempfile.mkdtemp(prefix="bench-spent-"))
            atexit.register(shutil.rmtree, _graveyard, ignore_errors=True)
    return _graveyard


def clear(directory: str | Path) -> int:
    """Empty `directory` (a server's card directory, or a whole scratch tree) without freeing
    an inode: every file truncated to nothing and moved to the graveyard, the directory itself
    left in place (a running server keeps writing there). The number of files moved."""
    directory = Path(directory)
    if not directory.is_dir():
        return 0
    grave = _root() / str(next(_burials))
    grave.mkdir()
    moved = 0
    for folder, _dirs, files in os.walk(directory):
        for name in files:
            path = os.path.join(folder, name)
            try:
                os.truncate(path, 0)
                os.rename(path, grave / f"{moved}-{name}")
            except FileNotFoundError:  # a temporary file the running server renamed meanwhile
                continue
            moved += 1
    return moved
