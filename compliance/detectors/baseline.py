"""Conditions that describe the patient before the product, in a question about it: not events.

"82-year-old with hypertension, osteoarthritis and moderate plaque psoriasis. Any age-related considerations for
quelvanti?", "I have a 52 y/o man with plaque psoriasis, hypertension and hyperlipidemia ... Is he within the
labelled population?": the vignette's conditions are the patient's background. Only where nothing puts the
patient on the product, nothing says the condition is new or came after something, and the message asks.
"""

from __future__ import annotations

import re

from compliance.nlp.brand import BRAND
from compliance.nlp.cues import EXPOSURE
from compliance.nlp.engine import PRODUCT, Analysis, TermMatch
from compliance.nlp.report_cues import DESCRIBED_WITH

# The patient on the product already, or a dose of it given ("currently on cyclosporine" is another drug).
_ON_PRODUCT = re.compile(
    r"\b(?:on|taking|takes|using|uses|use|receiving|received|started|starting|since|after|post|been on|"
    r"injected)\s+"
    r"(?:(?:her|his|the|their|a|an|each|every|first|second|third|last|latest|\w+)\s+){0,2}"
    r"(?:" + BRAND + r"|doses?|injections?|shots?|pens?|it)\b"
)
# Anything that makes it new or ties it to a time or a cause.
_CHANGE = re.compile(
    r"\b(?:new|newly|developed|develop|since|after|following|started|onset|worse|worsening|now|recent\w*|"
    r"induced|due to|caused|because|flare\w*|got|became|then|post|s/p|later|subsequent\w*|stopped|held)\b"
)


# A question about the cause ("is quelvanti the cause?", "could it be quelvanti?", "a reaction to it?") asks about
# an event, whatever the condition's place in the sentence: never background.
_CAUSE_ASKED = re.compile(
    r"\b(?:caus\w*|due to|from|related to|linked|link|reaction|side[- ]effects?|because|blame\w*|"
    r"responsible|associated|trigger\w*|could (?:it|this|that) be|is (?:it|this|that)|(?:it|this|that) is)\b"
)


def described_comorbidity(analysis: Analysis, m: TermMatch) -> bool:
    """The event is one of the conditions the question's patient is described with, before any product."""
    lower = analysis.lower
    if "?" not in lower or not analysis.of_kind(PRODUCT):
        return False
    if _ON_PRODUCT.search(lower) or _CAUSE_ASKED.search(lower):
        return False
    seg = analysis.segment_of(m.start)
    sentence = lower[seg.sentence_start : seg.sentence_end]
    if _CHANGE.search(sentence) or (
        EXPOSURE.search(sentence)
        and any(seg.sentence_start <= p.start < seg.sentence_end for p in analysis.of_kind(PRODUCT))
    ):
        return False
    return DESCRIBED_WITH.search(lower[seg.sentence_start : m.start]) is not None
