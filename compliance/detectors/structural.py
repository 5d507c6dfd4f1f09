"""Structural fallbacks for reports worded outside the event vocabulary.

Two recall nets, used only when no vocabulary term was reported:

- **Lab values and vital signs** ("ANC 0.8 x10^9/L", "platelets fell from 245 to 38", "BP 170/100",
  "bilirubin 4.2"): an out-of-range value, or a stated change, in a message tied to treatment.
- **A specific patient + a link to treatment + a change** ("the lady is having since 2 week the stomach
  very bad after qlv", "sinus infxn #3 since loading dose", "new lichen planus lesions, started 6 wks
  into treatment"): the shape of a report, whatever its words.

Both are vetoed by a question or hypothetical framing, a pre-treatment/baseline statement, an
improvement, a stable/normal value, or an explicit other cause. Findings say which net fired.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from compliance.findings import Mode
from compliance.nlp.brand import BRAND
from compliance.nlp.clauses import Framing, exposure_in, report_then_guess
from compliance.nlp.context import frame
from compliance.nlp.cues import EMBEDDED_QUESTION, EXPOSURE, PATIENT_SPECIFIC, QUESTION_START
from compliance.nlp.engine import PRODUCT, Analysis

_NUM = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"


@dataclass(frozen=True)
class _Range:
    low: float | None
    high: float | None
    plausible: tuple[float, float]


# canonical -> (pattern of its names, range). Units vary; values outside `plausible` are ignored,
# and a few labs switch to the other common unit by magnitude (see _scale).
_LABS: dict[str, tuple[str, _Range]] = {
    "anc": (r"anc|neutrophils?|neuts?|absolute neutrophil count", _Range(1.5, None, (0.0, 30000.0))),
    "wbc": (r"wbc|white (?:blood )?(?:cell )?count|white cells|leukocytes?", _Range(3.5, 15.0, (0.0, 100000.0))),
    "plt": (r"platelets?|plts?|platelet count|plt count", _Range(140.0, 600.0, (1.0, 2000000.0))),
    "hgb": (r"h(?:a)?emoglobin|hgb|hb", _Range(10.0, None, (2.0, 250.0))),
    "alt": (r"alt|ast|sgpt|sgot|transaminases?|liver enzymes", _Range(None, 60.0, (1.0, 20000.0))),
    "alp": (r"alp|alk phos|alkaline phosphatase|ggt", _Range(None, 200.0, (1.0, 5000.0))),
    "bili": (r"(?:total |t\.? ?)?bili(?:rubin)?|tbili", _Range(None, 1.5, (0.05, 600.0))),
    "cr": (r"(?:serum )?creatinine|scr|cr|creat", _Range(None, 1.4, (0.1, 2000.0))),
    "egfr": (r"e?gfr", _Range(60.0, None, (1.0, 200.0))),
    "k": (r"potassium|k\+?", _Range(3.2, 5.4, (1.0, 10.0))),
    "na": (r"sodium|na\+?", _Range(130.0, 150.0, (90.0, 190.0))),
    "glu": (r"glucose|blood sugars?|sugars?|bgs?|bsl", _Range(55.0, 220.0, (10.0, 1500.0))),
    "a1c": (r"(?:hb)?a1c", _Range(None, 6.5, (3.0, 20.0))),
    "lipase": (r"lipase|amylase", _Range(None, 180.0, (1.0, 50000.0))),
    "tg": (r"trigs|triglycerides?|tgs?", _Range(None, 400.0, (10.0, 10000.0))),
    "ck": (r"ck|cpk|creatine kinase", _Range(None, 500.0, (5.0, 500000.0))),
    "inr": (r"inr", _Range(None, 3.5, (0.5, 20.0))),
    "tsh": (r"tsh", _Range(0.3, 6.0, (0.0, 200.0))),
    "crp": (r"crp|c-reactive protein", _Range(None, 20.0, (0.0, 600.0))),
    "trop": (r"troponin(?: [it])?|trop(?: [it])?|hs-?tn[it]", _Range(None, 0.1, (0.0, 100000.0))),
    "ferritin": (r"ferritin", _Range(None, 1000.0, (1.0, 200000.0))),
    "eos": (r"eos|eosinophils?|eosinophil count|aec|absolute eosinophil count", _Range(None, 0.6, (0.0, 50000.0))),
    "lymph": (r"lymphs?|lymphocytes?|alc", _Range(0.7, None, (0.0, 20000.0))),
    "temp": (r"temp(?:erature)?|tmax|t max", _Range(None, 38.0, (30.0, 110.0))),
    "hr": (r"hr|heart rate|pulse", _Range(45.0, 115.0, (20.0, 250.0))),
    "spo2": (r"spo2|sp02|o2 sats?|sats?|oxygen sat\w*|pulse ox", _Range(92.0, None, (50.0, 100.0))),
    "rr": (r"rr|resp(?:iratory)? rate", _Range(None, 26.0, (4.0, 70.0))),
    "bp": (r"bp|blood pressure|b/p", _Range(90.0, 155.0, (50.0, 260.0))),
}
_LAB_NAMES = "|".join(f"(?P<{k}>{v[0]})" for k, v in _LABS.items())
# The lab name, then (within a few words, no sentence or list break) its value.
_LAB = re.compile(
    rf"\b(?:{_LAB_NAMES})\b(?P<gap>[^.;,!?\n]{{0,30}}?)(?<![\d.])(?P<val>"
    + _NUM
    + r")(?:\s*/\s*(?P<dia>\d{2,3}))?"
    r"(?P<unit>\s*(?:x\s?10\^?\d+(?:/l)?|k/ul|/ul|/mm3|g/dl|g/l|mg/dl|mmol/l|umol/l|u/l|iu/l|%|bpm|°?[cf]\b)?)"
)
# A value that is not this lab's: time, doses, counts ("at week 12", "2 weeks", "x 3 doses").
_NOT_VALUE_BEFORE = re.compile(
    r"\b(?:week|wk|wks|weeks|day|days|dose|doses|#|x|month|months|mo|yr|year|age|at)\s*$"
)
_NOT_VALUE_AFTER = re.compile(
    r"\s*(?:weeks?|wks?|days?|d\b|months?|mos?\b|years?|yrs?|yo\b|hours?|hrs?|h\b|mg\b(?!/)|doses?|pens?|shots?|"
    r"injections?|times|am\b|pm\b|o'?clock|x\b)"
)
# "from 245 to 38", "245 -> 38", "dropped to 38": the later value is the current one.
_TO_VALUE = re.compile(r"\s*(?:->|→|-->|=>|to|down to|up to|now|then)\s*" + _NUM)
_NOW = re.compile(r"\b(?:now|currently|today|this (?:week|morning)|latest|repeat|current)\b")
_LAB_CHANGE = re.compile(
    r"\b(?:fell|fallen|dropped|dropping|drop|decreased|declined|down|rose|risen|rising|increased|up|spiked|"
    r"climbed|climbing|jumped|doubled|tripled|elevated|high|low|abnormal|critical|flagged|went from|"
    r"worse|worsening|trending (?:up|down)|running)\b"
)
_LAB_NOT = re.compile(
    r"\b(?:baseline|before (?:starting|she started|he started|treatment|the first|her first|his first|the loading|"
    r"initiation|we start)|prior to|pre-?treatment|screening|normal|wnl|within (?:normal )?range|stable|"
    r"unchanged|no change|same as before|at goal|chronic|longstanding|long-standing|known|history of|hx of|"
    r"target|goal|range|cut-?off|threshold|diabet\w*|t2dm|dm2|ckd|cirrhosis|dialysis|type [12]|due to|because of|"
    r"from (?:his|her|their|known|longstanding|chronic|ckd|diabetes|cirrhosis|dehydration))\b"
)
_THRESHOLD = re.compile(r"\b(?:above|below|over|under|less than|more than|greater than|exceeds?)\b|[<>]")
_LINK = re.compile(
    r"\b(?:" + BRAND + r"|since (?:starting|restarting|the|her|his|their|last|first|"
    r"she|he|initiat\w+|being on)|post[- ]?(?:dose|injection|dosing|inj)|on (?:treatment|therapy|the drug|the "
    r"biologic|it)|(?:after|following|since) (?:\w+ ){0,3}?(?:dose|doses|shot|shots|injection|injections|pen|"
    r"pens|jab|loading|medicine|medication|drug|treatment|therapy)|receiving|received|(?:weeks?|wks?|months?|"
    r"mos?) (?:on|into)|into (?:treatment|therapy)|x ?\d+ ?(?:mo|mos|months?|wks?|weeks?))\b"
)


def _to_float(raw: str) -> float:
    return float(raw.replace(",", ""))


def _scale(lab: str, value: float) -> float:
    """Bring a value in another common unit to the one the range uses."""
    if lab == "eos" and value >= 30:
        return value / 1000.0  # cells/uL
    if lab in ("anc", "wbc", "lymph") and value >= 100:
        return value / 1000.0  # cells/uL
    if lab == "plt" and value >= 5000:
        return value / 1000.0
    if lab == "hgb" and value > 30:
        return value / 10.0  # g/L
    if lab == "cr" and value > 20:
        return value / 88.4  # umol/L
    if lab == "bili" and value > 30:
        return value / 17.1  # umol/L
    if lab == "glu" and value < 35:
        return value * 18.0  # mmol/L
    if lab == "temp" and value > 50:
        return (value - 32) * 5 / 9  # Fahrenheit
    return value


def _abnormal(lab: str, value: float, dia: float | None) -> bool:
    rng = _LABS[lab][1]
    lo, hi = rng.plausible
    if not lo <= value <= hi:
        return False
    v = _scale(lab, value)
    if lab == "bp":
        return v >= 155 or v < 90 or (dia is not None and (dia >= 98 or dia < 50))
    return (rng.low is not None and v < rng.low) or (rng.high is not None and v > rng.high)


def _linked(analysis: Analysis) -> bool:
    return (
        bool(analysis.of_kind(PRODUCT)) or _LINK.search(analysis.lower) is not None or exposure_in(analysis.lower)
    )


def value_in_range(name: str, value: float) -> bool | None:
    """Whether a value of the lab called `name` ("alt", "platelets") is inside its reference range;
    None when the name is not a known lab or the value is implausible for it."""
    for lab, (pattern, rng) in _LABS.items():
        if re.fullmatch(pattern, name):
            lo, hi = rng.plausible
            if not lo <= value <= hi:
                return None
            return not _abnormal(lab, value, None)
    return None


@dataclass(frozen=True)
class StructuralHit:
    start: int
    end: int
    term: str
    rule: str
    framing: Framing
    explanation: str


# A reference range or an earlier value written right after the value: "neutrophils 0.9 x10^9/L (range 2.0-7.5)",
# "creatinine 238 umol/L (baseline 82)", "0.7, previously 3.1". The writer's own numbers decide.
_STATED_RANGE = re.compile(
    r"[^.;!?\n]{0,30}?\b(?:range|ref(?:erence)?(?: range)?|normal(?: range)?|nr|rr)\s*:?\s*"
    + _NUM
    + r"\s*(?:-|–|to)\s*"
    + _NUM
)
_EARLIER_VALUE = re.compile(
    r"[^.;!?\n]{0,30}?\b(?:baseline|previously|prev|prior|before|last|was|from)\s*(?:was|of|value|:)?\s*"
    + _NUM
    + r"(?!\s*(?:weeks?|wks?|days?|months?|years?|mg\b))"
)
# Moved this far from the writer's earlier value (either way), a value has changed.
CHANGE_RATIO = 1.5


def stated_comparison(lower: str, value_end: float | int, value: float) -> bool | None:
    """Abnormal by the writer's own range or earlier value (True/False); None when the text states neither."""
    end = int(value_end)
    stated = _STATED_RANGE.match(lower, end)
    if stated is not None:
        low, high = _to_float(stated.group(1)), _to_float(stated.group(2))
        return not low <= value <= high
    earlier = _EARLIER_VALUE.match(lower, end)
    if earlier is not None:
        before = _to_float(earlier.group(1))
        if before > 0 and value > 0:
            return max(value / before, before / value) >= CHANGE_RATIO
    return None


# After a value: the writer says it was normal before, so the value is new.
_PREVIOUSLY_NORMAL = re.compile(
    r"[^.;!?\n]{0,25}?[.,;(]\s*(?:it |this |that |she |he )?(?:was |were |had been )?(?:previously|prev|before|"
    r"at baseline|baseline)\s+(?:normal|wnl|fine|ok|unremarkable)\b"
)
_STATEMENT_CUE = re.compile(r"\b(?:patient|pt|she|he|her|his|my|mine|now|came back|shows?|showed)\b")
_ON_PRODUCT_AFTER = re.compile(r"(?:[^.;!?\n]|\.(?=\d)){0,25}?\bon\s+(?:" + BRAND + r")")


def _patient_statement(analysis: Analysis, start: int, end: int) -> bool:
    """A statement (no question) about a patient's value, or a value "on" the product: "Hb 8.4 g/dL on QLV"."""
    seg = analysis.segment_of(start)
    sentence = analysis.lower[seg.sentence_start : seg.sentence_end]
    if "?" in sentence:
        return False
    return _STATEMENT_CUE.search(sentence) is not None or _ON_PRODUCT_AFTER.match(analysis.lower, end) is not None


def lab_value(analysis: Analysis) -> StructuralHit | None:
    """An abnormal or changing lab value or vital sign reported in a message tied to treatment."""
    lower = analysis.lower
    if not _linked(analysis):
        return None
    for m in _LAB.finditer(lower):
        lab = next(k for k in _LABS if m.group(k))
        if (
            len(m.group(lab)) <= 3
            and lab in ("k", "na", "cr", "hr", "rr")
            and re.match(r"\s*(?:of|is|was|at)?\s*$", m.group("gap")) is None
        ):
            continue  # short names ("k", "cr", "hr") count only right before their value
        if re.match(r"\d", lower[max(0, m.start(lab) - 2) : m.start(lab)].strip()[-1:] or "x"):
            continue  # "2 hr after": an hour, not a heart rate
        vs = m.start("val")
        not_value = _NOT_VALUE_BEFORE.search(lower[max(0, vs - 6) : vs]) or _NOT_VALUE_AFTER.match(
            lower, m.end("val")
        )
        unit = m.group("unit").strip()
        if not_value and not m.group("dia") and not (unit and lower[max(0, vs - 6) : vs].rstrip().endswith("at")):
            continue  # (but "eosinophils at 18%": a value with its unit)
        value = _to_float(m.group("val"))
        dia = float(m.group("dia")) if m.group("dia") else None
        later = _TO_VALUE.match(lower, m.end("val"))
        if later is not None and m.group("dia") is None:
            value = _to_float(later.group(1))
        gap = m.group("gap")
        window = lower[m.start() : min(len(lower), m.end() + 25)]
        window = re.split(r"[;!?]|\.(?!\d)|,\s", window, maxsplit=1)[0]
        changed = _LAB_CHANGE.search(gap) is not None or later is not None
        stated = stated_comparison(lower, m.end(), value) if later is None and dia is None else None
        if stated is False:
            continue  # inside the writer's own range, or close to the earlier value
        before = lower[max(0, m.start() - 25) : m.start()]
        now = _NOW.search(before)
        if now is not None:
            before = before[now.end() :]  # "screening labs now show ...": what was before "now" is not this value
        if stated is None and (_LAB_NOT.search(before + " " + window) or (_THRESHOLD.search(gap) and not unit)):
            continue  # (a threshold with no unit is a rule, "stop if ALT over 3x"; "lipase over 900 U/L" a value)
        if not (stated or _abnormal(lab, value, dia) or (changed and _LAB_CHANGE.search(gap))):
            continue
        framing = frame(analysis, m.start(), m.end(), negatable=True)
        if framing.mode is Mode.HISTORY and (_NOW.search(window) or stated):
            # "0.6 now, were 3.2 before the loading dose", "61 (range 150-400), previously 240": the earlier
            # value is the comparison, the current one the finding
            framing = Framing(Mode.REPORT, "lab_now")
        if framing.mode is Mode.HISTORY and _PREVIOUSLY_NORMAL.match(lower, m.end()):
            framing = Framing(Mode.REPORT, "lab_new")  # "potassium 6.1 mmol/L. Previously normal."
        if framing.mode is Mode.GENERIC and unit and _patient_statement(analysis, m.start(), m.end()):
            framing = Framing(Mode.REPORT, "lab_statement")  # "Hb 8.4 g/dL on QUELVANTI.", "labs now show ..."
        guess = framing.mode in (Mode.QUESTION, Mode.GENERIC)
        if guess and report_then_guess(analysis, m.start(), need_cue=False):
            framing = Framing(Mode.REPORT, "report_then_guess")  # "eos 2.4 after dose 2, is that expected?"
        if framing.mode is not Mode.REPORT:
            continue
        return StructuralHit(
            m.start(),
            m.end(),
            m.group().strip(),
            "lab_value",
            framing,
            f"abnormal or changing {lab} value in a message tied to treatment: flagged for a human to code",
        )
    return None


# --- patient + link to treatment + change --------------------------------------------------------
_PATIENT = re.compile(
    r"\b(?:patient|pt|pts|client|lady|gentleman|gent|man|woman|guy|girl|boy|mother|father|mom|mum|dad|she|he|"
    r"her|his|him|they)\b|" + PATIENT_SPECIFIC.pattern
)
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
_STRUCT_CHANGE = re.compile(
    r"\b(?:" + _NEW + r"|new-onset|(?:started|starting|began|begun)(?! (?:her|him|them|my|a|the|on|" + BRAND + r"|"
    r"" + BRAND + r"|treatment|therapy|it|next|tomorrow|in|at|soon|with|dose|doses|loading|maintenance)\b)|"
    r"developed|developing|is coming|coming|became|become|"
    r"turned|went|gone|going|getting|got|has been|have been|had been|is having|having|has had|keeps?|kept|again|"
    r"recurr\w*|recurrent|episodes?|another|still|persist\w*|worse|worsening|fell|dropped|rose|increased|"
    r"decreased|spreading|swollen|swelling|indurated|induration|firm|hard|warm|hot|red|lump|lumps|knot|"
    r"nodule|yellow|falling|bad|very|pain|painful|hurts?|sore|cannot|can't|unable|not working|not work|"
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
    r"pasi (?:75|90|100))\b"
)
# A negated sentence ("has had no infections after 4 doses") is not a report unless a strong change stands.
_NEGATED = re.compile(r"\b(?:no|not|without|denies|denied|never|none|nothing|zero)\b")
_LOE_WORDS = re.compile(
    r"\b(?:not work\w*|no (?:clinical )?(?:response|improvement|change|effect)|doesn't work|same)\b"
)


def patient_change(analysis: Analysis, veto: Callable[[str], bool] | None = None) -> StructuralHit | None:
    """A specific patient, a link to treatment and a change: the shape of a report in any words."""
    lower = analysis.lower
    seen: set[int] = set()
    for seg in analysis.segments:
        if seg.sentence_start in seen:
            continue
        seen.add(seg.sentence_start)
        sentence = lower[seg.sentence_start : seg.sentence_end]
        link = _TREATMENT_LINK.search(sentence)
        if link is None and not (EXPOSURE.search(sentence) or analysis.of_kind(PRODUCT)):
            continue
        change = _STRUCT_CHANGE.search(sentence)
        if change is None:
            continue
        if change.group() == "since" and link is None:
            continue
        if not (_PATIENT.search(sentence) or _STRONG.search(sentence)):
            continue
        if _STRUCT_NOT.search(sentence) or (veto is not None and veto(sentence)):
            continue
        if _NEGATED.search(sentence) and not (_STRONG.search(sentence) or _LOE_WORDS.search(sentence)):
            continue
        start = seg.sentence_start + change.start()
        end = seg.sentence_start + change.end()
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
                framing = Framing(Mode.REPORT, "report_then_guess")
        if framing.mode is not Mode.REPORT:
            continue
        return StructuralHit(
            start,
            end,
            change.group(),
            "patient_change",
            framing,
            "a specific patient, a link to treatment and a change: flagged for a human to code",
        )
    return None
