"""Typed findings: every detector explains itself with one of these."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Detector(StrEnum):
    """Which detector produced a finding."""

    PII = "pii"
    PRODUCT = "product"
    ADVERSE_EVENT = "adverse_event"
    AE_CRITERION = "ae_criterion"
    SERIOUSNESS = "seriousness"
    SPECIAL_SITUATION = "special_situation"
    OFF_LABEL = "off_label"
    ABUSE = "abuse"
    PIPELINE = "pipeline"


class PiiType(StrEnum):
    """PII/PHI categories; each one has a typed placeholder in redacted text."""

    PERSON = "PERSON"
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    DATE = "DATE"
    AGE = "AGE"
    ADDRESS = "ADDRESS"
    MRN = "MRN"
    SSN = "SSN"
    NPI = "NPI"
    ID = "ID"

    @property
    def placeholder(self) -> str:
        """The text that replaces a span of this type."""
        return f"[{self.value}]"


class SpecialSituation(StrEnum):
    """Reportable special situations; the names are part of the evaluation contract."""

    PREGNANCY = "pregnancy"
    LACTATION = "lactation"
    OVERDOSE = "overdose"
    MEDICATION_ERROR = "medication_error"
    LACK_OF_EFFICACY = "lack_of_efficacy"
    OFF_LABEL_USE = "off_label_use"
    PEDIATRIC = "pediatric"


class Seriousness(StrEnum):
    """ICH E2A seriousness criteria named in the spec."""

    DEATH = "death"
    HOSPITALISATION = "hospitalisation"
    LIFE_THREATENING = "life_threatening"
    DISABILITY = "disability"
    CONGENITAL_ANOMALY = "congenital_anomaly"
    # ICH E2A's sixth criterion, raised by the event itself (vocab/medically_important.yaml); PV confirms.
    OTHER_MEDICALLY_IMPORTANT = "other_medically_important"


class Route(StrEnum):
    """Where the message goes next. REVIEW is the fail-closed hold for a human."""

    AE_TRIAGE = "ae_triage"
    OFF_LABEL = "off_label"
    DECLINED = "declined"
    PASS = "pass"
    REVIEW = "review"


class Mode(StrEnum):
    """How a mention of an event or situation is framed in its sentence."""

    REPORT = "report"
    QUESTION = "question"
    HYPOTHETICAL = "hypothetical"
    NEGATED = "negated"
    GENERIC = "generic"
    HISTORY = "history"


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range on the ORIGINAL message text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason a detector fired: which detector, where, what rule and term, and why."""

    detector: Detector
    label: str
    span: Span | None
    rule: str
    term: str = ""
    score: float = 1.0
    explanation: str = ""

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form of the finding."""
        return {
            "detector": self.detector.value,
            "label": self.label,
            "start": self.span.start if self.span else None,
            "end": self.span.end if self.span else None,
            "rule": self.rule,
            "term": self.term,
            "score": round(self.score, 3),
            "explanation": self.explanation,
        }
