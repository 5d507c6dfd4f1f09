"""Events with a clear cause other than the product: another drug's indication, an accident, a stated cause."""

from __future__ import annotations

import re

from compliance.detectors.ae_patterns import (
    _CAUSED_BY_OTHER,
    _INJURY_CAUSE,
    _INJURY_LABELS,
    _OTHER_CAUSE,
    _OTHER_PRODUCT_CAUSE,
    _PRODUCT_OR_DOSE,
    _UNRELATED,
)
from compliance.nlp.brand import BRAND
from compliance.nlp.clauses import clause_bounds, exposure_anchored
from compliance.nlp.engine import COMPETITOR, DRUG, PRODUCT, SYSTEMIC, Analysis, TermMatch

# What the event stops the patient doing is not its cause: "muscle pain so bad that stairs are impossible".
_CONSEQUENCE = re.compile(
    r"\b(?:stairs|ladders?|running|walking|climbing|sports?|the gym) (?:is|are|was|were|became|feel) (?:\w+ )?"
    r"(?:impossible|hard|difficult|a struggle|painful|agony)|can(?:'t|not|no longer) (?:\w+ )?(?:climb|take|"
    r"manage|do|walk up) (?:the |any )?stairs|(?:impossible|hard|difficult|struggles?) to (?:climb|walk|run)\b"
)


# "<other drug> for <condition>": the condition is what the other drug treats.
_FOR_CONDITION = re.compile(
    r"^\s*(?:\d+(?:\.\d+)?\s*(?:mg|mcg|g)\s+)?(?:daily\s+|weekly\s+|prophylaxis\s+|prophylactically\s+)?"
    r"for\s+(?:(?:her|his|their|the|a|an|its)\s+)?"
    r"(?:(?:severe|mild|moderate|chronic|uncontrolled|refractory|active|recurrent|persistent|acute)\s+)*$"
)


# "Is it OK to take ibuprofen for a headache if I'm on Quelvanti?": being on the product is the question's
# condition, not a link between the product and the headache.
_WHILE_ON_PRODUCT = re.compile(
    r"\b(?:if|while|whilst|when|as)\s+(?:[\w']+\s+){0,3}?(?:on|taking|using|receiving)\s+(?:" + BRAND + r")\b"
)
_ASKS_TO_TAKE = re.compile(
    r"\b(?:(?:is it|it's|is that)\s+(?:ok|okay|safe|fine|alright|all right)|can (?:i|we|you|she|he|they)|"
    r"should (?:i|we|she|he|they)|may (?:i|she|he|they))\s+(?:to\s+)?(?:\w+\s+)?(?:take|use|have|give)\b"
)


# The other drug referred back to: "is there a generic for atorvastatin? taking it for high cholesterol",
# "should I take spironolactone at night? It's for my hormonal acne".
_PRONOUN_FOR = re.compile(
    r"\b(?:(?:taking|take|takes|took|using|use|uses|on|prescribed|given|gave me)\s+(?:it|them|this|that|these|"
    r"those)|it's|it is|its|they're|they are|this is|that's|that is)\s+(?:\w+\s+)?for\s+"
    r"(?:(?:my|her|his|their|the|a|an|its)\s+)?(?:[\w-]+\s+){0,2}$"
)


# The condition, then the other drug given for it: "diagnosed with anxiety last week and the doctor gave me
# Lexapro".
_GIVEN_FOR_IT = re.compile(
    r"^[^.?!]{0,60}?\b(?:gave|prescribed|started|put|placed|switched)\s+(?:me|her|him|them|us)?\s*(?:on\s+)?"
    r"(?:a\s+|some\s+)?$"
)
_SINCE_OR_AFTER = re.compile(r"\b(?:since|after|following|post|from|because of|due to|caused|triggered)\b")


def _other_drug_indication(analysis: Analysis, m: TermMatch) -> bool:
    """ "Can we start QLV while she is still taking rifampin for latent TB?", "my patient takes apixaban for atrial
    fibrillation": the condition another drug is taken for is its indication, not an event (unless the sentence
    ties it to the product: "doxycycline for the rash that appeared after QLV")."""
    seg = analysis.segment_of(m.start)
    sentence = analysis.lower[seg.sentence_start : seg.sentence_end]
    if "?" in sentence and _ASKS_TO_TAKE.search(sentence):
        sentence = _WHILE_ON_PRODUCT.sub(" ", sentence)
    if (
        _PRONOUN_FOR.search(analysis.lower, max(0, m.start - 60), m.start)
        and any(d.kind in (DRUG, SYSTEMIC, COMPETITOR) and d.end <= m.start for d in analysis.matches)
        and not analysis.of_kind(PRODUCT)
        and not _SINCE_OR_AFTER.search(sentence)
    ):
        return True
    if exposure_anchored(sentence):
        return False
    return any(
        d.kind in (DRUG, SYSTEMIC, COMPETITOR)
        and d.end <= m.start
        and _FOR_CONDITION.match(analysis.lower[d.end : m.start])
        for d in analysis.matches
    )


def treated_with_other_drug(analysis: Analysis, reported: list[TermMatch]) -> bool:
    """Every reported condition is followed by another drug given for it, with nothing tying it to a time or a
    cause: "I was diagnosed with anxiety last week and the doctor gave me Lexapro". The caller checks that the
    product is neither named, implied nor in the conversation (then it would be a report on the product)."""
    drugs = analysis.of_kind(DRUG, SYSTEMIC, COMPETITOR)
    if not reported or not drugs:
        return False
    for m in reported:
        seg = analysis.segment_of(m.start)
        if _SINCE_OR_AFTER.search(analysis.lower[seg.sentence_start : seg.sentence_end]):
            return False
        if not any(d.start > m.end and _GIVEN_FOR_IT.match(analysis.lower[m.end : d.start]) for d in drugs):
            return False
    return True


def other_cause(analysis: Analysis, m: TermMatch) -> str | None:
    """The rule when the event has a clear cause other than the product, else None."""
    lower = analysis.lower
    if _other_drug_indication(analysis, m):
        return "other_drug_indication"
    if _OTHER_PRODUCT_CAUSE.match(lower, m.end):
        return "other_product"
    seg = analysis.segment_of(m.start)
    sentence = lower[seg.sentence_start : seg.sentence_end]
    if (
        m.label in _INJURY_LABELS
        and (_OTHER_CAUSE.search(sentence) or _INJURY_CAUSE.search(sentence))
        and not _CONSEQUENCE.search(sentence)
    ):
        return "other_cause"  # a fracture when skiing is the skiing, whatever else the sentence says
    cs, ce = clause_bounds(analysis, m.start)
    clause = lower[cs:ce]
    if _OTHER_CAUSE.search(clause) and not exposure_anchored(clause):
        return "other_cause"
    # "headache started after a car accident, not related to the drug obviously": a stated other cause
    # plus the writer's own denial of a link. ("started" alone reads as starting treatment, so the
    # clause test above does not see it.)
    if _OTHER_CAUSE.search(sentence) and _UNRELATED.search(sentence):
        return "other_cause"
    cause = _CAUSED_BY_OTHER.search(clause)
    if cause is not None and not _PRODUCT_OR_DOSE.search(clause):
        return "other_cause"
    # "... at the beach, can she inject into the burned area?": an anaphoric mention shares the cause.
    anaphoric = re.search(r"\b(?:the|that|this|those|these)\s+$", lower[max(0, m.start - 8) : m.start])
    if anaphoric and _OTHER_CAUSE.search(sentence) and not exposure_anchored(sentence):
        return "other_cause"
    return None
