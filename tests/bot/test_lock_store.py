"""bot.lock_store: Rasa's ticket lock with atomic changes, so that two replicas never run one conversation at once.

Runs in the Rasa virtualenv against the real Redis (database 14, emptied of this test's keys): many "replicas"
(separate store objects, each with its own connection, in threads) take the same conversation's lock at once,
and each critical section does an unprotected read-sleep-write on a counter; a lost update means two sections
overlapped. The end-to-end form is tests/scripts/test_replicas.py (two real Rasa servers).
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.bot.test_tracker_store import ROOT, in_rasa_venv

REDIS_DB = 14

CONTENTION = """
import asyncio, json, threading, uuid
from bot.lock_store import AtomicRedisLockStore
from rasa.utils.endpoints import EndpointConfig

DB = int("__DB__")
REPLICAS, TURNS = 6, 4
conversation = f"lock-test-{uuid.uuid4()}"
config = EndpointConfig.from_dict({"type": "bot.lock_store.AtomicRedisLockStore", "url": "127.0.0.1",
                                   "port": 6379, "db": DB})
stores = [AtomicRedisLockStore(endpoint_config=config) for _ in range(REPLICAS)]
counter = "lock-test-counter:" + conversation
red = stores[0].red
red.set(counter, 0)
tickets, overlaps, errors = [], [], []
inside = threading.Lock()

async def turns(store):
    for _ in range(TURNS):
        async with store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.01) as lock:
            tickets.append(lock.now_serving)
            if not inside.acquire(blocking=False):
                overlaps.append(1)
                continue
            value = int(red.get(counter))
            await asyncio.sleep(0.005)
            red.set(counter, value + 1)
            inside.release()

def replica(store):
    try:
        asyncio.run(turns(store))
    except Exception as error:
        errors.append(repr(error))

threads = [threading.Thread(target=replica, args=(store,)) for store in stores]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
direct = stores[1]
number = direct.issue_ticket(conversation, 30)
after_issue = direct.get_lock(conversation).dumps()
direct.cleanup(conversation, number)
print(json.dumps({
    "count": int(red.get(counter)), "expected": REPLICAS * TURNS, "overlaps": len(overlaps), "errors": errors,
    "lock_left": red.exists(stores[0].key_prefix + conversation),
    "host": direct.red.connection_pool.connection_kwargs, "after_issue": json.loads(after_issue),
}, default=str))
red.delete(counter)
""".replace("__DB__", str(REDIS_DB))


@pytest.fixture(scope="module")
def contention() -> Any:
    return in_rasa_venv(CONTENTION)


def test_simultaneous_turns_of_one_conversation_run_one_at_a_time(contention: Any) -> None:
    result = contention

    assert result["errors"] == []
    assert result["overlaps"] == 0
    assert result["count"] == result["expected"]  # no lost update: every section ran alone
    assert result["lock_left"] == 0  # the last turn removed the lock


def test_the_store_is_built_from_its_endpoint_and_keeps_rasas_ticket_format(contention: Any) -> None:
    result = contention

    assert result["host"]["host"] == "127.0.0.1" and int(result["host"]["db"]) == REDIS_DB
    # Rasa's TicketLock JSON, so a Rasa of the same version reads what this store writes.
    assert set(result["after_issue"]) == {"conversation_id", "tickets"}
    assert len(result["after_issue"]["tickets"]) == 1


def test_rasa_uses_the_atomic_lock_store() -> None:
    endpoints = yaml.safe_load((ROOT / "bot" / "endpoints.yml").read_text())
    assert endpoints["lock_store"]["type"] == "bot.lock_store.AtomicRedisLockStore"
