"""The domain gate: is a question about the product, or about something else? Before any topic is chosen
(`about_something_else`) and after none was clear enough (`off_domain`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.routing import Parse, Thresholds
    from bot.similarity import ExampleIndex

PRODUCT = re.compile(r"\b(q(?:ue)?lv\w*|avendra\w*)", re.IGNORECASE)
# Words that refer to the product or its use without naming it ("the pen", "pt", "it"): with one, a question is
# about the product whatever else it says ...
USE_ANCHOR = (
    r"pens?|pts?|patients?|biologics?|injections?|injected|inject|self-inject\w*|msl|hcps?|prescrib\w*|vela\S*|"
    r"medical information|"
    # "it" as the product: "does it affect male fertility?", "which insurers cover it?", "starting him on it"
    r"it\s+(?:affect|cause|work|interact|increase|decrease|help|treat|contain|raise|lower|reduce|harm)\w*|"
    r"(?:cover|covers|covered|on|start|starting|prescribe|give|giving|inject|restart|restarting)\s+it"
)
PRODUCT_USE_ANCHOR = re.compile(rf"\b(?:{USE_ANCHOR})\b", re.IGNORECASE)
# ... and the label's own words ("the trials", "the ISI", "copay"), which everyday requests also use ("a copay on
# my phone bill"): an anchor for the gate, but no veto where the model is sure the subject is another.
PRODUCT_ANCHOR = re.compile(
    rf"\b(?:{USE_ANCHOR}|trials?|study|studies|label|isi|starter|co-?pay|savings card)\b", re.IGNORECASE
)


def in_domain_words(parse: Parse, index: ExampleIndex) -> bool:
    """The product named, or words only product and medical questions use."""
    return PRODUCT.search(parse.text) is not None or bool(index.domain_words(parse.text))


def names_the_product(text: str) -> bool:
    """The product named, or referred to by a word that speaks of it or its use ("the pen", "pts", "on it")."""
    return PRODUCT.search(text) is not None or PRODUCT_ANCHOR.search(text) is not None


def label_words_elsewhere(parse: Parse, t: Thresholds) -> bool:
    """The model is sure the question is off-domain, and nothing names the product or refers to its use: the
    label's words serve another subject ("why is there a copay on my phone bill", "contraindications for burpees
    with bad knees", "free perfume samples by mail"). The model learnt such requests (off_domain_traps.yml)."""
    intent, confidence = parse.top
    if intent != "out_of_scope" or confidence < t.trusted_out_of_scope:
        return False
    return PRODUCT.search(parse.text) is None and PRODUCT_USE_ANCHOR.search(parse.text) is None


def about_something_else(parse: Parse, index: ExampleIndex) -> bool:
    """The product neither named nor referred to, and more words that no product question uses than words that
    only product questions use: "can I store sourdough starter at room temperature", "what vaccines does my dog
    need", "where can I order paint colour samples" borrow the label's words for another subject."""
    if names_the_product(parse.text):
        return False
    return len(index.foreign_words(parse.text)) > len(index.domain_words(parse.text))


def off_domain(parse: Parse, index: ExampleIndex, t: Thresholds) -> bool:
    """Off-domain: no in-domain words, and the model's in-domain mass or closeness to any item is low. One
    common word the product's examples happen to use ("send", "training", "treated") is weak evidence: then
    the model's in-domain mass alone decides ("best marathon training plan" is off-domain, "which insurers
    cover it?" is not)."""
    if PRODUCT.search(parse.text) is not None or index.in_domain(parse.text):
        return False
    if index.domain_words(parse.text):
        return parse.in_domain < t.weak_domain
    return parse.in_domain < t.domain or index.nearest(parse.text) < t.domain_similarity
