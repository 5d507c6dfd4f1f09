"""Off-label: requests about unapproved uses (to medical information) and reports of off-label use."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compliance.detectors.label_questions import (
    LABEL_STATUS_KINDS,
    either_or_label,
    everyday_population,
    interaction_question,
    label_status,
    switch_logistics,
)
from compliance.detectors.off_label_patterns import (
    _ADJUSTMENT,
    _ADULT_POPULATION,
    _CAUSAL,
    _COMBINE_OR_COMPARE_CUE,
    _DET_BEFORE,
    _DOSE_WORDS,
    _DRUG_CONTEXT,
    _ERROR_CUE,
    _GOT_HOLD,
    _HCP_GAVE,
    _INDICATION_WORDING,
    _INTENTIONAL,
    _NEW_CONDITION_AFTER,
    _NEW_CONDITION_BEFORE,
    _NOT_PEDIATRIC,
    _PATIENT_AFTER,
    _PREG_CONTEXT,
    _SWITCH,
    AGE,
    COMBINE,
    COMPARATIVE_CLAIM,
    REQUEST,
    USE_FOR,
)
from compliance.detectors.report_model import without_figurative
from compliance.findings import Detector, Finding, Mode, Span
from compliance.nlp.brand import BRAND
from compliance.nlp.clauses import ADMIN_PAST, clause_bounds, exposure_in, report_then_guess
from compliance.nlp.context import frame, is_pretreatment
from compliance.nlp.cues import EXPOSURE, QUESTION_START
from compliance.nlp.engine import (
    COMPETITOR,
    DRUG,
    EVENT,
    EXPLICIT,
    INDICATION,
    POPULATION,
    PRODUCT,
    SYSTEMIC,
    Analysis,
)


@dataclass
class OffLabelResult:
    """Off-label topics found, whether they are requested, and whether use is reported."""

    request: bool = False
    use: bool = False
    dose_error: bool = False  # a dose or schedule outside the label reported, not chosen by the prescriber
    topics: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _guessed_diagnosis(analysis: Analysis, start: int, end: int) -> bool:
    """A disease named in a report followed by a guess, as the event itself or as the guess."""
    seg = analysis.segment_of(start)
    if not report_then_guess(analysis, seg.sentence_start):
        return False
    if any(ev.start < end and start < ev.end for ev in analysis.of_kind(EVENT)):
        return True
    before = analysis.lower[seg.sentence_start : start]
    breaks = [b.end() for b in re.finditer(r"[,;:]|\s[-\u2013\u2014]+\s", before)]
    tail = analysis.lower[seg.sentence_start + (breaks[-1] if breaks else 0) : start]
    return bool(breaks) and len(tail.split()) <= 4


@dataclass(frozen=True, slots=True)
class _Topic:
    kind: str  # indication | population | dose | comparison | combination | explicit
    label: str
    start: int
    end: int


# Between a symptom and "every day": "almost", "nearly", "pretty much" - still the symptom's frequency.
_SYMPTOM_FREQUENCY = re.compile(r"\b(?:almost|nearly|pretty much|practically|basically|about|like|at least)\s+$")
# A lab name before a number with a unit: "creatinine increased from 0.9 to 2.1 mg/dL".
_LAB_BEFORE = re.compile(
    r"\b(?:creatinine|cr|bilirubin|bili|glucose|sugar|potassium|sodium|calcium|magnesium|phosph\w*|albumin|"
    r"protein|urea|bun|hemoglobin|haemoglobin|hgb|hb|crp|cholesterol|ldl|hdl|triglycerides|trigs|lactate|"
    r"ferritin|level|levels|labs?)\b[^.;?]{0,40}$"
)


def _topics(analysis: Analysis) -> list[_Topic]:
    lower = analysis.lower
    topics: list[_Topic] = []
    for m in analysis.of_kind(INDICATION):
        if _CAUSAL.search(lower[max(0, m.start - 40) : m.start]):
            continue  # "is it associated with IBD?" asks about a risk, not a use
        if re.match(r"-?\s?(?:like|type|ish|form)\b", lower[m.end : m.end + 6]) or re.search(
            r"drug[- ]induced\W+$", lower[max(0, m.start - 14) : m.start]
        ):
            continue  # "a lupus-like rash", "drug-induced lupus": a symptom, not the disease treated
        if _NEW_CONDITION_BEFORE.search(lower[max(0, m.start - 30) : m.start]) or _NEW_CONDITION_AFTER.match(
            lower, m.end
        ):
            continue  # "uveitis developed on quelvarimab", "new vitiligo patches": an event, not a use
        if _guessed_diagnosis(analysis, m.start, m.end):
            continue  # "new patchy hair loss around wk 8, alopecia areata?": naming the event, not a use
        topics.append(_Topic("indication", m.label, m.start, m.end))
    preg = _PREG_CONTEXT.search(lower) is not None
    for m in analysis.of_kind(POPULATION):
        if _NOT_PEDIATRIC.search(lower[max(0, m.start - 6) : m.end + 8]):
            continue
        if preg and m.text.lower() in ("baby", "babies", "infant", "infants", "newborn", "newborns"):
            continue
        topics.append(_Topic("population", "pediatric", m.start, m.end))
    for am in AGE.finditer(lower):
        groups = [g for g in am.groups() if g]
        if not groups:
            continue
        is_months = "month" in am.group() or re.search(r"\bmos?\b", am.group()) is not None
        if is_months and preg:
            continue  # a nursing infant's age
        if is_months or int(groups[0]) < 18:
            topics.append(_Topic("population", "pediatric", am.start(), am.end()))
    seen_dose: set[int] = set()
    for pattern in analysis_dose_patterns():
        for dm in pattern.finditer(lower):
            if dm.start() in seen_dose:
                continue
            seen_dose.add(dm.start())
            window = lower[max(0, dm.start() - 30) : dm.end() + 30]
            if _DRUG_CONTEXT.search(window) and not re.search(BRAND, window):
                continue  # a dose of another drug
            if _MONITORING_BEFORE.search(lower, max(0, dm.start() - 25), dm.start()):
                continue  # "check INR more often": how often to monitor, not how often to dose
            if _nearest_drug_is_other(analysis, dm.start(), dm.end()):
                continue  # "pt takes metoclopramide daily, ...": the schedule belongs to the nearer drug
            seg = analysis.segment_of(dm.start())
            # "a good dose of sunshine per day": a figure of speech is no dose word
            sentence = without_figurative(lower)[seg.sentence_start : seg.sentence_end].replace(dm.group(), " ")
            if not _DOSE_WORDS.search(sentence) and not _DOSE_WORDS.search(dm.group()) and "mg" not in dm.group():
                continue  # "monthly" about a co-pay, not a dosing schedule
            near_event = any(0 <= dm.start() - ev.end <= 30 for ev in analysis.of_kind(EVENT))
            frequency = _SYMPTOM_FREQUENCY.search(lower[max(0, dm.start() - 40) : dm.start()]) or re.fullmatch(
                r"every (?:day|night|morning|evening)|daily", dm.group()
            )
            if any(0 <= dm.start() - ev.end <= 3 for ev in analysis.of_kind(EVENT)) or (near_event and frequency):
                continue  # "headache every day", "nosebleeds almost every day": a symptom's frequency
            if "mg" in dm.group() and _LAB_BEFORE.search(lower[max(0, dm.start() - 60) : dm.start()]):
                continue  # "creatinine ... 2.1 mg/dL" is a lab value, not a dose
            if (
                _ADJUSTMENT.fullmatch(dm.group())
                and _ADULT_POPULATION.search(sentence)
                and not any(t.kind == "population" for t in topics)
            ):
                continue  # "do older patients need a lower dose?": the label's geriatric/renal section
            topics.append(_Topic("dose", dm.group(), dm.start(), dm.end()))
    competitors = analysis.of_kind(COMPETITOR)
    for c in competitors:
        seg = analysis.segment_of(c.start)
        sentence = lower[seg.sentence_start : seg.sentence_end]
        if COMPARATIVE_CLAIM.search(sentence):
            topics.append(_Topic("comparison", c.label, c.start, c.end))
        else:
            topics.append(_Topic("competitor", c.label, c.start, c.end))
    for s in analysis.of_kind(SYSTEMIC):
        seg = analysis.segment_of(s.start)
        sentence = lower[seg.sentence_start : seg.sentence_end]
        if _INDICATION_WORDING.search(sentence) and not _COMBINE_OR_COMPARE_CUE.search(sentence):
            continue  # "a candidate for systemic tx or phototherapy": the approved indication's wording
        if COMPARATIVE_CLAIM.search(sentence) or (
            re.search(r"\b(?:or|than|vs\.?|versus) (?:with |on )?$", lower[max(0, s.start - 12) : s.start])
            and _product_before(analysis, s.start)
        ):
            topics.append(_Topic("comparison", s.label, s.start, s.end))
        elif COMBINE.search(sentence):
            topics.append(_Topic("combination", s.label, s.start, s.end))
    for m in analysis.of_kind(EXPLICIT):
        topics.append(_Topic("explicit", "off-label", m.start, m.end))
    return topics


_OTHER_DRUG_KINDS = (DRUG, COMPETITOR, SYSTEMIC)


def _product_before(analysis: Analysis, pos: int) -> bool:
    """The medicine named last before `pos` in its sentence is the product (or none is named): "QLV or MTX?"
    weighs the two, "does QLV interact with lamotrigine or hydroxychloroquine?" lists two others."""
    seg = analysis.segment_of(pos)
    before = [
        m
        for m in analysis.matches
        if m.kind in (PRODUCT, *_OTHER_DRUG_KINDS) and seg.sentence_start <= m.start and m.end <= pos
    ]
    return not before or max(before, key=lambda m: m.end).kind == PRODUCT


_MONITORING_BEFORE = re.compile(
    r"\b(?:check|checks|checking|checked|monitor|monitoring|monitored|test|testing|tested|draw|drawn|measure|"
    r"measured|repeat|repeated|screen|labs?|levels?|inr|"
    r"cbc|lfts?|bloods?|tb test|quantiferon|x-?rays?|cxr|imaging|scans?|screen(?:ing)?)\b(?:\s+[\w-]+){0,2}\s*$"
)


# Between a drug and its own dose only dose words: "methotrexate 7.5 mg weekly", "MTX 15mg".
_OWN_DOSE_GAP = re.compile(r"^[\s\d.,]*(?:mg|mcg|µg|ug|g|units?|iu|ml)?\s*(?:\d+(?:\.\d+)?\s*(?:mg|mcg|g)\s*)?$")


def _nearest_drug_is_other(analysis: Analysis, start: int, end: int) -> bool:
    """The drug named nearest to a dose or schedule, within its sentence, is not the product."""
    seg = analysis.segment_of(start)
    for m in analysis.matches:
        if (
            m.kind in _OTHER_DRUG_KINDS
            and seg.sentence_start <= m.end <= start
            and _OWN_DOSE_GAP.match(analysis.lower[m.end : start])
        ):
            return True  # the dose written right after the other drug is that drug's
    best: tuple[int, str] | None = None
    for m in analysis.matches:
        if m.kind not in (PRODUCT, *_OTHER_DRUG_KINDS) or not seg.sentence_start <= m.start < seg.sentence_end:
            continue
        distance = start - m.end if m.end <= start else m.start - end
        if distance >= 0 and (best is None or distance < best[0]):
            best = (distance, m.kind)
    return best is not None and best[1] in _OTHER_DRUG_KINDS


def analysis_dose_patterns() -> list[re.Pattern[str]]:
    """Dose and schedule patterns from the vocabulary."""
    from compliance.nlp.lexicon import get_lexicon

    return get_lexicon().dose_patterns


def _is_request_sentence(analysis: Analysis, pos: int) -> bool:
    seg = analysis.segment_of(pos)
    sentence = analysis.lower[seg.sentence_start : seg.sentence_end]
    seg_text = analysis.lower[seg.start : seg.end]
    return bool(REQUEST.search(sentence) or QUESTION_START.search(seg_text))


# A dosing regimen is talked about (the product is the assistant's subject even where it is not named).
_REGIMEN = re.compile(
    r"\b(?:intervals?|doses?|dosing|dosage|schedule|q\d+w|responders?|maintenance|loading|induction|"
    r"inject\w*|shorten\w*|extend\w*|escalat\w*|taper\w*|mg|units?)\b"
)


def detect_off_label(analysis: Analysis) -> OffLabelResult:
    """Decide whether the message asks about an unapproved use, and whether it reports one."""
    result = OffLabelResult()
    lower = analysis.lower
    product_named = bool(analysis.of_kind(PRODUCT))
    everyday = everyday_population(analysis)
    for t in _topics(analysis):
        s, e = analysis.to_original(t.start, t.end)
        if t.kind == "population" and everyday is not None:
            continue
        if t.kind == "dose" and everyday is not None and _REGIMEN.search(lower) is None:
            continue  # "my dog barks at the mailman every day": a frequency, nothing medical asked
        if t.kind == "dose" and not without_figurative(lower)[t.start : t.end].strip():
            continue  # "a triple dose of sugar in the cake": a dose of something no medicine
        if t.kind == "population" and not product_named and analysis.of_kind(*_OTHER_DRUG_KINDS):
            continue  # "amoxicillin dose for a 20 kg child": another medicine's population, not the product's
        if (
            t.kind in LABEL_STATUS_KINDS
            and (LABEL_STATUS_KINDS[t.kind] is None or t.label in (LABEL_STATUS_KINDS[t.kind] or ()))
            and label_status(analysis, t.start) is not None
            and ADMIN_PAST.search(lower) is None
            and EXPOSURE.search(lower) is None
        ):
            continue  # "is quelvanti approved for kids?": the label's population and indication statements
        if t.kind == "competitor" and switch_logistics(analysis, t.start) is not None:
            continue  # "switching from Humira to QLV, do we need a fresh TB test?": label information
        if t.kind == "dose" and either_or_label(analysis, t.start) is not None:
            continue  # "is it given IV or subq?": which is the labelled one, a label question
        if t.kind in ("combination", "competitor") and interaction_question(analysis, t.start) is not None:
            continue  # "any issues giving methotrexate alongside QLV?": interaction information
        framing = frame(analysis, t.start, t.end, negatable=False, happened=ADMIN_PAST)
        requested = _is_request_sentence(analysis, t.start)
        seg = analysis.segment_of(t.start)
        seg_text = lower[seg.start : seg.end]
        sentence = lower[seg.sentence_start : seg.sentence_end]
        real_question = "?" in sentence or QUESTION_START.search(seg_text) is not None
        if t.kind == "competitor":
            # A competitor named in a question (switching, sequencing) needs medical information.
            message_question = "?" in lower or any(
                QUESTION_START.search(lower[g.start : g.end]) for g in analysis.segments
            )
            comparative = message_question and COMPARATIVE_CLAIM.search(lower) is not None
            switching = real_question or comparative or (message_question and _SWITCH.search(lower) is not None)
            if switching and (framing.mode is not Mode.HISTORY or comparative):
                result.request = True
                result.topics.append(f"competitor:{t.label}")
                result.findings.append(
                    Finding(
                        Detector.OFF_LABEL,
                        "comparison",
                        Span(s, e),
                        "off_label:competitor_question",
                        analysis.norm.text[t.start : t.end],
                        0.8,
                        "question involving another product",
                    )
                )
            continue
        if t.kind == "comparison":
            result.request = True
            result.topics.append(f"comparison:{t.label}")
            result.findings.append(
                Finding(
                    Detector.OFF_LABEL,
                    "comparison",
                    Span(s, e),
                    "off_label:comparison",
                    analysis.norm.text[t.start : t.end],
                    1.0,
                    "comparative claim against another product",
                )
            )
            continue
        if requested and t.kind == "population" and _GOT_HOLD.search(lower):
            requested = False  # a child who got hold of a pen: an accident to report, not a use to ask about
        if requested:
            result.request = True
        use = False
        administered = ADMIN_PAST.search(sentence) is not None or EXPOSURE.search(sentence) is not None
        cs, ce = clause_bounds(analysis, t.start)
        clause_statement = lower[ce : ce + 1] != "?" and QUESTION_START.search(lower[cs:ce]) is None
        # "My UC patient is on Quelvanti since January, any data?": the statement clause reports use.
        statement = (
            not real_question
            or ADMIN_PAST.search(sentence) is not None
            or (clause_statement and administered and framing.mode is Mode.REPORT)
        )
        if framing.mode is Mode.REPORT and statement and not is_pretreatment(analysis, t.start):
            before = lower[max(0, t.start - 40) : t.start]
            if t.kind == "indication":
                if USE_FOR.search(before) and (administered or product_named):
                    use = True
                elif (
                    re.search(r"\bwith\W+(?:\w+\W+){0,2}$", before)
                    and (_HCP_GAVE.search(lower) or (clause_statement and exposure_in(lower)))
                    and "psoria" not in lower.replace(t.label, "")
                ):
                    use = True  # "we gave Quelvanti to a patient with Crohn's"
                elif (
                    clause_statement
                    and _PATIENT_AFTER.match(lower, t.end)
                    and _DET_BEFORE.search(before)
                    and exposure_in(lower)
                ):
                    use = True  # "my UC patient is on Quelvanti", "put my PsA patient on quelvanti"
            elif t.kind == "dose":
                intentional = _INTENTIONAL.search(lower) is not None and _ERROR_CUE.search(lower) is None
                use = administered and intentional
                if administered and not intentional:
                    result.dose_error = True
            elif t.kind == "population":
                # A child who got hold of a pen is a medication error, not a prescribing decision.
                use = (
                    (administered or EXPOSURE.search(lower) is not None)
                    and _ERROR_CUE.search(lower) is None
                    and not _GOT_HOLD.search(lower)
                )
            elif t.kind == "explicit":
                use = administered
        if use:
            result.use = True
        if requested or use:
            result.topics.append(f"{t.kind}:{t.label}")
            result.findings.append(
                Finding(
                    Detector.OFF_LABEL,
                    t.kind,
                    Span(s, e),
                    f"off_label:{t.kind}:{'use' if use else 'request'}",
                    analysis.norm.text[t.start : t.end],
                    1.0,
                    f"unapproved {t.kind} ({t.label}) {'reported as used' if use else 'asked about'}",
                )
            )
    return result
