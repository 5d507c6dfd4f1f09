"""Rasa's Redis ticket lock with every change made atomically, so that replicas serialise one conversation.

Rasa 3.6's `RedisLockStore` changes a conversation's ticket lock by reading it, changing it in Python and writing
it back: two replicas taking a ticket at once can both get the same number, a waiter refreshing the lock can write
back a copy without a ticket issued meanwhile, and a finishing turn can delete the lock under a new ticket. Each
of those lets two turns of one conversation run at once, and one of their tracker saves is lost (seen in
tests/scripts/test_replicas.py). Here each change is one Redis transaction on the lock's key (WATCH, read,
MULTI, write, EXEC, retried if another replica wrote the key in between); the ticket algorithm is Rasa's own.

Configured in bot/endpoints.yml as `type: bot.lock_store.AtomicRedisLockStore`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

log = logging.getLogger(__name__)

T = TypeVar("T")
# A change to a conversation's lock: the lock as stored (None if there is none) -> what to store (None deletes
# the key) and the change's result.
LockChange = Callable[[TicketLock | None], tuple[TicketLock | None, T]]


class AtomicRedisLockStore(RedisLockStore):
    """A `RedisLockStore` whose ticket lock changes are Redis transactions (optimistic, on the lock's key)."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        """Rasa builds a lock store named by module path from its endpoint (url, port, db, password)."""
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def change_lock(self, conversation_id: str, change: LockChange[T]) -> T:
        """Apply `change` to the stored lock atomically: retried from a fresh read if the key changed meanwhile."""
        key = self.key_prefix + conversation_id
        result: list[T] = []

        def transaction(pipe: Any) -> None:
            stored = pipe.get(key)  # immediate: the key is watched
            lock = TicketLock.from_dict(json.loads(stored)) if stored else None
            new_lock, outcome = change(lock)
            pipe.multi()
            if new_lock is None or not new_lock.tickets:
                pipe.delete(key)
            else:
                pipe.set(key, new_lock.dumps())
            result[:] = [outcome]

        self.red.transaction(transaction, key)
        return result[0]

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """A new ticket, numbered after every live ticket of the conversation's lock (created if none)."""

        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self.change_lock(conversation_id, issue)
        except Exception as error:  # Rasa's contract: any failure to take a ticket is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets (a waiter's refresh), keeping any ticket issued since the waiter last read."""

        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self.change_lock(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the finished ticket; the lock goes when no ticket is left."""

        def remove(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self.change_lock(conversation_id, remove)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the finished ticket and, in the same transaction, the lock if nobody else holds a ticket."""
        self.finish_serving(conversation_id, ticket_number)
