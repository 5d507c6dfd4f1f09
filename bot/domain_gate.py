"""The domain gate: is a question about the product, or about something else? Before any topic is chosen
(`about_something_else`) and after none was clear enough (`off_domain`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.routing import Parse, Thresholds
    from bot.similarity import ExampleIndex

PRODUCT = re.compile(r"\b(q(?:ue)?lv\w*|avendra\w*)", re.IGNORECASE)
# Words that refer to the product or its use without naming it ("the pen", "pt", "the trials"): with one, a
# question is about the product whatever else it says.
PRODUCT_ANCHOR = re.compile(
    r"\b(?:pens?|pts?|patients?|trials?|study|studies|biologics?|injections?|injected|inject|self-inject\w*|msl|"
    r"hcps?|prescrib\w*|label|isi|vela\S*|medical information|starter|co-?pay|savings card|"
    # "it" as the product: "does it affect male fertility?", "which insurers cover it?", "starting him on it"
    r"it\s+(?:affect|cause|work|interact|increase|decrease|help|treat|contain|raise|lower|reduce|harm)\w*|"
    r"(?:cover|covers|covered|on|start|starting|prescribe|give|giving|inject|restart|restarting)\s+it)\b",
    re.IGNORECASE,
)


def in_domain_words(parse: Parse, index: ExampleIndex) -> bool:
    """The product named, or words only product and medical questions use."""
    return PRODUCT.search(parse.text) is not None or bool(index.domain_words(parse.text))


def about_something_else(parse: Parse, index: ExampleIndex) -> bool:
    """The product neither named nor referred to, and more words that no product question uses than words that
    only product questions use: "can I store sourdough starter at room temperature", "what vaccines does my dog
    need", "where can I order paint colour samples" borrow the label's words for another subject."""
    if PRODUCT.search(parse.text) is not None or PRODUCT_ANCHOR.search(parse.text) is not None:
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
