"""Cards on local disk, served by this app at /cards/{id}.png, /cards/{id}.webp... and
/cards/{id} (the format the client's Accept prefers): the embedded default."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

from service.card_files import FILES
from service.config import Settings
from service.ids import CARD_ID
from service.storage import StorageUnavailable


class LocalStorage:
    urls_expire = False

    def __init__(self, directory: Path, base_url: str) -> None:
        self.directory = Path(directory).resolve()
        self.directory.mkdir(parents=True, exist_ok=True)
        self._directory = str(self.directory)
        self.base_url = base_url.rstrip("/")

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalStorage:
        # Under the public origin, like this app's own route: <origin>/cards/<id>.png.
        base = (settings.public_base_url or settings.base_url).rstrip("/") + "/cards"
        return cls(Path(settings.storage.removeprefix("file://")), base)

    def path_for(self, card_id: str, suffix: str) -> Path | None:
        """The file of a card, or None for anything that is not a card id (no traversal)."""
        if not CARD_ID.match(card_id):
            return None
        return self.directory / f"{card_id}{suffix}"

    async def put(self, card_id: str, png: bytes, record: bytes, variants: Sequence[tuple[str, bytes]] = ()) -> None:
        try:
            # Images first: a record on disk promises a complete card (idempotent replays).
            # Written from the event loop on purpose: ~250 KB into the page cache takes less
            # than the two thread hops it would cost to offload.
            self._write(card_id, ".png", png)
            for name, data in variants:
                self._write(card_id, FILES[name].suffix, data)
            self._write(card_id, ".json", record)
        except OSError as exc:
            raise StorageUnavailable(f"Could not store the card: {exc.strerror}.", retry_after=5) from exc

    def _write(self, card_id: str, suffix: str, data: bytes) -> None:
        """Write, then rename into place: a reader sees the whole file or none. The temporary
        name needs no randomness (mkstemp cost a tenth of the server's time per request):
        one id is minted by one request of one process at a time (routes.py)."""
        # Plain strings: the two names as Path objects cost ~6 us a file against ~2 us
        # (measured); pathlib was ~5% of the server's GIL samples at 8 connections (py-spy).
        if not CARD_ID.match(card_id):
            raise ValueError(f"not a card id: {card_id!r}")
        target = os.path.join(self._directory, f"{card_id}{suffix}")
        tmp = os.path.join(self._directory, f".tmp-{os.getpid()}-{card_id}{suffix}")
        try:
            # os.open/os.write: open() adds an fstat, an isatty ioctl and an lseek per file
            # and builds a buffered writer for what is one write (strace, 8 connections).
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    async def url(self, card_id: str, file: str = "png") -> str:
        return f"{self.base_url}/{card_id}{FILES[file].suffix}"

    async def get_record(self, card_id: str) -> bytes | None:
        path = self.path_for(card_id, ".json")
        if path is None:
            return None
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            return None

    async def check(self) -> None:
        if not os.access(self.directory, os.W_OK):
            raise StorageUnavailable(f"Card directory {self.directory} is not writable.", retry_after=5)

    async def close(self) -> None:
        return None
