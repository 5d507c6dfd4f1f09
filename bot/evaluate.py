"""`make bot-eval`: the assistant's judgement on held-out questions, the model plus `bot.routing.judge`.

Each question is parsed by the trained model and judged by the same code the action server runs, so the
figures are those an HCP would see (less the compliance layer: scripts/chat_eval.py adds it). Prints,
per file, every bar, a sparse confusion matrix, the abstention curve (wrong answers vs questions sent
to review) and every wrong answer. `--calibrate` chooses the operating point on the given files and
writes bot/thresholds.yml; never calibrate on the test set (bot/eval/heldout3.yml).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from bot import reference
from bot.routing import THRESHOLDS_FILE, Decision, Parse, Route, Thresholds, judge, parts
from bot.similarity import ExampleIndex
from content_library import ContentLibrary

SYSTEM_LABELS = {"greeting", "goodbye", "thanks", "bot_identity"}
# Routes where a person answers: the review queue, or Medical Information for an off-label request.
HUMAN_ROUTES = frozenset({"review", "off_label"})


@dataclass(frozen=True)
class Case:
    """One held-out question and what it should get."""

    text: str
    expect: str  # answer | review | chitchat | out_of_scope
    topics: tuple[str, ...]
    source: str
    context: str | None = None


def load_cases(path: Path) -> list[Case]:
    """Read a held-out file (`topic: x` or `topics: [x, y]`), or the reference directory's held-back half."""
    if path.is_dir():
        library = ContentLibrary()
        own = [e for item in library.items() for e in item.examples]
        held = reference.held_back_half(own, path)
        return [Case(q, "answer", (topic,), path.name) for topic, questions in held.items() for q in questions]
    data = yaml.safe_load(path.read_text())
    out = []
    for c in data["cases"]:
        topics = tuple(c.get("topics") or ([c["topic"]] if c.get("topic") else []))
        out.append(Case(c["text"], c["expect"], topics, path.name, c.get("context")))
    return out


def outcome(decision: Decision) -> str:
    """What the HCP got: topics answered, review, out_of_scope or small talk."""
    if decision.route is Route.ANSWERED:
        return "+".join(t for t in decision.topics)
    if decision.route is Route.REVIEW:
        return "review"
    topic = decision.items[0].topic if decision.items else "none"
    return "chitchat" if topic in SYSTEM_LABELS else topic


def expected(case: Case) -> str:
    """The label a case should get, in the same terms as `outcome`."""
    return "+".join(case.topics) if case.expect == "answer" else case.expect


def got(case: Case, decision: Decision) -> str:
    """`outcome`, except that small talk expected accepts the out-of-scope reply (both are small talk)."""
    label = outcome(decision)
    return "chitchat" if case.expect == "chitchat" and label == "out_of_scope" else label


@dataclass
class Tally:
    """The bar figures for one set of cases."""

    single: int = 0
    single_right: int = 0
    multi: int = 0
    multi_both: int = 0
    answerable_wrong: int = 0
    answerable_review: int = 0
    novel: int = 0
    novel_human: int = 0
    novel_answered: int = 0
    off: int = 0
    off_answered: int = 0
    off_review: int = 0
    chat: int = 0
    chat_right: int = 0

    def add(self, case: Case, route: str, got_topics: tuple[str, ...], chitchat: bool = False) -> None:
        """Count one case: the route it got ("answered", "review", "chitchat", or a compliance route)."""
        got = set(got_topics) if route == "answered" else set()
        human = route in HUMAN_ROUTES
        if case.expect == "answer":
            want = set(case.topics)
            right = got == want
            if len(want) > 1:
                self.multi += 1
                self.multi_both += right
            else:
                self.single += 1
                self.single_right += right
            self.answerable_wrong += bool(got - want)
            self.answerable_review += route == "review"
        elif case.expect == "review":
            self.novel += 1
            self.novel_human += human
            self.novel_answered += bool(got)
        elif case.expect == "out_of_scope":
            self.off += 1
            self.off_answered += bool(got)
            self.off_review += route == "review"
        else:
            self.chat += 1
            self.chat_right += chitchat

    @property
    def answerable(self) -> int:
        """Questions with approved answers."""
        return self.single + self.multi

    def cost(self) -> float:
        """What the operating point minimises: a wrong approved answer costs five reviews."""
        return (
            5 * (self.answerable_wrong + self.novel_answered + self.off_answered)
            + self.answerable_review
            + (self.single - self.single_right - self.answerable_review) * 0.5
            + 2 * (self.multi - self.multi_both)
            + self.off_review
            + (self.novel - self.novel_human)
        )


def _rate(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.1%}" if total else "n/a"


def print_bars(t: Tally) -> None:
    """The issue's bars."""
    print(f"  answerable (1 topic) -> right approved item:   {_rate(t.single_right, t.single)}   (bar >= 95%)")
    print(
        f"  answerable -> confident wrong answer:          {_rate(t.answerable_wrong, t.answerable)}   (bar <= 1%)"
    )
    print(
        f"  answerable -> wrongly sent to review:          {_rate(t.answerable_review, t.answerable)}"
        "   (bar <= 5%)"
    )
    print(f"  two-part -> both approved answers:             {_rate(t.multi_both, t.multi)}   (bar >= 80%)")
    print(f"  no approved answer -> reaches a human:         {_rate(t.novel_human, t.novel)}   (bar >= 90%)")
    print(f"  no approved answer -> answered anyway:         {_rate(t.novel_answered, t.novel)}")
    print(f"  off-domain -> answered with a product item:    {_rate(t.off_answered, t.off)}   (bar <= 1%)")
    print(f"  off-domain -> sent to the review queue:        {_rate(t.off_review, t.off)}   (bar <= 5%)")
    print(f"  small talk -> approved small-talk reply:       {_rate(t.chat_right, t.chat)}")


def bars_met(t: Tally) -> bool:
    """Every bar of the issue that the set can measure (a bar with no cases counts as met)."""
    return (
        t.single_right >= 0.95 * t.single
        and t.answerable_wrong <= 0.01 * t.answerable
        and t.answerable_review <= 0.05 * t.answerable
        and t.multi_both >= 0.80 * t.multi
        and t.novel_human >= 0.90 * t.novel
        and t.off_answered <= 0.01 * t.off
        and t.off_review <= 0.05 * t.off
    )


def tally(judged: list[tuple[Case, Decision]]) -> Tally:
    """The bar figures of judged cases."""
    t = Tally()
    for case, decision in judged:
        t.add(case, decision.route.value, decision.topics, got(case, decision) == "chitchat")
    return t


CONTEXTS: dict[str, Parse] = {}


def judge_all(
    cases: list[Case], parses: list[Parse], library: ContentLibrary, index: ExampleIndex, th: Thresholds
) -> list[tuple[Case, Decision]]:
    """Every case judged at one operating point (after its context message, if it has one)."""
    out = []
    for case, parse in zip(cases, parses, strict=True):
        previous: tuple[str, ...] = ()
        if case.context:
            previous = judge(CONTEXTS[case.context], library, index, th).topics
        out.append((case, judge(parse, library, index, th, previous)))
    return out


def print_confusion(judged: list[tuple[Case, Decision]]) -> None:
    """Sparse confusion matrix: per expected label, the count and where the misses went."""
    rows: dict[str, Counter[str]] = {}
    for case, decision in judged:
        rows.setdefault(expected(case), Counter())[got(case, decision)] += 1
    print("\nconfusion (expected: n right | got other x count):")
    for label in sorted(rows):
        row = rows[label]
        others = ", ".join(f"{g} x{n}" for g, n in row.most_common() if g != label)
        print(f"  {label:<44} {sum(row.values()):>3} {row[label]:>3} | {others}")


def print_curve(
    cases: list[Case], parses: list[Parse], library: ContentLibrary, index: ExampleIndex, th: Thresholds
) -> None:
    """Abstention curve: as the confidence bar rises, wrong answers fall and reviews rise."""
    print("\nabstention curve (margin/similarity at the operating point; * = chosen):")
    print("  conf  wrong-answers  answerable->review  novel->review  off->review")
    for step in range(0, 20):
        point = replace(th, confidence=step / 20, per_topic={})
        t = tally(judge_all(cases, parses, library, index, point))
        mark = "*" if abs(step / 20 - th.confidence) < 0.026 else " "
        wrong = t.answerable_wrong + t.novel_answered + t.off_answered
        print(
            f" {mark}{step / 20:.2f}  {wrong:>13}  {t.answerable_review:>18}"
            f"  {t.novel_human:>13}  {t.off_review:>11}"
        )


def print_misses(judged: list[tuple[Case, Decision]]) -> None:
    """Every case that did not get what it should, wrong answers first."""
    misses = [(c, d) for c, d in judged if got(c, d) != expected(c)]
    misses.sort(key=lambda cd: cd[1].route is not Route.ANSWERED)
    print(f"\nmisses ({len(misses)}; answered ones are WRONG ANSWERS):")
    for case, decision in misses:
        flag = "WRONG" if decision.route is Route.ANSWERED else "     "
        print(
            f"  {flag} want {expected(case):<30} got {got(case, decision):<30} {case.text!r}  [{decision.reason}]"
        )


def with_parts(parse: Parse, of_piece: Mapping[str, Parse]) -> Parse:
    """The parse with its parts' parses attached, as the action server attaches them."""
    pieces = parts(parse.text)
    if len(pieces) < 2:
        return parse
    return replace(parse, parts=tuple(of_piece[p] for p in pieces))


async def _parse_all(model: Path, texts: list[str]) -> list[dict[str, Any]]:
    import logging

    from rasa.core.agent import load_agent  # heavy: imported only when evaluating
    from rasa.utils.log_utils import configure_structlog

    logging.getLogger().setLevel(logging.WARNING)
    configure_structlog(logging.WARNING)  # Rasa logs every parse at debug level otherwise
    agent = await load_agent(model_path=str(model))
    return [await agent.parse_message(text) for text in texts]


def _parses(model: Path, texts: list[str], cache: Path | None) -> list[dict[str, Any]]:
    known: dict[str, dict[str, Any]] = json.loads(cache.read_text()) if cache and cache.exists() else {}
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        known.update(zip(missing, asyncio.run(_parse_all(model, missing)), strict=True))
        if cache:
            cache.write_text(json.dumps(known))
    return [known[t] for t in texts]


def main(argv: list[str] | None = None) -> int:
    """Entry point: exit 1 if a bar is missed on the last file (the test set)."""
    parser = argparse.ArgumentParser(prog="python -m bot.evaluate")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--cases", type=Path, nargs="+", required=True, help="held-out YAML files")
    parser.add_argument(
        "--calibrate", action="store_true", help=f"choose the operating point, write {THRESHOLDS_FILE.name}"
    )
    parser.add_argument(
        "--parses", type=Path, help="cache of the model's parses (JSON), reused if it has every text"
    )
    args = parser.parse_args(argv)
    cases = [case for path in args.cases for case in load_cases(path)]
    contexts = sorted({c.context for c in cases if c.context})
    pieces = sorted({piece for c in cases if len(ps := parts(c.text)) >= 2 for piece in ps})
    raw = _parses(args.model, [c.text for c in cases] + contexts + pieces, args.parses)
    piece_raw = raw[len(cases) + len(contexts) :]
    of_piece = {text: Parse.from_rasa(p) for text, p in zip(pieces, piece_raw, strict=True)}
    parses = [with_parts(Parse.from_rasa(p), of_piece) for p in raw[: len(cases)]]
    CONTEXTS.update(
        (text, Parse.from_rasa(p))
        for text, p in zip(contexts, raw[len(cases) : len(cases) + len(contexts)], strict=True)
    )
    library = ContentLibrary()
    index = ExampleIndex.from_library(library)
    thresholds = Thresholds.load()
    if args.calibrate:
        from bot.calibrate import calibrate

        thresholds = calibrate(cases, parses, library, index)
        THRESHOLDS_FILE.write_text(yaml.safe_dump(thresholds.__dict__ | {"per_topic": dict(thresholds.per_topic)}))
        print(f"wrote {THRESHOLDS_FILE.name}: {thresholds}")
    judged = judge_all(cases, parses, library, index, thresholds)
    last = None
    for path in args.cases:
        part = [(c, d) for c, d in judged if c.source == path.name]
        print(f"\n== {path.name}: {len(part)} cases")
        print_bars(last := tally(part))
    print_confusion(judged)
    print_curve(cases, parses, library, index, thresholds)
    print_misses(judged)
    assert last is not None
    passed = bars_met(last)
    print("\nbar on the last file (every bar it can measure): " + ("met" if passed else "NOT met"))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
