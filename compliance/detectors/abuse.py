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
class _Kind:
    """One abuse kind's patterns (numbered in rule names), with their union: one scan finds whether any matches."""

    patterns: list[re.Pattern[str]]
    any: re.Pattern[str]

    @classmethod
    def compile(cls, sources: list[str], flags: int = 0) -> _Kind:
        patterns = [re.compile(p, flags) for p in sources]
        return cls(patterns, re.compile("|".join(f"(?:{p})" for p in sources), flags))

    def present(self, *texts: str) -> bool:
        """Whether any pattern matches any text (most messages: none, after one scan per text)."""
        return any(self.any.search(text) for text in texts)


@dataclass(frozen=True)
class _Rules:
    profanity: _Kind
    insult: re.Pattern[str]
    targets: re.Pattern[str]
    exemptions: re.Pattern[str]
    spam: _Kind
    spam_asked: re.Pattern[str]
    spam_topic_discussed: re.Pattern[str]
    markup: _Kind
    sql: _Kind
    prompt_injection: _Kind


@cache
def _rules() -> _Rules:
    ab = get_lexicon().abuse
    insults = sorted((str(w) for w in ab["insults"]), key=len, reverse=True)
    return _Rules(
        profanity=_Kind.compile(ab["profanity"]),
        insult=re.compile(r"\b(?:" + "|".join(re.escape(w) for w in insults) + r")\b"),
        targets=re.compile("|".join(ab["insult_targets"])),
        exemptions=re.compile("|".join(ab["insult_exemptions"])),
        spam=_Kind.compile(ab["spam"]),
        spam_topic_discussed=re.compile(ab["spam_topic_discussed"]),
        spam_asked=re.compile("(?:" + "|".join(ab["spam_asked"]) + r")\s*$"),
        markup=_Kind.compile(ab["markup"], re.IGNORECASE | re.DOTALL),
        sql=_Kind.compile(ab["sql"], re.IGNORECASE | re.MULTILINE),
        prompt_injection=_Kind.compile(ab["prompt_injection"]),
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

    for i, p in enumerate(rules.profanity.patterns if rules.profanity.present(lower, raw_lower) else ()):
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
    for i, p in enumerate(rules.spam.patterns if rules.spam.present(raw_lower) else ()):
        for m in p.finditer(raw_lower):
            if _OWN_DOMAINS.search(m.group()) or (i == 1 and re.fullmatch(r"[\d.,$]+", m.group())):
                continue
            if rules.spam_asked.search(raw_lower, max(0, m.start() - 30), m.start()):
                continue  # "how do i make money": the writer asks, nobody is selling
            if re.fullmatch(r"[a-z ]+", m.group()) and rules.spam_topic_discussed.search(
                raw_lower, max(0, m.start() - 30), m.start()
            ):
                continue  # "skepticism about crypto": a topic talked about, not a word to sell
            add("spam", raw_lower, m.start(), m.end(), f"abuse:spam:{i}", False)
            break
        if "spam" in result.kinds:
            break
    text = analysis.chars.text
    for i, p in enumerate(rules.markup.patterns if rules.markup.present(text) else ()):
        m = p.search(analysis.chars.text)
        if m:
            result.markup = True
            add("markup", analysis.chars.text, m.start(), m.end(), f"abuse:markup:{i}", False)
            break
    for i, p in enumerate(rules.sql.patterns if rules.sql.present(text) else ()):
        m = p.search(analysis.chars.text)
        if m:
            add("sql_injection", analysis.chars.text, m.start(), m.end(), f"abuse:sql:{i}", False)
            break
    for i, p in enumerate(rules.prompt_injection.patterns if rules.prompt_injection.present(lower) else ()):
        m = p.search(lower)
        if m:
            add("prompt_injection", lower, m.start(), m.end(), f"abuse:prompt_injection:{i}")
            break
    return result


def neutralise(text: str) -> str:
    """Escape markup so it is shown as text and never rendered or executed."""
    return html.escape(text, quote=True)
