"""Adverse-event cases for drug safety (PV): the four minimum criteria, the reporting clock, the PV workflow,
the follow-up answers collected in the chat, and the E2B(R3) exports sent to the safety database."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.auth.models import StaffUser
from api.conversations.models import Exchange
from api.db import Base, ExchangeRecord, UTCDateTime, enum_column, new_id, utcnow
from api.workflow import Step, Workflow
from compliance import Seriousness, SpecialSituation

# PV must receive an AE reported in chat within one day of awareness (day 0 = the message's receipt).
PV_DUE_AFTER = dt.timedelta(days=1)
# The case's worldwide unique identifier (E2B C.1.8.1): country, sender, then a random part.
CASE_NUMBER_PREFIX = "US-AVENDRABIO"


class AeCaseStatus(StrEnum):
    """new → in_triage → follow_up_requested → ready → submitted; or closed_not_a_case, or merged."""

    NEW = "new"
    IN_TRIAGE = "in_triage"
    FOLLOW_UP_REQUESTED = "follow_up_requested"
    READY = "ready"
    SUBMITTED = "submitted"
    CLOSED_NOT_A_CASE = "closed_not_a_case"
    MERGED = "merged"


class CloseReason(StrEnum):
    """Why PV decided a flagged report is not a case."""

    NOT_AN_ADVERSE_EVENT = "not_an_adverse_event"
    NOT_OUR_PRODUCT = "not_our_product"
    TEST_OR_SPAM = "test_or_spam"
    OTHER = "other"


class AgeGroup(StrEnum):
    """E2B D.2.3 patient age group (as per reporter); the value is what the ICSR carries."""

    NEONATE = "neonate"
    INFANT = "infant"
    CHILD = "child"
    ADOLESCENT = "adolescent"
    ADULT = "adult"
    ELDERLY = "elderly"


class Sex(StrEnum):
    """E2B D.5 patient sex."""

    FEMALE = "female"
    MALE = "male"


class Qualification(StrEnum):
    """E2B C.2.r.4 reporter qualification (the chat's reporters are health professionals)."""

    PHYSICIAN = "physician"
    PHARMACIST = "pharmacist"
    OTHER_HCP = "other_hcp"


class ContactChannel(StrEnum):
    """How the HCP agreed to be contacted by Drug Safety (the number or address stays in verbatim text)."""

    PHONE = "phone"
    EMAIL = "email"


class FollowUpQuestion(StrEnum):
    """What the chat asks after an AE report: each missing criterion, then consent and a contact channel."""

    PATIENT = "patient"
    REPORTER = "reporter"
    PRODUCT = "product"
    EVENT = "event"
    CONSENT = "consent"
    CHANNEL = "channel"


class FollowUpOutcome(StrEnum):
    """How the HCP answered one follow-up question."""

    ANSWERED = "answered"
    DECLINED = "declined"


# ICH E2A seriousness criteria, as the compliance layer names them (it flags "medically important" from a list).
OTHER_MEDICALLY_IMPORTANT = Seriousness.OTHER_MEDICALLY_IMPORTANT.value
SERIOUSNESS_CRITERIA = tuple(s.value for s in Seriousness)
SPECIAL_SITUATIONS = tuple(s.value for s in SpecialSituation)

ACTIVE_STATUSES = frozenset(
    {AeCaseStatus.NEW, AeCaseStatus.IN_TRIAGE, AeCaseStatus.FOLLOW_UP_REQUESTED, AeCaseStatus.READY}
)
# PV may correct fields in these states (a new case is triaged first; a submitted one is reopened first).
EDITABLE_STATUSES = frozenset({AeCaseStatus.IN_TRIAGE, AeCaseStatus.FOLLOW_UP_REQUESTED, AeCaseStatus.READY})

AE_CASE_WORKFLOW: Workflow[AeCaseStatus] = Workflow(
    "ae_case",
    {
        "triage": Step(frozenset({AeCaseStatus.NEW}), AeCaseStatus.IN_TRIAGE),
        "request_follow_up": Step(
            frozenset({AeCaseStatus.IN_TRIAGE, AeCaseStatus.READY}), AeCaseStatus.FOLLOW_UP_REQUESTED
        ),
        "follow_up_received": Step(frozenset({AeCaseStatus.FOLLOW_UP_REQUESTED}), AeCaseStatus.IN_TRIAGE),
        "mark_ready": Step(
            frozenset({AeCaseStatus.IN_TRIAGE, AeCaseStatus.FOLLOW_UP_REQUESTED}), AeCaseStatus.READY
        ),
        "submit": Step(frozenset({AeCaseStatus.READY}), AeCaseStatus.SUBMITTED),
        # New information after submission: worked again, then submitted as a follow-up version.
        "reopen": Step(frozenset({AeCaseStatus.SUBMITTED}), AeCaseStatus.IN_TRIAGE),
        "close": Step(ACTIVE_STATUSES, AeCaseStatus.CLOSED_NOT_A_CASE),
        "merge": Step(ACTIVE_STATUSES, AeCaseStatus.MERGED),
    },
)


class AeCase(ExchangeRecord, Base):
    """A possible adverse event or special situation reported in a conversation."""

    __tablename__ = "ae_case"
    __table_args__ = (Index("ix_ae_case_status_due", "status", "due_at"),)

    hcp_profile_id: Mapped[str] = mapped_column(ForeignKey("hcp_profile.id"), index=True)
    case_number: Mapped[str] = mapped_column(String(60), unique=True)
    status: Mapped[AeCaseStatus] = mapped_column(
        enum_column(AeCaseStatus, 20), default=AeCaseStatus.NEW, index=True
    )
    awareness_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    # E2B C.1.5: the date of the most recent information (a follow-up answer, a merged duplicate).
    latest_info_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    patient_identified: Mapped[bool] = mapped_column(Boolean)
    reporter_identified: Mapped[bool] = mapped_column(Boolean)
    product_identified: Mapped[bool] = mapped_column(Boolean)
    event_identified: Mapped[bool] = mapped_column(Boolean)
    # Flagged from the start when any seriousness criterion was reported.
    serious: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), index=True)
    seriousness: Mapped[list[str]] = mapped_column(JSON, default=list)
    special_situations: Mapped[list[str]] = mapped_column(JSON, default=list)
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    products: Mapped[list[str]] = mapped_column(JSON, default=list)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Redacted; the verbatim report lives in `verbatim_text`, for PV only, every read audited.
    narrative: Mapped[str] = mapped_column(Text)
    # Entered by PV (never extracted from chat text): what the ICSR carries about the patient.
    patient_initials: Mapped[str | None] = mapped_column(String(10))
    patient_age_group: Mapped[AgeGroup | None] = mapped_column(enum_column(AgeGroup, 20))
    patient_sex: Mapped[Sex | None] = mapped_column(enum_column(Sex, 10))
    reporter_qualification: Mapped[Qualification] = mapped_column(
        enum_column(Qualification, 20), default=Qualification.OTHER_HCP
    )
    # The event as coded in the safety database's dictionary (MedDRA LLT/PT), free text, one line per event.
    event_coding: Mapped[str | None] = mapped_column(Text)
    contact_consent: Mapped[bool | None] = mapped_column(Boolean)
    contact_channel: Mapped[ContactChannel | None] = mapped_column(enum_column(ContactChannel, 10))
    # The chat's follow-up: the question awaiting the HCP's answer, and every question asked so far.
    followup_pending: Mapped[FollowUpQuestion | None] = mapped_column(enum_column(FollowUpQuestion, 20))
    followup_asked: Mapped[list[str]] = mapped_column(JSON, default=list)
    close_reason: Mapped[CloseReason | None] = mapped_column(enum_column(CloseReason, 30))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    merged_into_id: Mapped[str | None] = mapped_column(ForeignKey("ae_case.id"), index=True)
    # How many versions were submitted (the next export is version + 1; version 1 is the initial report).
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    merged_into: Mapped[AeCase | None] = relationship(remote_side="AeCase.id")

    @property
    def criteria(self) -> dict[str, bool]:
        """The four minimum criteria, by name."""
        return {
            "patient": self.patient_identified,
            "reporter": self.reporter_identified,
            "product": self.product_identified,
            "event": self.event_identified,
        }

    @property
    def missing_criteria(self) -> list[str]:
        """The minimum criteria not (yet) met, in the order the chat asks for them."""
        return [name for name, present in self.criteria.items() if not present]

    @property
    def is_valid_case(self) -> bool:
        """All four minimum criteria of a valid ICSR are present."""
        return not self.missing_criteria


class AeCaseFollowUp(Base):
    """One HCP message of the chat attached to a case as the answer to a follow-up question.

    The exchange's stored text is redacted; its verbatim text is kept for PV only."""

    __tablename__ = "ae_case_followup"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("ae_case.id"), index=True)
    exchange_id: Mapped[str] = mapped_column(ForeignKey("exchange.id"), unique=True)
    question: Mapped[FollowUpQuestion] = mapped_column(enum_column(FollowUpQuestion, 20))
    outcome: Mapped[FollowUpOutcome] = mapped_column(enum_column(FollowUpOutcome, 20))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    exchange: Mapped[Exchange] = relationship()


class AeCaseExport(Base):
    """One E2B(R3) ICSR export of a case version: version 1 is the initial report, later ones are follow-ups.

    The XML is kept so that a re-export of the same version is byte-identical (idempotent)."""

    __tablename__ = "ae_case_export"
    __table_args__ = (UniqueConstraint("case_id", "version", name="uq_ae_case_export_case_id_version"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("ae_case.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    message_id: Mapped[str] = mapped_column(String(100), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_sha256: Mapped[str] = mapped_column(String(64))
    xml: Mapped[str] = mapped_column(Text)
    signature_id: Mapped[str | None] = mapped_column(ForeignKey("signature.id"))
    exported_by_id: Mapped[str | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set once the file is in the outbound directory; a beat task delivers what is still missing.
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)

    exported_by: Mapped[StaffUser | None] = relationship()
