"""SPEC §8 / issue 5 item 5: atlas hot reload under load.

The server runs on an atlas root of its own (tests/atlas_roots.py, conftest.py). While a closed
loop of clients mints cards (a third of them with an Idempotency-Key, whose replay lookup
awaits storage between choosing the atlas and rendering), a new version is built with
atlas_builder.build.build (the code behind `citizen-atlas build`: the real assets with one
part changed, the sprite cache copied from build/atlas/.cache) and published into that
root; the server picks it up on SIGHUP, or by polling `current`. Zero failed requests; new
requests carry the new atlasVersion, /metrics shows it, and the old pool's workers exit, so
no live process maps the old version's files. A half-written version (a truncated page) or
a corrupt one (a page whose hash does not match the manifest) is refused with a logged
error and the old version stays in service.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import shutil
import signal
import time
import uuid
from pathlib import Path

import pytest

from atlas_builder.build import build
from atlas_builder.validate import InvalidAssets
from service.atlas import format as fmt
from tests import load
from tests.conftest import ASSETS, ATLAS
from tests.atlas_roots import point_current
from tests.s3_fault_proxy import FaultProxy
from tests.tiny_assets import make_tiny_assets

WORKERS = 2
CONCURRENCY = 4
REQUEST_TIMEOUT = 4  # the old pool retires this long after a switch (Rendering._retire)
RELOAD_ENV = {"CITIZEN_REQUEST_TIMEOUT": str(REQUEST_TIMEOUT)}


def some_with_keys() -> dict:
    return {"Idempotency-Key": uuid.uuid4().hex} if random.random() < 1 / 3 else {}


def build_new_version(root: Path, work: Path) -> str:
    """Build and publish a new version into `root` (real assets, one sticker changed)."""
    from PIL import Image

    assets, cache = work / "assets", work / "cache"
    shutil.copytree(ASSETS, assets, ignore=shutil.ignore_patterns("art", "__pycache__"))
    if (ATLAS / ".cache").is_dir():
        shutil.copytree(ATLAS / ".cache", cache)
    part = sorted((assets / "parts" / "sticker").glob("*.png"))[0]
    with Image.open(part) as image:
        image = image.convert("RGBA")
    image.putpixel((500, 500), (255, 0, 255, 255))
    image.save(part)
    try:
        return build(assets, root, cache, progress=False).version
    except InvalidAssets:  # assets/ is mid-edit by someone: a small valid tree does as well
        shutil.rmtree(assets)
        return build(make_tiny_assets(assets), root, cache, progress=False).version


def corrupt_version(root: Path, source: Path, name: str, how: str) -> Path:
    """versions/<name>: `source` with its first page truncated ("half") or one byte flipped ("hash")."""
    target = root / fmt.VERSIONS / name
    target.mkdir()
    manifest = json.loads((source / fmt.MANIFEST).read_text())
    manifest["version"] = name
    page = manifest["pages"][0]["file"]
    for file in source.iterdir():
        if file.name == fmt.MANIFEST:
            (target / file.name).write_text(json.dumps(manifest))
        elif file.name == page:
            data = bytearray(file.read_bytes())  # a new file: the source is hard-linked, never write to it
            if how == "half":
                data = data[: len(data) // 2]
            else:
                data[len(data) // 2] ^= 0xFF
            (target / file.name).write_bytes(bytes(data))
        else:
            (target / file.name).hardlink_to(file)
    return target


async def atlas_info(url: str) -> set[str]:
    async with load.new_session() as session:
        text = await load.metrics_text(session, url)
    return set(re.findall(r'citizen_atlas_info\{version="([^"]+)"\} 1\.0', text))


def mapping_old(pids: list[int], version: str) -> dict[int, list[str]]:
    return {pid: sorted(f for f in load.mapped_files(pid) if f"/{fmt.VERSIONS}/{version}/" in f)
            for pid in pids if any(f"/{fmt.VERSIONS}/{version}/" in f for f in load.mapped_files(pid))}


async def check_switch(server, report: load.Report, old: str, new: str, published_at: float,
                       old_workers: list[int]) -> dict:
    """Assertions shared by the SIGHUP and polling tests; returns the figures."""
    lost = await load.verify_cards(report)
    assert report.statuses() == {201: report.sent}, report.summary()  # zero failed requests
    assert lost == 0
    first_new = min(r.started + r.latency for r in report.results if r.atlas_version == new)
    # Once a request got the new version, every request started later has it too.
    stale = [r for r in report.results if r.started > first_new and r.atlas_version != new]
    assert not stale, stale[:3]
    assert {r.atlas_version for r in report.results} == {old, new}
    assert await atlas_info(server.url) == {new}
    log = server.log_text()
    assert f'"event":"atlas_reloaded","from":"{old}","to":"{new}"' in log
    assert f'"event":"atlas_retired","version":"{old}"' in log
    # The old pool's workers are gone, and no live process of the server maps the old files.
    assert not any(load.alive(pid) for pid in old_workers), old_workers
    live = [server.pid, *load.worker_pids(server.pid)]
    assert len(live) == 1 + WORKERS
    assert mapping_old(live, old) == {}
    assert any(f"/{fmt.VERSIONS}/{new}/" in f for pid in live[1:] for f in load.mapped_files(pid))
    return dict(switch_after_publish_s=round(first_new - published_at, 2), load=report.summary(),
                old=old, new=new)


@pytest.mark.slow
async def test_sighup_switches_to_a_newly_built_atlas_under_load(serve, private_atlas: Path, tmp_path: Path):
    server = serve(workers=WORKERS, env={**RELOAD_ENV, "CITIZEN_ATLAS_POLL_SECONDS": "0"})  # SIGHUP only
    old = fmt.resolve(private_atlas).name
    old_workers = load.worker_pids(server.pid)

    stop, t_zero = asyncio.Event(), time.perf_counter()
    traffic = asyncio.create_task(load.closed_loop(server.url, concurrency=CONCURRENCY, stop=stop, t_zero=t_zero,
                                                   headers=some_with_keys))
    await asyncio.sleep(1.5)
    new = await asyncio.to_thread(build_new_version, private_atlas, tmp_path / "build")
    assert new != old
    await asyncio.sleep(1.0)
    assert await atlas_info(server.url) == {old}  # no polling: nothing happens until SIGHUP
    server.proc.send_signal(signal.SIGHUP)
    hup_at = time.perf_counter() - t_zero
    retired = await load.wait_for(lambda: '"event":"atlas_retired"' in server.log_text(), REQUEST_TIMEOUT + 15)
    await asyncio.sleep(1.0)
    stop.set()
    report = await traffic
    assert retired, server.log_text()[-3000:]
    figures = await check_switch(server, report, old, new, hup_at, old_workers)
    load.record("5a-reload-sighup", order=30, fault="Atlas hot reload on SIGHUP",
                injected="citizen-atlas build (one part changed) publishes into the server's atlas root, then "
                         "kill -HUP; a third of requests with Idempotency-Key",
                report=report, recovery_s=figures["switch_after_publish_s"],
                notes=f"new version served {figures['switch_after_publish_s']:.1f} s after SIGHUP; old workers "
                      f"exited after the {REQUEST_TIMEOUT} s retirement delay; no live process maps the old "
                      "files", **figures)


@pytest.mark.slow
async def test_polling_refuses_corrupt_versions_then_switches_to_a_good_one(
        serve, private_atlas: Path, tmp_path: Path):
    server = serve(workers=WORKERS, env={**RELOAD_ENV, "CITIZEN_ATLAS_POLL_SECONDS": "0.5"})
    old = fmt.resolve(private_atlas).name
    old_dir = fmt.resolve(private_atlas)
    old_workers = load.worker_pids(server.pid)

    stop, t_zero = asyncio.Event(), time.perf_counter()
    traffic = asyncio.create_task(load.closed_loop(server.url, concurrency=CONCURRENCY, stop=stop, t_zero=t_zero,
                                                   headers=some_with_keys))
    await asyncio.sleep(1.0)
    refused = {}
    for name, how in (("0badcafe0half000", "half"), ("0badcafe0hash000", "hash")):
        corrupt_version(private_atlas, old_dir, name, how)
        point_current(private_atlas, name)
        seen = await load.wait_for(lambda: f'"atlas_reload_refused","version":"{name}"' in server.log_text(), 10)
        assert seen, server.log_text()[-2000:]
        await asyncio.sleep(1.5)  # three more polls: still refused, logged once, old version in service
        log = server.log_text()
        refused[name] = [line for line in log.splitlines() if "atlas_reload_refused" in line and name in line]
        assert len(refused[name]) == 1, refused[name]
        assert await atlas_info(server.url) == {old}
    assert "missing or not" in refused["0badcafe0half000"][0]  # the truncated page
    assert "does not match manifest" in refused["0badcafe0hash000"][0]  # the flipped byte
    server.proc.send_signal(signal.SIGHUP)  # an operator's SIGHUP re-checks (and refuses) it again
    assert await load.wait_for(lambda: server.log_text().count('"version":"0badcafe0hash000"') == 2, 10)
    assert load.worker_pids(server.pid) == old_workers  # no pool was started for a bad version

    new = await asyncio.to_thread(build_new_version, private_atlas, tmp_path / "build")
    published_at = time.perf_counter() - t_zero
    retired = await load.wait_for(lambda: '"event":"atlas_retired"' in server.log_text(), REQUEST_TIMEOUT + 15)
    await asyncio.sleep(1.0)
    stop.set()
    report = await traffic
    assert retired, server.log_text()[-3000:]
    before_good = [r for r in report.results if r.started + r.latency < published_at]
    assert before_good and all(r.atlas_version == old for r in before_good)  # the old one stayed in service
    figures = await check_switch(server, report, old, new, published_at, old_workers)
    load.record("5b-reload-poll", order=31, fault="Atlas hot reload by polling `current`; a half-written and a "
                                                  "corrupt version first",
                injected="`current` swapped to a version with a truncated page, then one with a flipped byte "
                         "(each refused), then citizen-atlas build publishes a good one; poll every 0.5 s",
                report=report, recovery_s=figures["switch_after_publish_s"],
                notes=f"both bad versions refused with one logged error each, old version kept; the good one "
                      f"served {figures['switch_after_publish_s']:.1f} s after publishing; old workers exited",
                refused={k: v[0] for k, v in refused.items()}, **figures)


@pytest.mark.slow
async def test_reload_while_idempotent_requests_wait_on_a_slow_store(
        serve, private_atlas: Path, tmp_path: Path, aws_env, s3_bucket, fault_proxy: FaultProxy,
        moto_endpoint: str):
    """A request picks the live (atlas, pool) pair, then awaits its idempotency lookup in S3
    (slowed to 0.3 s per call here) before it renders: the old pool must still take it after
    the switch. (Shutting the old pool down as soon as it is idle fails these with a 500.)"""
    env = {**RELOAD_ENV, **aws_env, "AWS_ENDPOINT_URL": fault_proxy.url, "CITIZEN_STORAGE": f"s3://{s3_bucket}/cards",
           "CITIZEN_S3_ACL": "public-read", "CITIZEN_ATLAS_POLL_SECONDS": "0"}
    server = serve(workers=WORKERS, env=env)
    old = fmt.resolve(private_atlas).name
    old_workers = load.worker_pids(server.pid)
    new = await asyncio.to_thread(build_new_version, private_atlas, tmp_path / "build")
    fault_proxy.delay_seconds = 0.3
    fault_proxy.set_mode("delay")

    stop, t_zero = asyncio.Event(), time.perf_counter()
    traffic = asyncio.create_task(load.closed_loop(server.url, concurrency=CONCURRENCY, stop=stop,
                                                   t_zero=t_zero,
                                                   headers=lambda: {"Idempotency-Key": uuid.uuid4().hex}))
    await asyncio.sleep(1.5)
    server.proc.send_signal(signal.SIGHUP)
    hup_at = time.perf_counter() - t_zero
    retired = await load.wait_for(lambda: '"event":"atlas_retired"' in server.log_text(), REQUEST_TIMEOUT + 15)
    await asyncio.sleep(0.5)
    stop.set()
    report = await traffic
    fault_proxy.set_mode("pass")
    assert retired, server.log_text()[-3000:]
    lost = await load.verify_cards(report, rewrite=lambda url: url.replace(fault_proxy.url, moto_endpoint))
    assert report.statuses() == {201: report.sent}, (report.summary(), server.log_text()[-3000:])
    assert lost == 0
    straddling = [r for r in report.results if r.started < hup_at < r.started + r.latency]
    assert straddling and {r.atlas_version for r in straddling} <= {old, new}
    assert {r.atlas_version for r in report.results} == {old, new}
    assert not any(load.alive(pid) for pid in old_workers)
    on_old = sum(1 for r in straddling if r.atlas_version == old)
    load.record("5c-reload-slow-store", order=32, fault="Atlas hot reload (SIGHUP) while idempotent requests "
                                                        "wait on a slow S3",
                injected="every request with an Idempotency-Key; S3 calls slowed to 0.3 s by the fault proxy; "
                         "kill -HUP after publishing",
                report=report, recovery_s=None,
                notes=f"{len(straddling)} requests in flight at SIGHUP, {on_old} of them finished on the old "
                      f"version after the switch: all 201; the old pool retired {REQUEST_TIMEOUT} s later",
                load=report.summary())
