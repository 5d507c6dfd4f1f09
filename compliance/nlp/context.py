"""How a mention is framed: a report, a question, a hypothetical, a negation, generic or history.

Rules run on the lowercased normalised text of the mention's segment and sentence. The order
of the rules is the policy: evidence that something happened to a specific patient wins over
question marks, because a missed adverse event is the worst failure of this layer.
"""

from __future__ import annotations

import re

from compliance.findings import Mode
from compliance.nlp.brand import BRAND
from compliance.nlp.clauses import (
    _CURRENT_CUE,
    ACTION_QUESTION,
    HISTORY_AFTER,
    PERSISTING,
    SUITABILITY,
    Framing,
    _asks,
    _conditional_spans,
    _declarative_clause,
    _history_before,
    _own_clause,
    exposure_anchored,
    exposure_in,
    is_negated,
    report_then_guess,
    seeks_care,
)
from compliance.nlp.cues import (
    _PERSONAL,
    _PRESUPPOSING_HEARSAY,
    EMBEDDED_QUESTION,
    EXPOSURE,
    HEARSAY,
    HYPOTHETICAL,
    PAST_EXPERIENCE,
    PATIENT_SPECIFIC,
    POSSESSIVE,
    PRESENT_EXPERIENCE,
    PRESUPPOSED_AFTER,
    PRETREATMENT,
    QUESTION_START,
    SURVEY,
    generic_in,
    has_happening,
)
from compliance.nlp.engine import Analysis
from compliance.nlp.report_cues import (
    DESCRIBED_WITH,
    PRESUPPOSING_QUESTION,
    PRODUCT_AS_CAUSE,
    REPORT_INTENT,
    STRUCTURED_FIELD,
)

REPORT_ASK = re.compile(
    r"\b(?:(?:should|do|must|shall|need to|have to) (?:i|we) (?:\w+ )?report (?:this|it|that|these|them)|"
    r"(?:is|was|are) (?:this|that|it|these) (?:\w+ )?reportable|worth reporting)\b|"
    # terse: "potassium low after qlv, report?", "rash after dose 2 - reportable?"
    r"[,;:-]\s*(?:report|reportable|to report)\s*\?+\s*$"
)


_WITH_MY = re.compile(
    r"\b(?:safe|ok|okay|fine|suitable|compatible|used|use|take|given)\s+(?:with|for|in)\s+(?:my|her|his|their)\s+$"
)


def frame(
    analysis: Analysis,
    start: int,
    end: int,
    *,
    negatable: bool = True,
    happened: re.Pattern[str] | None = None,
) -> Framing:
    """Decide how the mention at normalised [start, end) is framed.

    `happened` adds verbs that count as evidence of occurrence for this kind of mention
    (administration verbs for special situations).
    """
    lower = analysis.lower
    seg = analysis.segment_of(start)
    # Mask the mention itself so its own words ("could not breathe") are not read as cues.
    masked = lower[:start] + " " * (end - start) + lower[end:]
    sent_text = masked[seg.sentence_start : seg.sentence_end]
    seg_text = masked[seg.start : seg.end]
    before_in_seg = masked[seg.start : start]

    if negatable:
        neg = is_negated(lower, start, end, seg.start)
        if neg:
            return Framing(Mode.NEGATED, neg)

    if _history_before(masked, max(seg.start, start - 60), start) or HISTORY_AFTER.match(lower, end):
        return Framing(Mode.HISTORY, "history")

    if PRESUPPOSED_AFTER.match(lower, end):
        return Framing(Mode.REPORT, "presupposed")

    statement = "?" not in lower[seg.sentence_start : seg.sentence_end]
    field = STRUCTURED_FIELD.search(masked, max(seg.sentence_start, start - 30), start)  # "AE: painful nodules"
    if statement and (REPORT_INTENT.search(lower) or field):
        # "I would like to report a side effect. ...", "patient on X, event pneumonia, onset ..."
        return Framing(Mode.REPORT, "report_form")
    if PRESUPPOSING_QUESTION.search(masked, seg.sentence_start, start):
        return Framing(Mode.REPORT, "presupposing_question")
    if DESCRIBED_WITH.search(masked, seg.sentence_start, start) and PRODUCT_AS_CAUSE.search(lower, end, end + 200):
        # "Patient with liver failure, is quelvanti the cause?": asking for the cause presupposes the event.
        return Framing(Mode.REPORT, "cause_of_described")

    for cs, ce in _conditional_spans(masked, seg.sentence_start, seg.sentence_end):
        if cs <= start < ce:
            # "asks if quelvanti caused her hair loss": the past cause presupposes the event.
            if POSSESSIVE.search(masked[max(cs, start - 40) : start]) and re.search(
                r"\b(?:caused|triggered|led to|gave (?:her|him|them)|made)\b", masked[cs:start]
            ):
                return Framing(Mode.REPORT, "conditional_presupposed")
            # "If her rash doesn't clear..." presupposes the rash; "if her ALT goes up" does not.
            if not PERSISTING.match(lower, end):
                return Framing(Mode.HYPOTHETICAL, "conditional")
            return Framing(Mode.REPORT, "conditional_persisting")

    if REPORT_ASK.search(lower):
        # "a red painful eye in a pt 2 months into QLV, should I report this?": asking whether to report
        # something presupposes that it happened.
        return Framing(Mode.REPORT, "reportability_question")

    if seeks_care(lower):
        # "I have tinnitus, would Quelvanti help with that too?": the condition is the reason to ask.
        return Framing(Mode.GENERIC, "care_question")

    # "allergic reactions to qlv", "missed dose instructions": nobody, nothing happened.
    if not has_happening(lower):
        return Framing(Mode.GENERIC, "topic_fragment")

    # "Is quelvanti safe with my hypothyroidism?": the writer's own condition asked about before use.
    if (
        _WITH_MY.search(masked, max(seg.start, start - 20), start)
        and _asks(lower)
        and SUITABILITY.search(lower)
        and not exposure_anchored(lower)
    ):
        return Framing(Mode.GENERIC, "condition_question")
    # "her rash", "this headache": the event exists for a specific person.
    if POSSESSIVE.search(masked[max(seg.start, start - 40) : start]):
        return Framing(Mode.REPORT, "possessive")

    hearsay = None
    for h in HEARSAY.finditer(masked, max(seg.sentence_start, start - 80), start):
        hearsay = h
    if (
        hearsay is not None
        and not _PRESUPPOSING_HEARSAY.search(masked, max(hearsay.start(), hearsay.end() - 3), hearsay.end() + 8)
        and not PAST_EXPERIENCE.search(masked, hearsay.end(), start)
        and not (happened is not None and happened.search(masked, hearsay.end(), start))
    ):
        return Framing(Mode.QUESTION, f"hearsay:{hearsay.group()}")

    survey = SURVEY.search(sent_text)
    # The question opener is read unmasked: a masked mention must not leave "and has ..." behind.
    is_question = (
        seg_text.rstrip().endswith("?")
        or QUESTION_START.search(lower[seg.start : seg.end]) is not None
        or EMBEDDED_QUESTION.search(sent_text) is not None
    )
    if is_question or survey:
        # A statement followed by a question is still a report: "Pt developed thrush after starting
        # Quelvanti, anything in the label about candida?" The question governs only its own clause.
        clause_rule = _declarative_clause(analysis, masked, start, happened)
        if clause_rule is not None:
            return Framing(Mode.REPORT, clause_rule)
        if report_then_guess(analysis, start):
            return Framing(Mode.REPORT, "report_then_guess")
        if is_question and not has_happening(_own_clause(analysis, start)):
            # "late dose, how do we get back on schedule?": the mention's clause is a bare topic.
            return Framing(Mode.GENERIC, "topic_clause")
    personal = PATIENT_SPECIFIC.search(sent_text) or _PERSONAL.search(sent_text)
    if is_question and not personal:
        # "Which reactions occurred in trials?", "Can it be used in pregnancy?": about patients in general.
        return Framing(Mode.QUESTION, "question")
    past = PAST_EXPERIENCE.search(seg_text) or PAST_EXPERIENCE.search(sent_text)
    if past is None and happened is not None:
        if is_question and ACTION_QUESTION.search(lower[seg.sentence_start : seg.sentence_end]):
            # "Can I give 200 mg loading dose for faster clearance?": the dose is asked about, not given.
            return Framing(Mode.QUESTION, "action_question")
        past = happened.search(seg_text) or happened.search(sent_text)
    specific = PATIENT_SPECIFIC.search(sent_text)
    if past and not survey:
        return Framing(Mode.REPORT, f"experience:{past.group()}")
    # "ALT was normal at baseline before starting, now 3x ULN": the baseline is a comparison, and a
    # clause saying "now" / "currently" / "after dose 2" states the current (on-treatment) value.
    current_clause = _CURRENT_CUE.search(_own_clause(analysis, start)) is not None
    planning_only = (
        PRETREATMENT.search(sent_text) is not None and EXPOSURE.search(sent_text) is None and not current_clause
    )
    if specific and not survey and PRESENT_EXPERIENCE.search(sent_text) and not planning_only:
        if _asks(lower) and SUITABILITY.search(lower) and not exposure_anchored(lower):
            # "My patient has a latex allergy, does the pen contain latex?": a condition the writer
            # asks about, with nothing tying it to treatment.
            return Framing(Mode.GENERIC, "condition_question")
        return Framing(Mode.REPORT, f"patient:{specific.group().strip()}")

    if is_question:
        return Framing(Mode.QUESTION, "question")
    if HYPOTHETICAL.search(masked, seg.sentence_start, start):
        return Framing(Mode.HYPOTHETICAL, "hypothetical")
    if survey:
        return Framing(Mode.QUESTION, "survey")
    if generic_in(sent_text, lower[seg.sentence_start : seg.sentence_end]):
        if report_then_guess(analysis, start):
            # "Night sweats after her fourth shot - is that a known thing?": the guess is generic, not the report.
            return Framing(Mode.REPORT, "report_then_guess")
        return Framing(Mode.GENERIC, "generic")
    if PRETREATMENT.search(sent_text) and not EXPOSURE.search(sent_text) and not current_clause:
        return Framing(Mode.GENERIC, "pretreatment")
    if (
        re.search(r"\b(?:please|pls|plz|tell me|send|share|need|looking for|want|would like)\b", before_in_seg)
        and not specific
    ):
        return Framing(Mode.QUESTION, "request")
    if specific and _asks(lower) and SUITABILITY.search(lower) and not exposure_anchored(lower):
        # "Pt with cirrhosis, Child-Pugh C: any dose change for quelvarimab?": a condition asked about before use.
        return Framing(Mode.GENERIC, "condition_question")
    # A plain statement with an event in it: err on the side of a report.
    return Framing(Mode.REPORT, "declarative")


NEGATED_EXPOSURE = re.compile(
    r"\b(?:never|not|hasn't|has not|haven't|have not|wasn't|was not|didn't|did not|yet to)\b(?:\s+\w+){0,2}?\s+"
    r"(?:treated|started|been on|on (?:" + BRAND + r"|it)|received|taken|used|"
    r"exposed|given|had (?:a|"
    r"any) (?:dose|injection))\b"
)


def has_exposure(analysis: Analysis, start: int) -> bool:
    """True when the mention's sentence (or message) says the product was actually received."""
    seg = analysis.segment_of(start)
    return exposure_in(analysis.lower[seg.sentence_start : seg.sentence_end]) or exposure_in(analysis.lower)


def is_pretreatment(analysis: Analysis, start: int) -> bool:
    """True when the mention's sentence is about starting treatment that has not happened yet."""
    seg = analysis.segment_of(start)
    sent = analysis.lower[seg.sentence_start : seg.sentence_end]
    return PRETREATMENT.search(sent) is not None and not exposure_in(sent)
