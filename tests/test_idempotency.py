"""service/idempotency.py on its own: derived ids, one mint per key at a time, replays."""

from __future__ import annotations

import asyncio

import diskcache
import orjson
import pytest

from service.errors import ValidationFailed
from service.idempotency import Idempotency, request_fingerprint
from service.ids import CARD_ID


class StoredRecords:
    """The one Storage method a replay uses."""

    def __init__(self, records: dict[str, bytes]) -> None:
        self.records = records

    async def get_record(self, card_id: str) -> bytes | None:
        return self.records.get(card_id)


@pytest.fixture
def idempotency(tmp_path):
    cache = diskcache.Cache(str(tmp_path / "idem"))
    yield Idempotency("secret", cache)
    cache.close()


def test_a_key_derives_the_same_card_for_its_client_only(idempotency, tmp_path) -> None:
    card_id, seed = idempotency.derive("10.0.0.1", "order-42")
    assert CARD_ID.match(card_id) and idempotency.derive("10.0.0.1", "order-42") == (card_id, seed)
    assert idempotency.derive("10.0.0.2", "order-42")[0] != card_id
    with diskcache.Cache(str(tmp_path / "other")) as cache:
        assert Idempotency("other secret", cache).derive("10.0.0.1", "order-42")[0] != card_id
    for bad in ("", "x" * 129, "naïve", "with space"):
        with pytest.raises(ValidationFailed) as refused:
            idempotency.derive("10.0.0.1", bad)
        assert refused.value.code == "invalid_idempotency_key"


async def test_one_request_per_key_at_a_time(idempotency) -> None:
    order: list[str] = []

    async def request(card_id: str, name: str) -> None:
        async with idempotency.exclusive(card_id):
            order.append(f"{name} in")
            await asyncio.sleep(0.02)
            order.append(f"{name} out")

    await asyncio.gather(request("A", "first"), request("A", "second"), request("B", "other"))
    assert order.index("first out") < order.index("second in")  # the same key waited
    assert order.index("other in") < order.index("first out")  # another key did not


async def test_a_replay_finds_the_record_and_refuses_another_body(idempotency) -> None:
    fingerprint = request_fingerprint("Chip", "en", None)
    record = orjson.dumps({"id": "A", "fingerprint": fingerprint})
    storage = StoredRecords({"B": record})
    assert await idempotency.replay("A", fingerprint, storage) is None
    idempotency.remember("A", record)
    assert (await idempotency.replay("A", fingerprint, storage))["id"] == "A"
    assert (await idempotency.replay("B", fingerprint, storage))["id"] == "A"  # from storage, another instance's
    with pytest.raises(ValidationFailed) as refused:
        await idempotency.replay("A", request_fingerprint("Chip", "en", 7), storage)
    assert refused.value.code == "idempotency_key_reused"
