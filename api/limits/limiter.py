"""The limits themselves: moving windows in Redis, one set of rules per scope, read from settings."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated

import redis
from fastapi import Depends, Request
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from api.deps import get_runtime
from api.settings import Settings

log = logging.getLogger(__name__)

KEY_PREFIX = "hcp-limits"
# A limiter call that cannot reach Redis gives up quickly and without retries: the chat goes on (fail open).
REDIS_TIMEOUT_SECONDS = 0.5
# What the limiter may raise when Redis is gone or broken; everything else is a bug and propagates.
UNAVAILABLE = (StorageError, RedisError, OSError)


class Scope(StrEnum):
    """What a limit counts; each limited scope's rules are the setting of the same name."""

    CONVERSATIONS_PER_IP = "conversations_per_ip"
    MESSAGES_PER_CONVERSATION = "messages_per_conversation"
    REVIEW_ITEMS_PER_CONVERSATION = "review_items_per_conversation"
    REVIEW_ITEMS_PER_IP = "review_items_per_ip"
    # Not a counted limit: the conversation's previous message took too long (api.chat.turns).
    CONVERSATION_BUSY = "conversation_busy"


LIMITED = (
    Scope.CONVERSATIONS_PER_IP,
    Scope.MESSAGES_PER_CONVERSATION,
    Scope.REVIEW_ITEMS_PER_CONVERSATION,
    Scope.REVIEW_ITEMS_PER_IP,
)


class RateLimited(Exception):
    """Over a limit: the request was not carried out; it may be sent again after `retry_after` seconds."""

    def __init__(self, scope: Scope, retry_after: int) -> None:
        super().__init__(f"{scope.value}: retry after {retry_after} s")
        self.scope = scope
        self.retry_after = max(1, retry_after)


def redis_client(url: str) -> redis.Redis:
    """A Redis client that fails fast (short timeouts, no retries), for checks on the request path."""
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
    )


class AbuseLimits:
    """Per-IP and per-conversation limits; every method fails open (logged) when Redis is unavailable."""

    def __init__(self, client: redis.Redis, url: str, rules: dict[Scope, tuple[RateLimitItem, ...]]) -> None:
        self.redis = client
        storage = RedisStorage(
            url, connection_pool=client.connection_pool, key_prefix=KEY_PREFIX, wrap_exceptions=True
        )
        self._limiter = MovingWindowRateLimiter(storage)
        self._rules = rules

    @classmethod
    def build(cls, settings: Settings) -> AbuseLimits:
        """From settings; nothing connects until the first check."""
        url = settings.rate_limit_redis_url or settings.redis_url
        rules = {scope: tuple(parse_many(getattr(settings, scope.value))) for scope in LIMITED}
        return cls(redis_client(url), url, rules)

    def close(self) -> None:
        """Release the Redis connections."""
        self.redis.close()

    def _retry_after(self, item: RateLimitItem, scope: Scope, key: str) -> int:
        reset_at = self._limiter.get_window_stats(item, scope.value, key).reset_time
        return math.ceil(reset_at - time.time())

    def _hit(self, scope: Scope, key: str) -> None:
        for item in self._rules[scope]:
            if not self._limiter.hit(item, scope.value, key):
                raise RateLimited(scope, self._retry_after(item, scope, key))

    def _test(self, scope: Scope, key: str) -> None:
        for item in self._rules[scope]:
            if not self._limiter.test(item, scope.value, key):
                raise RateLimited(scope, self._retry_after(item, scope, key))

    def _fail_open(self, checks: Iterable[tuple[bool, Scope, str]]) -> None:
        """Run (consume?, scope, key) checks in order; RateLimited at the first that is over its limit."""
        try:
            for consume, scope, key in checks:
                (self._hit if consume else self._test)(scope, key)
        except UNAVAILABLE as exc:
            # Fail OPEN, by design: a broken limiter must not block a chat (an AE report could be lost).
            log.warning("rate limits unavailable, request allowed: %s", type(exc).__name__)

    def new_conversation(self, client_key: str) -> None:
        """Count a new conversation from a client; RateLimited if it has started too many."""
        self._fail_open([(True, Scope.CONVERSATIONS_PER_IP, client_key)])

    def message(self, conversation_id: str, client_key: str) -> None:
        """Count a message; RateLimited if the conversation sent too many or opened its share of review items."""
        self._fail_open(
            [
                (False, Scope.REVIEW_ITEMS_PER_CONVERSATION, conversation_id),
                (False, Scope.REVIEW_ITEMS_PER_IP, client_key),
                (True, Scope.MESSAGES_PER_CONVERSATION, conversation_id),
            ]
        )

    def review_item_opened(self, conversation_id: str, client_key: str) -> None:
        """Count a review item opened by a message (it is open already: nothing is refused here)."""
        try:
            for scope, key in (
                (Scope.REVIEW_ITEMS_PER_CONVERSATION, conversation_id),
                (Scope.REVIEW_ITEMS_PER_IP, client_key),
            ):
                for item in self._rules[scope]:
                    self._limiter.hit(item, scope.value, key)
        except UNAVAILABLE as exc:
            log.warning("rate limits unavailable, review item not counted: %s", type(exc).__name__)


async def abuse_limits(request: Request) -> AbuseLimits:
    """The app's limits, built on first use from its settings (one Redis connection pool per app)."""
    state = request.app.state
    found: AbuseLimits | None = getattr(state, "abuse_limits", None)
    if found is None:
        found = state.abuse_limits = AbuseLimits.build(get_runtime(request).settings)
    return found


AbuseLimitsDep = Annotated[AbuseLimits, Depends(abuse_limits)]
