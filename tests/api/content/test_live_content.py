"""End to end on a real stack: a novel question becomes MLR-approved content that the live bot serves.

Covers the issue's bar: review -> answer -> propose -> MLR e-signature -> retrain -> gate -> hot swap, with chat
traffic running through the swap; then a deliberately conflicting item is refused and the old model keeps serving.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.audit.models import AuditEvent
from api.auth import service as auth
from api.auth.roles import Role
from api.content import library, proposals, rasa_models
from api.content.models import ReleaseStatus
from api.conversations.models import Exchange
from api.db import session_factory
from api.jobs import PendingJobs
from api.review_queue import service as review_queue
from api.review_queue.models import ReviewItem
from scripts.bench_content import ContentStack
from tests.api.conftest import PASSWORD

QUESTION = "which company makes quelvanti"
PARAPHRASE = "who is the manufacturer of quelvarimab"
SWAP_TRAFFIC = ("how should quelvanti be stored", "what is the dose of quelvanti", QUESTION)
NEW_BODY = (
    "Quelvanti (quelvarimab) is manufactured by Avendra Bio, Inc. For medical information about Quelvanti, "
    "call Avendra Medical Information at 1-800-555-0142."
)
MORE_EXAMPLES = [
    "who makes quelvanti",
    "which pharma company manufactures quelvarimab",
    "name of the company that makes qlv",
    "who manufactures quelvanty",
    "is quelvanti an avendra bio product",
    "manufacturer of quelvarimab-avnd",
]
# Storage questions filed under the copay topic: the gate must refuse to let them take storage over.
CONFLICTING_EXAMPLES = [
    "how do you keep the quelvanti pens cold",
    "fridge temperature for keeping quelvanti",
    "keep quelvarimab refrigerated at what temp",
    "should the qlv carton go in the refrigerator",
    "storing quelvanty pens at home in the fridge",
    "what temperature do I keep quelvanti at",
    "can the quelvanti pen be frozen",
    "refrigerate quelvanti in its original carton?",
    "is quelvarimab kept between 2 and 8 degrees",
    "how to store the quelva pen",
    "what storage conditions apply to the quelvanti pens",
    "does quelvanti need refrigeration",
]


def _wait(predicate: Callable[[], Any], timeout: float, interval: float = 1.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s")


def _approve(stack: ContentStack, session: Session, proposal_id: str, email: str) -> tuple[str, str]:
    approver = auth.create_user(session, email, PASSWORD, [Role.MLR_APPROVER], display_name="MLR")
    jobs = PendingJobs()
    proposal = proposals.get_proposal(session, proposal_id)
    version = proposals.approve(session, proposal, approver, PASSWORD, jobs)
    session.commit()
    stack.send(jobs)
    assert proposal.release_id is not None
    return version.approval_code, proposal.release_id


class Traffic(threading.Thread):
    """Chats continuously through new conversations until stopped, recording every answer."""

    def __init__(self, stack: ContentStack) -> None:
        super().__init__(daemon=True)
        self.stack, self.stop = stack, threading.Event()
        self.failures: list[str] = []
        self.codes: set[str] = set()
        self.sent = 0

    def run(self) -> None:
        with httpx.Client(timeout=30) as client:
            while not self.stop.is_set():
                conversation = self.stack.start(client)
                for text in SWAP_TRAFFIC:
                    response = self.stack.chat(client, text, conversation)
                    self.sent += 1
                    if response.status_code != 200:
                        self.failures.append(f"{response.status_code} {response.text[:200]}")
                        continue
                    self.codes |= {r["approval_code"] for r in response.json()["replies"]}


def test_novel_question_becomes_live_content_with_zero_failed_requests_during_the_swap(
    live_stack: ContentStack,
) -> None:
    stack = live_stack
    sessions = session_factory(stack.settings.sqlalchemy_url)
    with httpx.Client(timeout=30) as client:
        conversation = stack.start(client)
        first = stack.chat(client, QUESTION, conversation)
        assert first.status_code == 200 and first.json()["route"] == "review", first.text

    def review_item() -> ReviewItem | None:
        with sessions() as session:
            found: ReviewItem | None = session.scalar(
                select(ReviewItem).where(ReviewItem.conversation_id == conversation[0])
            )
            return found

    item_id = _wait(review_item, 60).id
    with sessions() as session:
        reviewer = auth.create_user(session, "reviewer@content.example", PASSWORD, [Role.MEDICAL_REVIEWER])
        item = review_queue.get_item(session, item_id)
        review_queue.save_answer(session, item, reviewer, NEW_BODY)
        review_queue.approve(session, item, reviewer, PASSWORD)
        fields = proposals.draft_for(session, [item])
        fields.topic = "medical_information_contact"
        current = proposals.current_for_topic(session, fields.topic)
        assert current is not None
        fields.title, fields.references = "Manufacturer and Medical Information", list(current.references)
        fields.body, fields.examples = f"{NEW_BODY}", [*fields.examples, *MORE_EXAMPLES]
        proposal = proposals.propose(session, reviewer, fields, [item])
        session.commit()
        assert QUESTION in proposal.examples and len(proposal.examples) > len(current.examples)
        old_code = current.approval_code

    traffic = Traffic(stack)
    with sessions() as session:
        approved_at = time.monotonic()
        code, release_id = _approve(stack, session, proposal.id, "mlr@content.example")
    assert code != old_code
    traffic.start()
    release = stack.wait_release(release_id, 2400)
    live_after = time.monotonic() - approved_at
    time.sleep(5)  # traffic keeps flowing on the new release for a while
    traffic.stop.set()
    traffic.join(60)
    assert release.status is ReleaseStatus.ACTIVE, (release.message, release.gate)
    trained = release.trained_seconds or 0
    print(f"\napproval-to-live {live_after:.0f} s, retraining {trained:.0f} s, {traffic.sent} messages sent")

    # During the swap: no failed request, and the API never refused an item the bot cited.
    assert traffic.sent > 0 and traffic.failures == []
    with sessions() as session:
        reasons = select(Exchange.route_reason).where(Exchange.route_reason.contains("not currently"))
        refused = session.scalars(reasons)
        assert list(refused) == []
    assert code in traffic.codes  # the new item was served while the traffic ran

    with httpx.Client(timeout=30) as client:
        conversation = stack.start(client)
        for text in (QUESTION, PARAPHRASE):
            answer = stack.chat(client, text, conversation)
            assert answer.status_code == 200, answer.text
            assert answer.json()["route"] == "answered", (text, answer.json())
            assert answer.json()["replies"][0]["approval_code"] == code
            assert answer.json()["replies"][0]["text"] == NEW_BODY
    loaded = rasa_models.loaded_model(stack.rasa_url, stack.access.rasa_token)
    assert loaded.endswith(f"release-{release.number}.tar.gz")
    live_model = library.live_model_link(stack.settings.content_models_dir)
    assert live_model.resolve() == Path(release.model_path or "").resolve()  # a restarted Rasa loads it

    with sessions() as session:
        approved = proposals.get_proposal(session, proposal.id)
        entities = {approved.id, release_id, approved.version_id}
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq))
        actions = [e.action for e in events if e.entity_id in entities]
    trail = ["content_proposal.proposed", "content_proposal.approve", "content_version.published"]
    trail += ["content_release.model_activated"]
    assert [a for a in actions if a in trail] == trail


def test_conflicting_item_is_refused_and_the_old_model_keeps_serving(live_stack: ContentStack) -> None:
    stack = live_stack
    sessions = session_factory(stack.settings.sqlalchemy_url)
    before = rasa_models.loaded_model(stack.rasa_url, stack.access.rasa_token)
    with sessions() as session:
        reviewer = auth.create_user(session, "reviewer2@content.example", PASSWORD, [Role.MEDICAL_REVIEWER])
        current = proposals.current_for_topic(session, "copay")
        assert current is not None
        fields = proposals.ProposalFields(
            topic="copay",
            title=current.title,
            body=current.body,
            expires_on=dt.date.today() + dt.timedelta(days=200),
            references=list(current.references),
            examples=CONFLICTING_EXAMPLES,
        )
        proposal = proposals.propose(session, reviewer, fields, [])
        session.commit()
        code, release_id = _approve(stack, session, proposal.id, "mlr2@content.example")
    release = stack.wait_release(release_id, 2400)
    assert release.status is ReleaseStatus.REFUSED, (
        release.message,
        {k: v for k, v in release.gate.items() if "hits" not in k},
    )
    assert release.gate["reasons"] and "refused by the regression gate" in release.message
    assert rasa_models.loaded_model(stack.rasa_url, stack.access.rasa_token) == before

    with httpx.Client(timeout=30) as client:
        conversation = stack.start(client)
        storage = stack.chat(client, "how should quelvanti be stored", conversation).json()
        copay = stack.chat(client, "is there a copay card for quelvanti", conversation).json()
    assert storage["route"] == "answered" and storage["replies"][0]["topic"] == "storage"
    assert copay["replies"][0]["approval_code"] == current.approval_code != code
