"""Reports whose event is outside every vocabulary, tied to the suspect product by a strong link.

"Quelvarimab-induced <words>", "<words> induced by quelvarimab", "Shortly after the second dose of
quelvarimab, <words> was diagnosed", "<words> in a man on quelvarimab": the words become an
`unspecified event` for a human to code. One function per rule; `RULES` lists them in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from compliance.detectors.report_link import ADJ_LINK, framed_away, sentence_bounds
from compliance.nlp.engine import PRODUCT, Analysis, TermMatch

# Titles and case sentences whose event is outside every vocabulary: "Quelvarimab-induced
# <words>", "<words> induced by quelvarimab". The words become an `unspecified event` for a human.
_AFTER_DRUG = re.compile(rf"[\s-]*(?:{ADJ_LINK})\s+(?P<obj>(?:[a-z][a-z'-]*\s+){{0,3}}[a-z][a-z'-]*)")
_BEFORE_DRUG = re.compile(
    r"(?P<obj>(?:[a-z][a-z'-]*\s+){0,3}[a-z][a-z'-]*)\s+(?:induced by|caused by|secondary to|attributed to|"
    r"attributable to|complicating|associated with|related to|triggered by|provoked by|"
    # "was diagnosed with <words> during maintenance therapy with quelvarimab"
    r"during (?:[a-z]+\s+){0,2}(?:therapy|treatment) with)\s+"
    r"(?:[\w-]+\s+){0,3}\(?\s*$"
)
_NOT_EVENT_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "by",
        "with",
        "to",
        "for",
        "and",
        "or",
        "as",
        "at",
        "from",
        "this",
        "that",
        "these",
        "those",
        "case",
        "cases",
        "report",
        "reports",
        "patient",
        "patients",
        "man",
        "woman",
        "men",
        "women",
        "child",
        "boy",
        "girl",
        "treatment",
        "therapy",
        "dose",
        "doses",
        "use",
        "response",
        "responses",
        "improvement",
        "clearance",
        "remission",
        "benefit",
        "efficacy",
        "effect",
        "effects",
        "outcome",
        "outcomes",
        "change",
        "changes",
        "it",
        "its",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "study",
        "studies",
        "trial",
        "trials",
        "data",
        "series",
        "review",
        "literature",
    ]
)


def _event_words(obj: str, keep_last: bool) -> str | None:
    words = [w for w in obj.split()]
    # Trim function words from the edge that touches the rest of the sentence.
    while words and words[0 if keep_last else -1] in _NOT_EVENT_WORDS:
        words.pop(0 if keep_last else -1)
    if keep_last:
        # "a case of bilateral ptosis": keep what follows the last function word.
        for i in range(len(words) - 1, -1, -1):
            if words[i] in _NOT_EVENT_WORDS:
                words = words[i + 1 :]
                break
    else:
        for i, w in enumerate(words):
            if w in _NOT_EVENT_WORDS:
                words = words[:i]
                break
    if not words or all(len(w) < 4 for w in words):
        return None
    return " ".join(words)


Hit = tuple[int, int, str, str]  # (start, end, words, rule) in the normalised text
Rule = Callable[[Analysis, TermMatch, int, int], Hit | None]

# "<words> was first noted / was diagnosed" in a sentence that puts the product before it in time.
_NOTED = re.compile(
    r"(?P<obj>(?:[a-z][a-z'-]*\s+){0,3}[a-z][a-z'-]*)\s+(?:was|were)\s+(?:first\s+|then\s+|subsequently\s+|"
    r"eventually\s+|later\s+)?(?:diagnosed|noted|noticed|observed|documented|detected|confirmed|found|identified)\b"
)
# The product in time before the noted event: "after the second dose of P, ...", "on P for three months when".
_EXPOSED_BEFORE = re.compile(r"\b(?:after|following|within|during|on|receiving|since)\b[^.;]*$")
# "<words> in a man on P", "<words> in a 40s female on P", "<words> in two patients receiving P".
_IN_PATIENT_ON = re.compile(
    r"(?P<obj>(?:[a-z][a-z'-]*\s+){0,3}[a-z][a-z'-]*)\s+in\s+(?:a|an|one|two|three|\d+|several)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:patients?|pts?|man|men|woman|women|males?|females?|boys?|girls?|child|children|"
    r"adults?|adolescents?|teen\w*|infants?)\s+(?:on|receiving|treated with|taking|using|given)\s+"
    r"(?:[a-z]+\s+){0,1}$"
)


def _probe(analysis: Analysis, start: int, words: str, s_start: int, s_end: int, rule: str) -> Hit | None:
    probe = TermMatch("EVENT", words, start, start + len(words), words, "link")
    if framed_away(analysis, probe, s_start, s_end):
        return None
    return start, start + len(words), words, rule


def drug_induced(analysis: Analysis, drug: TermMatch, s_start: int, s_end: int) -> Hit | None:
    """ "Quelvarimab-induced <words>"."""
    after = _AFTER_DRUG.match(analysis.lower, drug.end, s_end)
    words = _event_words(after.group("obj"), keep_last=False) if after is not None else None
    if after is None or words is None:
        return None
    return _probe(analysis, after.start("obj"), words, s_start, s_end, "link:drug_induced_unnamed")


def induced_by_drug(analysis: Analysis, drug: TermMatch, s_start: int, s_end: int) -> Hit | None:
    """ "<words> induced by quelvarimab"."""
    before = _BEFORE_DRUG.search(analysis.lower[s_start : drug.start])
    words = _event_words(before.group("obj"), keep_last=True) if before is not None else None
    if before is None or words is None:
        return None
    end = s_start + before.end("obj")
    return _probe(analysis, end - len(words), words, s_start, s_end, "link:induced_by_drug_unnamed")


def noted_after_drug(analysis: Analysis, drug: TermMatch, s_start: int, s_end: int) -> Hit | None:
    """ "Shortly after the second dose of quelvarimab, <words> was diagnosed", "He was on quelvarimab for
    three months when <words> was first noted"."""
    if not _EXPOSED_BEFORE.search(analysis.lower[s_start : drug.start]) and not re.match(
        r"\s+for\s+[\w ]{1,25}?\s+when\b", analysis.lower[drug.end : s_end]
    ):
        return None
    noted = _NOTED.search(analysis.lower, drug.end, s_end)
    if noted is None:
        return None
    obj = noted.group("obj")
    # Only what follows the last clause break or "when" is the subject: "..., intractable hiccups".
    cut = max(obj.rfind(" when "), obj.rfind(" that "))
    words = _event_words(obj[cut + 6 :] if cut >= 0 else obj, keep_last=True)
    if words is None:
        return None
    end = noted.end("obj")
    return _probe(analysis, end - len(words), words, s_start, s_end, "link:noted_after_drug_unnamed")


def in_patient_on_drug(analysis: Analysis, drug: TermMatch, s_start: int, s_end: int) -> Hit | None:
    """ "Case report: <words> in a man on quelvarimab", "heads up: <words> in a 40s female on QLV"."""
    found = _IN_PATIENT_ON.search(analysis.lower[s_start : drug.start])
    words = _event_words(found.group("obj"), keep_last=True) if found is not None else None
    if found is None or words is None:
        return None
    end = s_start + found.end("obj")
    return _probe(analysis, end - len(words), words, s_start, s_end, "link:in_patient_on_drug_unnamed")


# Words that end what was had: "CSC after dose 4", "ANCA GN last month".
_LINK_WORD = r"(?:after|since|following|last|at|on|in|when|from|during|this|yesterday|today|about)\b"
# A patient on the product who had something: "an older patient on Quelvanti told us at today's visit that she had
# ANCA GN last month", "one patient on quelvarimab came back with CSC after dose 4".
_ON_DRUG_HAD = re.compile(
    r"[^.;?!]{0,60}?\b(?:(?:she|he|they|who|that)\s+)?(?:had|has had|developed|came back with|presented with|"
    r"returned with|was diagnosed with|got|now with|now has)\s+"
    r"(?P<obj>(?:(?!" + _LINK_WORD + r")[a-z0-9][a-z0-9'-]*\s+){0,3}"
    r"(?!" + _LINK_WORD + r")[a-z0-9][a-z0-9'-]*)"
)
# What a patient on the product "had" that is no event: a dose, a visit, a test, a question.
_NOT_HAD = re.compile(
    r"\b(?:doses?|injections?|shots?|pens?|appointments?|visits?|labs?|tests?|bloods?|questions?|refills?|"
    r"prescriptions?|a good|great|no|nothing|some questions|trouble|issues? with (?:the )?(?:pharmacy|insurance)|"
    r"approv\w*|pa|auth\w*|coverage|insurance|deliver\w*|shipments?|training|nurse|paperwork|forms?|calls?|"
    r"emails?|messages?|samples?|baby|surgery planned)\b"
)


def patient_on_drug_had(analysis: Analysis, drug: TermMatch, s_start: int, s_end: int) -> Hit | None:
    """ "a patient on quelvarimab came back with CSC after dose 4", "... on Quelvanti told us that she had ANCA
    GN"."""
    if analysis.lower[max(0, drug.start - 3) : drug.start] != "on ":
        return None
    found = _ON_DRUG_HAD.match(analysis.lower, drug.end, s_end)
    if found is None or _NOT_HAD.search(found.group("obj")):
        return None
    words = _event_words(found.group("obj"), keep_last=False)
    first = analysis.norm.text[found.start("obj") : found.end("obj")].split()[0]
    if words is None and re.fullmatch(r"[A-Z][A-Z0-9]{1,5}", first):
        words = first.lower()  # a clinician's abbreviation: "came back with CSC", "had ANCA GN"
    if words is None:
        return None
    return _probe(analysis, found.start("obj"), words, s_start, s_end, "link:patient_on_drug_had_unnamed")


RULES: tuple[Callable[[Analysis, TermMatch, int, int], Hit | None], ...] = (
    drug_induced,
    induced_by_drug,
    noted_after_drug,
    in_patient_on_drug,
    patient_on_drug_had,
)


# A report form's event field opening a line or a sentence, in a message naming the product ("- event: memory
# lapses",
# "AE: a stye on the lower lid", "Reaction = ..."): whatever it names is for a human to code.
_EVENT_FIELD = re.compile(
    r"(?:^|(?<=[.;] ))[\s\-*•>]*(?:event|events|ae|aes|adverse (?:event|reaction)s?|adr|sae|"
    r"(?:suspected )?reaction|"
    r"event term|reported term|problem|complaint|presenting complaint)\s*[:=]\s*(?P<obj>[^\n.;]{3,120})(?:[.;]|$)",
    re.MULTILINE,
)
_EMPTY_FIELD = re.compile(r"^\W*(?:none|nil|n/?a|no|unknown|not known|tbc|tbd|-+|\?+)\W*$")


def event_field(analysis: Analysis) -> Hit | None:
    """ "Report draft / - co-suspects: X + quelvarimab / - event: memory lapses": a filled-in event field."""
    if not analysis.of_kind(PRODUCT):
        return None
    for found in _EVENT_FIELD.finditer(analysis.lower):
        obj = found.group("obj").strip()
        if _EMPTY_FIELD.match(obj):
            continue
        start = found.start("obj") + (len(found.group("obj")) - len(found.group("obj").lstrip()))
        return start, start + len(obj), obj, "link:event_field_unnamed"
    return None


def unnamed_event_link(analysis: Analysis) -> Hit | None:
    """(start, end, words, rule) of an out-of-vocabulary event tied to the suspect product by a strong link."""
    for drug in analysis.matches:
        if drug.kind != PRODUCT:
            continue
        s_start, s_end = sentence_bounds(analysis, drug.start)
        for rule in RULES:
            hit = rule(analysis, drug, s_start, s_end)
            if hit is not None:
                return hit
    return event_field(analysis)
