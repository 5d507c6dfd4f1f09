"""Bodies of the audit endpoints: events of the trail and the result of verifying it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from api.audit.service import Verification


class AuditEventOut(BaseModel):
    """One audit event: who did what to which record, when, from which state to which, and why."""

    model_config = ConfigDict(from_attributes=True)

    seq: int
    at: dt.datetime
    actor_id: str | None
    actor: str
    action: str
    entity_type: str
    entity_id: str
    from_state: str | None
    to_state: str | None
    reason: str | None
    hash: str


class VerificationOut(BaseModel):
    """The result of walking the chain: rows checked, and the first broken row if any."""

    ok: bool
    rows: int
    broken_seq: int | None
    problem: str | None

    @classmethod
    def of(cls, result: Verification) -> VerificationOut:
        """From the service's verification."""
        return cls(ok=result.ok, rows=result.rows, broken_seq=result.broken_seq, problem=result.problem)
