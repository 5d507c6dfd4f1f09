"""Structural fallback for reports worded outside the event vocabulary: a specific patient + a link to
treatment + a change ("the lady is having since 2 week the stomach very bad after qlv", "sinus infxn #3 since
loading dose", "new lichen planus lesions, started 6 wks into treatment"), the shape of a report whatever its
words. Used only when no vocabulary term was reported; vetoed by a question or hypothetical framing, a
pre-treatment or baseline statement, an improvement or an explicit other cause. The lab-value net, the other
structural fallback, is `lab_values.py`; both return a `StructuralHit` saying which net fired.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from compliance.findings import Mode
from compliance.nlp.brand import BRAND
from compliance.nlp.clauses import Framing, report_then_guess
from compliance.nlp.context import frame
from compliance.nlp.cues import EMBEDDED_QUESTION, EXPOSURE, PATIENT_SPECIFIC, QUESTION_START
from compliance.nlp.engine import EVENT, PRODUCT, Analysis


@dataclass(frozen=True)
class StructuralHit:
    start: int
    end: int
    term: str
    rule: str
    framing: Framing
    explanation: str


# --- patient + link to treatment + change --------------------------------------------------------
_PATIENT = re.compile(
    r"\b(?:patient|pt|pts|client|lady|gentleman|gent|man|woman|guy|girl|boy|mother|father|mom|mum|dad|she|he|"
    r"her|his|him|they)\b|" + PATIENT_SPECIFIC.pattern
)
_SELF = re.compile(r"\b(?:i|i've|i'd|i'm|me|my)\b")
_TREATMENT_LINK = re.compile(
    r"\b(?:(?:after|since|following|post|from|ever since|with)\s+(?:[\w'#]+\s+){0,4}?(?:dose|doses|shot|shots|"
    r"injection|injections|injected|pen|pens|jab|jabs|" + BRAND + r"|medicine|medication|"
    r"drug|treatment|therapy|loading|starting|started|restarting|take|took|takes|taking|start)|"
    r"on (?:" + BRAND + r"|treatment|therapy|the drug|the medicine|the shots?|it)|"
    r"post[- ]?(?:injection|dose|dosing|inj)|(?:wk|week)\s?\d+|\d+\s?(?:wks?|weeks?|months?|mos?)\s+(?:into|on|of|"
    r"after)|x\s?\d+\s?(?:mo|mos|months?|wks?|weeks?)|into (?:treatment|therapy)|since (?:she|he|they) "
    r"(?:\w+ )?(?:started|began|take|took|takes|got|had|restarted)|(?:her|his|their|the|last|first|second|third) "
    r"(?:"
    + BRAND
    + r" |"
    + BRAND
    + r" )?(?:shot|injection|dose|pen)|injection site|inj site|where (?:she|he|they) injected)\b"
)
_NEW = (
    r"new(?! (?:\w+ )?(?:patients?|pts?|starts?|starter|to|prescriptions?|rx|scripts?|pens?|box|shipment|"
    r"referrals?|formulation|data|study|studies|indications?|guidelines?|ma|nurse|staff|hire|insurance|plan|office|clinic|"
    r"card|label|pi|info|information|dosing|patient's|year)\b)"
)
# A patient's own state, reported ("had earache on day two after the injection", "told our nurse about sneezing
# fits", "had this about a week after the week-4 dose"): a change unless what was had is the treatment itself,
# a test, a visit or a response.
_ADMIN_OBJECT = (
    r"(?:(?:her|his|their|my|our|a|an|the|its|one|\d+|two|three|four|five|all|both|each|every|[\w-]+)\s+){0,3}?"
    r"(?:doses?|injections?|shots?|pens?|jabs?|loading|labs?|blood\s?work|bloods|tests?|screening\w*|x-?rays?|"
    r"appointments?|visits?|follow-?ups?|consult\w*|refills?|prescriptions?|scripts?|questions?|insurance|copay|"
    r"response|improvement|clearance|results?|psoriasis|plaques?|training|teaching|vaccin\w*|"
    r"no|nothing|none|good|great|excellent)\b"
)
_REPORTED_STATE = (
    r"(?:had|has had|have had|complained of|complains of|complaining of|presented with|presents with|"
    r"noticed|experienced|experiencing|suffered(?: from)?|suffering from|told (?:[\w']+ ){1,4}about|"
    r"a presente|ha avuto|tuvo|hatte)(?!\s+" + _ADMIN_OBJECT + r")"
)
_STRUCT_CHANGE = re.compile(
    r"\b(?:" + _NEW + r"|new-onset|(?:started|starting|began|begun)(?! (?:her|him|them|my|a|the|on|" + BRAND + r"|"
    r"" + BRAND + r"|treatment|therapy|it|next|tomorrow|in|at|soon|with|dose|doses|loading|maintenance)\b)|"
    r"developed|developing|" + _REPORTED_STATE + r"|is coming|coming|became|become|"
    r"turned|went|gone|going|getting|got|has been|have been|had been|is having|having|has had|keeps?|kept|again|"
    r"recurr\w*|recurrent|episodes?|another(?! (?:condition|reason|drug|medication|medicine|doctor|question|"
    r"indication|disease|issue|one|option))|still|persist\w*|worse|worsening|fell|dropped|rose|increased|"
    r"decreased|spreading|swollen|swelling|indurated|induration|firm|hard|warm|hot|red|lump|lumps|knot|"
    r"nodule|yellow(?! fever)|falling|bad|very|pain|painful|hurts?|sore|cannot|can't|unable|not working|not work|"
    r"doesn't work|no (?:clinical )?(?:response|improvement|change|effect)|same like before|same as before|"
    r"since|\#\s?\d+|(?:\d+|two|three|four|five|several)(?:rd|th|nd)? (?:episodes?|times|infections?|bouts?))\b"
)
_STRONG = re.compile(
    r"\b(?:" + _NEW + r"|new-onset|developed|recurr\w*|recurrent|\#\s?\d+|(?:third|fourth|fifth|2nd|3rd|4th|5th|"
    r"second) (?:episode|infection|bout|time|one)|is coming)\b"
)
_STRUCT_NOT = re.compile(
    r"\b(?:improv\w*|better|clear|cleared|clearing|resolved|resolving|great|excellent|happy|pleased|"
    r"responded|responding well|doing well|no (?:side effects|issues|problems|reactions?|concerns)|"
    r"before (?:starting|(?:she|he|they) (?:ever )?start\w*|treatment|the first|her first|his first)|"
    r"prior to starting|(?:can|could|should) (?:she|he|they|we|i) (?:still )?start|"
    r"years ago|history of|hx of|h/o|pmh|baseline|ok to start|okay to start|safe to start|due to start|"
    r"what (?:if|happens|would|should|could|can)|if (?:she|he|they|a|the|my|your|patients?|pts?)|"
    r"could (?:it|this|" + BRAND + r")|can (?:it|" + BRAND + r")|does (?:it|" + BRAND + r")|is (?:it|there)|"
    r"would|might|possible|asks?|asking|wondering|wants to know|question|copay|insurance|coverage|refill|"
    r"pharmacy|appointment|storage|travel|sharps|savings|tolerat\w*|gone|happier|happy|thrilled|back at work|"
    r"trip|vacation|holiday|needs? (?:the |a |an |her |his )?(?:[\w-]+ ){0,3}(?:vaccine|shot|jab|booster|"
    r"vaccination|immuni[sz]ation)|due for|"
    r"next week|tomorrow|will|going to|plan|planning|pasi (?:\d+ )?(?:dropped|fell|down|went down|decreased)|"
    r"pasi (?:75|90|100)|"
    # the patient's wish or a stable state is no change: "wants to keep doing the excimer laser alongside QLV",
    # "has been stable on it for years"
    # (wanting to stop or switch may be because of an event: no veto)
    r"wants? to (?:keep|continue|carry on|stay|go on)|"
    r"(?:stable|steady|well controlled)(?![^.;]*\b(?:until|till|but|then|followed|however|now|developed|"
    r"new|got|since|after|started|became)\b))\b"
)
# Asking whether the drug caused it is no veto: "has had memory lapses ... and is asking whether this could be
# the Quelvanti", "wondering if it's related to the shots". Removed before the vetoes are read.
_CAUSALITY_ASKED = re.compile(
    r"\b(?:(?:is |are |was )?(?:asking|asks?|asked|wondering|wonders?|wants to know|want to know)\s+)?"
    r"(?:whether|if) (?:this|it|that|these|those|they|she|he)(?:'s| is| are| was| were| could| might| may| "
    r"can)(?: be| have been)?(?: \w+)? (?:due to|from|caused by|related to|linked to|down to|because of|a side "
    r"effect|a reaction|(?:the |her |his |their )?(?:" + BRAND + r"|drug|medicine|medication|injections?|shots?|"
    r"biologic|treatment))\b[^.?!]*"
)
# A lead-in label before a quotation ("Portal message, copied verbatim by staff: \"I got ...\""): not the
# sentence's content, so its words veto nothing.
_LEAD_IN = re.compile(r"^\s*[^:.?!\"]{0,60}:\s*[\"\u201c]")
# A negated sentence ("has had no infections after 4 doses") is not a report unless a strong change stands.
_NEGATED = re.compile(r"\b(?:no|not|without|denies|denied|never|none|nothing|zero)\b")
_LOE_WORDS = re.compile(
    r"\b(?:not work\w*|no (?:clinical )?(?:response|improvement|change|effect)|doesn't work|same)\b"
)


# Change words that are only everyday verbs: in a question, they carry no event.
_PLAIN_VERBS = frozenset(
    {"going", "getting", "coming", "is coming", "got", "having", "has been", "have been", "kept", "still"}
)


def _excused(change: re.Match[str], sentence: str) -> bool:
    """A change word that says nothing of a change here: "I've got a 45-year-old man", or a plain verb in a
    question ("pt on quelva wants to go back to X, how long to wait?")."""
    if change.group() == "got" and re.search(r"\b(?:i'?ve|we'?ve|i have|we have)\s+$", sentence[: change.start()]):
        return True
    return change.group() in _PLAIN_VERBS and "?" in sentence and not _STRONG.search(sentence)


_REPORTED_STATE_RE = re.compile(_REPORTED_STATE)


def _known_event_had(analysis: Analysis, change: re.Match[str], end: int) -> bool:
    """ "mother had breast cancer": what was had is a vocabulary event, already framed (here as history) by the
    event detector; the structural net is for events outside the vocabulary."""
    if not _REPORTED_STATE_RE.fullmatch(change.group()):
        return False
    return any(m.kind == EVENT and end <= m.start <= end + 25 for m in analysis.matches)


def _framing(analysis: Analysis, sentence: str, start: int, end: int) -> Framing:
    """How the change at `start` is framed; a strong change then a short guess at what it is is a report."""
    framing = frame(analysis, start, end, negatable=True)
    if framing.mode in (Mode.QUESTION, Mode.GENERIC) and _STRONG.search(sentence):
        # "new patchy hair loss around wk 8, alopecia areata?", "... paradoxical??": a report, then a
        # short guess at what it is. The guess asks nothing of what happened.
        tail = re.split(r"[,;:]|\s[-–—]+\s|\.\.+", sentence.rstrip(" ?!."))[-1]
        if (
            tail != sentence.rstrip(" ?!.")
            and len(tail.split()) <= 5
            and not (QUESTION_START.search(tail.strip()) or EMBEDDED_QUESTION.search(tail))
        ) or report_then_guess(analysis, start):
            return Framing(Mode.REPORT, "report_then_guess")
    return framing


def patient_change(analysis: Analysis, veto: Callable[[str], bool] | None = None) -> StructuralHit | None:
    """A specific patient, a link to treatment and a change: the shape of a report in any words."""
    lower = analysis.lower
    product = bool(analysis.of_kind(PRODUCT))
    seen: set[int] = set()
    for seg in analysis.segments:
        if seg.sentence_start in seen:
            continue
        seen.add(seg.sentence_start)
        sentence = lower[seg.sentence_start : seg.sentence_end]
        link = _TREATMENT_LINK.search(sentence)
        if link is None and not (EXPOSURE.search(sentence) or analysis.of_kind(PRODUCT)):
            continue
        # the first change word that says something here (not "I've got a patient", not a plain verb in a
        # question); a later one still counts: "is getting worse, what do we do?"
        changes = (c for c in _STRUCT_CHANGE.finditer(sentence) if not _excused(c, sentence))
        change = next(changes, None)
        if change is None:
            continue
        if change.group() == "since" and link is None:
            continue
        # The writer as the patient ("following the seventh injection I got ...") only where the product is named.
        writer_is_patient = product and link is not None and _SELF.search(sentence) is not None
        if not (_PATIENT.search(sentence) or _STRONG.search(sentence) or writer_is_patient):
            continue
        vetoed = veto is not None and veto(_LEAD_IN.sub("", sentence, count=1))
        if _STRUCT_NOT.search(_CAUSALITY_ASKED.sub(" ", sentence)) or vetoed:
            continue
        if _NEGATED.search(sentence) and not (_STRONG.search(sentence) or _LOE_WORDS.search(sentence)):
            continue
        # The first change framed as a report ("since last year ... I got X": the history word is not it).
        later = (c for c in changes if not (c.group() == "since" and link is None))
        for candidate in (change, *later):
            start = seg.sentence_start + candidate.start()
            end = seg.sentence_start + candidate.end()
            if _known_event_had(analysis, candidate, end):
                framing = Framing(Mode.GENERIC, "known_event")
                continue
            framing = _framing(analysis, sentence, start, end)
            if framing.mode is Mode.REPORT:
                break
        if framing.mode is not Mode.REPORT:
            continue
        return StructuralHit(
            start,
            end,
            candidate.group(),
            "patient_change",
            framing,
            "a specific patient, a link to treatment and a change: flagged for a human to code",
        )
    return None
