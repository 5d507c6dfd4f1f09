"""Seriousness (ICH E2A criteria) and the four minimum criteria of a valid adverse-event report."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from compliance.detectors.ae_patterns import (
    _FIRST_PERSON,
    _PATIENT_EXTRA,
    _SERIOUSNESS,
    _STATED_AFTER,
)
from compliance.findings import Detector, Finding, Mode, Seriousness, Span
from compliance.nlp.clauses import clause_bounds, is_negated
from compliance.nlp.context import frame
from compliance.nlp.cues import PATIENT_SPECIFIC, QUESTION_START
from compliance.nlp.engine import Analysis, TermMatch

_IME_FILE = Path(__file__).resolve().parents[1] / "vocab" / "medically_important.yaml"


@cache
def _medically_important() -> re.Pattern[str]:
    data = yaml.safe_load(_IME_FILE.read_text(encoding="utf-8"))
    phrases = sorted((str(p).lower() for p in data["phrases"]), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![\w-])")


def medically_important(reported: Sequence[TermMatch]) -> Finding | None:
    """A reported event that is an 'other medically important condition' by its nature (ICH E2A).

    Severity is not seriousness: "severe headache" is not serious, "severe liver injury" is, because
    liver injury is on the list (`vocab/medically_important.yaml`), whatever its stated severity.
    """
    pattern = _medically_important()
    for m in reported:
        hit = pattern.search(m.text.lower()) or pattern.search(m.label.lower())
        if hit is not None:
            value = Seriousness.OTHER_MEDICALLY_IMPORTANT.value
            return Finding(
                Detector.SERIOUSNESS,
                value,
                None,
                f"seriousness:{value}",
                m.label,
                0.8,
                f"'{m.label}' is a medically important event (vocab/medically_important.yaml)",
            )
    return None


def detect_seriousness(analysis: Analysis) -> tuple[list[Seriousness], list[Finding]]:
    """Seriousness criteria stated in the message (negated statements do not count)."""
    found: list[Seriousness] = []
    findings: list[Finding] = []
    lower = analysis.lower
    for criterion, pattern in _SERIOUSNESS.items():
        for m in pattern.finditer(lower):
            seg = analysis.segment_of(m.start())
            if is_negated(lower, m.start(), m.end(), seg.start):
                continue
            framing = frame(analysis, m.start(), m.end())
            cs, ce = clause_bounds(analysis, m.start())
            stated = (
                framing.mode in (Mode.GENERIC, Mode.QUESTION)
                and _STATED_AFTER.match(lower, m.end()) is not None
                and lower[ce : ce + 1] != "?"
                and QUESTION_START.search(lower[cs:ce]) is None
            )
            if framing.mode in (Mode.QUESTION, Mode.HYPOTHETICAL, Mode.GENERIC, Mode.HISTORY) and not stated:
                continue
            s, e = analysis.to_original(m.start(), m.end())
            found.append(criterion)
            findings.append(
                Finding(
                    Detector.SERIOUSNESS,
                    criterion.value,
                    Span(s, e),
                    f"seriousness:{criterion.value}",
                    m.group(),
                    1.0,
                    f"seriousness criterion '{criterion.value}' stated",
                )
            )
            break
    return found, findings


@dataclass(frozen=True)
class Criteria:
    """The four minimum criteria of a valid case."""

    patient: bool
    reporter: bool
    product: bool
    event: bool

    def to_dict(self) -> dict[str, bool]:
        """JSON-ready form."""
        return {"patient": self.patient, "reporter": self.reporter, "product": self.product, "event": self.event}


def assess_criteria(
    analysis: Analysis,
    *,
    has_event: bool,
    product_named: bool,
    product_implied: bool,
    product_in_conversation: bool,
    reporter_identified: bool | None,
    pii_person_or_age: bool,
) -> tuple[Criteria, list[Finding]]:
    """Evaluate patient, reporter, product and event criteria for a report."""
    findings: list[Finding] = []
    lower = analysis.lower
    pm = PATIENT_SPECIFIC.search(lower) or _PATIENT_EXTRA.search(analysis.norm.text)
    patient = pm is not None or pii_person_or_age
    if pm is not None:
        findings.append(
            Finding(
                Detector.AE_CRITERION,
                "patient",
                None,
                "criterion:patient",
                pm.group().strip(),
                1.0,
                "identifiable patient (reference, age, sex or initials)",
            )
        )
    # The reporter is the HCP in the conversation; the message itself may identify them too.
    first_person = _FIRST_PERSON.search(lower) is not None
    reporter = reporter_identified if reporter_identified is not None else True
    reporter = reporter or first_person
    findings.append(
        Finding(
            Detector.AE_CRITERION,
            "reporter",
            None,
            "criterion:reporter",
            "",
            1.0,
            "first-person report" if first_person else "HCP in the conversation",
        )
    )
    product = product_named or product_in_conversation or product_implied
    findings.append(
        Finding(
            Detector.AE_CRITERION,
            "product",
            None,
            "criterion:product",
            "",
            1.0 if product_named else 0.7,
            "named"
            if product_named
            else (
                "from conversation"
                if product_in_conversation
                else ("implied reference" if product_implied else "not identified")
            ),
        )
    )
    return Criteria(patient, reporter, product, has_event), findings
