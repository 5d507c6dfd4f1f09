"""What a PV specialist does to a case: triage, correct fields, request follow-up, mark ready, close, reopen,
merge duplicates. Every change of state goes through the workflow; every field change is audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from api import strings
from api.ae_cases import followup
from api.ae_cases.changes import change_field
from api.ae_cases.models import (
    AE_CASE_WORKFLOW,
    EDITABLE_STATUSES,
    AeCase,
    AeCaseStatus,
    CloseReason,
)
from api.audit import service as audit
from api.auth.models import StaffUser
from api.auth.service import actor_of
from api.db import utcnow
from api.errors import Conflict, InvalidInput
from api.workflow import transition

CORRECTED = "ae_case.corrected"
MERGE_FIELD = "ae_case.merge_field"
MAX_NOTE_CHARS = 500
# What merging takes from the duplicate: list fields are joined, criteria met in either stay met.
MERGED_LISTS = ("events", "products", "special_situations", "seriousness")
MERGED_CRITERIA = ("patient_identified", "reporter_identified", "product_identified", "event_identified")


def _note(text: str | None) -> str:
    return (text or "").strip()[:MAX_NOTE_CHARS]


def triage(session: Session, case: AeCase, user: StaffUser) -> None:
    """Start working a new case."""
    transition(session, AE_CASE_WORKFLOW, case, "triage", actor_of(user))


def _editable(session: Session, case: AeCase, user: StaffUser) -> None:
    if case.status is AeCaseStatus.NEW:
        triage(session, case, user)
    if case.status not in EDITABLE_STATUSES:
        raise Conflict(strings.AE_CASE_NOT_EDITABLE.format(state=case.status.value))


def correct(session: Session, case: AeCase, user: StaffUser, changes: Mapping[str, Any]) -> list[str]:
    """Correct extracted fields (validated by the caller's schema); each change is audited from → to."""
    _editable(session, case, user)
    actor = actor_of(user)
    changed = [
        name for name, value in changes.items() if change_field(session, case, name, value, actor, CORRECTED)
    ]
    if "seriousness" in changed:
        change_field(session, case, "serious", bool(case.seriousness), actor, CORRECTED)
    return changed


def request_follow_up(session: Session, case: AeCase, user: StaffUser, note: str) -> None:
    """Record that Drug Safety asked the reporter for more (what was asked, in the note)."""
    if not _note(note):
        raise InvalidInput(strings.REASON_REQUIRED)
    if case.status is AeCaseStatus.NEW:
        triage(session, case, user)
    transition(session, AE_CASE_WORKFLOW, case, "request_follow_up", actor_of(user), reason=_note(note))


def mark_ready(session: Session, case: AeCase, user: StaffUser) -> None:
    """Ready to submit: only a valid case (all four minimum criteria)."""
    if case.status is AeCaseStatus.NEW:
        triage(session, case, user)
    if not case.is_valid_case:
        raise Conflict(strings.AE_CASE_NOT_VALID.format(missing=", ".join(case.missing_criteria)))
    transition(session, AE_CASE_WORKFLOW, case, "mark_ready", actor_of(user))


def reopen(session: Session, case: AeCase, user: StaffUser, reason: str) -> None:
    """New information after submission: work the case again; its next submission is a follow-up version."""
    if not _note(reason):
        raise InvalidInput(strings.REASON_REQUIRED)
    transition(session, AE_CASE_WORKFLOW, case, "reopen", actor_of(user), reason=_note(reason))


def close(session: Session, case: AeCase, user: StaffUser, reason: CloseReason, note: str) -> None:
    """Not a case: close it with a reason (a note is required for 'other')."""
    if reason is CloseReason.OTHER and not _note(note):
        raise InvalidInput(strings.REASON_REQUIRED)
    detail = f"{reason.value}: {_note(note)}" if _note(note) else reason.value
    transition(session, AE_CASE_WORKFLOW, case, "close", actor_of(user), reason=detail)
    case.close_reason, case.closed_at = reason, utcnow()
    if case.followup_pending is not None:
        followup.abandon(session, case, "the case was closed as not a case")


def merge(session: Session, duplicate: AeCase, target: AeCase, user: StaffUser, note: str) -> None:
    """Merge a duplicate (same patient and event) into another case: the target takes what it adds."""
    if duplicate.id == target.id:
        raise Conflict(strings.AE_CASE_MERGE_SELF)
    if target.status in (AeCaseStatus.MERGED, AeCaseStatus.CLOSED_NOT_A_CASE):
        raise Conflict(strings.AE_CASE_MERGE_TARGET.format(state=target.status.value))
    actor = actor_of(user)
    detail = f"into {target.case_number}" + (f": {_note(note)}" if _note(note) else "")
    transition(session, AE_CASE_WORKFLOW, duplicate, "merge", actor, reason=detail)
    duplicate.merged_into_id = target.id
    if duplicate.followup_pending is not None:
        followup.abandon(session, duplicate, f"merged into {target.case_number}")
    changed = False
    for name in MERGED_LISTS:
        current: list[str] = list(getattr(target, name) or [])
        joined = current + [v for v in getattr(duplicate, name) or [] if v not in current]
        changed = change_field(session, target, name, joined, actor, MERGE_FIELD) or changed
    for name in MERGED_CRITERIA:
        if getattr(duplicate, name) and not getattr(target, name):
            changed = change_field(session, target, name, True, actor, MERGE_FIELD) or changed
    if target.seriousness and not target.serious:
        change_field(session, target, "serious", True, actor, MERGE_FIELD)
    # Day 0 is the earliest receipt of either report.
    if duplicate.awareness_at < target.awareness_at:
        change_field(session, target, "awareness_at", duplicate.awareness_at, actor, MERGE_FIELD)
        change_field(session, target, "due_at", min(target.due_at, duplicate.due_at), actor, MERGE_FIELD)
    target.latest_info_at = max(target.latest_info_at, duplicate.latest_info_at)
    audit.record(
        session, actor, "ae_case.merged_in", "ae_case", target.id, reason=f"{duplicate.case_number} merged in"
    )
    if target.status is AeCaseStatus.SUBMITTED and changed:
        transition(session, AE_CASE_WORKFLOW, target, "reopen", actor, reason=f"{duplicate.case_number} merged in")
