"""Rasa's speed-ups in bot/: the bounded Redis tracker store and the action answers' validator built once.

Both run in the Rasa virtualenv (as test_rasa_data does); the replicas test (tests/scripts/test_replicas.py)
runs the store in two real Rasa processes.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
ENDPOINTS = yaml.safe_load((ROOT / "bot" / "endpoints.yml").read_text())
MAX_TURNS: int = ENDPOINTS["tracker_store"]["max_turns"]

BOUNDED = """
import json
from rasa.shared.core.events import (
    ActionExecuted, AllSlotsReset, BotUttered, SessionStarted, SlotSet, UserUttered,
)
from bot.tracker_store import bounded_events

def session(label, slots_at=()):
    events = [ActionExecuted("action_session_start"), SessionStarted(), SlotSet("opening", label),
              ActionExecuted("action_listen")]
    for n in range(12):
        events += [UserUttered(f"{label} {n}", {"name": "ask_dosing"}), ActionExecuted("action_reply"),
                   BotUttered("answer"), ActionExecuted("action_listen")]
        if n in slots_at:
            events.append(SlotSet("topic", n))
    return events

def names(events):
    return [type(e).__name__ + (":" + str(getattr(e, "text", "") or getattr(e, "value", "")) if
            isinstance(e, (UserUttered, SlotSet)) else "") for e in events]

old, new = session("old"), session("new", slots_at=(1, 3, 11))
short = session("short")[:10]
reset = new[:22] + [AllSlotsReset()] + new[22:]  # after the slots of turns 1 and 3
print(json.dumps({
    "two_sessions": names(bounded_events(old + new, 4)),
    "short": names(bounded_events(short, 4)) == names(short),
    "reset": names(bounded_events(reset, 4)),
}))
"""

VALIDATOR = """
import json, jsonschema
from jsonschema import ValidationError
from bot.rasa_server import validate_action_results_with_one_validator
from rasa.core.actions.action import RemoteAction

validate_action_results_with_one_validator()
jsonschema.validate = None  # the per-answer schema check is gone: calling it would fail
good = {"events": [{"event": "slot", "name": "topic", "value": "dosing"}], "responses": [{"custom": {"a": 1}}]}
results = {"good": RemoteAction._validate_action_result(None, good)}
for name, bad in (("responses", {"responses": "not a list"}), ("events", {"events": [{"event": 3}]})):
    try:
        RemoteAction._validate_action_result(None, bad)
        results[name] = "accepted"
    except ValidationError as error:
        results[name] = error.message
print(json.dumps(results))
"""


def in_rasa_venv(script: str) -> Any:
    """Run a script with the Rasa virtualenv's Python; its last output line is JSON."""
    result = subprocess.run(
        [str(ROOT / ".venv-rasa" / "bin" / "python"), "-c", script],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_replicas_share_the_bounded_redis_store() -> None:
    store = ENDPOINTS["tracker_store"]
    assert store["type"] == "bot.tracker_store.BoundedRedisTrackerStore"
    assert ENDPOINTS["lock_store"]["type"] == "bot.lock_store.AtomicRedisLockStore"
    assert 3 <= MAX_TURNS <= 50  # enough for short context, bounded for speed


def test_the_stored_tracker_is_the_latest_session_with_its_last_turns_and_state() -> None:
    result = in_rasa_venv(BOUNDED)
    kept = result["two_sessions"]
    # The older session is gone; the latest keeps its opening (with the slot set there) ...
    assert not any("old" in name for name in kept), kept
    assert kept[:4] == ["ActionExecuted", "SessionStarted", "SlotSet:new", "ActionExecuted"]
    # ... the slot values its dropped turns set, in order ...
    assert kept[4:6] == ["SlotSet:1", "SlotSet:3"]
    # ... and its last 4 turns, whole.
    assert [name for name in kept if name.startswith("UserUttered")] == [
        f"UserUttered:new {n}" for n in range(8, 12)
    ]
    assert kept[6] == "UserUttered:new 8" and kept[-1] == "SlotSet:11"
    assert result["short"] is True  # within the bound, nothing changes
    # A reset among the dropped turns is kept, and what it reset stays dropped.
    assert result["reset"][4:6] == ["AllSlotsReset", "UserUttered:new 8"], result["reset"]


def test_action_answers_are_still_validated_with_the_validator_built_once() -> None:
    result = in_rasa_venv(VALIDATOR)
    assert result["good"] is True
    for name in ("responses", "events"):
        assert result[name] != "accepted", result
        assert "Failed to validate Action server response" in result[name], result
