"""Abuse and hostile input: insults, spam and links, HTML/script, SQL and prompt injection."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache

from compliance.findings import Detector, Finding, Span
from compliance.nlp.brand import BRAND, COMPANY
from compliance.nlp.engine import Analysis
from compliance.nlp.lexicon import get_lexicon


@dataclass(frozen=True)
class _Rules:
    profanity: list[re.Pattern[str]]
    insult: re.Pattern[str]
    targets: re.Pattern[str]
    exemptions: re.Pattern[str]
    spam: list[re.Pattern[str]]
    spam_asked: re.Pattern[str]
    markup: list[re.Pattern[str]]
    sql: list[re.Pattern[str]]
    prompt_injection: list[re.Pattern[str]]


@cache
def _rules() -> _Rules:
    ab = get_lexicon().abuse
    insults = sorted((str(w) for w in ab["insults"]), key=len, reverse=True)
    return _Rules(
        profanity=[re.compile(p) for p in ab["profanity"]],
        insult=re.compile(r"\b(?:" + "|".join(re.escape(w) for w in insults) + r")\b"),
        targets=re.compile("|".join(ab["insult_targets"])),
        exemptions=re.compile("|".join(ab["insult_exemptions"])),
        spam=[re.compile(p) for p in ab["spam"]],
        spam_asked=re.compile("(?:" + "|".join(ab["spam_asked"]) + r")\s*$"),
        markup=[re.compile(p, re.IGNORECASE | re.DOTALL) for p in ab["markup"]],
        sql=[re.compile(p, re.IGNORECASE | re.MULTILINE) for p in ab["sql"]],
        prompt_injection=[re.compile(p) for p in ab["prompt_injection"]],
    )


_EMAIL = re.compile(r"(?<![\w.%+\-])[\w.%+\-]{1,64}@[\w.\-]{1,253}\.[a-z]{2,}")
# Our own published numbers and sites are not spam.
_OWN_DOMAINS = re.compile(COMPANY + r"|" + BRAND + r"|fda\.gov|nih\.gov|pubmed|clinicaltrials\.gov")


@dataclass
class AbuseResult:
    """Abuse categories found, with findings; `markup` says the text must be escaped."""

    kinds: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    markup: bool = False

    @property
    def abusive(self) -> bool:
        """True when any abuse category fired."""
        return bool(self.kinds)


def detect_abuse(analysis: Analysis) -> AbuseResult:
    """Flag insults, spam, links, markup, SQL and prompt injection."""
    rules = _rules()
    result = AbuseResult()
    lower = analysis.lower
    # Before letter joining (keeps URLs and markup intact); e-mail addresses are PII, not spam links.
    raw_lower = _EMAIL.sub(lambda m: " " * len(m.group()), analysis.chars.text.lower())

    def add(kind: str, text: str, start: int, end: int, rule: str, normalised: bool = True) -> None:
        if normalised:
            s, e = analysis.to_original(start, end)
        else:
            s, e = analysis.chars.to_original(start, end)
        if kind not in result.kinds:
            result.kinds.append(kind)
        result.findings.append(
            Finding(
                Detector.ABUSE,
                kind,
                Span(s, e),
                rule,
                text[start:end][:80],
                1.0,
                f"{kind.replace('_', ' ')} detected",
            )
        )

    for i, p in enumerate(rules.profanity):
        m = p.search(lower) or p.search(raw_lower)
        if m:
            add(
                "insult",
                lower if m.string is lower else raw_lower,
                m.start(),
                m.end(),
                f"abuse:profanity:{i}",
                m.string is lower,
            )
            break
    if "insult" not in result.kinds:
        for m in rules.insult.finditer(lower):
            seg = analysis.segment_of(m.start())
            sentence = lower[seg.sentence_start : seg.sentence_end]
            if rules.exemptions.search(sentence):
                continue
            if rules.targets.search(sentence):
                add("insult", lower, m.start(), m.end(), "abuse:insult+target")
                break
    for i, p in enumerate(rules.spam):
        for m in p.finditer(raw_lower):
            if _OWN_DOMAINS.search(m.group()) or (i == 1 and re.fullmatch(r"[\d.,$]+", m.group())):
                continue
            if rules.spam_asked.search(raw_lower, max(0, m.start() - 30), m.start()):
                continue  # "how do i make money": the writer asks, nobody is selling
            add("spam", raw_lower, m.start(), m.end(), f"abuse:spam:{i}", False)
            break
        if "spam" in result.kinds:
            break
    for i, p in enumerate(rules.markup):
        m = p.search(analysis.chars.text)
        if m:
            result.markup = True
            add("markup", analysis.chars.text, m.start(), m.end(), f"abuse:markup:{i}", False)
            break
    for i, p in enumerate(rules.sql):
        m = p.search(analysis.chars.text)
        if m:
            add("sql_injection", analysis.chars.text, m.start(), m.end(), f"abuse:sql:{i}", False)
            break
    for i, p in enumerate(rules.prompt_injection):
        m = p.search(lower)
        if m:
            add("prompt_injection", lower, m.start(), m.end(), f"abuse:prompt_injection:{i}")
            break
    return result


def neutralise(text: str) -> str:
    """Escape markup so it is shown as text and never rendered or executed."""
    return html.escape(text, quote=True)
