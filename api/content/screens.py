"""Staff screens of the content loop: propose from the queue, MLR review and signature, releases, expiry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import strings
from api.audit import service as audit
from api.auth.models import StaffUser
from api.auth.roles import Role
from api.auth.screens import render
from api.content import proposals
from api.content.models import ContentProposal, ContentVersion, ProposalStatus, ReleaseStatus
from api.deps import Access, RuntimeDep, SessionDep
from api.errors import DomainError, InvalidInput, NotFound, Unauthenticated
from api.jobs import PendingJobs
from api.review_queue import service as review_queue
from content_library import ANSWER_TOPICS

router = APIRouter(prefix="/staff/content", include_in_schema=False)
ContentUser = Annotated[StaffUser, Depends(Access(Role.MEDICAL_REVIEWER, Role.MLR_APPROVER))]
ReviewerUser = Annotated[StaffUser, Depends(Access(Role.MEDICAL_REVIEWER))]
ApproverUser = Annotated[StaffUser, Depends(Access(Role.MLR_APPROVER))]
EXPIRY_WINDOW_DAYS = 90
RUNNING = {ReleaseStatus.QUEUED, ReleaseStatus.TRAINING, ReleaseStatus.GATING, ReleaseStatus.ACTIVATING}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _fields(
    topic: str, title: str, body: str, expires_on: str, references: str, examples: str, isi_required: str
) -> proposals.ProposalFields:
    try:
        expiry = dt.date.fromisoformat(expires_on)
    except ValueError:
        raise InvalidInput(strings.AE_DATE_INVALID.replace("since", "expires_on")) from None
    return proposals.ProposalFields(
        topic, title, body, expiry, _lines(references), _lines(examples), isi_required == "on"
    )


@router.get("", response_class=HTMLResponse)
def dashboard(request: Request, user: ContentUser, session: SessionDep, done: str = "") -> HTMLResponse:
    """Proposals, waiting question groups, releases with training progress, and items nearing expiry."""
    waiting = [p for p in _proposals(session) if p.status is not ProposalStatus.APPROVED]
    releases = proposals.releases(session)
    context: dict[str, Any] = {
        "proposals": waiting,
        "groups": [g for g in proposals.question_groups(session) if len(g) > 1][:20],
        "releases": releases,
        "running": any(r.status in RUNNING for r in releases),
        "expiring": proposals.expiring(session, EXPIRY_WINDOW_DAYS),
        "window_days": EXPIRY_WINDOW_DAYS,
        "is_approver": Role.MLR_APPROVER in user.roles,
        "done": strings.CONTENT_DONE.get(done),
    }
    return render(request, "content_dashboard.html", context)


def _proposals(session: Session) -> list[ContentProposal]:
    return list(session.scalars(select(ContentProposal).order_by(ContentProposal.created_at.desc()).limit(50)))


@router.get("/propose", response_class=HTMLResponse)
def propose_form(
    request: Request, user: ReviewerUser, session: SessionDep, review_item: Annotated[list[str], Query()]
) -> HTMLResponse:
    """A proposal pre-filled from review items (their approved answer and the similar waiting questions)."""
    items = [review_queue.get_item(session, item_id) for item_id in review_item[:50]]
    if not items:
        raise InvalidInput(strings.CONTENT_NO_QUESTIONS)
    similar = proposals.similar_waiting(session, [i.question_text for i in items])
    chosen = items + [s for s in similar if s.id not in {i.id for i in items}]
    draft = proposals.draft_for(session, chosen)
    return _form(request, draft, chosen, None)


def _form(
    request: Request, draft: proposals.ProposalFields, items: list[Any], error: str | None, status: int = 200
) -> HTMLResponse:
    context = {"draft": draft, "items": items, "topics": ANSWER_TOPICS, "error": error}
    return render(request, "content_propose.html", context, status_code=status)


@router.post("/proposals")
def create_proposal(
    request: Request,
    user: ReviewerUser,
    session: SessionDep,
    topic: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
    expires_on: Annotated[str, Form()] = "",
    references: Annotated[str, Form()] = "",
    examples: Annotated[str, Form()] = "",
    isi_required: Annotated[str, Form()] = "",
    review_item: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Submit a proposal for MLR review."""
    items = [review_queue.get_item(session, item_id) for item_id in (review_item or [])[:50]]
    staff_user = _attached(session, user)
    try:
        fields = _fields(topic, title, body, expires_on, references, examples, isi_required)
        proposal = proposals.propose(session, staff_user, fields, items)
    except DomainError as exc:
        session.rollback()
        draft = proposals.ProposalFields(topic, title, body, dt.date.today(), _lines(references), _lines(examples))
        return _form(request, draft, items, exc.detail, exc.status_code)
    session.commit()
    return RedirectResponse(f"/staff/content/proposals/{proposal.id}?done=propose", status_code=303)


def _attached(session: Session, user: StaffUser) -> StaffUser:
    staff_user = session.get(StaffUser, user.id)
    if staff_user is None:
        raise Unauthenticated(strings.SIGN_IN_REQUIRED)
    return staff_user


def _proposal_page(
    request: Request, session: Session, proposal: ContentProposal, user: StaffUser, **extra: Any
) -> HTMLResponse:
    current = proposals.current_for_topic(session, proposal.topic)
    context = {
        "proposal": proposal,
        "current": current if current is None or current.id != proposal.version_id else None,
        "version": session.get(ContentVersion, proposal.version_id) if proposal.version_id else None,
        "is_approver": Role.MLR_APPROVER in user.roles,
        "is_reviewer": Role.MEDICAL_REVIEWER in user.roles,
        "meaning": proposals.APPROVAL_MEANING,
        "history": audit.history(session, "content_proposal", proposal.id),
        "error": extra.get("error"),
        "done": strings.CONTENT_DONE.get(extra.get("done") or ""),
    }
    return render(request, "content_proposal.html", context, status_code=extra.get("status_code", 200))


@router.get("/proposals/{proposal_id}", response_class=HTMLResponse)
def proposal_detail(
    request: Request, proposal_id: str, user: ContentUser, session: SessionDep, done: str = ""
) -> HTMLResponse:
    """A proposal beside the questions that motivated it, with the actions the viewer may take."""
    return _proposal_page(request, session, proposals.get_proposal(session, proposal_id), user, done=done)


def _act(
    request: Request,
    session: Session,
    user: StaffUser,
    proposal_id: str,
    action: str,
    operation: Callable[[ContentProposal, StaffUser], object],
    after: Callable[[], None] = lambda: None,
) -> Response:
    staff_user = _attached(session, user)
    proposal = proposals.get_proposal(session, proposal_id, for_update=True)
    try:
        operation(proposal, staff_user)
    except DomainError as exc:
        if isinstance(exc, Unauthenticated):
            session.commit()  # a wrong signature password counts toward lockout
        else:
            session.rollback()
        proposal = proposals.get_proposal(session, proposal_id)
        status_code = exc.status_code
        return _proposal_page(request, session, proposal, staff_user, error=exc.detail, status_code=status_code)
    session.commit()
    after()
    return RedirectResponse(f"/staff/content/proposals/{proposal_id}?done={action}", status_code=303)


@router.post("/proposals/{proposal_id}/edit")
def edit_proposal(
    request: Request,
    proposal_id: str,
    user: ContentUser,
    session: SessionDep,
    topic: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
    expires_on: Annotated[str, Form()] = "",
    references: Annotated[str, Form()] = "",
    examples: Annotated[str, Form()] = "",
    isi_required: Annotated[str, Form()] = "",
) -> Response:
    """Edit the text before signing (MLR) or after a return (reviewer); the proposal is submitted again."""

    def save(proposal: ContentProposal, u: StaffUser) -> None:
        fields = _fields(topic, title, body, expires_on, references, examples, isi_required)
        proposals.edit(session, proposal, u, fields)

    return _act(request, session, user, proposal_id, "edit", save)


@router.post("/proposals/{proposal_id}/return")
def return_proposal(
    request: Request,
    proposal_id: str,
    user: ApproverUser,
    session: SessionDep,
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Send the proposal back to the reviewer with a reason."""

    def send_back(proposal: ContentProposal, u: StaffUser) -> None:
        proposals.return_proposal(session, proposal, u, reason)

    return _act(request, session, user, proposal_id, "return", send_back)


@router.post("/proposals/{proposal_id}/approve")
def approve_proposal(
    request: Request,
    proposal_id: str,
    user: ApproverUser,
    session: SessionDep,
    runtime: RuntimeDep,
    password: Annotated[str, Form()] = "",
) -> Response:
    """MLR approval with an e-signature: assigns the approval code and version and starts retraining."""
    jobs = PendingJobs()
    return _act(
        request,
        session,
        user,
        proposal_id,
        "approve",
        lambda p, u: proposals.approve(session, p, u, password, jobs),
        after=lambda: jobs.send(runtime.celery),
    )


@router.post("/versions/{version_id}/withdraw")
def withdraw_version(
    version_id: str,
    user: ApproverUser,
    session: SessionDep,
    runtime: RuntimeDep,
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Withdraw a live item at once: the API stops serving it now, the bot's files follow."""
    version = session.get(ContentVersion, version_id, with_for_update=True)
    if version is None:
        raise NotFound("content version", version_id)
    jobs = PendingJobs()
    proposals.withdraw(session, version, _attached(session, user), reason, jobs)
    session.commit()
    jobs.send(runtime.celery)
    return RedirectResponse("/staff/content?done=withdraw", status_code=303)
