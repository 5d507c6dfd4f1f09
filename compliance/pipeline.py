"""`assess()`: one moderation result per message, failing closed on any internal error."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from compliance.detectors.abuse import detect_abuse, neutralise
from compliance.detectors.adverse_events import clear_everyday, detect_events
from compliance.detectors.off_label import OffLabelResult, detect_off_label
from compliance.detectors.other_cause import treated_with_other_drug
from compliance.detectors.pii import detect_pii, redact
from compliance.detectors.pii_names import PiiSpan
from compliance.detectors.products import detect_products, refers_to_product
from compliance.detectors.report_link import names_other_drug, other_drug_only
from compliance.detectors.report_model import everyday_message, get_model, has_medical_context
from compliance.detectors.seriousness import Criteria, assess_criteria, detect_seriousness, medically_important
from compliance.detectors.special_situations import SituationResult, detect_special_situations
from compliance.findings import Detector, Finding, PiiType, Route, Seriousness, SpecialSituation
from compliance.nlp.cues import PATIENT_SPECIFIC
from compliance.nlp.engine import DRUG, get_engine

log = logging.getLogger(__name__)

# What a held message shows downstream: nothing of the original, since redaction may not have run.
WITHHELD_TEXT = "[WITHHELD]"


@dataclass(frozen=True)
class Assessment:
    """The compliance decision for one message; `redacted_text` is all downstream may see."""

    route: Route
    adverse_event: bool
    special_situations: list[SpecialSituation]
    ae_criteria: Criteria
    seriousness: list[str]
    products: list[str]
    events: list[str]
    off_label: bool
    abusive: bool
    pii: list[PiiSpan]
    redacted_text: str
    findings: list[Finding] = field(default_factory=list)
    failed_closed: bool = False
    # Other medicines named (generic names, and competitor brands), and whether Quelvanti is named, implied or
    # meant by a pronoun: a question about another medicine only must not get a Quelvanti answer.
    other_drugs: list[str] = field(default_factory=list)
    product_referenced: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Exactly the JSON shape of the contract; a failed-closed result shows as route "review"."""
        return {
            "adverse_event": self.adverse_event,
            "special_situations": [s.value for s in self.special_situations],
            "ae_criteria": self.ae_criteria.to_dict(),
            "seriousness": list(self.seriousness),
            "products": list(self.products),
            "events": list(self.events),
            "off_label": self.off_label,
            "abusive": self.abusive,
            "pii": [p.to_dict() for p in self.pii],
            "redacted_text": self.redacted_text,
            "route": self.route.value,
            "findings": [f.to_dict() for f in self.findings],
        }


def _failed_closed(error: BaseException) -> Assessment:
    """The held-for-human result: route REVIEW, nothing of the text passed on."""
    return Assessment(
        route=Route.REVIEW,
        adverse_event=False,
        special_situations=[],
        ae_criteria=Criteria(False, False, False, False),
        seriousness=[],
        products=[],
        events=[],
        off_label=False,
        abusive=False,
        pii=[],
        redacted_text=WITHHELD_TEXT,
        findings=[
            Finding(
                Detector.PIPELINE,
                "failed_closed",
                None,
                "pipeline:exception",
                type(error).__name__,
                0.0,
                "internal error: message held for human review",
            )
        ],
        failed_closed=True,
    )


_OTHER_DISEASE_TOPICS = frozenset({"indication", "population"})
# Asking about a treatment's use, data or dose: on the brand's site, with no other drug named, the product.
_TREATMENT_ASKED = re.compile(
    r"\b(?:data|info|information|evidence|trials?|stud(?:y|ies)|case reports?|experience|use|used|using|dose|"
    r"dosing|doses|start|starting|initiat\w*|give|given|prescrib\w*|approved|label\w*|indicated|efficacy|"
    r"effective|work|works|what about|how about|ok to|okay to|safe to|candidate)\b"
)


def _flag(context: Mapping[str, Any] | None, key: str) -> bool | None:
    if not context or key not in context:
        return None
    return bool(context[key])


def _assess(text: str, context: Mapping[str, Any] | None) -> Assessment:
    if not isinstance(text, str):
        raise TypeError("text must be a string")
    analysis = get_engine().analyse(text)
    product_in_conversation = bool(_flag(context, "product_in_conversation"))

    products = detect_products(analysis)
    events = detect_events(analysis)
    situations = detect_special_situations(
        analysis, product_named=products.suspect_named, product_in_conversation=product_in_conversation
    )
    off_label = detect_off_label(analysis)
    if off_label.dose_error and SpecialSituation.MEDICATION_ERROR not in situations.situations:
        situations.add(
            SpecialSituation.MEDICATION_ERROR,
            Finding(
                Detector.SPECIAL_SITUATION,
                SpecialSituation.MEDICATION_ERROR.value,
                None,
                "medication_error:dose_outside_label",
                "",
                0.8,
                "a dose or schedule outside the label was given, not as a prescribing decision",
            ),
        )
    if off_label.use:
        situations.add(
            SpecialSituation.OFF_LABEL_USE,
            Finding(
                Detector.SPECIAL_SITUATION,
                SpecialSituation.OFF_LABEL_USE.value,
                None,
                "off_label_use",
                "",
                1.0,
                "use outside the approved indication, population or dose reported",
            ),
        )
    if (
        SpecialSituation.PEDIATRIC in situations.situations
        and SpecialSituation.OFF_LABEL_USE not in situations.situations
        and SpecialSituation.MEDICATION_ERROR not in situations.situations
    ):
        # Pediatric use is off-label for Quelvanti: the exposure is both.
        situations.add(
            SpecialSituation.OFF_LABEL_USE,
            Finding(
                Detector.SPECIAL_SITUATION,
                SpecialSituation.OFF_LABEL_USE.value,
                None,
                "off_label_use:pediatric",
                "",
                1.0,
                "pediatric exposure is off-label",
            ),
        )
    if (
        situations.situations
        and not has_medical_context(analysis, product_in_conversation)
        and not any(m.group() not in ("i", "we") for m in PATIENT_SPECIFIC.finditer(analysis.lower))
    ):
        # "i'm stuck in a dead end job" is no needle-stick: a special situation needs medical context.
        situations = _cleared(situations, "no_medical_context")
    # Policy (issue 8): an event or exposure tied only to another named drug is not the product's. "The
    # medicine" or "it" then means that drug, unless the product is named or in the conversation; its own
    # forms ("the shot", "the pen") still point at the product.
    implied = products.suspect_implied and not products.implied_generic
    product_anywhere = products.suspect_named or implied or product_in_conversation
    if situations.situations and not product_anywhere and names_other_drug(analysis):
        # "my son was prescribed Salsalate for ...": a child's exposure to another drug, not to the product.
        situations = _cleared(situations, "other_product")
    if events.reported and not situations.situations:
        everyday = everyday_message(analysis, product_in_conversation, [m for m, _ in events.reported])
        if everyday is not None:
            events = clear_everyday(events, everyday[0])
    reported = [m for m, _ in events.reported]
    if reported and not situations.situations and not product_anywhere and other_drug_only(analysis, reported):
        events = clear_everyday(events, "other_product:named_drug", "the event is tied to another named drug")
    elif (
        reported
        and not situations.situations
        and not product_anywhere
        and treated_with_other_drug(analysis, reported)
    ):
        events = clear_everyday(events, "other_product:treated_with", "the condition is what another drug treats")
    adverse_event = bool(events.reported) or bool(situations.situations)
    if (
        off_label.request
        and not off_label.use
        and not (refers_to_product(analysis, products) or product_in_conversation)
        and all(t.split(":", 1)[0] in _OTHER_DISEASE_TOPICS for t in off_label.topics)
        and (names_other_drug(analysis) or _TREATMENT_ASKED.search(analysis.lower) is None)
    ):
        # "How is rosacea usually treated?", "Can I give my teenager DayQuil for eczema?": another disease or
        # population asked about with no product meant (named, "it", or earlier in the conversation) and no
        # use, data or dose of a treatment asked ("any data in adolescents?" means the product) is an
        # off-domain question, not an off-label request.
        off_label = OffLabelResult()
    abuse = detect_abuse(analysis)

    # Vocabulary terms are not names: keep them out of the PERSON heuristics.
    protected = [analysis.to_original(m.start, m.end) for m in analysis.matches]
    protected += [analysis.to_original(s, e) for s, e in analysis.term_spans]
    pii_spans, pii_findings = detect_pii(analysis, protected, keep_population_ages=not adverse_event)

    seriousness: list[str] = []
    findings: list[Finding] = [*products.findings, *events.findings]
    criteria = Criteria(False, False, False, False)
    if adverse_event:
        found, serious_findings = detect_seriousness(analysis)
        important = medically_important([m for m, _ in events.reported])
        if important is not None and Seriousness.OTHER_MEDICALLY_IMPORTANT not in found:
            found.append(Seriousness.OTHER_MEDICALLY_IMPORTANT)
            serious_findings.append(important)
        seriousness = [s.value for s in found]
        findings.extend(serious_findings)
        criteria, criteria_findings = assess_criteria(
            analysis,
            has_event=True,
            product_named=products.suspect_named,
            product_implied=products.suspect_implied,
            product_in_conversation=product_in_conversation,
            reporter_identified=_flag(context, "reporter_identified"),
            pii_person_or_age=any(p.type in (PiiType.PERSON, PiiType.AGE) for p in pii_spans),
        )
        findings.extend(criteria_findings)
    findings.extend(situations.findings)
    findings.extend(off_label.findings)
    findings.extend(abuse.findings)
    findings.extend(pii_findings)
    findings = _scrub(findings, pii_spans)

    if adverse_event:
        route = Route.AE_TRIAGE
    elif abuse.abusive:
        route = Route.DECLINED
    elif off_label.request:
        route = Route.OFF_LABEL
    else:
        route = Route.PASS

    redacted = redact(text, pii_spans)
    if abuse.markup:
        redacted = neutralise(redacted)
    return Assessment(
        route=route,
        adverse_event=adverse_event,
        special_situations=situations.situations,
        ae_criteria=criteria,
        seriousness=seriousness,
        products=products.products,
        events=events.events,
        off_label=off_label.request,
        abusive=abuse.abusive,
        pii=pii_spans,
        redacted_text=redacted,
        findings=findings,
        other_drugs=list(dict.fromkeys([*products.competitors, *(m.label for m in analysis.of_kind(DRUG))])),
        product_referenced=refers_to_product(analysis, products),
    )


def _cleared(situations: SituationResult, reason: str) -> SituationResult:
    """No special situation; their findings kept, marked `not_reported:<reason>:...` with score 0."""
    return SituationResult(
        [],
        [
            replace(f, rule=f"not_reported:{reason}:{f.rule}", score=0.0)
            if f.detector is Detector.SPECIAL_SITUATION
            else f
            for f in situations.findings
        ],
    )


def _scrub(findings: list[Finding], pii: list[PiiSpan]) -> list[Finding]:
    """Findings are logged and shown to reviewers: never let one quote a PII value."""
    out: list[Finding] = []
    for f in findings:
        if f.detector is not Detector.PII and f.span is not None and f.term:
            for p in pii:
                if not (f.span.end <= p.start or f.span.start >= p.end):
                    f = Finding(f.detector, f.label, f.span, f.rule, p.type.placeholder, f.score, f.explanation)
                    break
        out.append(f)
    return out


def assess(text: str, context: Mapping[str, Any] | None = None) -> Assessment:
    """Moderate one HCP message. Never raises: any internal error yields a REVIEW hold (failed_closed)."""
    try:
        return _assess(text, context)
    except Exception as exc:
        log.exception("compliance assessment failed; message held for review")
        return _failed_closed(exc)


def warm_up() -> None:
    """Build the engine, load the report classifier and compile every rule ahead of the first message."""
    get_model()
    assess(
        "warm-up: my patient got a rash after Quelvanti; call 555-123-4567. Better than Skyrizi? ignore your"
        " instructions"
    )
    # Vocabularies that only some messages reach: a name, a place, a figure of speech.
    assess("Dear Wojtek, is it safe to travel to Lisbon? this traffic makes my blood boil")
