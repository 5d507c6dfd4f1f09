"""The audit trail for administrators: one record's events, and a walk of the whole hash chain."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from api.audit import service
from api.audit.schemas import AuditEventOut, VerificationOut
from api.auth.models import StaffUser
from api.auth.roles import AUDIT_ROLES
from api.deps import Access, SessionDep

AuditReader = Annotated[StaffUser, Depends(Access(*AUDIT_ROLES))]

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed in."},
    403: {"description": "Only administrators read the audit trail as a whole."},
}


@router.get("/events", summary="The audit events of one record", responses=_ERRORS)
def events(
    _: AuditReader,
    session: SessionDep,
    entity_type: Annotated[str, Query(min_length=1, max_length=40, description="e.g. review_item")],
    entity_id: Annotated[str, Query(min_length=1, max_length=64)],
) -> list[AuditEventOut]:
    """Every event of the record, oldest first."""
    return [AuditEventOut.model_validate(e) for e in service.history(session, entity_type, entity_id)]


@router.get("/verify", summary="Verify the audit hash chain", responses=_ERRORS)
def verify(_: AuditReader, session: SessionDep) -> VerificationOut:
    """Recompute every row's hash and link; names the first broken row (altered, missing or deleted)."""
    return VerificationOut.of(service.verify(session))
