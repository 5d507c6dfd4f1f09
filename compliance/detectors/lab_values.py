"""The lab-value net: an abnormal or changing lab value or vital sign in a message tied to treatment.

"ANC 0.8 x10^9/L", "platelets fell from 245 to 38", "BP 170/100", "potassium 6.6 mmol/L - was normal
pre-treatment": the value is judged against the range in `vocab/labs.yaml`, the writer's own range or earlier
value, or a stated change. Vetoed by a question or hypothetical framing, a baseline or pre-treatment value, a
stable or normal value, or a threshold written as a rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from compliance.detectors.structural import StructuralHit
from compliance.findings import Mode
from compliance.nlp.brand import BRAND
from compliance.nlp.clauses import Framing, exposure_in, report_then_guess
from compliance.nlp.context import frame
from compliance.nlp.engine import PRODUCT, Analysis

_NUM = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"


@dataclass(frozen=True)
class _Range:
    low: float | None
    high: float | None
    plausible: tuple[float, float]


def _load_labs() -> dict[str, tuple[str, _Range]]:
    data = yaml.safe_load((Path(__file__).resolve().parents[1] / "vocab" / "labs.yaml").read_text("utf-8"))
    return {
        str(k): (
            str(v["names"]),
            _Range(v["low"], v["high"], (float(v["plausible"][0]), float(v["plausible"][1]))),
        )
        for k, v in data.items()
    }


# canonical -> (pattern of its names, range), from `vocab/labs.yaml`.
_LABS = _load_labs()
_LAB_NAMES = "|".join(f"(?P<{k}>{v[0]})" for k, v in _LABS.items())
# The lab name, then (within a few words, no sentence or list break) its value.
_LAB = re.compile(
    rf"\b(?:{_LAB_NAMES})\b(?P<gap>[^.;,!?\n]{{0,30}}?)(?<![\d.])(?P<val>"
    + _NUM
    + r")(?:\s*/\s*(?P<dia>\d{2,3}))?"
    r"(?P<unit>\s*(?:x\s?10\^?\d+(?:/l)?|k/ul|/ul|/mm3|g/dl|g/l|mg/dl|mg/l(?: feu)?|mmol/l|umol/l|µmol/l|pmol/l|"
    r"ng/dl|ng/ml|ug/l|mcg/l|miu/l|mu/l|u/l|iu/l|%|bpm|°?[cf]\b)?)"
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
_TO_VALUE = re.compile(r",?\s*(?:->|→|-->|=>|to|down to|up to|now|then)\s*" + _NUM)
_NOW = re.compile(r"\b(?:now|currently|today|this (?:week|morning)|latest|repeat|current)\b")
_LAB_CHANGE = re.compile(
    r"\b(?:fell|fallen|dropped|dropping|drop|decreased|declined|down|rose|risen|rising|increased|up|spiked|"
    r"climbed|climbing|creeping|crept|jumped|doubled|tripled|elevated|high|low|abnormal|critical|flagged|"
    r"went from|"
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
    if lab == "albumin" and value < 10:
        return value * 10.0  # g/dL
    if lab == "glu" and value < 35:
        return value * 18.0  # mmol/L
    if lab == "temp" and value > 50:
        return (value - 32) * 5 / 9  # Fahrenheit
    other = _OTHER_UNIT.get(lab)
    return value * other[1] if other is not None and value > other[0] else value


# lab -> (a value above this is in the other common unit, factor to the range's unit): mg/dL, ng/mL, mg/dL.
_OTHER_UNIT: dict[str, tuple[float, float]] = {
    "mg": (1.5, 1 / 2.43),
    "phos": (2.0, 1 / 3.1),
    "ca": (4.0, 1 / 4.0),
    "urate": (1.5, 1 / 16.81),
    "ft4": (5.0, 1 / 12.87),
    "igg": (60.0, 1 / 100.0),
    "ddimer": (50.0, 1 / 1000.0),
}


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
    r"[^.;!?\n]{0,25}?(?:[.,;(]|\s[-–]\s)\s*(?:it |this |that |she |he |her |his )?(?:"
    r"(?:was |were |had been )?(?:previously|prev|before|at baseline|baseline|pre-?treatment)\s+"
    r"(?:was\s+|were\s+)?"
    r"(?:totally\s+|completely\s+|entirely\s+)?(?:normal|wnl|fine|ok|unremarkable)|"
    r"(?:was|were)\s+(?:totally\s+|completely\s+|entirely\s+|all\s+)?(?:normal|wnl|fine|ok)\s+"
    r"(?:pre-?treatment|before|at baseline|previously))\b"
)
_STATEMENT_CUE = re.compile(r"\b(?:patient|pt|she|he|her|his|my|mine|now|came back|shows?|showed)\b")
_ON_PRODUCT_AFTER = re.compile(r"(?:[^.;!?\n]|\.(?=\d)){0,25}?\bon\s+(?:" + BRAND + r")")


def patient_statement(analysis: Analysis, start: int, end: int) -> bool:
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
        while later is not None and (after := _TO_VALUE.match(lower, later.end())) is not None:
            later = after  # "from 95 to 180 to 290", "260, then 140, then 35": the last value is the current one
        if later is not None and m.group("dia") is None:
            value = _to_float(later.group(1))
        gap = m.group("gap")
        window = lower[m.start() : min(len(lower), m.end() + 25)]
        window = re.split(r"[;!?]|\.(?!\d)|,\s", window, maxsplit=1)[0]
        changed = _LAB_CHANGE.search(gap) is not None or later is not None
        stated = stated_comparison(lower, m.end(), value) if later is None and dia is None else None
        if stated is False:
            continue  # inside the writer's own range, or close to the earlier value
        new_value = (
            _PREVIOUSLY_NORMAL.match(lower, m.end()) is not None
        )  # "... - was totally normal pre-treatment"
        before = lower[max(0, m.start() - 25) : m.start()]
        now = _NOW.search(before)
        if now is not None:
            before = before[now.end() :]  # "screening labs now show ...": what was before "now" is not this value
        if (
            stated is None
            and not new_value
            and (_LAB_NOT.search(before + " " + window) or (_THRESHOLD.search(gap) and not unit))
        ):
            continue  # (a threshold with no unit is a rule, "stop if ALT over 3x"; "lipase over 900 U/L" a value)
        if not (stated or _abnormal(lab, value, dia) or (changed and _LAB_CHANGE.search(gap))):
            continue
        framing = frame(analysis, m.start(), m.end(), negatable=True)
        if framing.mode is Mode.HISTORY and (_NOW.search(window) or stated):
            # "0.6 now, were 3.2 before the loading dose", "61 (range 150-400), previously 240": the earlier
            # value is the comparison, the current one the finding
            framing = Framing(Mode.REPORT, "lab_now")
        if framing.mode is Mode.HISTORY and new_value:
            framing = Framing(Mode.REPORT, "lab_new")  # "potassium 6.1 mmol/L. Previously normal."
        if framing.mode is Mode.GENERIC and patient_statement(analysis, m.start(), m.end()):
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
