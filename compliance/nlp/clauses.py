"""Clause-level helpers of the framing rules: negation scope, clause bounds, declarative clauses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance.findings import Mode
from compliance.nlp.brand import BRAND
from compliance.nlp.cues import (
    _CONTRAST,
    _DOSE_ANCHOR,
    _PATIENT_REF,
    CLAUSE_BREAK,
    CONDITIONAL,
    EMBEDDED_QUESTION,
    EXPOSURE,
    HEADER,
    HEARSAY,
    HISTORY,
    HYPOTHETICAL,
    NEGATION_CUE,
    NEGATION_TERMINATORS,
    PAST_EXPERIENCE,
    PATIENT_SPECIFIC,
    POST_NEGATION,
    PRESENT_EXPERIENCE,
    PRETREATMENT,
    PSEUDO_NEGATION,
    QUESTION_START,
    SURVEY,
    generic_in,
)
from compliance.nlp.engine import Analysis


@dataclass(frozen=True, slots=True)
class Framing:
    """The framing of one mention, and the rule that decided it."""

    mode: Mode
    rule: str


def _conditional_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Character ranges governed by a conditional opener ("if a patient gets a rash")."""
    spans: list[tuple[int, int]] = []
    for m in CONDITIONAL.finditer(text, start, end):
        brk = CLAUSE_BREAK.search(text, m.end(), end)
        spans.append((m.start(), brk.start() if brk else end))
    return spans


def is_negated(lower: str, start: int, end: int, seg_start: int) -> str | None:
    """Return the negation rule if the mention at [start, end) is negated, else None."""
    window_start = max(seg_start, start - 70)
    before = lower[window_start:start]
    cues = list(NEGATION_CUE.finditer(before))
    if cues:
        cue = cues[-1]
        gap = before[cue.end() :]
        # A pseudo-negation ("not sure if", "no longer") spanning the cue is not a negation.
        around = lower[window_start + cue.start() : min(len(lower), start + 25)]
        pseudo = PSEUDO_NEGATION.match(around) or PSEUDO_NEGATION.search(before[max(0, cue.start() - 12) :])
        if not pseudo:
            # The first two words after the cue belong to it ("has not had any", "did not develop").
            gap_words = gap.split()
            tail = " ".join(gap_words[2:]) if len(gap_words) > 2 else ""
            if (
                len(gap_words) <= 9
                and not NEGATION_TERMINATORS.search(tail)
                and not _CONTRAST.search(gap)
                and not re.search(r"[.;:!?]", gap)
            ):
                return f"negation:{cue.group()}"
    after = lower[end : end + 30]
    if POST_NEGATION.match(after):
        return "negation:post"
    return None


# Administration verbs in the past: for special situations, the exposure itself is the event.
ADMIN_PAST = re.compile(
    r"\b(?:was given|were given|given|received|injected|administered|used|took|gave|dosed|stuck|froze|left|"
    r"dispensed|self-injected|"
    r"injecting|using|taking|been giving|been dosing|been injecting|been using|been taking|treated|treating|"
    r"started|prescribed|"
    r"put (?:her|him|them) on|followed (?:it|the schedule|the label|the instructions|that))\b"
)


# After the mention: the event predates treatment ("rash before her first dose", "hives years ago").
HISTORY_AFTER = re.compile(
    r"\W*(?:\w+\W+){0,5}?(?:(?:long |well |years |months |"
    r"weeks )?(?<!as )(?<!than )before (?:starting|she started|"
    r"he started|they started|she began|he began|she was started|he was started|treatment|therapy|" + BRAND + r"|"
    r"" + BRAND + r"|the biologic|any biologic|ever (?:starting|taking|using|being)|(?:her|his|their|the|any) "
    r"(?:first|initial|1st|loading|very first) (?:dose|injection|shot|pen)|(?:she|he|they) (?:ever )?(?:started|"
    r"began|took|had))|prior to|years ago|decades ago|as a (?:child|kid|teen|teenager|baby)|in (?:the|her|his) "
    r"(?:past|twenties|thirties|teens|youth)|previously|when (?:she|he) was (?:a )?(?:child|kid|young|younger|"
    r"little|teen|teenager|baby)|since (?:(?:i|she|he|they|we) (?:was|were) )?(?:a |an )?(?:child|kid|teen|"
    r"teenager|baby|toddler|little|young)|since (?:childhood|birth|infancy|adolescence|puberty|school)|"
    r"since (?:my|her|his|their) (?:teens|teenage years|twenties|thirties|forties|fifties|\d0s|childhood|youth))"
)
# After a conditional mention: the event already exists ("if her rash doesn't clear").
PERSISTING = re.compile(
    r"\W*(?:(?:doesn't|does not|isn't|is not|hasn't|has not|won't|will not|doesnt|isnt|hasnt|wont)\b|"
    r"(?:persists?|continues?|keeps?|stays?|remains?|still|lingers?)\b)"
)
# What ties a condition to treatment: without it, "my patient has X, can she ...?" is about a
# pre-existing condition.
EXPOSURE_ANCHOR = re.compile(
    r"\b(?:after|since|following|post|from|while on|due to|caused by|because of|within \w+ (?:days?|weeks?|"
    r"hours?) of)\s+(?:[\w']+\s+){0,3}?(?:" + BRAND + r"|dose|doses|shot|shots|"
    r"injection|injections|"
    r"injecting|pen|jab|treatment|therapy|starting|started|biologic|loading)\b|"
    r"\b(?:related|side effects?|caused|reaction|on (?:" + BRAND + r"|it|"
    r"treatment|therapy))\b|"
    r"\b(?:been on|currently on|taking|received|injected|has had \d+|had (?:\w+ ){0,2}(?:doses|injections)|"
    r"(?:next|upcoming|scheduled|following) (?:\w+ )?(?:dose|injection|shot|pen)|keep dosing|dosing)\b"
)
# Questions about whether the product suits a patient or what it contains.
SUITABILITY = re.compile(
    r"\b(?:(?:can|could|may|should|would) (?:she|he|they|i|we|you) (?:use|take|start|get|receive|have|be given|"
    r"be on|go on|continue)|safe|ok|okay|suitable|appropriate|contain\w*|ingredients?|excipients?|latex|"
    r"concerns?|contraindicat\w*|interact\w*|eligible|candidate|qualify|precautions?|cautions?|allowed|"
    r"still (?:get|take|use|have|start)|dos(?:e|ing) (?:change|adjustment|reduction|modification)s?|adjust\w*|"
    r"modif\w*)\b"
)
# A question seeking care for a condition the writer names: the condition is why they ask (an indication),
# not something that happened on treatment. "I have insomnia, are there natural alternatives to trazodone?",
# "My son has strep throat, when should we go to the doctor?", "I have eczema, would Quelvanti help with that?"
CARE_QUESTION = re.compile(
    r"\b(?:(?:natural|other|any|safer|cheaper) alternatives? (?:to|for)|would (?:\w+ ){0,2}help(?: with)?|"
    r"would (?:\w+ ){0,2}work (?:for|on) (?:both|that|this|it|them)|"
    r"help with (?:that|this|it)(?: too| as well)?\?|(?:what|which) questions? should (?:i|we) ask|"
    r"when should (?:i|we) (?:go to|see|call|take \w+ to) (?:the |a |an )?(?:doctor|dr|er|hospital|"
    r"pediatrician|gp|clinic|urgent care)|should (?:i|we) (?:see|go to|call) (?:a |the )?(?:doctor|dr|"
    r"specialist|gp)|"
    # "is an upset stomach a sign of gastritis or am i overthinking it", "does it get worse with age?"
    r"(?:a|an|the|early|first|common) (?:warning )?(?:signs?|symptoms?) of|am i overthinking|"
    r"(?:does|will|do) (?:it|they|this) get worse with age)\b"
)
# Past or ongoing wordings, beyond PAST_EXPERIENCE, that make a declarative clause a report.
CLAUSE_EVENT = re.compile(
    r"\b(?:started|starting|began|begun|changed|stopped|went|gone|came|got|had|dropped|increased|decreased|rose|"
    r"fell|returned|spread|failed|quit|crashed|tanked|plummeted|soared|persisted|continued|remained|stayed|"
    r"leaked|squirted|clicked|jammed|misfired|missed|forgot|skipped|doubled|pulled|bent|broke|turned|"
    r"went up|still|now|since (?:starting|she started|he started|they started|the|her|his|their|last|"
    r"beginning)|ever since|puffed|swelled|blew up)\b"
)


# Words after which a "history of" no longer governs: "hx of eczema, now eczema flaring".
# (and a report verb after the history: "a 12-year history of psoriasis developed a painful nodule")
_HISTORY_STOP = re.compile(
    r"\b(?:now|but|then|currently|however|new|since|recently|today|this week|lately|developed|develops|"
    r"presented with|experienced|"
    # "referred with an 18-day history of symptoms and was diagnosed with X": the diagnosis is new
    r"(?:was|were|is|got) (?:\w+ )?diagnosed)\b"
)


# A question asking whether the writer may do something (a planned administration, not a past one).
ACTION_QUESTION = re.compile(
    r"^\W*(?:\w+[:,]\s*)?(?:can|could|should|may|shall|would|is it (?:ok|okay|safe|fine|reasonable|possible) to|"
    r"would it be (?:ok|okay|safe|fine|reasonable) to|any (?:issue|problem|harm) (?:with|in)) (?:i |we |you )?"
    r"(?:give|use|do|try|administer|inject|dose|load|prescribe|start|increase|double|escalate|split|shorten|"
    r"extend|go (?:up|higher)|bump)\b"
)
# A clause about the present, on treatment: the baseline or pre-treatment wording elsewhere in the
# sentence is a comparison ("normal before starting, now 3x ULN"), not the time of the event.
_CURRENT_CUE = re.compile(
    r"\b(?:now|currently|today|at present|this week|latest|repeat|since (?:then|starting|the|her|his|dose)|"
    r"(?:after|post|following) (?:\w+ ){0,2}(?:dose|doses|injection|injections|shot|shots)|on (?:treatment|"
    r"" + BRAND + r")|ahora|adesso|ora|maintenant|jetzt|agora)\b"
)


def _history_before(masked: str, start: int, end: int) -> bool:
    """True when a history cue governs the mention ending the window [start, end)."""
    window = masked[start:end]
    stops = list(_HISTORY_STOP.finditer(window))
    if stops:
        window = window[stops[-1].end() :]
    return HISTORY.search(window) is not None


def exposure_anchored(lower: str) -> bool:
    """True when the text ties what it describes to the product or its administration."""
    return EXPOSURE_ANCHOR.search(lower) is not None or exposure_in(lower)


def seeks_care(lower: str) -> bool:
    """True when the message asks for care for a condition it names, with nothing tying it to the product."""
    return CARE_QUESTION.search(lower) is not None and _asks(lower) and not exposure_anchored(lower)


_CLAUSE_BREAK_RE = re.compile(r"[,;?!]|\s[-–—]+\s|\s(?:but|and then|so|although|though|however)\s")


def clause_bounds(analysis: Analysis, pos: int) -> tuple[int, int]:
    """The clause of the sentence around a normalised offset (split at commas, dashes, "but")."""
    seg = analysis.segment_of(pos)
    lower = analysis.lower
    start, end = seg.sentence_start, seg.sentence_end
    for m in _CLAUSE_BREAK_RE.finditer(lower, seg.sentence_start, seg.sentence_end):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


# "a missed dose", "the late dose", "any skipped injection": a participle naming a kind of dose.
_ADJECTIVAL_BEFORE = re.compile(r"(?:^|\b(?:a|an|the|any|each|every|of|after|for|on|about))\s+$")


def _clause_event(lower: str, cs: int, ce: int) -> re.Match[str] | None:
    """The first CLAUSE_EVENT wording in [cs, ce) that is used as a verb, not as an adjective."""
    for m in CLAUSE_EVENT.finditer(lower, cs, ce):
        before = lower[max(cs, m.start() - 8) : m.start()]
        if m.group() in ("missed", "skipped", "doubled") and _ADJECTIVAL_BEFORE.search(before):
            continue
        if m.group() in ("missed", "skipped") and m.start() == cs:
            continue  # "missed dose, ..." opening a clause: a topic
        return m
    return None


def _asks(lower: str) -> bool:
    """True when any part of the message is a question, with or without a question mark."""
    if "?" in lower or EMBEDDED_QUESTION.search(lower):
        return True
    return any(QUESTION_START.search(part) for part in re.split(r"[,;:]|\s[-–—]+\s", lower))


def _own_clause(analysis: Analysis, start: int) -> str:
    """The mention's clause, cut where a question opens ("after a missed dose | do we restart")."""
    cs, ce = clause_bounds(analysis, start)
    for q in EMBEDDED_QUESTION.finditer(analysis.lower, cs, ce):
        if q.start() > start:
            ce = q.start()
            break
        cs = q.start()
    return analysis.lower[cs:ce]


def _declarative_clause(
    analysis: Analysis, masked: str, start: int, happened: re.Pattern[str] | None
) -> str | None:
    """The rule when the mention's own clause is a plain statement that something happened."""
    cs, ce = clause_bounds(analysis, start)
    # A question opening inside the clause ("after a missed dose do we restart ...") governs what
    # follows it; what precedes it is judged on its own.
    for q in EMBEDDED_QUESTION.finditer(analysis.lower, cs, ce):
        if q.start() <= start:
            return None
        ce = q.start()
        break
    clause = masked[cs:ce]
    if masked[ce : ce + 1] == "?" or QUESTION_START.search(analysis.lower[cs:ce]) or "?" in clause:
        return None
    if SURVEY.search(clause) or generic_in(clause, analysis.lower[cs:ce]):
        return None
    if HYPOTHETICAL.search(masked, cs, start):
        return None
    if HEARSAY.search(clause) or PRETREATMENT.search(clause):
        return None
    if PRETREATMENT.search(analysis.lower) and not exposure_in(analysis.lower):
        return None  # "has a cold right now, should she wait to start?": nothing given yet
    seg = analysis.segment_of(start)
    if QUESTION_START.search(analysis.lower[seg.sentence_start : seg.sentence_end]) and cs > seg.sentence_start:
        # "Is it normal that ..., or ...": the question opens the sentence and governs it.
        return None
    # The mention's own verb counts here ("Quelvanti stopped working for him, should we switch?").
    ev = PAST_EXPERIENCE.search(clause) or _clause_event(analysis.lower, cs, ce)
    if ev is None and happened is not None:
        # The mention's own administration verb counts: "my patient used two pens by accident, what now".
        ev = happened.search(clause) or ADMIN_PAST.search(analysis.lower, cs, ce)
    if ev is None and (PATIENT_SPECIFIC.search(clause) or _PATIENT_REF.search(clause)):
        # "pt with injection site bruising after each shot, should she ice it?": a verbless report.
        ev = _DOSE_ANCHOR.search(clause) or EXPOSURE_ANCHOR.search(clause)
    if (
        ev is None
        and PATIENT_SPECIFIC.search(clause)
        and exposure_anchored(analysis.lower)
        and not PRETREATMENT.search(analysis.lower)
    ):
        ev = PRESENT_EXPERIENCE.search(clause)
    if ev is None:
        return None
    return f"clause:{ev.group()}"


# What makes a verbless clause about one occurrence: "new plaques after dose 4", "bumps all over her
# trunk after the last pen", "recurrent thrush since the loading dose".
_SPECIFIC_CUE = re.compile(
    r"\b(?:new(?! (?:\w+ )?(?:patients?|pts?|starts?|starter|prescriptions?|rx|scripts?|pens?|box|shipment|"
    r"referrals?|formulation|data|study|studies|indications?|guidelines?|label|insurance|plan|office|clinic)\b)|"
    r"new-onset|recurr\w*|again|another|her|his|their|him)\b"
)
# A guess that refers back to what the report said: "could this be paradoxical?", "is that expected?".
_GUESS_BACK = re.compile(
    r"^\W*(?:(?:could|can|might|may|would|is|was|are|were|does|did)\s+(?:this|that|it|these|those|they)|"
    r"(?:maybe|perhaps|probably|possibly|likely|or|just|related|paradoxical|coincidence)|"
    r"(?:this|that|it)\s+(?:is|was|could|can|might|may|would))\b"
)
# "around wk 8", "at week 12": a time on treatment.
_TREATMENT_WEEK = re.compile(r"\b(?:(?:at|around|by|since|from|on|after|in) (?:wk|week) ?\d+|wk ?\d+)\b")
_TAIL_SPLIT = re.compile(r"[,;:]|\s[-\u2013\u2014]+\s|\.\.+")


# A dose of one person: "after her fourth QLV shot", "since my last injection".
_OWN_DOSE = re.compile(
    r"\b(?:her|his|my|their|the pt's|the patient's)\s+(?:\w+\s+){0,2}(?:dose|shot|injection|pen|jab|infusion)s?\b"
)


def report_then_guess(analysis: Analysis, start: int, *, need_cue: bool = True) -> bool:
    """A statement followed by a short guess at what it is ("..., could this be paradoxical?",
    "... after dose 2 paradoxical??"): the guess asks nothing of what happened, so the statement
    stays a report. The statement must be tied to a dose and (with `need_cue`) to one occurrence."""
    seg = analysis.segment_of(start)
    lower = analysis.lower
    s0, e0 = seg.sentence_start, seg.sentence_end
    sentence = lower[s0:e0]
    h = HEADER.match(sentence)
    body_start = h.end() if h is not None and h.end() < len(sentence) else 0
    body = sentence[body_start:].rstrip(" ?!.")
    if "?" not in sentence or "?" in body:
        return False
    parts = _TAIL_SPLIT.split(body)
    tail = parts[-1].strip() if len(parts) > 1 else ""
    report = body[: len(body) - len(parts[-1])] if tail else body
    if start - s0 - body_start >= len(report):
        return False  # the mention is in the guess itself
    if QUESTION_START.search(report) or EMBEDDED_QUESTION.search(report) or CONDITIONAL.search(report):
        return False
    if SURVEY.search(report) or generic_in(report) or HEARSAY.search(report) or PRETREATMENT.search(report):
        return False
    if re.search(r"\b(?:what|how|why|which|when|whether|would|could|might|can|should|any|anyone)\b", report):
        return False
    anchors = (_DOSE_ANCHOR, EXPOSURE_ANCHOR, _TREATMENT_WEEK)
    if not any(a.search(report) for a in anchors):
        return False
    cue = bool(
        _SPECIFIC_CUE.search(report)
        or PATIENT_SPECIFIC.search(report)
        or _PATIENT_REF.search(report)
        or PAST_EXPERIENCE.search(report)
        or _clause_event(report, 0, len(report))
        or _OWN_DOSE.search(report)
    )
    if need_cue and not cue:
        return False
    if not tail:
        return True
    if len(tail.split()) > 8 or SURVEY.search(tail) or CONDITIONAL.search(tail):
        return False
    # With one occurrence stated, any short question after it is about that occurrence ("..., should
    # we stop?"); without it, only a guess that points back at it ("..., is that expected?").
    return (
        cue
        or _GUESS_BACK.search(tail) is not None
        or not (QUESTION_START.search(tail) or EMBEDDED_QUESTION.search(tail))
    )


_NEGATED_BEFORE = re.compile(
    r"\b(?:never|not|no|hasn't|has not|haven't|have not|wasn't|was not|didn't|did not|"
    r"yet to be)\W+(?:\w+\W+){0,1}$"
)


def exposure_in(text: str) -> bool:
    """True when `text` says the product was received, ignoring negated wordings ("never treated with")."""
    for pattern in (EXPOSURE, ADMIN_PAST):
        for m in pattern.finditer(text):
            if not _NEGATED_BEFORE.search(text[max(0, m.start() - 25) : m.start()]):
                return True
    return False
