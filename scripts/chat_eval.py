"""The held-out questions through the running service, as an HCP sends them (`make bot-eval`).

Unlike `bot.evaluate` (the model alone), this goes through the API: compliance first, then Rasa and
the action server, so it measures the routes the website contract returns.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import httpx
import yaml

from api.conversations.access import SECRET_HEADER
from scripts.stack import ROOT, Ports, scratch_stack

CASES = (ROOT / "bot" / "eval" / "heldout.yml", ROOT / "bot" / "eval" / "heldout2.yml")
EXPECTED_ROUTE = {"answer": "answered", "review": "review", "chitchat": "chitchat"}


def _rate(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.1%}" if total else "n/a"


def run(api_url: str, cases: list[dict[str, str]]) -> int:
    """Send each case in a fresh conversation and print the bars."""
    answerable = novel = right_topic = wrong_review = novel_review = untraceable = 0
    misses: list[str] = []
    routes: Counter[str] = Counter()
    with httpx.Client(base_url=api_url, timeout=30) as http:
        for case in cases:
            conversation = http.post("/api/v1/conversations", json={}).json()
            body = http.post(
                f"/api/v1/conversations/{conversation['id']}/messages",
                json={"text": case["text"]},
                headers={SECRET_HEADER: conversation["secret"]},
            ).json()
            route, replies = body["route"], body["replies"]
            routes[f"{case['expect']} -> {route}"] += 1
            untraceable += sum(1 for r in replies if not r.get("approval_code"))
            if case["expect"] == "answer":
                answerable += 1
                # The bar: an approved item of the right topic (an off-label request may lead with one).
                ok = route != "review" and bool(replies) and replies[0]["topic"] == case["topic"]
                right_topic += ok
                wrong_review += route == "review"
            else:
                ok = route == EXPECTED_ROUTE[case["expect"]]
                if case["expect"] == "review":
                    novel += 1
                    novel_review += ok
            if not ok:
                got = replies[0]["topic"] if replies else "-"
                misses.append(
                    f"  want {case.get('topic') or case['expect']:<26} got {route}/{got:<24} {case['text']!r}"
                )
    print(f"answerable -> answered with the right topic: {_rate(right_topic, answerable)}   (bar >= 90%)")
    print(f"answerable wrongly sent to review:           {_rate(wrong_review, answerable)}   (bar <= 10%)")
    print(f"in-domain, no approved content -> review:    {_rate(novel_review, novel)}   (bar >= 80%)")
    print(f"replies without an approval code:            {untraceable}")
    print("routes: " + ", ".join(f"{k} {v}" for k, v in sorted(routes.items())))
    if misses:
        print(f"\nmisses ({len(misses)}):")
        print("\n".join(misses))
    passed = right_topic / answerable >= 0.9 and wrong_review / answerable <= 0.1 and novel_review / novel >= 0.8
    print("\nbar: " + ("met" if passed else "NOT met"))
    return 0 if passed and untraceable == 0 else 1


def main() -> int:
    """Start a scratch stack and run the held-out cases through it."""
    cases = [case for path in CASES for case in yaml.safe_load(Path(path).read_text())["cases"]]
    ports = Ports(api=18200, rasa=18201, actions=18202)
    with scratch_stack(ports, os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13")):
        return run(f"http://127.0.0.1:{ports.api}", cases)


if __name__ == "__main__":
    sys.exit(main())
