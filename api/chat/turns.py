"""One message at a time per conversation: a Redis lock queues a conversation's turns.

Without it, concurrent messages of one conversation reach Rasa together and wait on Rasa's own lock
(polled once a second), so each takes seconds and some pass Rasa's timeout. Held here, each turn reaches
Rasa alone and quickly, and the API's order is the order in which the turns got the lock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

import anyio
import redis
from anyio.to_thread import run_sync
from redis.exceptions import LockNotOwnedError, RedisError
from redis.lock import Lock

from api.limits import RateLimited, Scope

log = logging.getLogger(__name__)

KEY_PREFIX = "hcp-turn"
# How often a waiting message tries the lock again.
POLL_SECONDS = 0.05
# A message refused for waiting too long may be sent again this soon: the turn ahead of it is nearly done.
BUSY_RETRY_AFTER_SECONDS = 2


async def _acquire(lock: Lock, wait_seconds: float) -> bool:
    """True once the lock is held; False if Redis is unavailable; RateLimited after waiting `wait_seconds`."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            if await run_sync(partial(lock.acquire, blocking=False)):
                return True
        except (RedisError, OSError) as exc:
            # Fail OPEN, by design: the turn goes on unserialised rather than refusing an HCP's message.
            log.warning("turn lock unavailable, message handled without it: %s", type(exc).__name__)
            return False
        if time.monotonic() >= deadline:
            raise RateLimited(Scope.CONVERSATION_BUSY, BUSY_RETRY_AFTER_SECONDS)
        # Waiting polls here, in the event loop, rather than in redis-py's blocking acquire: a queued
        # message must not hold one of the server's worker threads while it waits.
        await anyio.sleep(POLL_SECONDS)


async def _release(lock: Lock, conversation_id: str) -> None:
    try:
        await run_sync(lock.release)
    except LockNotOwnedError:
        log.warning("a turn of conversation %s outlived its lock", conversation_id)
    except (RedisError, OSError) as exc:
        log.warning("turn lock not released (it expires by itself): %s", type(exc).__name__)


@asynccontextmanager
async def one_at_a_time(
    client: redis.Redis, conversation_id: str, *, wait_seconds: float, hold_seconds: float
) -> AsyncIterator[None]:
    """Hold the conversation's turn for the body; RateLimited (nothing done) if it stays busy too long.

    The lock expires after `hold_seconds` (longer than any turn), so a crashed process cannot block a chat.
    """
    # Not thread-local: acquire and release run in different worker threads.
    lock = client.lock(f"{KEY_PREFIX}:{conversation_id}", timeout=hold_seconds, thread_local=False)
    held = await _acquire(lock, wait_seconds)
    try:
        yield
    finally:
        if held:
            # Shielded: a client that hangs up must not leave the conversation locked until expiry.
            with anyio.CancelScope(shield=True):
                await _release(lock, conversation_id)
