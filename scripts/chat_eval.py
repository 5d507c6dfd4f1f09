"""The held-out questions through the running service, as an HCP sends them (`make bot-eval`).

Unlike `bot.evaluate` (the model and the judgement alone), this goes through the API: compliance first,
then Rasa and the action server, so it measures the routes the website contract returns. A case with a
`context` sends that message first in the same conversation.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from api.conversations.access import SECRET_HEADER
from api.hcp_profiles.suggestion import INTRO_TOPIC as SUGGESTION_INTRO
from bot.evaluate import Case, Tally, bars_met, expected, load_cases, print_bars
from scripts.stack import ROOT, Ports, scratch_stack

EVAL_DIR = ROOT / "bot" / "eval"
CASES = (
    EVAL_DIR / "heldout.yml",
    EVAL_DIR / "heldout2.yml",
    EVAL_DIR / "calibration.yml",
    EVAL_DIR / "heldout3.yml",
)


def _topics(replies: list[dict[str, Any]], asked_isi: bool = False) -> tuple[str, ...]:
    """The answer topics of a reply, less the ISI appended for fair balance (unless the ISI was asked for: then
    the last item answers that part) and any next-best suggestion."""
    topics = [str(r.get("topic")) for r in replies]
    if SUGGESTION_INTRO in topics:  # the lead-in and the suggested item follow the answer (issue 12)
        topics = topics[: topics.index(SUGGESTION_INTRO)]
    appended = len(topics) > 1 and topics[-1] == "isi" and not asked_isi
    return tuple(topics[:-1] if appended else topics)


def _label(case: Case, route: str, topics: tuple[str, ...]) -> str:
    if route == "answered":
        return "+".join(topics)
    if route == "chitchat":
        return "chitchat" if case.expect == "chitchat" or topics != ("out_of_scope",) else "out_of_scope"
    return route


def _send(http: httpx.Client, conversation: dict[str, Any], text: str) -> dict[str, Any]:
    response = http.post(
        f"/api/v1/conversations/{conversation['id']}/messages",
        json={"text": text},
        headers={SECRET_HEADER: conversation["secret"]},
    )
    response.raise_for_status()
    return dict(response.json())


def run(api_url: str, cases: list[Case], test_set: str) -> int:
    """Send each case in a fresh conversation and print the bars per file, and every miss; the bar is judged
    on the file named `test_set`."""
    tallies: dict[str, Tally] = {}
    routes: Counter[str] = Counter()
    misses: list[str] = []
    untraceable = 0
    with httpx.Client(base_url=api_url, timeout=60) as http:
        for case in cases:
            conversation = http.post("/api/v1/conversations", json={}).json()
            if case.context:
                _send(http, conversation, case.context)
            body = _send(http, conversation, case.text)
            route, replies = str(body["route"]), list(body["replies"])
            untraceable += sum(1 for r in replies if not r.get("approval_code"))
            topics = _topics(replies, asked_isi=bool(case.topics) and case.topics[-1] == "isi")
            label = _label(case, route, topics)
            tallies.setdefault(case.source, Tally()).add(case, route, topics, label == "chitchat")
            routes[f"{case.expect} -> {route}"] += 1
            if label != expected(case):
                flag = "WRONG" if route == "answered" else "     "
                misses.append(f"  {flag} want {expected(case):<30} got {label:<30} {case.text!r}")
    for source, tally in tallies.items():
        print(f"\n== {source} (through the API)")
        print_bars(tally)
    print(f"\nreplies without an approval code: {untraceable}")
    print("routes: " + ", ".join(f"{k} {v}" for k, v in sorted(routes.items())))
    print(f"\nmisses ({len(misses)}; WRONG = a wrong approved answer):")
    print("\n".join(sorted(misses)))
    passed = bars_met(tallies.get(test_set, Tally())) and untraceable == 0
    print(f"\nbar on the test set ({test_set}): " + ("met" if passed else "NOT met"))
    return 0 if passed else 1


def main(argv: list[str] | None = None) -> int:
    """Start a scratch stack and run the held-out cases through it (the given files, or CASES; the last file is
    the test set)."""
    paths = [Path(p) for p in (sys.argv[1:] if argv is None else argv)] or list(CASES)
    cases = [case for path in paths for case in load_cases(path)]
    ports = Ports(api=18200, rasa=18201, actions=18202)
    with scratch_stack(ports, os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13")):
        return run(f"http://127.0.0.1:{ports.api}", cases, paths[-1].name)


if __name__ == "__main__":
    sys.exit(main())
