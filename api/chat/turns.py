"""One message at a time per conversation: a Redis lock queues a conversation's turns.

Without it, concurrent messages of one conversation reach Rasa together and wait on Rasa's own lock
(polled once a second), so each takes seconds and some pass Rasa's timeout. Held here, each turn reaches
Rasa alone and quickly, and the API's order is the order in which the turns got the lock.

The lock is first tried without waiting, in the worker thread that then answers the message (the usual case:
one hop to a thread per message); a message that finds its conversation busy waits in the event loop, holding
no worker thread, and polls.
"""

from __future__ import annotations

import logging
import time

import anyio
import redis
from anyio.to_thread import run_sync
from redis.exceptions import LockNotOwnedError, RedisError

from api.limits import RateLimited, Scope

log = logging.getLogger(__name__)

KEY_PREFIX = "hcp-turn"
# How often a waiting message tries the lock again.
POLL_SECONDS = 0.05
# A message refused for waiting too long may be sent again this soon: the turn ahead of it is nearly done.
BUSY_RETRY_AFTER_SECONDS = 2


class Turn:
    """A conversation's turn: taken without waiting (`try_take`, sync) or waited for (`wait`), then released.

    The lock expires after `hold_seconds` (longer than any turn), so a crashed process cannot block a chat.
    Redis being unavailable fails OPEN, by design: the turn goes on unserialised rather than refusing an HCP.
    """

    def __init__(self, client: redis.Redis, conversation_id: str, *, hold_seconds: float) -> None:
        self.conversation_id = conversation_id
        # Not thread-local: taking and releasing may happen in different worker threads.
        self._lock = client.lock(f"{KEY_PREFIX}:{conversation_id}", timeout=hold_seconds, thread_local=False)
        self.held = False

    def try_take(self) -> bool:
        """True if the turn is now ours (or the lock is unavailable: fail open); False if another has it."""
        try:
            self.held = bool(self._lock.acquire(blocking=False))
        except (RedisError, OSError) as exc:
            log.warning("turn lock unavailable, message handled without it: %s", type(exc).__name__)
            return True
        return self.held

    async def wait(self, wait_seconds: float) -> None:
        """Poll until the turn is ours; RateLimited (nothing done) after `wait_seconds`."""
        deadline = time.monotonic() + wait_seconds
        while True:
            # In the event loop, not in redis-py's blocking acquire: a queued message holds no worker thread.
            await anyio.sleep(POLL_SECONDS)
            if await run_sync(self.try_take):
                return
            if time.monotonic() >= deadline:
                raise RateLimited(Scope.CONVERSATION_BUSY, BUSY_RETRY_AFTER_SECONDS)

    def release(self) -> None:
        """Give the turn back (idempotent; a lock that expired or a Redis outage is logged, never raised)."""
        if not self.held:
            return
        self.held = False
        try:
            self._lock.release()
        except LockNotOwnedError:
            log.warning("a turn of conversation %s outlived its lock", self.conversation_id)
        except (RedisError, OSError) as exc:
            log.warning("turn lock not released (it expires by itself): %s", type(exc).__name__)

    async def release_shielded(self) -> None:
        """`release` from async code: a client that hangs up must not leave the conversation locked."""
        if self.held:
            with anyio.CancelScope(shield=True):
                await run_sync(self.release)
