"""The window a worker writes each PNG into, and the server reads it from.

A file in /dev/shm (tmpfs), mapped by both processes: the worker writes the PNG, sends
only its offset and length down the pipe, and the server copies the bytes out. That costs
the server one memcpy instead of unpickling a ~250 KB message read in pipe-sized pieces
(issue 4 measured 0.22 vs 0.41 ms per call).

The window has one slot per render the server may have on a worker at once
(PIPELINE_DEPTH), used in turn: the worker writes its n-th render into slot n mod depth.
The server sends recipe n + depth only after it has read the reply to recipe n, so a
worker never overwrites bytes the server has not read.

The server creates the file before it starts the worker, and the worker unlinks it as
soon as it has mapped it; if the worker never gets that far, the server unlinks it when
it closes the worker. Either way no name is left behind in /dev/shm.
"""

from __future__ import annotations

import mmap
import os
import tempfile
from pathlib import Path

from service.render.worker_messages import PIPELINE_DEPTH

# Sparse on tmpfs: only the pages a PNG touches become resident. A 1200x760 card's
# worst case (stored deflate blocks) is about 2.8 MB.
SLOT_BYTES = 16 * 1024 * 1024
WINDOW_BYTES = PIPELINE_DEPTH * SLOT_BYTES


class PngTooLarge(Exception):
    """A PNG did not fit the window (cannot happen for cards up to ~2000x2000)."""


class ServerWindow:
    """The server's side: creates the file and reads PNGs from it."""

    def __init__(self) -> None:
        directory = "/dev/shm" if os.path.isdir("/dev/shm") else None
        fd, self.path = tempfile.mkstemp(prefix="citizen-card-png-", dir=directory)
        try:
            os.ftruncate(fd, WINDOW_BYTES)
            self._map = mmap.mmap(fd, WINDOW_BYTES, prot=mmap.PROT_READ)
        finally:
            os.close(fd)

    def read(self, offset: int, length: int) -> bytes:
        return self._map[offset:offset + length]

    def close(self) -> None:
        self._map.close()
        Path(self.path).unlink(missing_ok=True)  # the worker died before it could


class WorkerWindow:
    """The worker's side: maps the server's file, unlinks its name, writes PNGs into it,
    each into the next slot in turn."""

    def __init__(self, path: str) -> None:
        fd = os.open(path, os.O_RDWR)
        try:
            self._map = mmap.mmap(fd, WINDOW_BYTES)
        finally:
            os.close(fd)
            os.unlink(path)
        self._written = 0  # renders written so far: the next goes into slot _written mod depth

    def write(self, data: bytes) -> int:
        """Write one render's bytes into the next slot; returns their offset in the window."""
        if len(data) > SLOT_BYTES:
            raise PngTooLarge(f"PNG of {len(data)} bytes does not fit the window's {SLOT_BYTES}-byte slot")
        offset = self._written % PIPELINE_DEPTH * SLOT_BYTES
        self._map[offset:offset + len(data)] = data
        self._written += 1
        return offset
