"""Where finished cards go. One small Protocol, one module per backend, one factory.

Every backend stores `<id>.png`, the card's variants (`<id>.webp`, `<id>.og.jpg`...: the
suffixes of service/card_files.py) and `<id>.json` (the card's record: recipe, request, alt
text, variants, creation time), and must not report success before all are durably stored.
The record is written last: a record promises every file it lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from service.config import Settings
from service.errors import Unavailable


class StorageUnavailable(Unavailable):
    """The card store cannot take or serve cards right now (503, retry later)."""

    code = "storage_unavailable"


class Storage(Protocol):
    urls_expire: bool
    """True when url() answers links that stop working (S3 presigned URLs): pages that outlive
    a request (the share page) then link to this service's own stable /c/{id}/{file} instead."""

    async def put(self, card_id: str, png: bytes, record: bytes, variants: Sequence[tuple[str, bytes]] = ()) -> None:
        """Store the PNG, its (name, bytes) variants and its record; raise StorageUnavailable if
        that cannot be done."""

    async def url(self, card_id: str, file: str = "png") -> str:
        """The public URL of a stored card's PNG, or of the named variant ("webp", "og", "thumb")."""

    async def get_record(self, card_id: str) -> bytes | None:
        """A stored card's record, or None if there is no such card."""

    async def check(self) -> None:
        """Raise StorageUnavailable if the backend cannot be reached (readiness)."""

    async def close(self) -> None: ...


def create_storage(settings: Settings) -> Storage:
    """The backend named by settings.storage: file://DIR or s3://BUCKET/PREFIX."""
    if settings.storage.startswith("s3://"):
        from service.storage.s3 import S3Storage

        return S3Storage.from_settings(settings)
    from service.storage.local import LocalStorage

    return LocalStorage.from_settings(settings)
