"""Rasa's Redis tracker store, keeping each stored tracker bounded: the current session, its last few turns.

Rasa's own Redis store reads, replays and writes the whole history on every message (its `save` even reads the
stored tracker back and merges it, to keep earlier sessions), so a turn costs more the longer the conversation
runs, in Rasa and in the action server (Rasa sends it the whole tracker). The record of every chat is the API's
database; Rasa only needs enough to answer the next message: this store keeps the latest session's opening
events, the slot and loop state of its older turns, and its last `max_turns` user turns. A save reads the stored
value back only to compare it with what this turn read: replicas take turns by the atomic ticket lock of
bot/lock_store.py, so another replica writes the conversation meanwhile only if this turn outlived its ticket;
then that write is merged in as Rasa's own store always does (earlier sessions kept); otherwise one SET.

Configured in bot/endpoints.yml as `type: bot.tracker_store.BoundedRedisTrackerStore` (`max_turns` optional).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.conversation import Dialogue
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    Event,
    Restarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

log = logging.getLogger(__name__)

# Enough for short conversation context ("what about in pregnancy?" after a dosing answer) and then some.
DEFAULT_MAX_TURNS = 10
# Events of dropped turns that still shape the state: slot values and an active form, in order...
CARRIED = (SlotSet, ActiveLoop)
# ...back to the last reset, which is kept itself so that earlier state stays reset.
RESETS = (Restarted, AllSlotsReset)
# The stored value a tracker was read from (or last written as), kept on the tracker object.
READ_MARK = "_bounded_store_read"


def _latest_session(events: Sequence[Event]) -> list[Event]:
    """The events from the last `action_session_start` on (all of them if there is none)."""
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_SESSION_START_NAME:
            return list(events[index:])
    return list(events)


def bounded_events(events: Sequence[Event], max_turns: int) -> list[Event]:
    """The latest session's events, its turns before the last `max_turns` reduced to the state they left."""
    if max_turns < 1:
        raise ValueError("max_turns must be at least 1")
    session = _latest_session(events)
    user_at = [index for index, event in enumerate(session) if isinstance(event, UserUttered)]
    if len(user_at) <= max_turns:
        return session
    first, cut = user_at[0], user_at[-max_turns]
    carried: list[Event] = []
    for event in session[first:cut]:
        if isinstance(event, RESETS):
            carried = [event]
        elif isinstance(event, CARRIED):
            carried.append(event)
    return session[:first] + carried + session[cut:]


class BoundedRedisTrackerStore(RedisTrackerStore):
    """A `RedisTrackerStore` whose stored trackers hold the current session's last `max_turns` turns."""

    def __init__(
        self, domain: Domain, *args: Any, max_turns: int | str = DEFAULT_MAX_TURNS, **kwargs: Any
    ) -> None:
        super().__init__(domain, *args, **kwargs)
        self.max_turns = int(max_turns)
        if self.max_turns < 1:
            raise ValueError("max_turns must be at least 1")
        log.info("Redis tracker store keeping the last %d turns of each conversation", self.max_turns)

    def serialise_bounded(self, tracker: DialogueStateTracker) -> str:
        """The tracker as stored: JSON of its bounded events (Rasa's dialogue format)."""
        events = bounded_events(list(tracker.events), self.max_turns)
        return json.dumps(Dialogue(tracker.sender_id, events).as_dict())

    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        """Store the bounded tracker, with any events another replica stored since this one read it."""
        await self.stream_events(tracker)
        key = self.key_prefix + tracker.sender_id
        stored = self.red.get(key)
        if stored is not None and stored != getattr(tracker, READ_MARK, None):
            log.debug("conversation %s was written by another replica meanwhile: merging", tracker.sender_id)
            prior = self.deserialise_tracker(tracker.sender_id, stored)
            if prior is not None:
                tracker = self._merge_trackers(prior, tracker)
        serialised = self.serialise_bounded(tracker)
        expiry = timeout or self.record_exp
        self.red.set(key, serialised, ex=int(expiry) if expiry else None)
        setattr(tracker, READ_MARK, serialised)

    async def _retrieve(self, sender_id: str, fetch_all_sessions: bool) -> DialogueStateTracker | None:
        """The stored tracker (bounded, also if it was written by Rasa's own store)."""
        stored = self.red.get(self.key_prefix + sender_id)
        if stored is None:
            return None
        dialogue = Dialogue.from_parameters(json.loads(stored))
        events = bounded_events(dialogue.events, self.max_turns)
        tracker = self.init_tracker(sender_id)
        tracker.recreate_from_dialogue(Dialogue(sender_id, events))
        setattr(tracker, READ_MARK, stored)
        return tracker
