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
    r"\b(?:new(?! (?:patient|pt|referral|consult))|newly|developed|develop|since|after|following|started|onset|"
    r"worse|worsening|now|recent\w*|induced|due to|caused|because|flare\w*|got|became|then|post|s/p|later|"
    r"subsequent\w*|stopped|held)\b"
)


# A question about the cause ("is quelvanti the cause?", "could it be quelvanti?", "a reaction to it?") asks about
# an event, whatever the condition's place in the sentence: never background.
_CAUSE_ASKED = re.compile(
    r"\b(?:caus\w*|due to|from|related to|linked|link|reaction|side[- ]effects?|blame\w*|"
    r"because of (?:it|this|that|the (?:drug|medicine|medication|injections?|shots?)|" + BRAND + r")|"
    r"responsible|associated|trigger\w*|could (?:it|this|that) be|is (?:it|this|that)|(?:it|this|that) is)\b"
)


# The question is about starting the product or using it beside the patient's medicines: "Can she start Quelvanti
# with her current regimen?", "Is Quelvanti compatible with his meds?", "Has quelvarimab been studied with
# simvastatin?", "Wants Quelvanti for psoriasis. Anything I should know about co-medication?".
_BEFORE_STARTING = re.compile(
    r"\b(?:can (?:she|he|they|i|we|the patient|the pt) (?:start|begin|initiate|get|have|be started on)|"
    r"(?:start|starting|initiate|initiating|begin|beginning) (?:her|him|them|the patient|the pt|my patient) on|"
    r"wants|considering|candidate for|new patient|before starting|before initiation|initiation|thinking of|"
    r"pre-?biologic|checklist|(?:can|could) \w+ be added|(?:starting|planning|initiating) " + BRAND + r"|"
    r"earliest (?:i|we) can (?:give|start)|baseline work-?up|(?:ok|okay) to go ahead|go ahead with|"
    r"(?:i'd|i would|we'd|we would) like to start|"
    # the dose for the vignette's patient: "Does the dose of quelvanti need to be changed because of her age?"
    r"dose (?:\w+ ){0,3}(?:need to be |be |to be )?(?:changed|adjusted|modified|reduced)|dose adjustments?|"
    r"because of (?:her|his|their) age|age-related|"
    r"(?:compatible|safe|ok|okay|suitable|fine) with (?:her|his|their|the patient's|my patient's) (?:\w+ )?"
    r"(?:meds|medications|medicines|regimen|drugs|treatment)|(?:been )?studied (?:with|alongside|in combination)|"
    r"co-?medications?|concomitant (?:meds|medications|medicines)|"
    r"current (?:regimen|meds|medications|medicines))\b"
)
# A vignette's description of its patient: "Patient is 51, sleep apnea, ...", "34M with ...", "Pt has X.",
# "New patient: 26, hypertension, ...".
_VIGNETTE_PATIENT = re.compile(
    r"\b(?:pt|patient|new patient|he|she)(?: is| has|:)?\s*,?\s*\d{0,3}\b|"
    r"\b\d{1,3}\s?-?(?:[mf]|yo|y/o|yrs?|years?)\b|\b(?:male|female|man|woman),?\s*\d{1,3}\b"
)


def described_comorbidity(analysis: Analysis, m: TermMatch) -> bool:
    """The event is one of the conditions the question's patient is described with, before any product: in the
    same sentence ("59-year-old with hypertension and ... - any dose change for quelvanti?"), or in a vignette
    whose question is about starting the product beside the patient's medicines."""
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
    if DESCRIBED_WITH.search(lower[seg.sentence_start : m.start]) is not None:
        return True
    product_in_sentence = any(seg.sentence_start <= p.start < seg.sentence_end for p in analysis.of_kind(PRODUCT))
    return (
        not product_in_sentence
        and _BEFORE_STARTING.search(lower) is not None
        and _VIGNETTE_PATIENT.search(lower) is not None
    )
