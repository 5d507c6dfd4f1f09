"""Writes and queries of AE cases; the caller owns the transaction."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from api.ae_cases.followup import qualification_in
from api.ae_cases.models import (
    ACTIVE_STATUSES,
    CASE_NUMBER_PREFIX,
    PV_DUE_AFTER,
    AeCase,
    AeCaseExport,
    AeCaseFollowUp,
    AeCaseStatus,
    Qualification,
)
from api.audit import service as audit
from api.audit.service import SYSTEM, Actor
from api.conversations.models import Conversation, Exchange
from api.errors import NotFound
from api.settings import Settings
from api.verbatim import service as verbatim
from compliance import Assessment

T = TypeVar("T")
# How far back a case looks for possible duplicates from the same HCP.
DUPLICATE_WINDOW = dt.timedelta(days=30)


def new_case_number(at: dt.datetime) -> str:
    """A worldwide unique case identifier (E2B C.1.8.1) for a case received at a moment."""
    return f"{CASE_NUMBER_PREFIX}-{at:%Y}-{secrets.token_hex(5).upper()}"


def _qualification(conversation: Conversation, text: str) -> Qualification:
    profile = conversation.profile
    stated = " ".join(part for part in (profile.name, profile.specialty, text) if part)
    return qualification_in(stated) or Qualification.OTHER_HCP


def open_case(session: Session, exchange: Exchange, conversation: Conversation, assessment: Assessment) -> AeCase:
    """Record a possible AE; awareness time is the moment the message was received (verbatim kept apart)."""
    criteria = assessment.ae_criteria.to_dict()
    case = AeCase(
        exchange_id=exchange.id,
        conversation_id=conversation.id,
        hcp_profile_id=conversation.hcp_profile_id,
        case_number=new_case_number(exchange.received_at),
        awareness_at=exchange.received_at,
        due_at=exchange.received_at + PV_DUE_AFTER,
        latest_info_at=exchange.received_at,
        patient_identified=criteria["patient"],
        reporter_identified=criteria["reporter"],
        product_identified=criteria["product"],
        event_identified=criteria["event"],
        serious=bool(assessment.seriousness),
        seriousness=list(assessment.seriousness),
        special_situations=[s.value for s in assessment.special_situations],
        events=list(assessment.events),
        products=list(assessment.products),
        findings=[f.to_dict() for f in assessment.findings],
        narrative=assessment.redacted_text,
        reporter_qualification=_qualification(conversation, assessment.redacted_text),
        followup_asked=[],
    )
    session.add(case)
    session.flush()
    missing = ", ".join(case.missing_criteria) or "none"
    audit.record(
        session,
        SYSTEM,
        "ae_case.opened",
        "ae_case",
        case.id,
        to_state=case.status.value,
        reason=f"{case.case_number} from message {exchange.sequence}; serious: {'yes' if case.serious else 'no'}; "
        f"missing criteria: {missing}",
    )
    return case


def for_exchange(session: Session, exchange_id: str) -> AeCase | None:
    """The AE case opened for an exchange, if any."""
    return session.scalar(select(AeCase).where(AeCase.exchange_id == exchange_id))


def get_case(session: Session, case_id: str, for_update: bool = False) -> AeCase:
    """One case by id, or NotFound."""
    query = select(AeCase).where(AeCase.id == case_id)
    if for_update:
        query = query.with_for_update()
    case = session.scalar(query)
    if case is None:
        raise NotFound("AE case", case_id)
    return case


def find_case(session: Session, reference: str) -> AeCase:
    """A case by id or by its case number (what PV types to name a merge target)."""
    reference = reference.strip()
    case = session.scalar(select(AeCase).where(or_(AeCase.id == reference, AeCase.case_number == reference)))
    if case is None:
        raise NotFound("AE case", reference)
    return case


@dataclass(frozen=True)
class CaseFilter:
    """What PV narrows the queue to; empty fields do not filter."""

    status: AeCaseStatus | None = None
    serious: bool | None = None
    active_only: bool = True


def _filtered(query: Select[T], f: CaseFilter) -> Select[T]:
    if f.status is not None:
        query = query.where(AeCase.status == f.status)
    elif f.active_only:
        query = query.where(AeCase.status.in_(ACTIVE_STATUSES))
    if f.serious is not None:
        query = query.where(AeCase.serious.is_(f.serious))
    return query


def queue_page(session: Session, f: CaseFilter, offset: int, limit: int) -> tuple[list[AeCase], int]:
    """One page of cases, soonest regulatory due time first, and how many match."""
    query = _filtered(select(AeCase), f).order_by(AeCase.due_at, AeCase.id).offset(offset).limit(limit)
    total = session.scalar(_filtered(select(func.count(AeCase.id)), f))
    return list(session.scalars(query)), int(total or 0)


def conversation_of(session: Session, case: AeCase) -> list[Exchange]:
    """The case's whole conversation, redacted, with the approved replies."""
    return list(
        session.scalars(
            select(Exchange)
            .options(selectinload(Exchange.replies))
            .where(Exchange.conversation_id == case.conversation_id)
            .order_by(Exchange.sequence)
        )
    )


def followups_of(session: Session, case: AeCase) -> list[AeCaseFollowUp]:
    """The chat answers attached to the case, oldest first (and those of cases merged into it)."""
    merged = select(AeCase.id).where(AeCase.merged_into_id == case.id)
    return list(
        session.scalars(
            select(AeCaseFollowUp)
            .options(selectinload(AeCaseFollowUp.exchange))
            .where(or_(AeCaseFollowUp.case_id == case.id, AeCaseFollowUp.case_id.in_(merged)))
            .order_by(AeCaseFollowUp.created_at)
        )
    )


def merged_cases(session: Session, case: AeCase) -> list[AeCase]:
    """The duplicates merged into a case."""
    return list(
        session.scalars(select(AeCase).where(AeCase.merged_into_id == case.id).order_by(AeCase.awareness_at))
    )


def possible_duplicates(session: Session, case: AeCase) -> list[AeCase]:
    """Other cases from the same HCP within a month: candidates to merge (PV decides)."""
    return list(
        session.scalars(
            select(AeCase)
            .where(
                AeCase.hcp_profile_id == case.hcp_profile_id,
                AeCase.id != case.id,
                AeCase.status != AeCaseStatus.MERGED,
                AeCase.awareness_at >= case.awareness_at - DUPLICATE_WINDOW,
                AeCase.awareness_at <= case.awareness_at + DUPLICATE_WINDOW,
            )
            .order_by(AeCase.awareness_at)
            .limit(20)
        )
    )


def exports_of(session: Session, case: AeCase) -> list[AeCaseExport]:
    """The case's E2B exports, first version first."""
    return list(
        session.scalars(select(AeCaseExport).where(AeCaseExport.case_id == case.id).order_by(AeCaseExport.version))
    )


@dataclass(frozen=True)
class VerbatimSource:
    """The verbatim text of one message of a case: the report itself or a follow-up answer."""

    exchange_id: str
    sequence: int
    kind: str
    text: str


def source_exchanges(session: Session, case: AeCase) -> list[tuple[Exchange, str]]:
    """The messages whose verbatim text belongs to the case: the report, merged reports, follow-up answers."""
    own = [(case.exchange_id, "report")]
    own += [(c.exchange_id, f"merged report {c.case_number}") for c in merged_cases(session, case)]
    own += [(f.exchange_id, f"answer to the {f.question.value} question") for f in followups_of(session, case)]
    rows = {e.id: e for e in session.scalars(select(Exchange).where(Exchange.id.in_([i for i, _ in own])))}
    return [(rows[i], kind) for i, kind in own if i in rows]


def read_verbatim(
    session: Session, settings: Settings, actor: Actor, case: AeCase, reason: str
) -> list[VerbatimSource]:
    """Every verbatim text of the case; each read is audited (the caller commits before showing them)."""
    out: list[VerbatimSource] = []
    for exchange, kind in source_exchanges(session, case):
        if verbatim.exists(session, exchange.id):
            text = verbatim.read(session, settings, actor, exchange.id, f"{case.case_number}: {reason}")
            out.append(VerbatimSource(exchange.id, exchange.sequence, kind, text))
    audit.record(session, actor, "ae_case.verbatim_read", "ae_case", case.id, reason=reason)
    return out


def breached(session: Session, now: dt.datetime, limit: int = 500) -> list[AeCase]:
    """Active cases past their due time that have not been escalated yet."""
    return list(
        session.scalars(
            select(AeCase)
            .where(AeCase.status.in_(ACTIVE_STATUSES), AeCase.due_at <= now, AeCase.escalated_at.is_(None))
            .order_by(AeCase.due_at)
            .limit(limit)
        )
    )


def escalate(session: Session, case: AeCase, actor: Actor, now: dt.datetime) -> None:
    """Flag a case past its due time (not a state: it keeps its place in the workflow)."""
    case.escalated_at = now
    audit.record(session, actor, "ae_case.escalated", "ae_case", case.id, reason=f"due {case.due_at.isoformat()}")
