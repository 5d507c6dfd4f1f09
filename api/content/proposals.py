"""Proposals from the review queue, MLR approval with an e-signature, new versions and withdrawal."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api import strings
from api.audit import service as audit
from api.auth.models import StaffUser
from api.auth.service import actor_of
from api.content import library
from api.content.models import (
    PROPOSAL_WORKFLOW,
    VERSION_WORKFLOW,
    ContentProposal,
    ContentRelease,
    ContentVersion,
    ProposalStatus,
    VersionStatus,
)
from api.content.similarity import group, similar_to
from api.conversations.models import Reply
from api.db import utcnow
from api.errors import Conflict, InvalidInput, NotFound
from api.esign import service as esign
from api.jobs import PendingJobs
from api.review_queue.models import ACTIVE_STATUSES, ReviewItem, ReviewKind
from api.workflow import transition
from content_library import ANSWER_TOPICS, parse_item

APPROVAL_MEANING = "MLR approval: content item for the assistant"
SIGNATURE_PREFIX = "MLR"
PUBLISH_TASK = "content.publish_release"
DEFAULT_VALIDITY_DAYS = 365
MAX_GROUP_QUESTIONS = 50


@dataclass
class ProposalFields:
    """What a reviewer proposes or an approver edits."""

    topic: str
    title: str
    body: str
    expires_on: dt.date
    references: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    isi_required: bool = False


def _unique(texts: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for text in texts:
        clean = " ".join(text.split())
        if clean and clean.lower() not in seen:
            seen[clean.lower()] = clean
    return list(seen.values())


def current_for_topic(session: Session, topic: str) -> ContentVersion | None:
    """The newest approved answer version on a topic (a proposal on it becomes its next version)."""
    rows = session.scalars(
        select(ContentVersion).where(
            ContentVersion.topic == topic,
            ContentVersion.kind == "answer",
            ContentVersion.status == VersionStatus.APPROVED,
        )
    )
    return max(rows, key=lambda r: (r.item_id, int(r.version[1:])), default=None)


def waiting_questions(session: Session) -> list[ReviewItem]:
    """Novel questions still waiting in the queue, oldest first."""
    return list(
        session.scalars(
            select(ReviewItem)
            .where(ReviewItem.kind == ReviewKind.NOVEL_QUESTION, ReviewItem.status.in_(ACTIVE_STATUSES))
            .order_by(ReviewItem.created_at)
            .limit(500)
        )
    )


def question_groups(session: Session) -> list[list[ReviewItem]]:
    """Waiting novel questions grouped by text similarity (TF-IDF), the largest groups first."""
    items = waiting_questions(session)
    return [[items[i] for i in g] for g in group([i.question_text for i in items])]


def similar_waiting(session: Session, texts: list[str]) -> list[ReviewItem]:
    """Waiting novel questions similar to any of the texts."""
    items = waiting_questions(session)
    return [items[i] for i in similar_to(texts, [i.question_text for i in items])][:MAX_GROUP_QUESTIONS]


def draft_for(session: Session, review_items: list[ReviewItem]) -> ProposalFields:
    """A proposal pre-filled from review items: the approved answer, the topic's current item, the questions."""
    answered = next((i for i in review_items if i.answer_text), None)
    topic = next((i.topic_guess for i in review_items if i.topic_guess in ANSWER_TOPICS), "") or ""
    current = current_for_topic(session, topic) if topic else None
    body = answered.answer_text if answered and answered.answer_text else (current.body if current else "")
    return ProposalFields(
        topic=topic,
        title=current.title if current else "",
        body=body or "",
        expires_on=dt.date.today() + dt.timedelta(days=DEFAULT_VALIDITY_DAYS),
        references=list(current.references) if current else [],
        examples=_unique([i.question_text for i in review_items]),
        isi_required=current.isi_required if current else False,
    )


def _checked(session: Session, item_id: str, version: str, fields: ProposalFields, code: str) -> ContentVersion:
    """Validate the fields as a content item would be (schema and at least 10 examples); a row, not added yet."""
    if fields.topic not in ANSWER_TOPICS:
        raise InvalidInput(strings.CONTENT_TOPIC_UNKNOWN.format(topic=fields.topic))
    raw = {
        "id": item_id,
        "approval_code": code,
        "version": version,
        "kind": "answer",
        "topic": fields.topic,
        "title": fields.title,
        "body": fields.body,
        "isi_required": fields.isi_required,
        "approved_on": dt.date.today(),
        "expires_on": fields.expires_on,
        "status": "approved",
        "references": fields.references,
        "examples": fields.examples,
    }
    item, problems = parse_item(raw)
    if item is None:
        raise InvalidInput("; ".join(f"{name}: {message}" for name, message in problems))
    return ContentVersion(
        item_id=item.id,
        version=item.version,
        approval_code=item.approval_code,
        kind="answer",
        topic=item.topic,
        title=item.title,
        body=item.body,
        isi_required=item.isi_required,
        approved_on=item.approved_on,
        expires_on=item.expires_on,
        references=list(item.references),
        examples=list(item.examples),
    )


def _check_examples_free(session: Session, item_id: str, examples: list[str]) -> None:
    """An example question may belong to one item only: two would teach the model a contradiction."""
    owners: dict[str, str] = {}
    for row in library.current_versions(session):
        if row.item_id != item_id and row.status is VersionStatus.APPROVED:
            owners.update({" ".join(e.lower().split()): row.item_id for e in row.examples})
    for example in examples:
        owner = owners.get(" ".join(example.lower().split()))
        if owner is not None:
            raise InvalidInput(strings.CONTENT_EXAMPLE_TAKEN.format(example=example, item=owner))


def _fill(proposal: ContentProposal, fields: ProposalFields, examples: list[str]) -> None:
    proposal.topic, proposal.title, proposal.body = fields.topic, fields.title.strip(), fields.body.strip()
    proposal.expires_on, proposal.isi_required = fields.expires_on, fields.isi_required
    proposal.references = _unique(fields.references)
    proposal.examples = examples


def _examples_with_previous(session: Session, fields: ProposalFields, questions: list[str]) -> list[str]:
    current = current_for_topic(session, fields.topic)
    previous = list(current.examples) if current else []
    return _unique([*previous, *fields.examples, *questions])


def propose(
    session: Session, user: StaffUser, fields: ProposalFields, review_items: list[ReviewItem]
) -> ContentProposal:
    """A reviewer proposes an item (or the next version of the topic's item) seeded from real questions."""
    questions = _unique([i.question_text for i in review_items])
    current = current_for_topic(session, fields.topic) if fields.topic in ANSWER_TOPICS else None
    item_id = current.item_id if current else f"qlv-{fields.topic.replace('_', '-')}"
    examples = _examples_with_previous(session, fields, questions)
    _check_examples_free(session, item_id, examples)
    _checked(session, item_id, "v1", ProposalFields(**{**fields.__dict__, "examples": examples}), "QLV-US-0000")
    proposal = ContentProposal(
        item_id=item_id,
        questions=questions,
        review_item_ids=[i.id for i in review_items],
        status=ProposalStatus.SUBMITTED,
        proposed_by_id=user.id,
    )
    _fill(proposal, fields, examples)
    session.add(proposal)
    session.flush()
    audit.record(
        session,
        actor_of(user),
        "content_proposal.proposed",
        "content_proposal",
        proposal.id,
        to_state=ProposalStatus.SUBMITTED.value,
        reason=f"{item_id} ({fields.topic})",
    )
    return proposal


def get_proposal(session: Session, proposal_id: str, for_update: bool = False) -> ContentProposal:
    """One proposal, or 404."""
    query = select(ContentProposal).where(ContentProposal.id == proposal_id)
    proposal = session.scalar(query.with_for_update() if for_update else query)
    if proposal is None:
        raise NotFound("content proposal", proposal_id)
    return proposal


def edit(session: Session, proposal: ContentProposal, user: StaffUser, fields: ProposalFields) -> None:
    """Edit a proposal (the approver before signing, or the reviewer after a return): it is submitted again."""
    if fields.topic != proposal.topic:
        raise InvalidInput(strings.CONTENT_TOPIC_FIXED)
    examples = _unique(fields.examples)
    checked = ProposalFields(**{**fields.__dict__, "examples": examples})
    _checked(session, proposal.item_id, "v1", checked, "QLV-US-0000")
    _check_examples_free(session, proposal.item_id, examples)
    transition(session, PROPOSAL_WORKFLOW, proposal, "edit", actor_of(user))
    _fill(proposal, fields, examples)


def return_proposal(session: Session, proposal: ContentProposal, user: StaffUser, reason: str) -> None:
    """The approver sends a proposal back, saying why."""
    if not reason.strip():
        raise InvalidInput(strings.REASON_REQUIRED)
    transition(session, PROPOSAL_WORKFLOW, proposal, "return", actor_of(user), reason=reason.strip()[:500])
    proposal.return_reason = reason.strip()[:500]


def signed_text(proposal: ContentProposal) -> str:
    """The exact text an MLR signature covers: every field that reaches an HCP or the model."""
    return json.dumps(
        {
            "item_id": proposal.item_id,
            "topic": proposal.topic,
            "title": proposal.title,
            "body": proposal.body,
            "isi_required": proposal.isi_required,
            "expires_on": proposal.expires_on.isoformat(),
            "references": proposal.references,
            "examples": proposal.examples,
        },
        sort_keys=True,
    )


def approve(
    session: Session, proposal: ContentProposal, user: StaffUser, password: str, jobs: PendingJobs
) -> ContentVersion:
    """Sign and approve: a new version with the next approval code, the old one superseded, a release queued."""
    if proposal.status is not ProposalStatus.SUBMITTED:
        raise Conflict(strings.TRANSITION_REFUSED.format(action="approve", state=proposal.status.value))
    fields = ProposalFields(
        proposal.topic,
        proposal.title,
        proposal.body,
        proposal.expires_on,
        list(proposal.references),
        list(proposal.examples),
        proposal.isi_required,
    )
    row = _checked(
        session,
        proposal.item_id,
        library.next_version(session, proposal.item_id),
        fields,
        library.next_approval_code(session),
    )
    signature = esign.sign(
        session,
        user,
        password,
        APPROVAL_MEANING,
        "content_proposal",
        proposal.id,
        signed_text(proposal),
        SIGNATURE_PREFIX,
    )
    actor = actor_of(user)
    transition(session, PROPOSAL_WORKFLOW, proposal, "approve", actor, reason=f"{row.approval_code} {row.version}")
    row.proposal_id, row.signature_id = proposal.id, signature.id
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "content_version.published",
        "content_version",
        row.id,
        reason=f"{row.item_id} {row.version} {row.approval_code}",
    )
    release = library.next_release(session, proposal.id, True, f"{row.approval_code} {row.item_id} {row.version}")
    proposal.signature_id, proposal.approved_at = signature.id, signature.signed_at
    proposal.version_id, proposal.release_id = row.id, release.id
    jobs.enqueue(PUBLISH_TASK, release.id)
    return row


def withdraw(session: Session, version: ContentVersion, user: StaffUser, reason: str, jobs: PendingJobs) -> None:
    """Withdraw a version at once (the API stops serving it now); the action server's files follow."""
    if not reason.strip():
        raise InvalidInput(strings.REASON_REQUIRED)
    transition(session, VERSION_WORKFLOW, version, "withdraw", actor_of(user), reason=reason.strip()[:500])
    version.changed_at = utcnow()
    release = library.next_release(session, None, False, f"withdrawn {version.approval_code}")
    jobs.enqueue(PUBLISH_TASK, release.id)


@dataclass(frozen=True)
class Expiring:
    """A live version nearing expiry, with how often it was served."""

    version: ContentVersion
    days_left: int
    times_served: int


def expiring(session: Session, within_days: int, today: dt.date | None = None) -> list[Expiring]:
    """Live versions that expire within the window (or already have), soonest first, with usage."""
    day = today or dt.date.today()
    rows = list(
        session.scalars(
            select(ContentVersion)
            .where(
                ContentVersion.status == VersionStatus.APPROVED,
                ContentVersion.expires_on <= day + dt.timedelta(days=within_days),
            )
            .order_by(ContentVersion.expires_on)
        )
    )
    codes = [r.approval_code for r in rows]
    counted = select(Reply.approval_code, func.count()).where(Reply.approval_code.in_(codes))
    usage = {code: int(n) for code, n in session.execute(counted.group_by(Reply.approval_code)).all()}
    return [Expiring(r, (r.expires_on - day).days, int(usage.get(r.approval_code, 0))) for r in rows]


def releases(session: Session, limit: int = 20) -> list[ContentRelease]:
    """The newest releases, for the staff screen."""
    return list(session.scalars(select(ContentRelease).order_by(ContentRelease.number.desc()).limit(limit)))
