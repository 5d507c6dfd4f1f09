"""Adverse events: event terms, how each is framed, seriousness and the four minimum criteria."""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance.detectors.ae_patterns import (
    _ANCHOR,
    _CATCH_ALL,
    _CHANGE,
    _IMPROVED,
    _IMPROVED_BEFORE,
    _INJURY_CAUSE,
    _NEGATIVE,
    _NOT_EVENT_OBJECTS,
    _OTHER_CAUSE,
    _PERSONAL,
    _POSITIVE,
    _REPORTING_NOUN,
    _SOCIAL,
    _WORRY_OBJECT,
    everyday_mention,
    prevention_or_test,
    screening_finding,
)
from compliance.detectors.baseline import described_comorbidity
from compliance.detectors.lab_values import lab_value, patient_statement, value_in_range
from compliance.detectors.other_cause import other_cause
from compliance.detectors.report_link import LinkHit, linked_report
from compliance.detectors.report_model import model_report
from compliance.detectors.structural import patient_change
from compliance.detectors.treatment_status import not_started_yet
from compliance.detectors.unnamed_events import unnamed_event_link
from compliance.findings import Detector, Finding, Mode, Span
from compliance.nlp.brand import BRAND
from compliance.nlp.clauses import Framing, clause_bounds, is_negated
from compliance.nlp.context import frame
from compliance.nlp.cues import PATIENT_SPECIFIC
from compliance.nlp.engine import EVENT, INDICATION, PRODUCT, Analysis, TermMatch
from compliance.nlp.report_cues import experience_referral, shorthand_note


@dataclass(frozen=True)
class EventResult:
    """Events found and how each is framed."""

    reported: list[tuple[TermMatch, Framing]]
    not_reported: list[tuple[TermMatch, Framing]]
    findings: list[Finding]

    @property
    def events(self) -> list[str]:
        """Canonical names of the reported events, in order, without repeats."""
        return list(dict.fromkeys(m.label for m, _ in self.reported))


def clear_everyday(
    result: EventResult,
    rule: str,
    explanation: str = "event word in a message with no medical context, read as everyday chatter by the model",
) -> EventResult:
    """The same events, none reported: everyday chatter, or another drug's event (see the callers' rules)."""
    findings = [
        Finding(
            f.detector,
            f.label,
            f.span,
            f"not_reported:{rule}" if f.score > 0 else f.rule,
            f.term,
            0.0,
            explanation,
        )
        if f.detector is Detector.ADVERSE_EVENT
        else f
        for f in result.findings
    ]
    framed = [(m, Framing(Mode.GENERIC, rule)) for m, _ in result.reported]
    return EventResult([], [*result.not_reported, *framed], findings)


# Improvement after the drug was stopped is a positive dechallenge: the event happened on the drug.
_DECHALLENGE = re.compile(
    rf"\b(?:withdrawal of|withdrawing|discontinu\w+|cessation of|"
    rf"(?:stopping|stopped|holding|held) (?:the |her |his )?"
    rf"(?:{BRAND}|drug|medication|treatment|therapy|biologic)|"
    rf"(?:{BRAND})[®™]? (?:was|were) (?:stopped|held|withdrawn|withheld|discontinued|paused|interrupted|ceased)|"
    # a recurrence on rechallenge: the event came back with the drug
    rf"recurred|reappeared|came back|returned|rechallenge\w*|re-?exposure|"
    rf"off (?:the )?(?:drug|medication|treatment|therapy))\b"
)


def _dechallenge(analysis: Analysis, m: TermMatch) -> bool:
    """ "Withdrawal of quelvarimab led to resolution of the myositis": resolved because the drug stopped."""
    seg = analysis.segment_of(m.start)
    return _DECHALLENGE.search(analysis.lower, seg.sentence_start, seg.sentence_end) is not None


def _improved_before(analysis: Analysis, m: TermMatch) -> bool:
    """True for "improvement in her itching": the product working on a symptom it treats."""
    lower = analysis.lower
    before = lower[max(0, m.start - 45) : m.start]
    if not _IMPROVED_BEFORE.search(before):
        return False
    seg = analysis.segment_of(m.start)
    return not re.search(r"\b(?:not|no|never|without|but|until|then)\b", lower[seg.start : m.start][-20:])


def _structural_veto(sentence: str) -> bool:
    """A good outcome, a social change or a clear other cause: not an event for the structural net."""
    return bool(
        (_POSITIVE.search(sentence) and not _NEGATIVE.search(sentence))
        or _SOCIAL.search(sentence)
        or _OTHER_CAUSE.search(sentence)
        or _INJURY_CAUSE.search(sentence)
        or _PLANNING_QUESTION.search(sentence) is not None
    )


_NOT_A_DEATH = re.compile(
    r"\b(?:battery|batteries|phone|cell|elevator|lift|car|engine|pixel|link|line|zone|bulb|laptop|screen|remote|"
    r"wifi|internet|router|app|account|lock|fob|outlet|plug|mouse|keyboard|controller|printer|tv|radio|"
    r"starter|sourdough|plant|plants|tree|lawn|grass|flowers?|server|website|site|signal|network|mall|town|"
    r"battery's|phone's)\b(?:\W+\w+){0,4}\W+dead\b|"
    r"\bdead (?:battery|batteries|pixel|end|link|zone|weight|tired|serious|set|ringer|heat|center|centre|last|"
    r"sea|air|line|bolt|phone|spot)\b"
)
# "Do we need to adjust warfarin when QLV is started?": a question about a plan, nothing happened yet.
_PLANNING_QUESTION = re.compile(
    r"^\W*(?:do|does|should|can|could|will|would|shall)\b[^?]*\b(?:when|once|if|before|after)\b[^?]*"
    r"\b(?:is|are|gets?|being) (?:started|initiated|begun|switched|given|added)\b[^?]*\?"
)


_LAB_NORMAL = re.compile(
    r"\b(?:normal|normali[sz]ed|wnl|within (?:normal )?(?:range|limits)|unremarkable|stable|fine|ok|okay|"
    r"negative|clean|good|unchanged)\b"
)
_LAB_ABNORMAL = re.compile(
    r"\b(?:high|higher|elevated|raised|up|rose|rising|increased|abnormal|deranged|spiked|doubled|tripled|"
    r"out of range|\d+(?:\.\d+)?\s?x\s?(?:uln|upper limit|normal))\b|\b(?:above|over|>)\s?(?:normal|uln|\d)"
)

_LAB_VALUE_AFTER = re.compile(r"\s*(?:is|was|of|at|=|:)?\s*(\d+(?:\.\d+)?)\b(?!\s*(?:x|%|/|-|weeks?|wks?|days?))")
_LAB_CHANGE_AFTER = re.compile(
    r"->|→|=>|\b(?:to|then|now|from|baseline|before|prior|rose|risen|increased|up|went|fell|dropped|was|were)\b"
)


def _bare_lab_normal(analysis: Analysis, m: TermMatch) -> bool:
    """A bare lab name ("ALT") in a sentence that calls the labs normal and nothing abnormal."""
    value = _LAB_VALUE_AFTER.match(analysis.lower, m.end)
    seg = analysis.segment_of(m.start)
    if value is not None and not _LAB_CHANGE_AFTER.search(analysis.lower, seg.sentence_start, seg.sentence_end):
        # "ALT 18": the value says whether it is a finding.
        return value_in_range(analysis.lower[m.start : m.end], float(value.group(1))) is True
    cs, ce = clause_bounds(analysis, m.start)
    clause = analysis.lower[cs:ce]
    return _LAB_NORMAL.search(clause) is not None and _LAB_ABNORMAL.search(clause) is None


def _unspecified_event(
    analysis: Analysis,
    at: tuple[int, int],
    span: tuple[int, int],
    term: str,
    kind: str,
    framing: Framing,
    score: float,
    why: str,
) -> tuple[TermMatch, Finding]:
    """An event a fallback rule found in words outside the vocabulary, for a human to code."""
    match = TermMatch(EVENT, "unspecified event", at[0], at[1], term, kind)
    finding = Finding(
        Detector.ADVERSE_EVENT, "unspecified event", Span(*span), f"event:{kind}+{framing.rule}", term, score, why
    )
    return match, finding


_LAB_EVENTS = frozenset({"lab value multiple", "laboratory abnormality", "abnormal result"})


def detect_events(analysis: Analysis) -> EventResult:
    """Find event terms and decide, per mention, whether it is reported as having happened."""
    reported: list[tuple[TermMatch, Framing]] = []
    others: list[tuple[TermMatch, Framing]] = []
    findings: list[Finding] = []
    lower = analysis.lower
    not_started = not_started_yet(lower)
    for m in analysis.of_kind(EVENT):
        if m.label == "anxiety" and _WORRY_OBJECT.match(analysis.lower, m.end):
            continue  # "anxious about needles" is a worry, not a symptom
        if m.label == "death" and _NOT_A_DEATH.search(lower[max(0, m.start - 40) : m.end + 12]):
            continue  # "my battery is dead", "a dead pixel", "dead tired": things, not a patient
        if m.label == "adverse reaction" and _REPORTING_NOUN.match(lower, m.end):
            continue  # "the AE reporting form" is logistics, not an event
        if not analysis.of_kind(PRODUCT) and everyday_mention(lower, m):
            continue  # "the app update had a weird side effect", "can I fly with my EpiPen?"
        other = "not_started" if not_started else other_cause(analysis, m)
        other = other or ("vignette" if described_comorbidity(analysis, m) else None)
        if other is not None:
            rule = f"history:{other}"
            s, e = analysis.to_original(m.start, m.end)
            others.append((m, Framing(Mode.HISTORY, rule)))
            findings.append(
                Finding(
                    Detector.ADVERSE_EVENT,
                    m.label,
                    Span(s, e),
                    f"not_reported:{rule}",
                    m.text,
                    0.0,
                    "event term with another cause or before treatment",
                )
            )
            continue
        if prevention_or_test(analysis.lower, m.start, m.end) or screening_finding(lower, m):
            continue  # "her flu shot", "TB test", "latent TB at screening": prevention, a test or a screen
        if m.rule == "abbreviation" and _bare_lab_normal(analysis, m):
            continue  # "Labs normal: CBC, ALT and creatinine all within range": a lab name, not a finding
        if (_IMPROVED.match(analysis.lower, m.end) or _improved_before(analysis, m)) and not _dechallenge(
            analysis, m
        ):
            continue  # "her itching stopped after the first injection": the treatment working
        framing = frame(analysis, m.start, m.end)
        if framing.mode is Mode.GENERIC and m.label in _LAB_EVENTS and patient_statement(analysis, m.start, m.end):
            framing = Framing(Mode.REPORT, "lab_statement")  # "in a QLV patient: lipase four times normal"
        s, e = analysis.to_original(m.start, m.end)
        if framing.mode is not Mode.REPORT:
            link = linked_report(analysis, m)
            if link is not None:
                # A named drug tied to the event by a temporal or causal link overrides generic,
                # topic-fragment and history framings ("Quelvarimab-induced ptosis.").
                framing = Framing(Mode.REPORT, link.rule)
            elif (
                framing.mode is not Mode.NEGATED
                and framing.mode is not Mode.HISTORY
                and analysis.of_kind(PRODUCT)
                and experience_referral(analysis.lower)
            ):
                # "anyone on X get diarrhoea?? mine started a week after the pen": the question names the
                # event, the writer's own statement says it happened.
                framing = Framing(Mode.REPORT, "experience_referral")
            elif framing.mode is not Mode.NEGATED and analysis.of_kind(PRODUCT) and shorthand_note(lower):
                framing = Framing(Mode.REPORT, "shorthand_note")  # "F 50s, QLV maint, GBS"
            elif framing.mode is not Mode.NEGATED:
                # The trained classifier may raise a flag the rules did not (recall first).
                learned = model_report(analysis, m)
                if learned is not None:
                    framing = Framing(Mode.REPORT, f"{learned[0]};rules:{framing.mode.value}:{framing.rule}")
        if framing.mode is Mode.REPORT:
            reported.append((m, framing))
            findings.append(
                Finding(
                    Detector.ADVERSE_EVENT,
                    m.label,
                    Span(s, e),
                    f"event:{m.rule}+{framing.rule}",
                    m.text,
                    0.8 if m.rule == "fuzzy" or framing.rule == "declarative" else 1.0,
                    f"event term reported as having happened ({framing.rule})",
                )
            )
        else:
            others.append((m, framing))
            findings.append(
                Finding(
                    Detector.ADVERSE_EVENT,
                    m.label,
                    Span(s, e),
                    f"not_reported:{framing.mode.value}:{framing.rule}",
                    m.text,
                    0.0,
                    f"event term mentioned but framed as {framing.mode.value}",
                )
            )
    # A condition the off-label vocabulary knows as an indication, tied to the product by a causal or
    # temporal link, is a new event ("Quelvarimab-induced vitiligo"), not a use.
    if not reported:
        referred = bool(analysis.of_kind(PRODUCT)) and experience_referral(analysis.lower)
        for im in analysis.of_kind(INDICATION):
            link = linked_report(analysis, im)
            if link is None and referred and is_negated(analysis.lower, im.start, im.end, 0) is None:
                # "can QLV cause vitiligo? asking because i got it right after starting"
                link = LinkHit("experience_referral", im)
            if link is None:
                continue
            s, e = analysis.to_original(im.start, im.end)
            match = TermMatch(EVENT, im.text.lower(), im.start, im.end, im.text, "indication_term")
            reported.append((match, Framing(Mode.REPORT, link.rule)))
            findings.append(
                Finding(
                    Detector.ADVERSE_EVENT,
                    im.text.lower(),
                    Span(s, e),
                    f"event:indication_term+{link.rule}",
                    im.text,
                    0.8,
                    "a condition tied to the product by a causal or temporal link: a new event, not a use",
                )
            )
            break
    # A title or case sentence tying an out-of-vocabulary event to the product ("Quelvarimab-induced
    # vitiligo", "neuroleptic malignant syndrome induced by quelvarimab").
    if not reported:
        unnamed = unnamed_event_link(analysis)
        if unnamed is not None:
            us, ue, words, rule = unnamed
            match, finding = _unspecified_event(
                analysis,
                (us, ue),
                analysis.to_original(us, ue),
                words,
                rule.removeprefix("link:"),
                Framing(Mode.REPORT, rule),
                0.6,
                "an event outside the vocabulary tied to the product by a causal link: for a human to code",
            )
            reported.append((match, Framing(Mode.REPORT, rule)))
            findings.append(finding)
    # Catch-all: a clear report of something happening to a patient, in words the vocabulary lacks.
    if not reported:
        for cm in _CATCH_ALL.finditer(analysis.lower):
            obj = cm.group("obj")
            if obj in _NOT_EVENT_OBJECTS:
                continue
            if any(ev.start >= cm.start() and ev.start < cm.end() + 40 for ev in analysis.of_kind(EVENT)):
                continue  # a known event term is already there and was judged not reported
            framing = frame(analysis, cm.start(), cm.end(), negatable=True)
            if framing.mode is not Mode.REPORT:
                continue
            match, finding = _unspecified_event(
                analysis,
                (cm.start("obj"), cm.end("obj")),
                analysis.to_original(cm.start("obj"), cm.end("obj")),
                obj,
                "catch_all",
                framing,
                0.6,
                "a report verb with an object outside the vocabulary: flagged for a human to code",
            )
            reported.append((match, framing))
            findings.append(finding)
            break
    # Second fallback: "his vision went blurry the day after the shot" - a change in a specific
    # patient, anchored to the product, described in words no list will ever hold.
    if not reported:
        for anchor in _ANCHOR.finditer(analysis.lower):
            seg = analysis.segment_of(anchor.start())
            sentence = analysis.lower[seg.sentence_start : seg.sentence_end]
            change = _CHANGE.search(sentence)
            if change is None or not (PATIENT_SPECIFIC.search(sentence) or _PERSONAL.search(sentence)):
                continue
            if _POSITIVE.search(sentence) and not _NEGATIVE.search(sentence):
                continue  # "cleared after the second dose" is a good outcome, not an event
            if _SOCIAL.search(sentence):
                continue  # jobs, costs and coverage change too; they are not adverse events
            if re.search(r"\bany (?:\w+ )?$", analysis.lower[max(0, change.start() - 12) : change.start()]):
                continue  # "any issue for the pt on quelva?": a problem asked about, not one that happened
            if _OTHER_CAUSE.search(sentence) or _INJURY_CAUSE.search(sentence):
                continue  # a change with a clear cause other than the product
            framing = frame(analysis, change.start(), change.end(), negatable=True)
            if framing.mode is not Mode.REPORT:
                continue
            match, finding = _unspecified_event(
                analysis,
                (change.start(), change.end()),
                analysis.to_original(seg.start, seg.end),
                change.group(),
                "anchored_change",
                framing,
                0.5,
                "a change in a specific patient tied to the product: flagged for a human to code",
            )
            reported.append((match, framing))
            findings.append(finding)
            break
    # Structural nets: an abnormal lab value or vital sign, then a patient + treatment link + change.
    if not reported and not not_started:  # nothing of the product to report before it is started
        hit = lab_value(analysis) or patient_change(analysis, _structural_veto)
        if hit is not None:
            s, e = analysis.to_original(hit.start, hit.end)
            match = TermMatch(EVENT, "unspecified event", hit.start, hit.end, hit.term, hit.rule)
            reported.append((match, hit.framing))
            findings.append(
                Finding(
                    Detector.ADVERSE_EVENT,
                    "unspecified event",
                    Span(s, e),
                    f"event:{hit.rule}+{hit.framing.rule}",
                    hit.term,
                    0.5,
                    hit.explanation,
                )
            )
    return EventResult(reported, others, findings)
