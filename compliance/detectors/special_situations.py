"""Reportable special situations: they count as adverse events even without a symptom."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compliance.detectors.label_questions import MISSED_DOSE, missed_dose_question
from compliance.detectors.report_model import without_figurative
from compliance.detectors.special_situations_patterns import (
    _ACCIDENTAL,
    _ACCIDENTAL_EXPOSURE,
    _CHILD_ACCIDENT,
    _LACTATION,
    _LOE_EXTRA,
    _MED_ERROR,
    _OTHER_THERAPY,
    _OVERDOSE,
    _PAST_AGE,
    _PEDIATRIC_AGE,
    _PEDIATRIC_NOT,
    _PEDIATRIC_WORD,
    _PREGNANCY,
    _PREGNANCY_NOT,
    _SCORE_CHANGE,
    _STORAGE_ONLY,
    _SUBJECT_BEFORE,
)
from compliance.detectors.treatment_status import not_started_yet
from compliance.findings import Detector, Finding, Mode, Span, SpecialSituation
from compliance.nlp.anchors import MEDICINE_ANCHOR
from compliance.nlp.clauses import ADMIN_PAST, clause_bounds, exposure_in
from compliance.nlp.context import NEGATED_EXPOSURE, frame, has_exposure, is_pretreatment
from compliance.nlp.cues import EXPOSURE, QUESTION_START
from compliance.nlp.engine import COMPETITOR, DRUG, EVENT, LOE, PRODUCT, SYSTEMIC, Analysis, TermMatch
from compliance.nlp.report_cues import experience_referral


@dataclass(frozen=True)
class SituationResult:
    """Special situations reported in the message."""

    situations: list[SpecialSituation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def add(self, situation: SpecialSituation, finding: Finding) -> None:
        """Record a situation once, keeping every finding that supports it."""
        if situation not in self.situations:
            self.situations.append(situation)
        self.findings.append(finding)


def _finding(
    analysis: Analysis, situation: SpecialSituation, start: int, end: int, rule: str, why: str
) -> Finding:
    s, e = analysis.to_original(start, end)
    return Finding(
        Detector.SPECIAL_SITUATION, situation.value, Span(s, e), rule, analysis.norm.text[start:end], 1.0, why
    )


def _administered(analysis: Analysis) -> bool:
    """True when the message says the product was actually administered (outside a question)."""
    for m in ADMIN_PAST.finditer(analysis.lower):
        if m.group() in ("left", "froze", "stuck"):
            continue  # "pen left out overnight": the storage deviation itself, not an administration
        seg = analysis.segment_of(m.start())
        text = analysis.lower[seg.start : seg.end]
        is_question = text.rstrip().endswith("?") or QUESTION_START.search(text) is not None
        # "... and then she injected it, is that ok?" still says the product was given.
        if is_question and not _SUBJECT_BEFORE.search(analysis.lower[seg.start : m.start()]):
            continue
        return True
    return False


# For special situations, receiving the product is itself what happened.
_HAPPENED = re.compile(f"(?:{ADMIN_PAST.pattern})|(?:{EXPOSURE.pattern})")
# "wk 4 dose at wk 1": a dose given in the wrong week.
_WEEK_MISMATCH = re.compile(
    r"\b(?:week|wk) ?(\d{1,2}) (?:dose|injection|shot|pen)\b(?: \w+){0,2}? (?:at|on|in|during) (?:week|wk) ?"
    r"(\d{1,2})\b"
)


_DEVICE_OR_BELIEF = re.compile(
    r"\b(?:pen|device|autoinjector|injector|needle|syringe|click|button|thought|thinking|thinks|assumed|believed|worried|"
    r"afraid|unsure|wondering|"
    # the support programme's things: "copay card not working", "the portal doesn't work"
    r"copay|co-pay|card|coupon|voucher|website|site|portal|app|link|login|password|code|fax|printer|form|email|"
    r"phone|wifi|internet|computer)\b(?:\W+\w+){0,3}\W*$"
)


def _score_not_halved(lower: str) -> tuple[int, int] | None:
    """The span of a PASI or BSA change that is less than a 50% improvement, if any."""
    for m in _SCORE_CHANGE.finditer(lower):
        nums = [g for g in m.groups() if g]
        if len(nums) < 2:
            continue
        before, after = float(nums[0]), float(nums[1])
        if before > 0 and after > before * 0.5:
            return m.start(), m.end()
    return None


def _is_report(analysis: Analysis, start: int, end: int, *, negatable: bool = True) -> tuple[bool, str]:
    framing = frame(analysis, start, end, negatable=negatable, happened=_HAPPENED)
    return framing.mode is Mode.REPORT, f"{framing.mode.value}:{framing.rule}"


def _statement_clause(analysis: Analysis, start: int, end: int, rule: str) -> tuple[bool, str]:
    """A failure to work or an error stated in its own clause, whatever the message then asks: "qlv just isn't
    working for my patient, 24 wks in, what now?", "the pen was shaken hard before her injection, is that a
    problem?", "Primary non-response: BSA unchanged at 32% after 16 weeks"."""
    mode = rule.split(":", 1)[0]
    if mode != Mode.NEGATED.value and analysis.of_kind(PRODUCT) and experience_referral(analysis.lower):
        return True, "experience_referral"  # "anyone else see QLV stop working? my pt flared at wk 48"
    cs, ce = clause_bounds(analysis, start)
    clause = analysis.lower[cs:ce]
    if "?" in clause or analysis.lower[ce : ce + 1] == "?" or QUESTION_START.search(clause):
        return False, rule
    if any(cs <= m.start < ce for m in analysis.of_kind(COMPETITOR, SYSTEMIC, DRUG)):
        return False, rule  # "for a patient who did not respond to Cimzia, can we go straight to QLV?"
    if mode == Mode.QUESTION.value and analysis.of_kind(PRODUCT):
        return True, "clause_statement"
    seg = analysis.segment_of(start)
    sentence = analysis.lower[seg.sentence_start : seg.sentence_end]
    measured = re.search(r"\d", sentence) or re.search(r"non-?respon|loss of response", sentence)
    if mode == Mode.GENERIC.value and "?" not in sentence and analysis.of_kind(PRODUCT) and measured:
        # "BSA unchanged at 32% after 16 weeks", "Primary non-responder: ..."
        return True, "measured_statement"
    return False, rule


def _exposure_report(
    analysis: Analysis,
    pattern: re.Pattern[str],
    situation: SpecialSituation,
    explanation: str,
    unless_before: re.Pattern[str] | None,
    exposed: bool,
    planned: bool,
) -> Finding | None:
    """The first reported mention of a state during exposure (pregnant, breastfeeding) while on the product."""
    lower = analysis.lower
    for m in pattern.finditer(lower):
        if unless_before is not None and unless_before.search(lower[max(0, m.start() - 40) : m.start()]):
            continue
        ok, rule = _is_report(analysis, m.start(), m.end())
        # "wants to go back on treatment": the plan's "on treatment" is no exposure
        on_it = (has_exposure(analysis, m.start()) and not planned) or exposed
        if ok and not is_pretreatment(analysis, m.start()) and on_it:
            return _finding(analysis, situation, m.start(), m.end(), f"{situation.value}:{rule}", explanation)
    return None


# A clause that supposes rather than states: "if a mother received ...", "whether she was exposed ...".
_SUPPOSITION = re.compile(r"\b(?:if|whether|suppose|supposing|in case|assuming)\b[^.?!,;]*")


def _other_drugs_dose(lower: str, dose: re.Match[str], others: list[TermMatch], products: list[TermMatch]) -> bool:
    """The dose follows another drug's name directly ("lithium 600 mg", "(allopurinol 300 mg)") and is not the
    product's ("on methotrexate and got 300 mg of quelvanti" stays an overdose)."""
    if any(
        p.start >= dose.end() and re.fullmatch(r"\s*(?:of\s+)?(?:the\s+)?", lower[dose.end() : p.start])
        for p in products
    ):
        return False  # "300 mg of quelvanti", "300 mg quelvanti"
    return any(d.end <= dose.start() and re.fullmatch(r"[\s(:,=-]*", lower[d.end : dose.start()]) for d in others)


_RECURRENCE = re.compile(r"relaps\w*|recur\w*|came back|come back|comes back|return\w*|rebound\w*")
_AFTER_STOPPING = re.compile(
    r"\b(?:after|once|when|if|since)\b[^.?!]{0,40}\b(?:stop\w*|discontinu\w*|withdr[ae]w\w*|cease\w*|"
    r"came off|come off|coming off|off (?:it|the drug|treatment|therapy))\b"
)


def detect_special_situations(
    analysis: Analysis, *, product_named: bool, product_in_conversation: bool
) -> SituationResult:
    """Find reported pregnancy, lactation, overdose, medication error, lack of efficacy and pediatric exposure.

    Off-label use is decided by the off-label detector, which owns that vocabulary.
    """
    result = SituationResult()
    lower = analysis.lower
    # "never treated with Quelvanti": naming the product is not exposure.
    # "she wants to go back on treatment ... quelvarimab and lactation?": a plan is not exposure either.
    planned = not_started_yet(lower)
    product_named = product_named and NEGATED_EXPOSURE.search(lower) is None and not planned

    exposed = product_named or product_in_conversation
    for pattern, situation, explanation, unless_before in (
        (_PREGNANCY, SpecialSituation.PREGNANCY, "pregnancy during exposure reported", _PREGNANCY_NOT),
        (_LACTATION, SpecialSituation.LACTATION, "exposure during breastfeeding reported", None),
    ):
        finding = _exposure_report(analysis, pattern, situation, explanation, unless_before, exposed, planned)
        if finding is not None:
            result.add(situation, finding)

    literal = without_figurative(lower)  # "overdosed on tiktok" is a figure of speech
    other_drugs = analysis.of_kind(COMPETITOR, SYSTEMIC, DRUG)
    for m in _OVERDOSE.finditer(lower):
        if not literal[m.start() : m.end()].strip():
            continue
        if m.group()[0].isdigit() and _other_drugs_dose(lower, m, other_drugs, analysis.of_kind(PRODUCT)):
            continue  # "lithium 600 mg", "allopurinol 300 mg": another drug's own dose
        ok, rule = _is_report(analysis, m.start(), m.end(), negatable=True)
        if ok:
            result.add(
                SpecialSituation.OVERDOSE,
                _finding(
                    analysis,
                    SpecialSituation.OVERDOSE,
                    m.start(),
                    m.end(),
                    f"overdose:{rule}",
                    "more than the labelled dose was given",
                ),
            )
            accident = _ACCIDENTAL.search(lower)
            if accident:
                # An accidental overdose is also a medication error.
                result.add(
                    SpecialSituation.MEDICATION_ERROR,
                    _finding(
                        analysis,
                        SpecialSituation.MEDICATION_ERROR,
                        accident.start(),
                        accident.end(),
                        "medication_error:accidental_overdose",
                        "overdose given by mistake",
                    ),
                )
            break

    for wm in _WEEK_MISMATCH.finditer(lower):
        due, given = int(wm.group(1)), int(wm.group(2))
        ok, rule = _is_report(analysis, wm.start(), wm.end())
        if due == given or not ok:
            continue
        result.add(
            SpecialSituation.MEDICATION_ERROR,
            _finding(
                analysis,
                SpecialSituation.MEDICATION_ERROR,
                wm.start(),
                wm.end(),
                f"medication_error:wrong_week:{rule}",
                "a dose given in the wrong week",
            ),
        )
        if given < due and re.search(r"\bagain\b", lower[wm.end() : wm.end() + 60]):
            result.add(
                SpecialSituation.OVERDOSE,
                _finding(
                    analysis,
                    SpecialSituation.OVERDOSE,
                    wm.start(),
                    wm.end(),
                    "overdose:early_then_again",
                    "a dose given early and then again on schedule",
                ),
            )
        break

    administered = None
    missed_dose_asked = missed_dose_question(analysis)
    for m in _MED_ERROR.finditer(lower):
        term = m.group()
        if missed_dose_asked and MISSED_DOSE.search(term):
            continue  # "pt forgot her q8w dose by 2 weeks, what now?": the label's missed-dose instructions
        ok, rule = _is_report(analysis, m.start(), m.end())
        if not ok:
            ok, rule = _statement_clause(analysis, m.start(), m.end(), rule)
        if not ok:
            continue
        if _STORAGE_ONLY.match(term) and not _ACCIDENTAL_EXPOSURE.search(term):
            if administered is None:
                administered = _administered(analysis)
            if not administered:
                continue
        result.add(
            SpecialSituation.MEDICATION_ERROR,
            _finding(
                analysis,
                SpecialSituation.MEDICATION_ERROR,
                m.start(),
                m.end(),
                f"medication_error:{rule}",
                "error in dose, schedule, storage, handling or accidental exposure",
            ),
        )
        break

    events = analysis.of_kind(EVENT)
    loe_spans = [(m.start, m.end) for m in analysis.of_kind(LOE)] + [
        (m.start(), m.end()) for m in _LOE_EXTRA.finditer(lower)
    ]
    score = _score_not_halved(lower)
    if score is not None:
        loe_spans.append(score)
    other_products = analysis.of_kind(COMPETITOR, SYSTEMIC, DRUG)  # "poorly controlled on clobetasol"
    for s, e in sorted(loe_spans):
        if re.search(r"(?:new[- ]onset|paradoxical|new)\W+$", lower[max(0, s - 15) : s]):
            continue  # a new or paradoxical flare is an adverse event, not a failure to work
        if any(ev.end <= s and s - ev.end <= 25 and ev.label != "psoriasis worsening" for ev in events):
            continue  # "her herpes flared up" is about another disease
        if _DEVICE_OR_BELIEF.search(lower[max(0, s - 30) : s]):
            continue  # "thought the first pen didn't work": a device problem or a belief, not the drug failing
        seg = analysis.segment_of(s)
        seg_text = lower[seg.start : seg.end]
        if _RECURRENCE.match(lower, s) and _AFTER_STOPPING.search(lower, seg.sentence_start, s):
            continue  # "how fast do they relapse after stopping?": the disease back off treatment, not a failure
        # "Humira stopped working, so we switched" is about another product.
        near_other = any(seg.start <= o.start < seg.end for o in other_products) or _OTHER_THERAPY.search(seg_text)
        near_ours = any(seg.start <= p.start < seg.end for p in analysis.of_kind(PRODUCT))
        if near_other and not near_ours:
            continue
        ok, rule = _is_report(analysis, s, e)
        if not ok:
            ok, rule = _statement_clause(analysis, s, e, rule)
        if ok and not is_pretreatment(analysis, s):
            result.add(
                SpecialSituation.LACK_OF_EFFICACY,
                _finding(
                    analysis,
                    SpecialSituation.LACK_OF_EFFICACY,
                    s,
                    e,
                    f"lack_of_efficacy:{rule}",
                    "the product is reported not to work",
                ),
            )
            break

    pregnancy_context = bool(result.situations) and (
        SpecialSituation.PREGNANCY in result.situations or SpecialSituation.LACTATION in result.situations
    )
    for m in list(_PEDIATRIC_AGE.finditer(lower)) + list(_PEDIATRIC_WORD.finditer(lower)):
        if _PEDIATRIC_NOT.search(lower[max(0, m.start() - 6) : m.end() + 8]) or _PAST_AGE.search(
            lower, max(0, m.start() - 30), m.start()
        ):
            continue
        if m.re is _PEDIATRIC_AGE:
            groups = [g for g in m.groups() if g]
            if not groups:
                continue
            is_months = "month" in m.group() or "mo" in m.group()
            if not is_months and int(groups[0]) >= 18:
                continue
            if pregnancy_context and is_months:
                continue  # the nursing infant's age, not a treated child
        elif pregnancy_context and re.match(r"baby|infant|newborn", m.group()):
            continue  # the baby of a pregnancy or lactation report is covered by that situation
        ok, rule = _is_report(analysis, m.start(), m.end())
        # "If a mother received QLV in the third trimester, can her baby get rotavirus?": supposed exposure only
        exposed = (
            has_exposure(analysis, m.start())
            and exposure_in(_SUPPOSITION.sub(" ", lower))
            # "a 10-year-old who just started cricket": exposure to something, but nothing medical
            and (bool(analysis.of_kind(PRODUCT)) or MEDICINE_ANCHOR.search(lower) is not None)
        ) or _CHILD_ACCIDENT.search(lower) is not None
        if ok and exposed and not is_pretreatment(analysis, m.start()):
            result.add(
                SpecialSituation.PEDIATRIC,
                _finding(
                    analysis,
                    SpecialSituation.PEDIATRIC,
                    m.start(),
                    m.end(),
                    f"pediatric:{rule}",
                    "a child was exposed to the product",
                ),
            )
            break
    return result
