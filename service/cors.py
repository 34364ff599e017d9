"""CORS for the API: pages on the origins of CITIZEN_CORS_ORIGINS may call it from a browser.

Empty by default (same-origin only). A listed origin gets `Access-Control-Allow-Origin`
echoed back (with `Vary: Origin`) on every answer, errors included, so a game site can
read a 422's message; the headers a client needs (X-Request-Id, Retry-After,
Idempotent-Replayed) are exposed. A preflight (OPTIONS with Access-Control-Request-Method)
from a listed origin is answered 204 here, before routing; from any other origin it gets a
403 JSON error and no CORS headers, so the browser refuses the call. No credentials: the API
uses no cookies.
"""

from __future__ import annotations

from aiohttp import web

ALLOW_METHODS = "GET, POST, OPTIONS"
ALLOW_HEADERS = {"content-type", "accept", "accept-language", "idempotency-key"}
EXPOSE_HEADERS = "X-Request-Id, Retry-After, Idempotent-Replayed"
MAX_AGE = "600"  # seconds a browser may reuse a preflight answer


def cors_middleware(origins: tuple[str, ...]):
    """The middleware for an allow-list of origins (scheme://host[:port], or "*")."""
    allowed = frozenset(origins)

    def allows(origin: str | None) -> bool:
        return origin is not None and ("*" in allowed or origin in allowed)

    @web.middleware
    async def cors(request: web.Request, handler) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            return preflight(request, origin if allows(origin) else None)
        response = await handler(request)
        if allowed:
            response.headers.add("Vary", "Origin")
        if allows(origin):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
        return response

    return cors


def preflight(request: web.Request, origin: str | None) -> web.Response:
    from service.routes import json_response

    method = request.headers["Access-Control-Request-Method"].upper()
    asked = {h.strip().lower() for h in request.headers.get("Access-Control-Request-Headers", "").split(",")
             if h.strip()}
    if origin is None or method not in ("GET", "POST", "HEAD") or not asked <= ALLOW_HEADERS:
        why = ("this origin may not call the API" if origin is None else
               f"method {method} or headers {', '.join(sorted(asked - ALLOW_HEADERS)) or '-'} not allowed")
        response = json_response({"error": {"code": "cors_refused", "message": f"CORS preflight refused: {why}."}},
                                 403)
        response.headers["Vary"] = "Origin"
        return response
    return web.Response(status=204, headers={
        "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": ALLOW_METHODS,
        "Access-Control-Allow-Headers": ", ".join(sorted(ALLOW_HEADERS)), "Access-Control-Max-Age": MAX_AGE,
        "Vary": "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"})
