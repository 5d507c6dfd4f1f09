"""Bodies of the PV JSON API: the case queue, one case in full, PV's corrections and actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from api import strings
from api.ae_cases.models import (
    AE_CASE_WORKFLOW,
    SERIOUSNESS_CRITERIA,
    SPECIAL_SITUATIONS,
    AeCase,
    AeCaseExport,
    AeCaseFollowUp,
    AeCaseStatus,
    AgeGroup,
    CloseReason,
    ContactChannel,
    FollowUpOutcome,
    FollowUpQuestion,
    Qualification,
    Sex,
)
from api.conversations.models import Exchange, Route
from api.conversations.schemas import ReplyOut
from api.errors import InvalidInput

MAX_NOTE_CHARS = 500
MAX_TERMS, MAX_TERM_CHARS = 20, 200
MAX_NARRATIVE_CHARS, MAX_CODING_CHARS = 8000, 2000
INITIALS_PATTERN = r"^[A-Z](\.?[A-Z]){0,4}\.?$"


def day_of(case: AeCase, now: dt.datetime) -> int:
    """The case's reporting clock: day 0 is the day the message was received."""
    return max(0, (now - case.awareness_at) // dt.timedelta(days=1))


class AeCaseSummary(BaseModel):
    """One row of the PV queue: which case, how urgent, and what is missing. Text here is redacted."""

    id: str
    case_number: str = Field(description="Worldwide unique case identifier (E2B C.1.8.1), stable across versions.")
    status: AeCaseStatus
    serious: bool
    seriousness: list[str]
    special_situations: list[str]
    products: list[str]
    events: list[str]
    criteria: dict[str, bool] = Field(description="The four minimum criteria of a valid case.")
    missing_criteria: list[str]
    valid_case: bool
    awareness_at: dt.datetime = Field(description="Day 0: when the message was received.")
    due_at: dt.datetime
    day: int = Field(description="Days since receipt (day 0 = the day of receipt).")
    seconds_left: int = Field(description="Until the regulatory due time; negative once breached.")
    escalated: bool

    @classmethod
    def of(cls, case: AeCase, now: dt.datetime) -> AeCaseSummary:
        """From a case, at a moment."""
        return cls(
            id=case.id,
            case_number=case.case_number,
            status=case.status,
            serious=case.serious,
            seriousness=list(case.seriousness),
            special_situations=list(case.special_situations),
            products=list(case.products),
            events=list(case.events),
            criteria=case.criteria,
            missing_criteria=case.missing_criteria,
            valid_case=case.is_valid_case,
            awareness_at=case.awareness_at,
            due_at=case.due_at,
            day=day_of(case, now),
            seconds_left=int((case.due_at - now).total_seconds()),
            escalated=case.escalated_at is not None,
        )


class AeCasePage(BaseModel):
    """One page of the queue, soonest due first, and how many cases match."""

    items: list[AeCaseSummary]
    total: int
    offset: int
    limit: int


class MessageOut(BaseModel):
    """One HCP message of the case's conversation, as stored (redacted), with the approved replies."""

    sequence: int
    text: str
    received_at: dt.datetime
    route: Route | None
    compliance_route: str | None
    part_of_case: str | None = Field(description="'report' or 'follow-up' when this message belongs to the case.")
    replies: list[ReplyOut]


class FollowUpOut(BaseModel):
    """A chat answer attached to the case (redacted; its verbatim text is read on request, audited)."""

    question: FollowUpQuestion
    outcome: FollowUpOutcome
    exchange_id: str
    sequence: int
    text: str
    received_at: dt.datetime

    @classmethod
    def of(cls, row: AeCaseFollowUp) -> FollowUpOut:
        """From an attached answer and its exchange."""
        e = row.exchange
        return cls(
            question=row.question,
            outcome=row.outcome,
            exchange_id=e.id,
            sequence=e.sequence,
            text=e.inbound_text,
            received_at=e.received_at,
        )


class ExportOut(BaseModel):
    """One submitted version: the ICSR file, its hash, the signature and whether it reached the drop."""

    version: int
    kind: str = Field(description="'initial' for version 1, else 'follow-up' (same case identifiers).")
    message_id: str
    filename: str
    content_sha256: str
    exported_by: str | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None

    @classmethod
    def of(cls, export: AeCaseExport) -> ExportOut:
        """From an export row (its exporter loaded)."""
        return cls(
            version=export.version,
            kind="initial" if export.version == 1 else "follow-up",
            message_id=export.message_id,
            filename=export.filename,
            content_sha256=export.content_sha256,
            exported_by=export.exported_by.display_name if export.exported_by else None,
            created_at=export.created_at,
            delivered_at=export.delivered_at,
        )


class AeCaseDetail(AeCaseSummary):
    """One case in full: extracted fields, the redacted narrative and conversation, follow-ups and exports."""

    exchange_id: str
    conversation_id: str
    narrative: str
    findings: list[dict[str, Any]]
    latest_info_at: dt.datetime
    patient_initials: str | None
    patient_age_group: AgeGroup | None
    patient_sex: Sex | None
    reporter_qualification: Qualification
    event_coding: str | None = Field(
        description="MedDRA LLT/PT as coded in the safety database, one line per event."
    )
    contact_consent: bool | None
    contact_channel: ContactChannel | None
    followup_pending: FollowUpQuestion | None
    followup_asked: list[str]
    close_reason: CloseReason | None
    closed_at: dt.datetime | None
    merged_into: str | None = Field(description="Case number of the case this one was merged into.")
    merged_cases: list[str] = Field(description="Case numbers of the duplicates merged into this one.")
    version: int = Field(description="Versions submitted so far.")
    submitted_at: dt.datetime | None
    allowed_actions: list[str]
    followups: list[FollowUpOut]
    conversation: list[MessageOut]
    exports: list[ExportOut]


def message_of(exchange: Exchange, part: str | None) -> MessageOut:
    """A conversation message for the case view."""
    return MessageOut(
        sequence=exchange.sequence,
        text=exchange.inbound_text,
        received_at=exchange.received_at,
        route=exchange.route,
        compliance_route=exchange.compliance_route,
        part_of_case=part,
        replies=[ReplyOut.model_validate(r) for r in exchange.replies],
    )


def allowed_actions(case: AeCase) -> list[str]:
    """Workflow actions PV may take on the case now (the system's own steps left out)."""
    return [a for a in AE_CASE_WORKFLOW.allowed(case.status) if a != "follow_up_received"]


class VerbatimOut(BaseModel):
    """The exact text the HCP typed (personal data included): the report or a follow-up answer."""

    exchange_id: str
    sequence: int
    kind: str
    text: str


class VerbatimIn(BaseModel):
    """Why the verbatim source is read (recorded in the audit trail with the read)."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="case assessment", min_length=1, max_length=200)


class NoteIn(BaseModel):
    """A reason or note for a workflow action (required to request follow-up or reopen)."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=MAX_NOTE_CHARS)


class CloseIn(BaseModel):
    """Not a case: why (and a note, required for 'other')."""

    model_config = ConfigDict(extra="forbid")

    reason: CloseReason
    note: str = Field(default="", max_length=MAX_NOTE_CHARS)


class MergeIn(BaseModel):
    """Merge this case, a duplicate, into another one (named by id or case number)."""

    model_config = ConfigDict(extra="forbid")

    into: str = Field(min_length=1, max_length=60)
    note: str = Field(default="", max_length=MAX_NOTE_CHARS)


class SubmitIn(BaseModel):
    """The PV specialist's password, re-entered: the electronic signature of the submission."""

    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=1, max_length=256)


# Fields that may be corrected but never emptied.
REQUIRED_FIELDS = frozenset(
    {
        "patient_identified",
        "reporter_identified",
        "product_identified",
        "event_identified",
        "seriousness",
        "special_situations",
        "events",
        "products",
        "narrative",
        "reporter_qualification",
    }
)


class CaseCorrection(BaseModel):
    """PV's corrections: only the fields given are changed (each change is audited, from → to)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    patient_identified: bool | None = None
    reporter_identified: bool | None = None
    product_identified: bool | None = None
    event_identified: bool | None = None
    seriousness: list[str] | None = None
    special_situations: list[str] | None = None
    events: list[str] | None = Field(default=None, max_length=MAX_TERMS)
    products: list[str] | None = Field(default=None, max_length=MAX_TERMS)
    narrative: str | None = Field(default=None, min_length=1, max_length=MAX_NARRATIVE_CHARS)
    patient_initials: str | None = Field(default=None, max_length=10, pattern=INITIALS_PATTERN)
    patient_age_group: AgeGroup | None = None
    patient_sex: Sex | None = None
    reporter_qualification: Qualification | None = None
    event_coding: str | None = Field(default=None, max_length=MAX_CODING_CHARS)
    contact_consent: bool | None = None
    contact_channel: ContactChannel | None = None

    @field_validator("seriousness")
    @classmethod
    def _seriousness(cls, value: list[str] | None) -> list[str] | None:
        unknown = [v for v in value or [] if v not in SERIOUSNESS_CRITERIA]
        if unknown:
            raise ValueError(f"not seriousness criteria: {', '.join(unknown)}")
        return value

    @field_validator("special_situations")
    @classmethod
    def _situations(cls, value: list[str] | None) -> list[str] | None:
        unknown = [v for v in value or [] if v not in SPECIAL_SITUATIONS]
        if unknown:
            raise ValueError(f"not special situations: {', '.join(unknown)}")
        return value

    @field_validator("events", "products")
    @classmethod
    def _terms(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        terms = [" ".join(v.split()) for v in value if v.strip()]
        if any(len(t) > MAX_TERM_CHARS for t in terms):
            raise ValueError(f"each term is at most {MAX_TERM_CHARS} characters")
        return list(dict.fromkeys(terms))

    def changes(self) -> dict[str, Any]:
        """The fields given, by name; emptying a required field is refused."""
        given = {name: getattr(self, name) for name in self.model_fields_set}
        for name, value in given.items():
            if name in REQUIRED_FIELDS and value is None:
                raise InvalidInput(strings.AE_FIELD_INVALID.format(field=name, problem="may not be empty"))
        if given.get("event_coding") == "":
            given["event_coding"] = None
        return given
