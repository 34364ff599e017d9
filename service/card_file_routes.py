"""GET /cards/{id}<suffix> and the negotiated GET /cards/{id}: a card's stored files, served
from local storage (with S3 storage the card URLs point at the bucket or its CDN instead)."""

from __future__ import annotations

from aiohttp import web

from service import keys
from service.card_files import FILES, PNG, VARIANTS

IMMUTABLE = "public, max-age=31536000, immutable"


def _card_file(request: web.Request, suffix: str):
    """The local file of a card (None with S3 storage, or for any id that is not a card id)."""
    path_for = getattr(request.app[keys.STORAGE], "path_for", None)
    path = path_for(request.match_info["id"], suffix) if path_for else None
    return path if path is not None and path.is_file() else None


def card_file_handler(suffix: str):
    """GET /cards/{id}<suffix>: one stored file of a card (local storage)."""
    content_type = next(f.content_type for f in FILES.values() if f.suffix == suffix)

    async def card_file(request: web.Request) -> web.StreamResponse:
        path = _card_file(request, suffix)
        if path is None:
            raise web.HTTPNotFound()
        return web.FileResponse(path, headers={"Content-Type": content_type, "Cache-Control": IMMUTABLE})

    return card_file


def accepts(accept: str, media_type: str) -> bool:
    """Whether an Accept header names `media_type` itself (not only through */* or image/*) with q > 0."""
    for item in accept.split(","):
        kind, *params = (p.strip() for p in item.split(";"))
        if kind.lower() == media_type:
            q = next((p[2:] for p in params if p.lower().startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


async def card_negotiated(request: web.Request) -> web.StreamResponse:
    """GET /cards/{id}: WebP to clients whose Accept names image/webp (when stored), else the PNG.
    `image/*` alone does not select WebP: the PNG is what every client can show."""
    webp = VARIANTS["webp"]
    path = _card_file(request, webp.suffix) if accepts(request.headers.get("Accept", ""), webp.content_type) else None
    content_type = webp.content_type
    if path is None:
        path, content_type = _card_file(request, PNG.suffix), PNG.content_type
    if path is None:
        raise web.HTTPNotFound(headers={"Vary": "Accept"})
    return web.FileResponse(path, headers={"Content-Type": content_type, "Cache-Control": IMMUTABLE,
                                           "Vary": "Accept"})


def add_card_file_routes(router: web.UrlDispatcher) -> None:
    """/cards/{id}.png, .webp, .og.jpg, .thumb.jpg and the negotiated /cards/{id} (local storage)."""
    card_id = "{id:[A-Za-z0-9_-]{22}}"
    for file in FILES.values():
        router.add_get(f"/cards/{card_id}{file.suffix}", card_file_handler(file.suffix))
    router.add_get(f"/cards/{card_id}", card_negotiated)
