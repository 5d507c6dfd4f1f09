"""Off-label: requests about unapproved uses (to medical information) and reports of off-label use."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compliance.context import (
    ADMIN_PAST,
    EXPOSURE,
    QUESTION_START,
    clause_bounds,
    exposure_in,
    frame,
    is_pretreatment,
    report_then_guess,
)
from compliance.engine import COMPETITOR, EVENT, EXPLICIT, INDICATION, POPULATION, PRODUCT, SYSTEMIC, Analysis
from compliance.findings import Detector, Finding, Mode, Span

# Wordings of a request for information or advice.
REQUEST = re.compile(
    r"\b(?:can i|could i|can we|could we|may i|may we|should i|should we|shall i|would you|could you|can you|"
    r"is it (?:ok|okay|safe|possible|fine|approved|indicated|effective|licensed|appropriate|reasonable|an option)|"
    r"is (?:quelvanti|quelvarimab|qlv|quelva\w+|it) (?:approved|indicated|licensed|effective|safe|"
    r"an option|used|ok|okay|good)|"
    r"would it|will it|does it|do you|any (?:data|info|information|evidence|experience|studies|study|trials?|"
    r"guidance|recommendations?|thoughts|advice)|"
    r"tell me|let me know|info(?:rmation)? (?:on|about|regarding)|thinking (?:of|about)|considering|consider|"
    r"plan(?:ning)? to|want to|would like|"
    r"wondering|interested in|recommend\w*|advice|advise|guidance|dose (?:for|in)|dosing (?:for|in|of)|"
    r"use (?:it |quelvanti |quelvarimab )?(?:for|in)|"
    r"used (?:for|in)|approved (?:for|in)|indicated (?:for|in)|work (?:for|in|on)|works (?:for|in|on)|"
    r"effective (?:for|in|against)|"
    r"help (?:with|her|his|their|for)|try (?:it|quelvanti)|trial of|how (?:about|does|do|would|should|much|"
    r"often)|what (?:about|is|are|dose)|"
    r"is there|are there|evidence|data (?:on|in|for)|studied|studies in|efficacy (?:in|for)|safety (?:in|for)|"
    r"options?|alternative|"
    r"switch|switching|"
    r"transition|combine|combination|"
    r"together with|alongside|add (?:on|quelvanti|it)|add-on|concomitant|concurrent|increase|shorten|extend|"
    r"escalate|reduce|taper|"
    r"say|claim|state|write|confirm|agree|cures?|helps? (?:in|with|for)|works? (?:in|for)|asks? (?:whether|if|"
    r"about)|whether|send (?:me|us|over)|share (?:any|what|whatever))\b|\?"
)
COMPARATIVE_CLAIM = re.compile(
    r"\b(?:better than|worse than|superior|inferior|more effective|less effective|as effective|as good as|"
    r"vs\.?|versus|compared?|comparison|"
    r"head[- ]to[- ]head|outperforms?|beats?|safer than|faster than|stronger than|weaker than|"
    r"difference between|differ(?:s|ent)? from|"
    r"stack up|which is better|which one|prefer|preferred|(?:the )?same (?:risk|issue|problem|reaction|side "
    r"effects?|thing|efficacy|results?)|similar (?:risk|reaction|side effects?|to)|cross-?reactiv\w*)\b"
)
COMBINE = re.compile(
    r"\b(?:combine|combined|combining|combination|together with|alongside|add(?:ed|ing)? (?:on|to)|add|add-on|"
    r"on top of|plus|concomitant(?:ly)?|"
    r"concurrent(?:ly)?|at the same time|same time as|in addition to|stack|stacking)\b|"
    r"\b(?:use|using|give|giving|take|taking|start|starting|prescribe|continue|keep|"
    r"stay)\w* (?:\w+ ){0,3}(?:with|and)\b"
)
USE_FOR = re.compile(
    r"\b(?:for|to treat|treating|treat|treated|in (?:her|his|their|a|my|the)|manage|managing)\W+(?:\w+\W+){0,3}$"
)
AGE = re.compile(
    r"\b(?:patient|pt|she|he|son|daughter|child|kid|girl|boy)(?: is|'s| who is) (\d{1,2})\b(?! ?(?:weeks?|wks?|"
    r"days?|d\b|months?|mos?\b|mg|kg|lbs?|cm|%|x\b|times|/|\.\d|doses?|injections?|shots?|pens?|hours?|hrs?|"
    r"years? (?:of|on|into|since|post|after)|yrs? (?:of|on|into|since|post|after)))|"
    r"\b(\d{1,2})\s?(?:-\s?)?(?:years?|yrs?|y)\s?(?:-\s?)?(?:olds?|o)\b|\b(\d{1,2})\s?(?:yo|y/o|y\.o\.?)|"
    r"\baged? (\d{1,2})\b|"
    r"\b(\d{1,2})\s?(?:-\s?)?(?:months?|mos?)\s?(?:-\s?)?old\b|\bunder (\d{1,2})\b|\b(\d{1,2}) and (?:under|"
    r"younger|below)\b"
)
_DRUG_CONTEXT = re.compile(
    r"\b(?:prednisone|prednisolone|methotrexate|mtx|cyclosporine|ibuprofen|acetaminophen|tylenol|advil|"
    r"benadryl|cetirizine|"
    r"antibiotic|doxycycline|amoxicillin|isoniazid|vitamin|steroid|warfarin|aspirin|insulin|metformin|"
    r"folic acid|otezla|apremilast|"
    r"humira|adalimumab|cosentyx|secukinumab|taltz|skyrizi|tremfya|stelara|enbrel|cimzia|bimzelx|siliq|ilumya|"
    r"rinvoq|sotyktu|"
    r"vaccine|shingrix|dupixent|topical|topicals|cream|ointment|pill|pills|tablet|tablets|supplement|copay|"
    r"co-pay|card|refill|visit|appointment|labs?|bloodwork)\b"
)
_DOSE_WORDS = re.compile(
    r"\b(?:dose|doses|dosing|dosed|inject\w*|give|giving|gave|given|administer\w*|shot|shots|pen|pens|interval|"
    r"schedule|frequency|"
    r"maintenance|regimen|loading|quelvanti|quelvarimab|qlv|quelva\w+|it|q\d+w?)\b"
)
_CAUSAL = re.compile(
    r"\b(?:cause|causes|caused|causing|associated with|association with|risk of|risks of|linked to|trigger|"
    r"triggers|triggered|worsen|worsens|"
    r"induce|induces|induced|new[- ]onset|develop|developed|developing|flare of|flares of|exacerbat\w*|"
    r"unmask\w*|signals? (?:of|for)|"
    r"cases? of|reports? of|incidence of|rates? of|events? of)\W+(?:\w+\W+){0,2}$"
)
# Wordings of deliberate prescribing: a dose outside the label chosen on purpose is off-label use.
_INTENTIONAL = re.compile(
    r"\b(?:i|we)(?:'ve| have| had)? (?:been |also )?(?:dos|giv|prescrib|increas|escalat|shorten|extend|switch|"
    r"tri|start|put|us|administer|inject|treat)\w*|"
    r"\bfor (?:better|faster|more|improved|quicker)\b|\bto (?:improve|boost|get better|speed up|optimi[sz]e)\b|"
    r"\bintentional(?:ly)?\b|"
    r"\bon purpose\b|\bdeliberately\b|\bper (?:my|our) (?:protocol|plan)\b|\boff-?label\b|\bcompassionate\b"
)
_ERROR_CUE = re.compile(
    r"\b(?:by mistake|mistaken(?:ly)?|accident(?:al|ally)?|inadvertent(?:ly)?|in error|forg[eo]t\w*|instead of|"
    r"confused|wrong|error|extra)\b"
)
_HCP_GAVE = re.compile(
    r"\b(?:i|we)(?:'ve| have| had)? (?:\w+ )?(?:gave|given|give|giving|started|prescribed|treated|treating|put|"
    r"used|using|initiated|tried)\b"
)
_SWITCH = re.compile(
    r"\b(?:switch\w*|transition\w*|mov(?:e|ing) (?:her|him|them|from)|chang(?:e|ing) (?:her|him|them|from)|"
    r"wash ?-?out|sequenc\w*|instead of|replace|after failing|failed)\b"
)
_GOT_HOLD = re.compile(
    r"\bgot (?:hold of|into)\b|\b(?:found|grabbed|played with)\b|\bgot (?:the|her|his|my|a) pen\b|"
    r"\bstuck (?:it|the pen|the needle|himself|herself)\b|\binjected (?:himself|herself|themselves)\b"
)
_NOT_PEDIATRIC = re.compile(
    r"child-?bearing|childhood|childcare|child care|adult (?:son|daughter|children)|baby boomer|"
    r"as a (?:child|kid|teen|teenager|baby|toddler)|when (?:she|he|they) (?:was|were) (?:a )?(?:child|kid|teen|"
    r"teenager|baby|little|young)"
)
# "my UC patient", "a Crohn's pt": a patient identified by an unapproved indication.
_PATIENT_AFTER = re.compile(r"\W*(?:patient|pt|case|lady|guy|man|woman|gentleman|girl|boy)s?\b")
_DET_BEFORE = re.compile(
    r"(?:\b(?:my|our|a|an|the|this|that|her|his|one|another)\W+(?:\w+\W+){0,1}|^\W*(?:\w+\W+){0,1})$"
)
# "after uveitis developed on quelvarimab", "new vitiligo patches": the condition is an event, not a use.
_NEW_CONDITION_BEFORE = re.compile(
    r"\b(?:new|new-onset|new onset|developed|paradoxical|drug-induced)\W+(?:\w+\W+){0,1}$"
)
_NEW_CONDITION_AFTER = re.compile(
    r"\W+(?:has |had |have |was |just |then |later |first )?(?:developed|appeared|started|began|showed up|"
    r"popped up|flared|emerged)\b"
)
_PREG_CONTEXT = re.compile(
    r"\b(?:pregnan\w*|breast-?feed\w*|breastfed|nursing|lactat\w*|trimester|in utero|breast ?milk|born|pumping|"
    r"pumped|milk)\b"
)


# The indication itself names systemic therapy and phototherapy: "candidates for systemic therapy
# or phototherapy" is the approved population, not a comparison or a combination.
_INDICATION_WORDING = re.compile(r"\b(?:candidates?|eligib\w*|qualif\w*|indicat\w*|indication|label)\b")
_COMBINE_OR_COMPARE_CUE = re.compile(
    r"\b(?:combin\w*|together|alongside|plus|add\w*|on top of|concomitant\w*|concurrent\w*|with|vs\.?|versus|"
    r"than|compared?|instead|switch\w*|better|worse)\b"
)
# Dose adjustment asked for an approved adult population (the label has no adjustment): a label topic.
_ADJUSTMENT = re.compile(
    r"\b(?:lower|reduced|smaller)\s+dos(?:e|es|ing)\b|\bdose[- ]?(?:reduction|adjustment)\b|"
    r"\b(?:reduce|reducing|decrease|decreasing|lower|lowering)\s+(?:the\s+)?dose\b"
)
_ADULT_POPULATION = re.compile(
    r"\b(?:elderly|older|seniors?|geriatric|aged|over (?:65|70|75|80)|renal|kidney|hepatic|liver|ckd|dialysis|"
    r"weight|heavier|lighter|obese|obesity|bmi)\b"
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
            if _DRUG_CONTEXT.search(window) and not re.search(r"quelvanti|quelvarimab|qlv|quelva\w+", window):
                continue  # a dose of another drug
            seg = analysis.segment_of(dm.start())
            sentence = lower[seg.sentence_start : seg.sentence_end].replace(dm.group(), " ")
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
        if COMPARATIVE_CLAIM.search(sentence) or re.search(
            r"\b(?:or|than|vs\.?|versus) (?:with |on )?$", lower[max(0, s.start - 12) : s.start]
        ):
            topics.append(_Topic("comparison", s.label, s.start, s.end))
        elif COMBINE.search(sentence):
            topics.append(_Topic("combination", s.label, s.start, s.end))
    for m in analysis.of_kind(EXPLICIT):
        topics.append(_Topic("explicit", "off-label", m.start, m.end))
    return topics


def analysis_dose_patterns() -> list[re.Pattern[str]]:
    """Dose and schedule patterns from the vocabulary."""
    from compliance.lexicon import get_lexicon

    return get_lexicon().dose_patterns


def _is_request_sentence(analysis: Analysis, pos: int) -> bool:
    seg = analysis.segment_of(pos)
    sentence = analysis.lower[seg.sentence_start : seg.sentence_end]
    seg_text = analysis.lower[seg.start : seg.end]
    return bool(REQUEST.search(sentence) or QUESTION_START.search(seg_text))


def detect_off_label(analysis: Analysis) -> OffLabelResult:
    """Decide whether the message asks about an unapproved use, and whether it reports one."""
    result = OffLabelResult()
    lower = analysis.lower
    product_named = bool(analysis.of_kind(PRODUCT))
    for t in _topics(analysis):
        s, e = analysis.to_original(t.start, t.end)
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
