"""Web screens of the medical review queue: the paged queue and one item with its actions and history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api import strings
from api.audit import service as audit
from api.auth.models import StaffUser
from api.auth.screens import render
from api.conversations.models import Conversation, Exchange
from api.db import utcnow
from api.deps import ReviewerUser, RuntimeDep, SessionDep
from api.errors import DomainError, InvalidInput, Unauthenticated
from api.esign import service as esign
from api.esign.models import Signature
from api.hcp_profiles.screens import profile_path
from api.jobs import PendingJobs
from api.review_queue import delivery, service
from api.review_queue.models import (
    ACTIVE_STATUSES,
    REVIEW_WORKFLOW,
    CloseReason,
    ReviewItem,
    ReviewKind,
    ReviewStatus,
)
from api.runtime import Runtime

router = APIRouter(prefix="/staff/queue", include_in_schema=False)
PAGE_SIZE = 50
MAX_PAGE = 1_000_000
EXCERPT_CHARS = 140
MAX_TOPIC_CHARS = 80
# The status filter: empty means the active statuses, ANY_STATUS means every status.
ANY_STATUS = "any"
# Actions only the reviewer who claimed an item may take.
CLAIMANT_ACTIONS = frozenset({"release", "answer", "approve"})
Operation = Callable[[Session, ReviewItem, StaffUser], object]


@dataclass(frozen=True)
class Countdown:
    """Time left until an item's SLA due time; negative means breached."""

    text: str
    breached: bool
    due_iso: str


def span(delta: dt.timedelta) -> str:
    """A duration in days, hours and minutes, as a reviewer reads it at a glance."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins:02d} min"
    return f"{mins} min"


def countdown(due_at: dt.datetime, now: dt.datetime) -> Countdown:
    """The time left until a due time (with a minus sign once it has passed)."""
    left = due_at - now
    breached = left < dt.timedelta(0)
    return Countdown(("−" if breached else "") + span(left), breached, due_at.isoformat())


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue table."""

    item: ReviewItem
    excerpt: str
    age: str
    left: Countdown


@dataclass(frozen=True)
class QueueQuery:
    """The queue screen's query parameters once validated (empty: no filter)."""

    kind: str = ""
    status: str = ""
    topic: str = ""
    age: str = ""
    page: int = 1

    def to_filter(self) -> service.QueueFilter:
        """The service's filter for these parameters."""
        return service.QueueFilter(
            kind=ReviewKind(self.kind) if self.kind else None,
            status=ReviewStatus(self.status) if self.status and self.status != ANY_STATUS else None,
            topic=self.topic or None,
            older_than_hours=float(self.age) if self.age else None,
            active_only=self.status != ANY_STATUS,
        )

    def url(self, page: int) -> str:
        """The queue URL of another page with the same filters."""
        params = {"kind": self.kind, "status": self.status, "topic": self.topic, "age": self.age}
        query = {key: value for key, value in params.items() if value}
        return "/staff/queue?" + urlencode({**query, "page": page})


def parse_query(kind: str, status: str, topic: str, age: str, page: str) -> tuple[QueueQuery, list[str]]:
    """Validate the queue's query parameters; an invalid one is dropped and reported."""
    errors: list[str] = []

    def choice(field: str, value: str, allowed: set[str]) -> str:
        value = value.strip()
        if value and value not in allowed:
            errors.append(strings.STAFF_FILTER_INVALID.format(field=field, value=value[:40]))
            return ""
        return value

    page_number = 1
    if page.strip():
        try:
            page_number = int(page)
        except ValueError:
            page_number = 0
        if not 1 <= page_number <= MAX_PAGE:
            errors.append(strings.STAFF_PAGE_INVALID)
            page_number = 1
    topic = topic.strip()
    if len(topic) > MAX_TOPIC_CHARS:
        errors.append(strings.STAFF_FILTER_INVALID.format(field="topic", value=topic[:40]))
        topic = ""
    query = QueueQuery(
        kind=choice("kind", kind, {k.value for k in ReviewKind}),
        status=choice("status", status, {s.value for s in ReviewStatus} | {ANY_STATUS}),
        topic=topic,
        age=choice("age", age, set(strings.QUEUE_AGE_LABELS)),
        page=page_number,
    )
    return query, errors


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a (redacted) question, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


@router.get("", response_class=HTMLResponse)
def queue(
    request: Request,
    user: ReviewerUser,
    session: SessionDep,
    kind: str = "",
    status: str = "",
    topic: str = "",
    age: str = "",
    page: str = "",
) -> HTMLResponse:
    """The queue, soonest SLA due first, 50 a page, filtered by kind, status, topic guess and age."""
    query, errors = parse_query(kind, status, topic, age, page)
    items, total = service.queue_page(session, query.to_filter(), (query.page - 1) * PAGE_SIZE, PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    now = utcnow()
    rows = [
        QueueRow(item, excerpt(item.question_text), span(now - item.created_at), countdown(item.due_at, now))
        for item in items
    ]
    context: dict[str, Any] = {
        "rows": rows,
        "q": query,
        "errors": errors,
        "total": total,
        "page": query.page,
        "pages": pages,
        "first_url": query.url(1) if query.page > 1 else None,
        "prev_url": query.url(min(query.page - 1, pages)) if query.page > 1 else None,
        "next_url": query.url(query.page + 1) if query.page < pages else None,
        "last_url": query.url(pages) if query.page < pages else None,
        "topics": service.topics_in_queue(session),
        "kind_labels": strings.REVIEW_KIND_LABELS,
        "status_labels": strings.REVIEW_STATUS_LABELS,
        "age_labels": strings.QUEUE_AGE_LABELS,
        "any_status": ANY_STATUS,
    }
    return render(request, "queue.html", context, status_code=422 if errors else 200)


def _context(session: Session, item: ReviewItem) -> list[tuple[Exchange, tuple[ReviewItem, Signature] | None]]:
    """The item's conversation, redacted: each HCP message, its approved replies and any signed answer."""
    exchanges = session.scalars(
        select(Exchange)
        .options(selectinload(Exchange.replies))
        .where(Exchange.conversation_id == item.conversation_id)
        .order_by(Exchange.sequence)
    )
    answers = {
        answered.exchange_id: (answered, sig)
        for answered, sig in service.approved_answers(session, item.conversation_id)
    }
    return [(exchange, answers.get(exchange.id)) for exchange in exchanges]


def _profile_path(session: Session, item: ReviewItem) -> str | None:
    """The screen of the HCP profile the item's conversation is logged to."""
    profile_id = session.scalar(select(Conversation.hcp_profile_id).where(Conversation.id == item.conversation_id))
    return profile_path(profile_id) if profile_id else None


def item_page(
    request: Request,
    session: Session,
    item: ReviewItem,
    user: StaffUser,
    *,
    done: str | None = None,
    error: str | None = None,
    error_action: str | None = None,
    draft: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """One item: question, conversation, draft, signature, the actions its state allows, and its history."""
    mine = item.claimed_by_id in (None, user.id)
    actions = [a for a in REVIEW_WORKFLOW.allowed(item.status) if mine or a not in CLAIMANT_ACTIONS]
    if not item.answer_text and "approve" in actions:
        actions.remove("approve")
    signature = service.signature_of(session, item)
    context: dict[str, Any] = {
        "item": item,
        "kind_label": strings.REVIEW_KIND_LABELS[item.kind.value],
        "status_label": strings.REVIEW_STATUS_LABELS[item.status.value],
        "left": countdown(item.due_at, utcnow()),
        "active": item.status in ACTIVE_STATUSES,
        "conversation": _context(session, item),
        "profile_path": _profile_path(session, item),
        "actions": actions,
        "claimed_by_other": not mine,
        "signature": signature,
        "signature_valid": esign.is_valid(signature, item.answer_text),
        "meaning": service.APPROVAL_MEANING,
        "max_answer_chars": service.MAX_ANSWER_CHARS,
        "close_reasons": strings.CLOSE_REASON_LABELS,
        "history": audit.history(session, "review_item", item.id),
        "done": done,
        "error": error,
        "error_action": error_action if error_action in actions else None,
        "draft": draft,
    }
    return render(request, "item.html", context, status_code=status_code)


@router.get("/{item_id}", response_class=HTMLResponse)
def item_detail(
    request: Request, item_id: str, user: ReviewerUser, session: SessionDep, done: str = ""
) -> Response:
    """One review item and what can be done with it."""
    item = service.get_item(session, item_id)
    return item_page(request, session, item, user, done=strings.REVIEW_DONE.get(done))


def _act(
    request: Request,
    session: Session,
    user: StaffUser,
    item_id: str,
    action: str,
    operation: Operation,
    draft: str | None = None,
    jobs: PendingJobs | None = None,
    runtime: Runtime | None = None,
) -> Response:
    """Apply one workflow action and go back to the item; a refused action shows the item with why.

    Jobs the operation queued are sent only after the commit (a refused action drops them)."""
    # The Access user is detached from this session; the services change it (signature failures count).
    staff_user = session.get(StaffUser, user.id)
    if staff_user is None:
        raise Unauthenticated(strings.SIGN_IN_REQUIRED)
    item = service.get_item(session, item_id, for_update=True)
    try:
        operation(session, item, staff_user)
    except DomainError as exc:
        if jobs is not None:
            jobs.discard()
        if isinstance(exc, Unauthenticated):
            session.commit()  # a wrong signature password counts toward lockout and stays audited
        else:
            session.rollback()
        item = service.get_item(session, item_id)
        return item_page(
            request,
            session,
            item,
            staff_user,
            error=exc.detail,
            error_action=action,
            draft=draft,
            status_code=exc.status_code,
        )
    session.commit()
    if jobs is not None and runtime is not None:
        jobs.send(runtime.celery)
    return RedirectResponse(f"/staff/queue/{item.id}?done={action}", status_code=303)


@router.post("/{item_id}/claim")
def claim(request: Request, item_id: str, user: ReviewerUser, session: SessionDep) -> Response:
    """Claim an open item."""
    return _act(request, session, user, item_id, "claim", service.claim)


@router.post("/{item_id}/release")
def release(request: Request, item_id: str, user: ReviewerUser, session: SessionDep) -> Response:
    """Put a claimed item back in the queue."""
    return _act(request, session, user, item_id, "release", service.release)


@router.post("/{item_id}/answer")
def answer(
    request: Request, item_id: str, user: ReviewerUser, session: SessionDep, answer: Annotated[str, Form()] = ""
) -> Response:
    """Save the draft answer (voids an earlier signature)."""

    def save(s: Session, item: ReviewItem, u: StaffUser) -> None:
        service.save_answer(s, item, u, answer)

    return _act(request, session, user, item_id, "answer", save, draft=answer)


@router.post("/{item_id}/approve")
def approve(
    request: Request,
    item_id: str,
    user: ReviewerUser,
    session: SessionDep,
    runtime: RuntimeDep,
    password: Annotated[str, Form()] = "",
) -> Response:
    """Approve and sign the draft (password re-entered); then the answer goes to the HCP."""
    jobs = PendingJobs()

    def sign(s: Session, item: ReviewItem, u: StaffUser) -> None:
        delivery.approve_and_schedule(s, item, u, password, runtime.settings, jobs)

    return _act(request, session, user, item_id, "approve", sign, jobs=jobs, runtime=runtime)


@router.post("/{item_id}/return")
def return_answer(
    request: Request, item_id: str, user: ReviewerUser, session: SessionDep, reason: Annotated[str, Form()] = ""
) -> Response:
    """Return the draft for rework, with a reason."""

    def send_back(s: Session, item: ReviewItem, u: StaffUser) -> None:
        service.return_answer(s, item, u, reason)

    return _act(request, session, user, item_id, "return", send_back)


@router.post("/{item_id}/close")
def close(
    request: Request,
    item_id: str,
    user: ReviewerUser,
    session: SessionDep,
    reason: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """Close without an answer: duplicate, not a medical question, or spam."""

    def shut(s: Session, item: ReviewItem, u: StaffUser) -> None:
        if reason not in CloseReason._value2member_map_:
            raise InvalidInput(strings.REASON_REQUIRED)
        service.close(s, item, u, CloseReason(reason), note)

    return _act(request, session, user, item_id, "close", shut)
