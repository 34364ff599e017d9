"""A small, bounded load generator for the reliability tests (tests/test_reliability_*.py).

Everything here talks HTTP to a real server process on 127.0.0.1:

- ``closed_loop``: N clients, each sending its next request when the last one answered,
  for a duration or a number of requests (or until ``stop`` is set).
- ``open_loop``: a fixed arrival rate whatever the server does (requests are started on a
  schedule, at most ``max_outstanding`` at once, so the generator itself stays bounded).
- ``verify_cards``: fetch the URL of every 201 and check that it serves a PNG; a 201 whose
  URL does not is a *lost card*.

Each request becomes a ``Result`` (status, latency, error code, Retry-After, ...); a
``Report`` summarises them (counts by status, percentiles) and ``write_figures`` stores
the figures under build/reliability/ for tests/perf/reliability_report.py.

It also reads the server's process tree from /proc (no psutil): the pool workers and
their RSS, and which files each process maps.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "build" / "reliability"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

NAMES = {
    "ko": ["준성맛 쿠키", "용감한 쿠키", "딸기맛 쿠키", "Gingerbrave"],
    "en": ["Gingerbrave", "Strawberry Cookie", "Wizard Cookie", "Custard III"],
    "ja": ["抹茶ラテ クッキー", "勇敢なクッキー", "いちご味クッキー"],
    "zh-TW": ["珍珠奶茶餅乾", "勇敢餅乾", "草莓餅乾"],
}


def random_card_body(rng: random.Random = random.Random()) -> dict:
    language = rng.choice(list(NAMES))
    return {"nameOnCard": rng.choice(NAMES[language]), "language": language}


@dataclass
class Result:
    started: float  # seconds since the start of the run
    status: int  # HTTP status; 0: no HTTP answer (see error)
    latency: float  # seconds
    error: str | None = None  # the JSON error code, or the client exception's class name
    retry_after: str | None = None
    request_id: str | None = None
    url: str | None = None
    card_id: str | None = None
    atlas_version: str | None = None
    served: bool | None = None  # 201 only, after verify_cards: does the URL serve a PNG?
    tag: str = ""


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    duration: float = 0.0
    skipped: int = 0  # open loop: arrivals dropped because max_outstanding requests were pending

    def __iadd__(self, other: Report) -> Report:
        self.results.extend(other.results)
        self.duration += other.duration
        self.skipped += other.skipped
        return self

    @property
    def sent(self) -> int:
        return len(self.results)

    def statuses(self) -> Counter:
        return Counter(r.status for r in self.results)

    def errors(self) -> Counter:
        return Counter((r.status, r.error) for r in self.results if r.status != 201)

    def of(self, status: int) -> list[Result]:
        return [r for r in self.results if r.status == status]

    def latencies(self, status: int = 201) -> list[float]:
        return sorted(r.latency for r in self.results if r.status == status)

    def percentile(self, q: float, status: int = 201) -> float:
        values = self.latencies(status)
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(q / 100 * len(values)))]

    def throughput(self, status: int = 201) -> float:
        return len(self.of(status)) / self.duration if self.duration else 0.0

    @property
    def lost(self) -> list[Result]:
        """201s whose URL did not serve a PNG (only meaningful after verify_cards)."""
        return [r for r in self.results if r.status == 201 and r.served is False]

    def summary(self) -> dict:
        return {
            "sent": self.sent,
            "201": len(self.of(201)),
            "statuses": {str(k): v for k, v in sorted(self.statuses().items())},
            "errors": {f"{s} {e}": n for (s, e), n in sorted(self.errors().items(), key=str)},
            "p50_ms": round(self.percentile(50) * 1000, 1),
            "p99_ms": round(self.percentile(99) * 1000, 1),
            "rate_201_per_s": round(self.throughput(), 1),
            "duration_s": round(self.duration, 2),
            "cards_lost": len(self.lost),
            "skipped": self.skipped,
        }


def per_second(report: Report, status: int = 201) -> list[int]:
    """How many `status` answers arrived in each second of the run."""
    counts = Counter(int(r.started + r.latency) for r in report.results if r.status == status)
    return [counts.get(second, 0) for second in range(int(report.duration) + 1)][:max(1, int(report.duration))]


def new_session(limit: int = 0, **kwargs) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=limit, **kwargs),
                                 timeout=aiohttp.ClientTimeout(total=60))


async def one_request(session: aiohttp.ClientSession, url: str, body: dict | bytes, t_zero: float, *,
                      headers: dict | None = None, tag: str = "") -> Result:
    """POST one card request; never raises (a client-side failure is a Result with status 0)."""
    started = time.perf_counter()
    data = body if isinstance(body, bytes) else json.dumps(body)
    try:
        async with session.post(url + "/citizen-card", data=data,
                                headers={"Content-Type": "application/json", **(headers or {})}) as response:
            raw = await response.read()
            result = Result(started - t_zero, response.status, time.perf_counter() - started,
                            retry_after=response.headers.get("Retry-After"),
                            request_id=response.headers.get("X-Request-Id"), tag=tag)
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
        return Result(started - t_zero, 0, time.perf_counter() - started, error=type(exc).__name__, tag=tag)
    try:
        payload = json.loads(raw)
    except ValueError:
        result.error = "not_json"
        return result
    if result.status == 201:
        result.url, result.card_id = payload.get("url"), payload.get("id")
        result.atlas_version = payload.get("atlasVersion")
    elif isinstance(payload, dict) and isinstance(payload.get("error"), dict):
        result.error = payload["error"].get("code")
    else:
        result.error = "no_error_body"
    return result


BodyFactory = Callable[[], "dict | bytes"]


async def closed_loop(url: str, *, concurrency: int, duration: float | None = None, requests: int | None = None,
                      stop: asyncio.Event | None = None, body: BodyFactory = random_card_body,
                      headers: Callable[[], dict] | None = None, session: aiohttp.ClientSession | None = None,
                      on_result: Callable[[Result], None] | None = None, tag: str = "",
                      t_zero: float | None = None) -> Report:
    """`concurrency` clients back to back until `duration` s, `requests` sent, or `stop` set.

    Result.started is relative to `t_zero` (a time.perf_counter() value; default: now)."""
    assert duration is not None or requests is not None or stop is not None, "unbounded load"
    own = session is None
    session = session or new_session(limit=concurrency)
    report, t_zero = Report(), time.perf_counter() if t_zero is None else t_zero
    budget = [requests if requests is not None else float("inf")]

    began = time.perf_counter()

    def more() -> bool:
        if stop is not None and stop.is_set():
            return False
        if duration is not None and time.perf_counter() - began >= duration:
            return False
        if budget[0] <= 0:
            return False
        budget[0] -= 1
        return True

    async def client() -> None:
        while more():
            result = await one_request(session, url, body(), t_zero, headers=headers() if headers else None,
                                       tag=tag)
            report.results.append(result)
            if on_result is not None:
                on_result(result)

    try:
        await asyncio.gather(*(client() for _ in range(concurrency)))
    finally:
        report.duration = time.perf_counter() - began
        if own:
            await session.close()
    return report


async def open_loop(url: str, *, rate: float, duration: float, max_outstanding: int = 400,
                    body: BodyFactory = random_card_body, session: aiohttp.ClientSession | None = None,
                    tag: str = "", poisson: bool = False) -> Report:
    """Start a request every 1/rate s for `duration` s, whatever the answers (open loop).

    At most `max_outstanding` requests are pending; arrivals beyond that are counted in
    `Report.skipped` rather than queued in the generator (which would hide the server's
    behaviour behind the client's own backlog). Arrivals are evenly spaced, or with
    `poisson` at exponential intervals (independent clients: bursts happen)."""
    assert rate > 0 and duration > 0
    rng = random.Random(2026)
    own = session is None
    session = session or new_session()
    report, t_zero = Report(), time.perf_counter()
    pending: set[asyncio.Task] = set()

    async def send() -> None:
        report.results.append(await one_request(session, url, body(), t_zero, tag=tag))

    try:
        n, due = 0, t_zero
        while True:
            due = due + rng.expovariate(rate) if poisson else t_zero + n / rate
            if due - t_zero >= duration:
                break
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            n += 1
            if len(pending) >= max_outstanding:
                report.skipped += 1
                continue
            task = asyncio.create_task(send())
            pending.add(task)
            task.add_done_callback(pending.discard)
        report.duration = time.perf_counter() - t_zero
        if pending:
            await asyncio.gather(*pending)
    finally:
        if own:
            await session.close()
    return report


async def verify_cards(results: list[Result] | Report, *, rewrite: Callable[[str], str] | None = None,
                       concurrency: int = 8) -> int:
    """Fetch every 201's URL; set `served`; return how many cards are lost."""
    items = [r for r in (results.results if isinstance(results, Report) else results) if r.status == 201]
    queue = list(items)

    async def fetcher(session: aiohttp.ClientSession) -> None:
        while queue:
            result = queue.pop()
            target = rewrite(result.url) if rewrite else result.url
            try:
                async with session.get(target) as response:
                    head = await response.content.read(8)
                    result.served = (response.status == 200 and head == PNG_SIGNATURE
                                     and response.content_type == "image/png")
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
                result.served = False

    async with new_session(limit=concurrency) as session:
        await asyncio.gather(*(fetcher(session) for _ in range(concurrency)))
    return sum(1 for r in items if not r.served)


# --- the server's processes, from /proc --------------------------------------------------

def children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                kids.extend(int(p) for p in handle.read().split())
    except (FileNotFoundError, ProcessLookupError):
        pass
    return kids


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


def worker_pids(server_pid: int) -> list[int]:
    """The render pool workers: spawned children of the server (not the resource tracker)."""
    return sorted(p for p in children(server_pid) if "spawn_main" in cmdline(p) and alive(p))


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def tree_rss_kb(server_pid: int) -> dict[int, int]:
    """RSS of the server process and each pool worker, in KiB."""
    return {pid: rss_kb(pid) for pid in [server_pid, *worker_pids(server_pid)]}


def mapped_files(pid: int) -> set[str]:
    try:
        with open(f"/proc/{pid}/maps") as handle:
            return {parts[5] for line in handle if len(parts := line.split(maxsplit=5)) == 6}
    except (FileNotFoundError, ProcessLookupError):
        return set()


async def wait_for(predicate: Callable[[], bool], timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(interval)
    return predicate()


async def metrics_text(session: aiohttp.ClientSession, base: str) -> str:
    async with session.get(base + "/metrics") as response:
        return await response.text()


# --- figures for docs/RELIABILITY.md ---------------------------------------------------

def is_clean(result: Result) -> bool:
    """A clean error: a JSON error body with a code; 503 and 429 also carry Retry-After."""
    if result.status == 0 or result.error in (None, "not_json", "no_error_body"):
        return False
    if result.status in (429, 503):
        return result.retry_after is not None and result.retry_after.isdigit()
    return 400 <= result.status < 600


def classify(report: Report) -> tuple[dict[str, int], dict[str, int]]:
    """(clean errors, anything else) as {"<status> <code>": count}; 201s are in neither."""
    clean, other = Counter(), Counter()
    for r in report.results:
        if r.status != 201:
            (clean if is_clean(r) else other)[f"{r.status} {r.error}"] += 1
    return dict(sorted(clean.items())), dict(sorted(other.items()))


def record(name: str, *, fault: str, injected: str, report: Report, recovery_s: float | None = None,
           order: int = 99, **extra) -> Path:
    """Write one row of docs/RELIABILITY.md's table (see tests/perf/reliability_report.py)."""
    clean, other = classify(report)
    return write_figures(name, order=order, fault=fault, injected=injected, sent=report.sent,
                         created=len(report.of(201)), clean_errors=clean, other=other,
                         cards_lost=len(report.lost), recovery_s=recovery_s, **extra)


def write_figures(name: str, **figures) -> Path:
    """build/reliability/<name>.json: one row of the RELIABILITY table (see the report script)."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    path = FIGURES / f"{name}.json"
    figures.setdefault("measured_at", time.strftime("%Y-%m-%d %H:%M:%S"))
    path.write_text(json.dumps(figures, indent=1, ensure_ascii=False, default=_plain))
    return path


def _plain(value):
    if isinstance(value, (Report, Result)):
        return value.summary() if isinstance(value, Report) else asdict(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(type(value).__name__)


class BackgroundLoad:
    """A closed loop in a thread of its own (for synchronous tests, e.g. hypothesis ones)."""

    def __init__(self, url: str, concurrency: int = 2, **kwargs) -> None:
        import threading

        self.url, self.concurrency, self.kwargs = url, concurrency, kwargs
        self.report: Report | None = None
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="background-load", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def main() -> None:
            self._stop = asyncio.Event()
            self._ready.set()
            self.report = await closed_loop(self.url, concurrency=self.concurrency, stop=self._stop, **self.kwargs)

        self._loop.run_until_complete(main())
        self._loop.close()

    def start(self) -> BackgroundLoad:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> Report:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(60)
        return self.report
