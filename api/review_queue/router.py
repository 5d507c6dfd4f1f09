"""The review queue's JSON API for medical reviewers: the same operations as the staff screens."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from api import strings
from api.audit import service as audit
from api.audit.schemas import AuditEventOut
from api.auth.models import StaffUser
from api.db import utcnow
from api.deps import ReviewerUser, RuntimeDep, SessionDep
from api.errors import Unauthenticated
from api.jobs import PendingJobs
from api.review_queue import delivery, service
from api.review_queue.models import REVIEW_WORKFLOW, ReviewItem, ReviewKind, ReviewStatus
from api.review_queue.schemas import (
    AnswerIn,
    ApproveIn,
    CloseIn,
    ReturnIn,
    ReviewItemDetail,
    ReviewItemSummary,
    ReviewPage,
)

MAX_PAGE = 100
MAX_OFFSET = 100_000
MAX_AGE_HOURS = 24 * 366

_ACCESS_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed in."},
    403: {"description": "Not a medical reviewer, or the CSRF token is missing (cookie sessions)."},
}
_ITEM_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ACCESS_ERRORS,
    404: {"description": "No such review item."},
}
_CHANGE_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ITEM_ERRORS,
    409: {"description": "The item's status does not allow this, or another reviewer has claimed it."},
    422: {"description": "The body is invalid (blank text or reason, too long, unknown close reason)."},
}

router = APIRouter(prefix="/api/v1/review-items", tags=["review queue"])


def _me(session: Session, user: StaffUser) -> StaffUser:
    # The user from Access belongs to a closed session: services that change it need this session's copy.
    me = session.get(StaffUser, user.id)
    if me is None:
        raise Unauthenticated(strings.SIGN_IN_REQUIRED)
    return me


def _detail(session: Session, item: ReviewItem) -> ReviewItemDetail:
    session.expire(item)  # relationships (claimant, answerer) may be stale after a change of their ids
    return ReviewItemDetail.build(item, service.signature_of(session, item), utcnow())


@router.get("", summary="List the review queue", responses=_ACCESS_ERRORS)
def list_items(
    _: ReviewerUser,
    session: SessionDep,
    kind: ReviewKind | None = None,
    status: Annotated[ReviewStatus | None, Query(description="Default: every active status.")] = None,
    topic: Annotated[str | None, Query(max_length=80, description="The topic guess.")] = None,
    older_than_hours: Annotated[float | None, Query(ge=0, le=MAX_AGE_HOURS)] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> ReviewPage:
    """Items sorted by SLA due time (soonest first) with the time left, who claimed them and escalation."""
    queue_filter = service.QueueFilter(kind=kind, status=status, topic=topic, older_than_hours=older_than_hours)
    items, total = service.queue_page(session, queue_filter, offset, limit)
    now = utcnow()
    return ReviewPage(
        items=[ReviewItemSummary.of(item, now) for item in items], total=total, offset=offset, limit=limit
    )


@router.get("/{item_id}", summary="Read one review item", responses=_ITEM_ERRORS)
def get_item(item_id: str, _: ReviewerUser, session: SessionDep) -> ReviewItemDetail:
    """The redacted question, why it is in the queue, the draft answer and its signature (valid or voided)."""
    return _detail(session, service.get_item(session, item_id))


@router.post("/{item_id}/claim", summary="Claim an open item", responses=_CHANGE_ERRORS)
def claim(item_id: str, user: ReviewerUser, session: SessionDep) -> ReviewItemDetail:
    """Take an open item: other reviewers now see who works it."""
    item = service.get_item(session, item_id, for_update=True)
    service.claim(session, item, _me(session, user))
    session.commit()
    return _detail(session, item)


@router.post("/{item_id}/release", summary="Release a claimed item", responses=_CHANGE_ERRORS)
def release(item_id: str, user: ReviewerUser, session: SessionDep) -> ReviewItemDetail:
    """Put an item you claimed back in the queue."""
    item = service.get_item(session, item_id, for_update=True)
    service.release(session, item, _me(session, user))
    session.commit()
    return _detail(session, item)


@router.post("/{item_id}/answer", summary="Save the draft answer", responses=_CHANGE_ERRORS)
def answer(item_id: str, body: AnswerIn, user: ReviewerUser, session: SessionDep) -> ReviewItemDetail:
    """Write or edit the draft (claims an open item); an edit voids an earlier signature."""
    item = service.get_item(session, item_id, for_update=True)
    service.save_answer(session, item, _me(session, user), body.text)
    session.commit()
    return _detail(session, item)


@router.post(
    "/{item_id}/approve",
    summary="Approve the answer by electronic signature",
    responses={
        **_CHANGE_ERRORS,
        401: {"description": "Not signed in, or the password did not match: nothing was signed."},
    },
)
def approve(
    item_id: str, body: ApproveIn, user: ReviewerUser, session: SessionDep, runtime: RuntimeDep
) -> ReviewItemDetail:
    """Sign the draft "approved as a medical response" (password re-entered); the answer then goes to the HCP."""
    item = service.get_item(session, item_id, for_update=True)
    jobs = PendingJobs()
    try:
        delivery.approve_and_schedule(session, item, _me(session, user), body.password, runtime.settings, jobs)
    except Unauthenticated:
        session.commit()  # keep the failure count (lockout) and its audit event; the item is unchanged
        raise
    session.commit()
    jobs.send(runtime.celery)
    return _detail(session, item)


@router.post("/{item_id}/return", summary="Return the answer for rework", responses=_CHANGE_ERRORS)
def return_answer(item_id: str, body: ReturnIn, user: ReviewerUser, session: SessionDep) -> ReviewItemDetail:
    """Send an unsigned draft back, saying why."""
    item = service.get_item(session, item_id, for_update=True)
    service.return_answer(session, item, _me(session, user), body.reason)
    session.commit()
    return _detail(session, item)


@router.post("/{item_id}/close", summary="Close without an answer", responses=_CHANGE_ERRORS)
def close(item_id: str, body: CloseIn, user: ReviewerUser, session: SessionDep) -> ReviewItemDetail:
    """Close an active item as a duplicate, not a medical question, or spam (with an optional note)."""
    item = service.get_item(session, item_id, for_update=True)
    service.close(session, item, _me(session, user), body.reason, body.note)
    session.commit()
    return _detail(session, item)


@router.get("/{item_id}/history", summary="The item's audit history", responses=_ITEM_ERRORS)
def history(item_id: str, _: ReviewerUser, session: SessionDep) -> list[AuditEventOut]:
    """Every audited event of the item, oldest first: state changes, signatures, escalations."""
    item = service.get_item(session, item_id)
    events = audit.history(session, REVIEW_WORKFLOW.entity_type, item.id)
    return [AuditEventOut.model_validate(e) for e in events]
