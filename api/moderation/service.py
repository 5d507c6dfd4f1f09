"""The API's use of the compliance library: the one place that calls `compliance.assess`."""

from __future__ import annotations

from dataclasses import dataclass

from compliance import Assessment, assess


@dataclass(frozen=True)
class ModerationContext:
    """What the conversation so far tells the compliance layer."""

    product_in_conversation: bool = False
    # None lets the library judge from the text alone ("I'm Dr. ...").
    reporter_identified: bool | None = None


def moderate(text: str, context: ModerationContext | None = None) -> Assessment:
    """Assess one message; the library never raises and fails closed to a review hold."""
    context = context or ModerationContext()
    flags: dict[str, bool] = {"product_in_conversation": context.product_in_conversation}
    if context.reporter_identified is not None:
        flags["reporter_identified"] = context.reporter_identified
    return assess(text, flags)


# Off-label kinds for which an approved, non-promotional reactive statement exists: the HCP sees it
# beside the referral to Medical Information (the request is still recorded for Medical Information).
REACTIVE_TOPICS = {"indication": "indication", "population": "pediatric"}


def reactive_topic(assessment: Assessment) -> str | None:
    """The approved item topic that answers an off-label request's kind, if any."""
    for finding in assessment.findings:
        payload = finding.to_dict()
        label = str(payload.get("label"))
        if payload.get("detector") == "off_label" and label in REACTIVE_TOPICS:
            return REACTIVE_TOPICS[label]
    return None


def warm_up() -> None:
    """Build the spaCy pipeline before the first message arrives."""
    moderate("warm-up message about Quelvanti")
