"""Run the app: listen, and drain gracefully on SIGTERM/SIGINT.

On SIGTERM readiness turns 503 at once; the server keeps serving for `drain_grace`
seconds so load balancers notice, then stops listening, lets in-flight requests finish
(up to `drain_timeout`), closes the pool and storage, and returns.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket

from aiohttp import web

from service import keys
from service.app import configure_logging, create_app, create_metrics_app
from service.config import Settings
from service.connections import CardRunner, ConnectionLimits, fit_connection_cap
from service.json_log import log_json

log = logging.getLogger("citizen_card")


def runner_options(settings: Settings) -> dict:
    """How the app's runner handles connections (the tests' in-process server uses these too)."""
    # lingering_time: after answering early (408 to a slow client, 413, 415), read and drop the
    # rest of a body for at most 2 s (aiohttp's default 10 s lets a slow client keep its socket).
    # auto_decompress off: a compressed body is refused with 415 (routes.read_body), never inflated.
    return dict(handle_signals=False, shutdown_timeout=settings.drain_timeout, access_log=None, lingering_time=2.0,
                keepalive_timeout=settings.keepalive_timeout, auto_decompress=False)


async def serve(settings: Settings, ready: asyncio.Event | None = None) -> None:
    """Serve until SIGTERM/SIGINT, then drain. Port 0 takes any free port: the "listening"
    log line names the real one."""
    listening = None
    if settings.port == 0:
        # Bound before the app is made, so every URL it builds (local card URLs) has the real port.
        listening = socket.create_server((settings.host, 0), backlog=1024)
        settings = settings.model_copy(update={"port": listening.getsockname()[1]})
    app = create_app(settings)
    limits = ConnectionLimits(header_timeout=settings.header_timeout,
                              max_connections=fit_connection_cap(settings.max_connections))
    runner = CardRunner(app, limits=limits, metrics=app[keys.METRICS], **runner_options(settings))
    try:
        await runner.setup()
    except BaseException:  # e.g. no readable atlas: close what already started (storage), then fail
        await runner.cleanup()
        if listening is not None:
            listening.close()
        raise
    if listening is not None:
        site: web.BaseSite = web.SockSite(runner, listening, backlog=1024)
    else:
        site = web.TCPSite(runner, settings.host, settings.port, backlog=1024)
    await site.start()
    runners: list[web.AppRunner] = [runner]
    metrics_url = f"{settings.base_url}/metrics"
    if (endpoint := settings.metrics_endpoint) is not None:
        metrics_runner = web.AppRunner(create_metrics_app(app), handle_signals=False, access_log=None,
                                       keepalive_timeout=settings.keepalive_timeout)
        await metrics_runner.setup()
        await web.TCPSite(metrics_runner, *endpoint).start()
        runners.append(metrics_runner)  # stopped last: the drain can be watched to its end
        host, port = metrics_runner.addresses[0][:2]
        metrics_url = f"http://{host}:{port}/metrics"
    log_json(log, logging.INFO, {"event": "listening", "url": settings.base_url, "metrics": metrics_url,
                                 "atlas": app[keys.RENDERING].atlas.version, "workers": settings.workers,
                                 "max_connections": limits.max_connections})
    for reason in settings.unfetchable_url_reasons():
        log_json(log, logging.WARNING, {"event": "urls_not_fetchable", "reason": reason})
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    reloads: set[asyncio.Task] = set()

    def on_sighup() -> None:
        task = loop.create_task(app[keys.RENDERING].reload())
        reloads.add(task)
        task.add_done_callback(reloads.discard)

    loop.add_signal_handler(signal.SIGHUP, on_sighup)
    if ready is not None:
        ready.set()
    await stop.wait()
    log_json(log, logging.INFO, {"event": "draining", "grace_s": settings.drain_grace,
                                 "deadline_s": settings.drain_timeout})
    app[keys.DRAINING].set()
    await asyncio.sleep(settings.drain_grace)
    for each in runners:
        await each.cleanup()
    log_json(log, logging.INFO, {"event": "stopped"})


def run(settings: Settings) -> None:
    configure_logging()
    try:
        import uvloop
    except ImportError:  # optional: the stdlib loop works, a little slower
        asyncio.run(serve(settings))
    else:
        uvloop.run(serve(settings))
