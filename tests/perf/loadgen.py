"""Open-loop load generator: requests leave on a fixed schedule whatever the server does.

Latency is measured from each request's scheduled start, so a stalled server cannot hide
its queueing (no coordinated omission). Used by the end-to-end benchmark.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from dataclasses import dataclass, field

import aiohttp


@dataclass
class OpenLoopResult:
    rate: float
    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, 201 only
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def sent(self) -> int:
        return sum(self.statuses.values())

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


async def open_loop(url: str, rate: float, seconds: float, language: str = "en") -> OpenLoopResult:
    result = OpenLoopResult(rate, seconds)
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=30)
    rng = random.Random(1)

    async def one(session: aiohttp.ClientSession, scheduled: float) -> None:
        body = json.dumps({"nameOnCard": f"Cookie {rng.randrange(10**6)}", "language": language})
        try:
            async with session.post(url + "/citizen-card", data=body,
                                    headers={"Content-Type": "application/json"}) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError):
            status = 0
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if status == 201:
            result.latencies.append(time.perf_counter() - scheduled)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        start = time.perf_counter()
        tasks = []
        n = int(rate * seconds)
        for i in range(n):
            scheduled = start + i / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(session, scheduled)))
        await asyncio.gather(*tasks)
    return result


async def closed_loop(url: str, requests: int, connections: int) -> dict[int, int]:
    """`requests` POSTs over `connections` concurrent clients; returns counts by status."""
    statuses: dict[int, int] = {}
    remaining = iter(range(requests))

    async def client(session: aiohttp.ClientSession) -> None:
        for i in remaining:
            body = json.dumps({"nameOnCard": f"Cookie {i}", "language": "en"})
            async with session.post(url + "/citizen-card", data=body,
                                    headers={"Content-Type": "application/json"}) as response:
                await response.read()
                statuses[response.status] = statuses.get(response.status, 0) + 1

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        await asyncio.gather(*(client(session) for _ in range(connections)))
    return statuses
