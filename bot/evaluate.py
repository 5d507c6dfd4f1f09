"""`make bot-eval`: held-out accuracy of the trained model plus the action server's routing.

Each held-out question is parsed by the trained model and routed by the same `bot.routing.decide`
the action server uses, so the figures are those an HCP would see.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.routing import Decision, Route, decide
from content_library import ContentLibrary


@dataclass(frozen=True)
class Case:
    text: str
    expect: str
    topic: str | None


@dataclass(frozen=True)
class Result:
    case: Case
    intent: str
    confidence: float
    decision: Decision

    @property
    def topic(self) -> str | None:
        return self.decision.items[0].topic if self.decision.route is Route.ANSWERED else None

    @property
    def correct(self) -> bool:
        if self.case.expect == "answer":
            return self.decision.route is Route.ANSWERED and self.topic == self.case.topic
        return self.decision.route.value == {"review": "review", "chitchat": "chitchat"}[self.case.expect]


def load_cases(path: Path) -> list[Case]:
    """Read the held-out file."""
    data = yaml.safe_load(path.read_text())
    return [Case(c["text"], c["expect"], c.get("topic")) for c in data["cases"]]


async def _parse_all(model: Path, texts: list[str]) -> list[dict[str, Any]]:
    import logging

    from rasa.core.agent import load_agent  # heavy: imported only when evaluating
    from rasa.utils.log_utils import configure_structlog

    logging.getLogger().setLevel(logging.WARNING)
    configure_structlog(logging.WARNING)  # Rasa logs every parse at debug level otherwise
    agent = await load_agent(model_path=str(model))
    return [await agent.parse_message(text) for text in texts]


def _rate(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.1%}" if total else "n/a"


def report(results: list[Result]) -> dict[str, float]:
    """Print the figures and every miss; return the headline rates."""
    answerable = [r for r in results if r.case.expect == "answer"]
    novel = [r for r in results if r.case.expect == "review"]
    chitchat = [r for r in results if r.case.expect == "chitchat"]
    right_topic = sum(r.correct for r in answerable)
    wrongly_reviewed = sum(r.decision.route is Route.REVIEW for r in answerable)
    novel_reviewed = sum(r.decision.route is Route.REVIEW for r in novel)
    chitchat_ok = sum(r.correct for r in chitchat)
    unapproved = sum(
        1 for r in results if not r.decision.items or any(not i.approval_code for i in r.decision.items)
    )

    print(f"held-out cases: {len(results)}")
    print(f"answerable -> approved item of the right topic: {_rate(right_topic, len(answerable))}   (bar >= 90%)")
    wrong = _rate(wrongly_reviewed, len(answerable))
    print(f"answerable wrongly sent to review:              {wrong}   (bar <= 10%)")
    print(f"in-domain, no approved content -> review:       {_rate(novel_reviewed, len(novel))}   (bar >= 80%)")
    print(f"chit-chat -> chitchat:                          {_rate(chitchat_ok, len(chitchat))}")
    print(f"replies without an approval code:               {unapproved}")
    misses = [r for r in results if not r.correct]
    if misses:
        print(f"\nmisses ({len(misses)}):")
        for r in misses:
            got = r.topic or r.decision.route.value
            want = r.case.topic or r.case.expect
            print(f"  want {want:<26} got {got:<26} {r.intent} {r.confidence:.2f}  {r.case.text!r}")
    by_intent = Counter(r.intent for r in misses)
    if by_intent:
        print("\nmisses by predicted intent: " + ", ".join(f"{k} {v}" for k, v in by_intent.most_common()))
    return {
        "answer_accuracy": right_topic / len(answerable) if answerable else 0.0,
        "wrong_review_rate": wrongly_reviewed / len(answerable) if answerable else 0.0,
        "novel_review_rate": novel_reviewed / len(novel) if novel else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    """Entry point: exit 1 if a bar is missed."""
    parser = argparse.ArgumentParser(prog="python -m bot.evaluate")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--cases", type=Path, nargs="+", required=True, help="held-out YAML files")
    args = parser.parse_args(argv)
    cases = [case for path in args.cases for case in load_cases(path)]
    parses = asyncio.run(_parse_all(args.model, [c.text for c in cases]))
    library = ContentLibrary()
    results = [
        Result(case, p["intent"]["name"], float(p["intent"]["confidence"]), decide(p["intent"]["name"], library))
        for case, p in zip(cases, parses, strict=True)
    ]
    rates = report(results)
    passed = (
        rates["answer_accuracy"] >= 0.9 and rates["wrong_review_rate"] <= 0.1 and rates["novel_review_rate"] >= 0.8
    )
    print("\nbar: " + ("met" if passed else "NOT met"))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
