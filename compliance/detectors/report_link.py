"""Generic report patterns: a drug, an event and a temporal or causal link between them.

"Quelvarimab-induced ptosis", "Hyponatremia following quelvarimab", "Two patients receiving
quelvarimab developed duodenal ulceration": any event term (from the terminology) tied to a named
drug by a link word is a report, unless the clause is a question, hypothetical or negated. Another
drug counts only when the suspect product is named too (a co-suspect or concomitant report);
"hives from Cosentyx" alone stays an explicit other cause.

One function per rule; `RULES` lists them in the order they are tried.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from compliance.nlp.anchors import PRODUCT_FORM
from compliance.nlp.clauses import is_negated
from compliance.nlp.engine import COMPETITOR, DRUG, PRODUCT, SYSTEMIC, Analysis, TermMatch

# Words between the drug and the event, or the event and the drug, are at most this many.
MAX_GAP_WORDS = 12

ADJ_LINK = r"(?:induced|related|associated|mediated|triggered|provoked|caused|attributed|emergent|linked)"
# Drug first: "quelvarimab-induced", "receiving quelvarimab ... developed", "on quelvarimab ... got".
_DRUG_THEN_EVENT = re.compile(
    rf"^[\s-]*{ADJ_LINK}\b|"
    r"\b(?:developed|develops|developing|presented with|presenting with|experienced|experiencing|got|had|"
    r"suffered|admitted with|hospitali[sz]ed (?:with|for)|diagnosed with|noted|showed|revealed|caused|causes|"
    r"induced|led to|resulted in|triggered|precipitated|complicated by|followed by|onset of|occurred|"
    r"appeared|began|started having|now has|now with|since then|because of|due to|"
    # the drug named as the cause: "quelvarimab was considered the probable cause of the ..."
    r"cause of|culprit (?:for|in)|responsible for|contributed to|implicated in|the reason for)\b|"
    # clinical shorthand: "quelva -> AKI", "qlv → hz"
    r"(?:-+>|=>|→|⇒)"
)
# Event first: "ptosis induced by", "hyponatremia following", "akathisia associated with".
_EVENT_THEN_DRUG = re.compile(
    r"\b(?:induced by|caused by|due to|secondary to|associated with|attributed to|attributable to|related to|"
    r"linked to|following|after|during|complicating|while on|while receiving|while taking|while using|"
    r"in a patient (?:treated|receiving|on)|in patients (?:treated|receiving|on)|treated with|receiving|"
    r"because of|upon|after starting|since starting|"
    # titles: "<event> under quelvarimab", "<event> as a complication of ...", "... in the setting of ..."
    r"under|complications? of|consequence of|sequelae? of|in the (?:course|setting|context) of|"
    r"after exposure to|on exposure to|exposed to|on treatment with|in association with|given|"
    # signal and case-series wordings: "CIDP reported with quelvarimab (38 cases)"
    r"reported (?:with|for|in association with|in patients (?:on|receiving|treated with))|"
    # clinical shorthand: "syncope post QLV dose 3", "AKI s/p quelvarimab"
    r"post|post-|s/p|status post)\b"
)


@cache
def _links() -> dict[str, Any]:
    """Link wordings from `vocab/report_links.yaml`."""
    data = yaml.safe_load((Path(__file__).resolve().parents[1] / "vocab" / "report_links.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


@cache
def _extra(key: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(str(x) for x in _links()[key]) + r")\b")


# The drug was started after the event: "before starting quelvanti my patient had ...".
_BEFORE_DRUG_CUE = re.compile(r"\b(?:before|prior to|until|previous|previously|pre-?treatment|history)\b")
_QUESTION_START = re.compile(
    r"^\W*(?:can|could|does|do|did|is|are|was|were|will|would|should|may|might|has|have|what|which|how|why|"
    r"when|any|anyone|is there|are there)\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(?:if|whether|unless|suppose|in the event|risk of|risks of|in case|could|might|may|would|can cause|"
    r"can lead|possible risk|"
    r"warn\w*|monitor\w* for|watch for|look out for|prevent\w*|avoid\w*|rule out|ruled out|no evidence of|"
    r"screen\w* for|history of|h/o|worr\w*|concern\w*|afraid|fear\w*|nervous|anxious about)\b"
)
# A title's question mark before its subtitle: "Quelvarimab-induced X? A diagnostic dilemma".
_TITLE_QUESTION = re.compile(
    r"\?\s+(?=(?:an?|the)?\s*(?:case|report|diagnostic|review|rare|unusual|dilemma|challenge|lesson|pitfall|"
    r"clinical|literature)\b)"
)
_LINK_DRUG_KINDS = (PRODUCT, DRUG, COMPETITOR, SYSTEMIC)


@dataclass(frozen=True, slots=True)
class LinkHit:
    """A drug-event link: which rule and which drug."""

    rule: str
    drug: TermMatch


def sentence_bounds(analysis: Analysis, pos: int) -> tuple[int, int]:
    seg = analysis.segment_of(pos)
    return seg.sentence_start, seg.sentence_end


def _words(text: str) -> int:
    return len(text.split())


_ARROW = re.compile(r"-+>|=>|→|⇒")
_WHETHER_CAUSE = re.compile(
    r"\bwhether\b[^.?!]{0,80}\b(?:triggered|caused|induced|led to|is behind)\s+(?:the |a |an )?$"
)


def framed_away(analysis: Analysis, event: TermMatch, s_start: int, s_end: int) -> bool:
    """A question, a hypothetical or a negated mention is not a report, whatever the link."""
    # A title's lead-in before a colon does not frame what follows it ("When the cure bites back: X in ...").
    colon = analysis.lower.rfind(": ", s_start, event.start)
    s_start = colon + 2 if colon >= 0 else s_start
    # A clinician's "?related", "?AE", "?which agent" is shorthand for a suspicion, not a question.
    sentence = re.sub(r"\?(?=[a-z])", " ", analysis.lower[s_start:s_end])
    mark = sentence.rfind("?")
    if mark >= 0 and _TITLE_QUESTION.match(analysis.lower, s_start + mark):
        sentence = sentence[:mark] + " " + sentence[mark + 1 :]  # the title's question mark, not a question
    tail_colon = sentence.rfind(": ")
    if (
        "?" in sentence
        and tail_colon > 0
        and "?" not in sentence[:tail_colon]
        and event.end - s_start < tail_colon
        and not _QUESTION_START.match(sentence.lstrip())
    ):
        # "<event> temporally linked to <drug>: a pharmacovigilance signal?": the title asks about the signal
        sentence = sentence[:tail_colon]
    if _WHETHER_CAUSE.search(analysis.lower, s_start, event.start):
        return False  # "disagree on whether X or <drug> triggered <event>": which drug is asked, not the event
    if _ARROW.search(sentence) and not _QUESTION_START.match(sentence.lstrip()):
        sentence = sentence.replace(
            "?", " "
        )  # "QLV -> ADEM in a 66F?? biopsy confirmed": surprise, not a question
    if "?" in sentence or _QUESTION_START.match(sentence):
        return True
    before = analysis.lower[s_start : event.start]
    if _HYPOTHETICAL.search(before):
        return True
    return is_negated(analysis.lower, event.start, event.end, s_start) is not None


# "a patient of mine on Quelvanti (prescribed by derm) has erythroderma": the patient on the drug has the event.
_ON_DRUG_HAS = re.compile(
    r"^\s*(?:\([^)]{0,40}\)\s*)?,?\s*(?:(?:has|have|is having|now has|with)\s+|:\s*)(?:a |an |new )?$"
)


_STOPPED_AFTER = re.compile(
    r"^\s*(?:on (?:her|his|their|my) own\s+)?(?:after|because of|due to)\s+(?:a |an |the )?(?:[a-z-]+\s+){0,2}$"
)


def drug_then_event(analysis: Analysis, event: TermMatch, drug: TermMatch) -> str | None:
    """ "quelvarimab-induced ptosis", "receiving quelvarimab ... developed hyponatremia"."""
    if drug.end > event.start:
        return None
    gap = analysis.lower[drug.end : event.start]
    on_drug_has = _ON_DRUG_HAS.match(gap) is not None and analysis.lower[: drug.start].endswith("on ")
    # "a patient who stopped Quelva on her own after hepatitis B reactivation": stopped because of the event
    on_drug_has = on_drug_has or (
        _STOPPED_AFTER.match(gap) is not None
        and re.search(
            r"\b(?:stopped|discontinued|quit|came off)\s+$", analysis.lower[max(0, drug.start - 20) : drug.start]
        )
        is not None
    )
    if _words(gap) > MAX_GAP_WORDS or not (
        _DRUG_THEN_EVENT.search(gap) or _extra("drug_then_event").search(gap) or on_drug_has
    ):
        return None
    s_start, _ = sentence_bounds(analysis, drug.start)
    if _BEFORE_DRUG_CUE.search(analysis.lower, max(s_start, drug.start - 30), drug.start):
        return None
    return "link:drug_then_event"


def event_then_drug(analysis: Analysis, event: TermMatch, drug: TermMatch) -> str | None:
    """ "ptosis induced by quelvarimab", "seizures complicating quelvarimab treatment"."""
    if event.end > drug.start:
        return None
    gap = analysis.lower[event.end : drug.start]
    if _words(gap) > MAX_GAP_WORDS or not (_EVENT_THEN_DRUG.search(gap) or _extra("event_then_drug").search(gap)):
        return None
    return "link:event_then_drug"


def event_then_drug_adjective(analysis: Analysis, event: TermMatch, drug: TermMatch) -> str | None:
    """ "Impression: interstitial nephritis, likely quelvarimab-related": the drug's link adjective."""
    if event.end > drug.start:
        return None
    gap = analysis.lower[event.end : drug.start]
    if not re.match(str(_links()["event_then_drug_adjective"]), gap):
        return None
    return (
        "link:event_then_drug_adjective" if re.match(rf"[\s-]*{ADJ_LINK}\b", analysis.lower[drug.end :]) else None
    )


_TITLE_HEAD = re.compile(r"\W*(?:[a-z0-9][\w-]*\s+){0,3}")
_NOT_TITLE = re.compile(
    r"\b(?:i|we|you|my|our|about|of|any|is|are|was|were|risk|risks|worr\w*|concern\w*|rate|rates|incidence|"
    r"common|rare|uncommon|reported|seen|data|studies|trials?|how|what|can|could|may|might|does|do)\b"
)


_CASE_QUALIFIER = re.compile(
    r"\b(?:case|fatal|late-onset|early-onset|fulminant|unusual|atypical|recurrent|refractory|bilateral|rapid\w*|"
    r"new-onset|delayed|unexpected)\b"
)


def title_on_drug(analysis: Analysis, event: TermMatch, drug: TermMatch) -> str | None:
    """ "When IL-23 inhibition backfires: pneumatosis intestinalis on quelvarimab", "Late-onset X on long-term
    quelvarimab": a title naming the event on the drug, nothing said about rates, risks or worries."""
    if event.end > drug.start or not re.fullmatch(
        r"\s+on\s+(?:long-term\s+|chronic\s+)?", analysis.lower[event.end : drug.start]
    ):
        return None
    s_start, s_end = sentence_bounds(analysis, event.start)
    # the title's lead-in ends at a colon or a dash: "Images in clinical medicine — dermatomyositis on quelvarimab"
    marks = (": ", " — ", " – ", " - ")
    colon = max(
        (at + len(m) for m in marks if (at := analysis.lower.rfind(m, s_start, event.start)) >= 0), default=-1
    )
    head = analysis.lower[colon if colon >= 0 else s_start : event.start]
    tail = analysis.lower[drug.end : s_end]
    if not _TITLE_HEAD.fullmatch(head) or _NOT_TITLE.search(head) or _NOT_TITLE.search(tail):
        return None
    if colon < 0 and not _CASE_QUALIFIER.search(head):
        return None  # "Infections on quelvarimab" alone may be a topic typed as a query
    return "link:title_on_drug" if len(tail.split()) <= 3 else None


def title_pair(analysis: Analysis, event: TermMatch, drug: TermMatch) -> str | None:
    """ "Quelvarimab and breast adenomas: an unusual association." (a title naming the pair)."""
    s_start, s_end = sentence_bounds(analysis, drug.start)
    pattern = str(_links()["title_pair"]).format(
        drug=re.escape(analysis.lower[drug.start : drug.end]),
        event=re.escape(analysis.lower[event.start : event.end]),
    )
    return "link:title_pair" if re.search(pattern, analysis.lower[s_start:s_end]) else None


def dechallenge(analysis: Analysis, event: TermMatch, drug: TermMatch) -> str | None:
    """ "Quelvarimab was discontinued and pulmonary sarcoidosis resolved over 25 days": the event went when the
    drug did."""
    lower = analysis.lower
    if drug.end > event.start or not re.match(str(_links()["dechallenge_gap"]), lower[drug.end : event.start]):
        return None
    return "link:dechallenge" if re.match(str(_links()["dechallenge_after"]), lower[event.end :]) else None


def event_then_drug_discontinued(analysis: Analysis, event: TermMatch, drug: TermMatch) -> str | None:
    """ "quelvarimab was discontinued because of duodenal ulceration" (drug first, a reason link)."""
    if drug.end > event.start:
        return None
    gap = analysis.lower[drug.end : event.start]
    if _words(gap) > MAX_GAP_WORDS:
        return None
    if re.search(r"\b(?:stopped|discontinued|withdrawn|held|interrupted)\b.*\b(?:because of|due to|for)\b", gap):
        return "link:discontinued_because"
    return None


# A drug given for the event is its treatment, not its cause: "settled with cetirizine", "took Benadryl".
_TREATED_WITH = re.compile(
    r"\b(?:settled|resolved|improved|treated|managed|responded|relieved|controlled|better) (?:\w+ )?(?:with|on|to)"
    r"(?: \w+)?\s*$"
)
# After the event, "took Benadryl" / "was given prednisone" is what was done about it.
_GIVEN_AFTER = re.compile(
    r"\b(?:took|take|taking|given|gave|give|started on|put on|prescribed|needed|used)(?: \w+)?\s*$"
)


def _treatment_of_event(lower: str, drug: TermMatch, reported: list[TermMatch]) -> bool:
    before = lower[max(0, drug.start - 25) : drug.start]
    if _TREATED_WITH.search(before):
        return True
    return all(e.end <= drug.start for e in reported) and _GIVEN_AFTER.search(before) is not None


# The product is an injection: an injection anchor points at it even when it is not named.


def other_drug_only(analysis: Analysis, reported: list[TermMatch]) -> bool:
    """Every reported event shares its sentence with another named drug, and the product is not named.

    "I started mirtazapine last week and now I have urgent micturition": the event belongs to the drug
    the writer named. The caller checks that the product is not implied or in the conversation either.
    """
    lower = analysis.lower
    others = [
        m
        for m in analysis.matches
        if m.kind in (DRUG, COMPETITOR, SYSTEMIC) and not _treatment_of_event(lower, m, reported)
    ]
    if not reported or not others or any(m.kind == PRODUCT for m in analysis.matches):
        return False
    if PRODUCT_FORM.search(lower):
        return False  # "48h post-injection, settled with cetirizine": the injection is the product's
    for event in reported:
        s_start, s_end = sentence_bounds(analysis, event.start)
        if not any(s_start <= d.start < s_end for d in others):
            return False
    return True


def names_other_drug(analysis: Analysis) -> bool:
    """Another drug is named, the product is not, and no injection points at the product."""
    if any(m.kind == PRODUCT for m in analysis.matches) or PRODUCT_FORM.search(analysis.lower):
        return False
    return any(m.kind in (DRUG, COMPETITOR, SYSTEMIC) for m in analysis.matches)


@cache
def _presupposed() -> dict[str, re.Pattern[str]]:
    return {k: re.compile(str(v)) for k, v in _links().items() if k.startswith("presupposed_")}


def presupposed_link(analysis: Analysis, event: TermMatch, drug: TermMatch) -> str | None:
    """ "X and quelvarimab may explain the <event>", "no alternative explanation for the <event> ... apart from
    quelvarimab": the hedge or the negation is about the cause; the event happened."""
    lower, pattern = analysis.lower, _presupposed()
    if drug.end <= event.start and pattern["presupposed_drug_then_event"].search(lower[drug.end : event.start]):
        return "link:presupposed:drug_explains_event"
    before = lower[max(sentence_bounds(analysis, event.start)[0], event.start - 60) : event.start]
    between = lower[event.end : drug.start] if event.end <= drug.start else ""
    if pattern["presupposed_before_event"].search(before) and pattern["presupposed_event_then_drug"].search(
        between
    ):
        return "link:presupposed:other_causes_excluded"
    s_start, s_end = sentence_bounds(analysis, event.start)
    if s_start <= drug.start < s_end and pattern["presupposed_shared_cause"].search(before):
        return "link:presupposed:shared_cause"
    if (
        drug.end <= event.start
        and pattern["presupposed_causality_between"].match(lower[drug.end : event.start])
        and pattern["presupposed_causality_before_drug"].search(lower[max(s_start, drug.start - 80) : drug.start])
    ):
        return "link:presupposed:causality_assessed"  # "a probable relationship between <drug> and the X"
    if event.end <= drug.start and _words(between) <= MAX_GAP_WORDS:
        # "X was ascribed to <drug>", "X - suspected drug: <drug>", "suspects in this case of X were <drug>"
        attribution = pattern["presupposed_attribution"].match(between)
        if attribution and (len(attribution.group().split()) > 1 or pattern["presupposed_case_of"].search(before)):
            return "link:presupposed:attributed"
        # "A diagnosis of X was made, and <drug> was suspected as the cause"
        if pattern["presupposed_named_cause"].match(lower[drug.end : drug.end + 120]):
            return "link:presupposed:named_cause"
    return None


RULES: tuple[Callable[[Analysis, TermMatch, TermMatch], str | None], ...] = (
    drug_then_event,
    event_then_drug,
    event_then_drug_adjective,
    event_then_drug_discontinued,
    dechallenge,
    title_pair,
    title_on_drug,
)


def linked_report(analysis: Analysis, event: TermMatch) -> LinkHit | None:
    """The first rule that ties this event to a named drug in its sentence, if the mention is a report."""
    s_start, s_end = sentence_bounds(analysis, event.start)
    product_named = any(m.kind == PRODUCT for m in analysis.matches)
    drugs = [
        m
        for m in analysis.matches
        if m.kind in _LINK_DRUG_KINDS and s_start <= m.start < s_end and (m.kind == PRODUCT or product_named)
    ]
    if not drugs:
        return None
    if "?" not in analysis.lower[s_start:s_end]:
        for drug in drugs:
            name = presupposed_link(analysis, event, drug)
            if name is not None:
                return LinkHit(name, drug)
    if framed_away(analysis, event, s_start, s_end):
        return None
    for rule in RULES:
        for drug in drugs:
            name = rule(analysis, event, drug)
            if name is not None:
                return LinkHit(name, drug)
    return None
