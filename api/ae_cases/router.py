"""The PV JSON API for drug-safety specialists: the same operations as the /staff/pv screens."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlalchemy.orm import Session

from api import strings
from api.ae_cases import reconcile, service, submission, triage
from api.ae_cases.models import AE_CASE_WORKFLOW, AeCase, AeCaseStatus
from api.ae_cases.reconcile import ReconciliationOut
from api.ae_cases.schemas import (
    AeCaseDetail,
    AeCasePage,
    AeCaseSummary,
    CaseCorrection,
    CloseIn,
    ExportOut,
    FollowUpOut,
    MergeIn,
    NoteIn,
    SubmitIn,
    VerbatimIn,
    VerbatimOut,
    allowed_actions,
    message_of,
)
from api.audit import service as audit
from api.audit.schemas import AuditEventOut
from api.auth.models import StaffUser
from api.auth.service import actor_of
from api.db import utcnow
from api.deps import PvUser, RuntimeDep, SessionDep
from api.errors import Unauthenticated

MAX_PAGE = 100
MAX_OFFSET = 100_000

_ACCESS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed in."},
    403: {"description": "Not a PV specialist, or the CSRF token is missing (cookie sessions)."},
}
_CASE: dict[int | str, dict[str, Any]] = {**_ACCESS, 404: {"description": "No such AE case."}}
_CHANGE: dict[int | str, dict[str, Any]] = {
    **_CASE,
    409: {"description": "The case's status does not allow this (or it is not a valid case yet)."},
    422: {"description": "The body is invalid (unknown value, missing reason)."},
}

router = APIRouter(prefix="/api/v1/ae-cases", tags=["drug safety (PV)"])


def me(session: Session, user: StaffUser) -> StaffUser:
    """This session's copy of the signed-in user (services change it: signature failures count)."""
    found = session.get(StaffUser, user.id)
    if found is None:
        raise Unauthenticated(strings.SIGN_IN_REQUIRED)
    return found


def detail(session: Session, case: AeCase) -> AeCaseDetail:
    """One case in full, as the API shows it."""
    session.expire(case)
    now = utcnow()
    followups = service.followups_of(session, case)
    parts = {case.exchange_id: "report"} | {f.exchange_id: "follow-up" for f in followups}
    merged_into = session.get(AeCase, case.merged_into_id) if case.merged_into_id else None
    return AeCaseDetail(
        **AeCaseSummary.of(case, now).model_dump(),
        exchange_id=case.exchange_id,
        conversation_id=case.conversation_id,
        narrative=case.narrative,
        findings=list(case.findings or []),
        latest_info_at=case.latest_info_at,
        patient_initials=case.patient_initials,
        patient_age_group=case.patient_age_group,
        patient_sex=case.patient_sex,
        reporter_qualification=case.reporter_qualification,
        event_coding=case.event_coding,
        contact_consent=case.contact_consent,
        contact_channel=case.contact_channel,
        followup_pending=case.followup_pending,
        followup_asked=list(case.followup_asked or []),
        close_reason=case.close_reason,
        closed_at=case.closed_at,
        merged_into=merged_into.case_number if merged_into else None,
        merged_cases=[c.case_number for c in service.merged_cases(session, case)],
        version=case.version,
        submitted_at=case.submitted_at,
        allowed_actions=allowed_actions(case),
        followups=[FollowUpOut.of(f) for f in followups],
        conversation=[message_of(e, parts.get(e.id)) for e in service.conversation_of(session, case)],
        exports=[ExportOut.of(e) for e in service.exports_of(session, case)],
    )


@router.get("", summary="List AE cases, soonest due first", responses=_ACCESS)
def list_cases(
    _: PvUser,
    session: SessionDep,
    status: Annotated[AeCaseStatus | None, Query(description="Default: every active status.")] = None,
    serious: bool | None = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> AeCasePage:
    """Cases by regulatory due time (day 0 = receipt) with the clock, the four criteria and seriousness."""
    items, total = service.queue_page(session, service.CaseFilter(status=status, serious=serious), offset, limit)
    now = utcnow()
    return AeCasePage(items=[AeCaseSummary.of(c, now) for c in items], total=total, offset=offset, limit=limit)


@router.get("/reconciliation", summary="Reconciliation report", responses=_ACCESS)
def reconciliation(
    _: PvUser,
    session: SessionDep,
    since: Annotated[dt.date, Query(description="First day (UTC) of messages and cases to check.")],
) -> ReconciliationOut:
    """Every flagged exchange has exactly one case; every case is open within its due time, submitted or closed."""
    return ReconciliationOut.of(reconcile.run(session, since, utcnow()))


@router.get("/{case_id}", summary="Read one AE case", responses=_CASE)
def get_case(case_id: str, _: PvUser, session: SessionDep) -> AeCaseDetail:
    """The redacted case, its whole (redacted) conversation, follow-up answers, exports and allowed actions."""
    return detail(session, service.get_case(session, case_id))


@router.post("/{case_id}/verbatim", summary="Read the verbatim source (audited)", responses=_CASE)
def read_verbatim(
    case_id: str, body: VerbatimIn, user: PvUser, session: SessionDep, runtime: RuntimeDep, response: Response
) -> list[VerbatimOut]:
    """The exact texts of the report and its follow-up answers; every read is in the audit trail first."""
    case = service.get_case(session, case_id)
    sources = service.read_verbatim(session, runtime.settings, actor_of(user), case, body.reason)
    session.commit()
    response.headers["Cache-Control"] = "no-store"
    return [VerbatimOut(exchange_id=s.exchange_id, sequence=s.sequence, kind=s.kind, text=s.text) for s in sources]


@router.patch("/{case_id}", summary="Correct extracted fields", responses=_CHANGE)
def correct(case_id: str, body: CaseCorrection, user: PvUser, session: SessionDep) -> AeCaseDetail:
    """Change the fields given (a new case is triaged first); each change is audited from → to."""
    case = service.get_case(session, case_id, for_update=True)
    triage.correct(session, case, me(session, user), body.changes())
    session.commit()
    return detail(session, case)


@router.post("/{case_id}/triage", summary="Start triage", responses=_CHANGE)
def start_triage(case_id: str, user: PvUser, session: SessionDep) -> AeCaseDetail:
    """new → in_triage."""
    case = service.get_case(session, case_id, for_update=True)
    triage.triage(session, case, me(session, user))
    session.commit()
    return detail(session, case)


@router.post("/{case_id}/request-follow-up", summary="Record a follow-up request", responses=_CHANGE)
def request_follow_up(case_id: str, body: NoteIn, user: PvUser, session: SessionDep) -> AeCaseDetail:
    """→ follow_up_requested, with what was asked of the reporter."""
    case = service.get_case(session, case_id, for_update=True)
    triage.request_follow_up(session, case, me(session, user), body.note)
    session.commit()
    return detail(session, case)


@router.post("/{case_id}/ready", summary="Mark ready to submit", responses=_CHANGE)
def mark_ready(case_id: str, user: PvUser, session: SessionDep) -> AeCaseDetail:
    """→ ready; only a valid case (all four minimum criteria)."""
    case = service.get_case(session, case_id, for_update=True)
    triage.mark_ready(session, case, me(session, user))
    session.commit()
    return detail(session, case)


@router.post("/{case_id}/reopen", summary="Reopen for follow-up information", responses=_CHANGE)
def reopen(case_id: str, body: NoteIn, user: PvUser, session: SessionDep) -> AeCaseDetail:
    """submitted → in_triage; the next submission is a follow-up version with the same identifiers."""
    case = service.get_case(session, case_id, for_update=True)
    triage.reopen(session, case, me(session, user), body.note)
    session.commit()
    return detail(session, case)


@router.post("/{case_id}/close", summary="Close as not a case", responses=_CHANGE)
def close(case_id: str, body: CloseIn, user: PvUser, session: SessionDep) -> AeCaseDetail:
    """→ closed_not_a_case, with a reason."""
    case = service.get_case(session, case_id, for_update=True)
    triage.close(session, case, me(session, user), body.reason, body.note)
    session.commit()
    return detail(session, case)


@router.post("/{case_id}/merge", summary="Merge a duplicate into another case", responses=_CHANGE)
def merge(case_id: str, body: MergeIn, user: PvUser, session: SessionDep) -> AeCaseDetail:
    """This case → merged; the other case takes its events, products, criteria and earliest receipt."""
    duplicate = service.get_case(session, case_id, for_update=True)
    target = service.find_case(session, body.into)
    target = service.get_case(session, target.id, for_update=True)
    triage.merge(session, duplicate, target, me(session, user), body.note)
    session.commit()
    return detail(session, duplicate)


@router.post(
    "/{case_id}/submit",
    summary="Submit to the safety database (e-signed E2B export)",
    responses={
        **_CHANGE,
        401: {"description": "Not signed in, or the password did not match: nothing was signed."},
    },
)
def submit(case_id: str, body: SubmitIn, user: PvUser, session: SessionDep, runtime: RuntimeDep) -> AeCaseDetail:
    """Sign (password re-entered) and export the next version's ICSR, validated against the kept XSD."""
    case = service.get_case(session, case_id, for_update=True)
    try:
        export = submission.submit(session, case, me(session, user), body.password, runtime.settings)
    except Unauthenticated:
        session.commit()  # keep the failure count (lockout) and its audit event; the case is unchanged
        raise
    session.commit()
    # After the commit: a failed drop is retried by the beat task, the export is already recorded.
    submission.deliver_committed(session, [export.id], runtime.settings)
    return detail(session, case)


@router.get("/{case_id}/exports/{version}", summary="Download one version's E2B XML", responses=_CASE)
def export_xml(case_id: str, version: int, _: PvUser, session: SessionDep) -> Response:
    """The ICSR exactly as exported and signed."""
    export = submission.get_export(session, service.get_case(session, case_id), version)
    headers = {"Content-Disposition": f'attachment; filename="{export.filename}"', "Cache-Control": "no-store"}
    return Response(export.xml, media_type="application/xml", headers=headers)


@router.get("/{case_id}/history", summary="The case's audit history", responses=_CASE)
def history(case_id: str, _: PvUser, session: SessionDep) -> list[AuditEventOut]:
    """Every audited event of the case, oldest first: opening, follow-ups, corrections, exports."""
    case = service.get_case(session, case_id)
    return [AuditEventOut.model_validate(e) for e in audit.history(session, AE_CASE_WORKFLOW.entity_type, case.id)]
