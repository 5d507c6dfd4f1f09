"""Suspect product (Quelvanti in any spelling) and other products named in a message."""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance.findings import Detector, Finding, Span
from compliance.nlp.engine import COMPETITOR, DRUG, PRODUCT, SYSTEMIC, Analysis
from compliance.nlp.lexicon import get_lexicon

# Wordings that point at "the product we are talking about" without naming it.
IMPLIED_PRODUCT = re.compile(
    r"\b(?:the|this|that|her|his|their|my|your|first|second|third|last|latest|next|recent|loading|starter|each|"
    r"every|an?)\s+"
    r"(?:(?P<modifier>\w+)\s+)?(?:injection|injections|dose|doses|shot|shots|pen|pens|jab|drug|medication|"
    r"medicine|biologic|"
    r"product|il-?23|treatment|therapy|autoinjector|prefilled pen)\b|"
    r"\bon it\b|\bsince starting\b|\bafter starting\b|\bstarted it\b"
)


# On the brand's own site a bare pronoun means the product too ("can it be given with methotrexate?"); kept out
# of IMPLIED_PRODUCT, which ties reported events to the product, and used only to tell whether a question that
# names another medicine is about Quelvanti at all.
PRONOUN_REFERENCE = re.compile(r"\b(?:it|its|this (?:drug|medication|medicine|biologic|product))\b")


@dataclass(frozen=True)
class ProductResult:
    """Products named in the message."""

    products: list[str]
    suspect_named: bool
    suspect_implied: bool
    competitors: list[str]
    findings: list[Finding]
    # Every implied reference is generic ("the medicine", "it"), none a form of the product ("the shot").
    implied_generic: bool = False


def detect_products(analysis: Analysis) -> ProductResult:
    """Find Quelvanti (any spelling) and other products; note an implied reference to Quelvanti."""
    findings: list[Finding] = []
    products: list[str] = []
    competitors: list[str] = []
    for m in analysis.of_kind(PRODUCT, COMPETITOR):
        s, e = analysis.to_original(m.start, m.end)
        if m.label not in products:
            products.append(m.label)
        if m.kind == COMPETITOR and m.label not in competitors:
            competitors.append(m.label)
        findings.append(
            Finding(
                Detector.PRODUCT,
                m.label,
                Span(s, e),
                f"product:{m.rule}",
                m.text,
                0.9 if m.rule == "fuzzy" else 1.0,
                "suspect product" if m.kind == PRODUCT else "other product named",
            )
        )
    named = any(m.kind == PRODUCT for m in analysis.matches)
    lexicon = get_lexicon()
    others = {(o.start, o.end) for o in analysis.of_kind(COMPETITOR, DRUG, SYSTEMIC)}

    def another_drugs_form(m: re.Match[str]) -> bool:
        """ "an ozempic pen", "my humira pen", "the insulin injection": that drug's own form, not the product's."""
        word = m.group("modifier")
        return word is not None and (word in lexicon.drugs or (m.start("modifier"), m.end("modifier")) in others)

    heads = [m.group().split()[-1] for m in IMPLIED_PRODUCT.finditer(analysis.lower) if not another_drugs_form(m)]
    generic = bool(heads) and all(h in lexicon.generic_references for h in heads)
    return ProductResult(products, named, bool(heads), competitors, findings, generic)


def refers_to_product(analysis: Analysis, result: ProductResult) -> bool:
    """Quelvanti named, implied ("the pen", "since starting") or meant by a pronoun."""
    return result.suspect_named or result.suspect_implied or PRONOUN_REFERENCE.search(analysis.lower) is not None
