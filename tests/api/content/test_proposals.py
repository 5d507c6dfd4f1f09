"""Proposals, MLR approval, versions, withdrawal and the API's swap window, on SQLite and PostgreSQL (no Rasa)."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.roles import Role
from api.content import library, proposals, publishing
from api.content.models import ContentRelease, ContentVersion, ReleaseStatus, VersionStatus
from api.content.service import ApprovedContent
from api.content.similarity import group, similar_to
from api.conversations.models import Reply
from api.db import session_factory
from api.errors import InvalidInput, Unauthenticated
from api.jobs import PendingJobs
from api.review_queue import service as review_queue
from api.review_queue.models import CloseReason
from api.runtime import Runtime
from api.settings import Settings
from content_library import DEFAULT_DIRECTORY, ContentLibrary, point_link
from tests.api.conftest import PASSWORD, make_review_item, make_user

BODY = "Quelvanti (quelvarimab) is manufactured by Avendra Bio, Inc. Medical Information: 1-800-555-0142."


@pytest.fixture
def seeded(offline_settings: Settings, tmp_path: Path) -> Settings:
    """The YAML library seeded as release 1, exported, with `live` pointing at it."""
    settings = offline_settings.model_copy(update={"content_export_dir": tmp_path / "content"})
    with session_factory(settings.sqlalchemy_url)() as session:
        release = library.seed(session, DEFAULT_DIRECTORY, "models/old.tar.gz")
        point_link(library.live_link(tmp_path / "content"), library.export(session, release, tmp_path / "content"))
        session.commit()
    return settings


def _proposal(session: Session, settings: Settings, text: str = "which company makes quelvanti") -> str:
    reviewer = session.merge(make_user(settings, Role.MEDICAL_REVIEWER, email=f"r{len(text)}@x.example"))
    item_id, _ = make_review_item(settings, text)
    item = review_queue.get_item(session, item_id)
    review_queue.save_answer(session, item, reviewer, BODY)
    fields = proposals.draft_for(session, [item])
    assert fields.body == BODY and fields.examples == [text]
    fields.topic, fields.title = "medical_information_contact", "Manufacturer"
    proposal = proposals.propose(session, reviewer, fields, [item])
    session.commit()
    return proposal.id


def test_approval_signs_assigns_a_new_code_and_version_and_queues_a_release(seeded: Settings) -> None:
    sessions = session_factory(seeded.sqlalchemy_url)
    approver = make_user(seeded, Role.MLR_APPROVER)
    with sessions() as session:
        proposal = proposals.get_proposal(session, _proposal(session, seeded))
        old = proposals.current_for_topic(session, "medical_information_contact")
        assert old is not None and proposal.item_id == old.item_id
        assert set(old.examples) < set(proposal.examples)  # previous examples kept, the question added
        user = session.merge(approver)
        with pytest.raises(Unauthenticated):
            proposals.approve(session, proposal, user, "wrong password", PendingJobs())
        session.rollback()
        jobs = PendingJobs()
        proposal = proposals.get_proposal(session, proposal.id)
        version = proposals.approve(session, proposal, session.merge(approver), PASSWORD, jobs)
        session.commit()
        assert version.version == f"v{int(old.version[1:]) + 1}" and version.approval_code != old.approval_code
        assert version.signature_id == proposal.signature_id is not None
        assert jobs.jobs == [(proposals.PUBLISH_TASK, (proposal.release_id,))]
        release = session.get(ContentRelease, proposal.release_id)
        assert release is not None and release.status is ReleaseStatus.QUEUED and release.retrain
        assert version.id in release.version_ids and old.id not in release.version_ids
        # The old version serves until the new release goes live: never changed in place.
        assert session.get(ContentVersion, old.id).status is VersionStatus.APPROVED
        with pytest.raises(Exception, match="approve"):
            proposals.approve(session, proposal, session.merge(approver), PASSWORD, PendingJobs())


def test_the_api_accepts_both_releases_while_one_is_swapped_in(seeded: Settings) -> None:
    sessions = session_factory(seeded.sqlalchemy_url)
    content = ApprovedContent(ContentLibrary(DEFAULT_DIRECTORY), sessions, grace_seconds=0, recheck_seconds=0)
    with sessions() as session:
        proposal = proposals.get_proposal(session, _proposal(session, seeded))
        old = proposals.current_for_topic(session, "medical_information_contact")
        assert old is not None
        approver = session.merge(make_user(seeded, Role.MLR_APPROVER))
        new = proposals.approve(session, proposal, approver, PASSWORD, PendingJobs())
        release = session.get(ContentRelease, proposal.release_id)
        assert release is not None
        session.commit()
    old_payload = {"content_id": old.item_id, "approval_code": old.approval_code, "version": old.version}
    new_payload = {"content_id": new.item_id, "approval_code": new.approval_code, "version": new.version}
    assert content.verify(old_payload) is not None and content.verify(new_payload) is None

    with sessions() as session:  # the swap begins: both are accepted
        session.get(ContentRelease, release.id).status = ReleaseStatus.ACTIVATING
        session.commit()
    assert content.verify(old_payload) is not None and content.verify(new_payload) is not None
    assert content.for_topic("medical_information_contact").approval_code == old.approval_code  # type: ignore[union-attr]

    with sessions() as session:  # the swap ends (grace 0): only the new one
        session.get(ContentRelease, release.id).status = ReleaseStatus.QUEUED
        session.get(ContentRelease, release.id).retrain = False
        session.commit()
    similar_id, _ = make_review_item(seeded, "which company manufactures quelvanti")
    other_id, _ = make_review_item(seeded, "can my patient drink alcohol on quelvanti")
    assert publishing.publish(sessions, seeded, release.id) is ReleaseStatus.ACTIVE
    assert content.verify(new_payload) is not None and content.verify(old_payload) is None
    with sessions() as session:  # waiting HCPs whose question it answers are sent it
        for item_id in (proposal.review_item_ids[0], similar_id):
            item = review_queue.get_item(session, item_id)
            assert item.close_reason is CloseReason.ANSWERED_BY_CONTENT
            sent = session.scalars(select(Reply).where(Reply.exchange_id == item.exchange_id)).all()
            assert [r.approval_code for r in sent] == [new.approval_code]
        assert review_queue.get_item(session, other_id).close_reason is None
    assert content.for_topic("medical_information_contact").approval_code == new.approval_code  # type: ignore[union-attr]
    # The action server's files moved with it, atomically behind the `live` link.
    bot_view = ContentLibrary(library.live_link(seeded.content_export_dir))  # type: ignore[arg-type]
    assert bot_view.for_topic("medical_information_contact").approval_code == new.approval_code  # type: ignore[union-attr]
    with sessions() as session:
        assert session.get(ContentVersion, old.id).status is VersionStatus.SUPERSEDED


def test_withdrawal_is_immediate_for_the_api_and_follows_for_the_bot(seeded: Settings) -> None:
    sessions = session_factory(seeded.sqlalchemy_url)
    content = ApprovedContent(ContentLibrary(DEFAULT_DIRECTORY), sessions, recheck_seconds=0)
    storage = content.for_topic("storage")
    assert storage is not None
    payload = {"content_id": storage.id, "approval_code": storage.approval_code, "version": storage.version}
    assert content.verify(payload) is not None
    with sessions() as session:
        query = select(ContentVersion).where(ContentVersion.approval_code == storage.approval_code)
        version = session.scalar(query)
        assert version is not None
        jobs = PendingJobs()
        approver = session.merge(make_user(seeded, Role.MLR_APPROVER))
        with pytest.raises(InvalidInput):
            proposals.withdraw(session, version, approver, " ", jobs)
        proposals.withdraw(session, version, approver, "label change", jobs)
        session.commit()
    assert content.verify(payload) is None and content.for_topic("storage") is None  # at once
    ((_, (release_id,)),) = jobs.jobs
    assert publishing.publish(sessions, seeded, release_id) is ReleaseStatus.ACTIVE
    bot_view = ContentLibrary(library.live_link(seeded.content_export_dir))  # type: ignore[arg-type]
    assert bot_view.for_topic("storage") is None and bot_view.for_topic("dosing") is not None


def test_an_example_owned_by_another_item_is_refused(seeded: Settings) -> None:
    with session_factory(seeded.sqlalchemy_url)() as session:
        storage = proposals.current_for_topic(session, "storage")
        assert storage is not None
        reviewer = session.merge(make_user(seeded, Role.MEDICAL_REVIEWER))
        fields = proposals.ProposalFields(
            "copay", "Copay", "Text.", dt.date.today() + dt.timedelta(days=30), examples=[storage.examples[0]]
        )
        with pytest.raises(InvalidInput, match=storage.item_id):
            proposals.propose(session, reviewer, fields, [])


def test_expiring_items_are_listed_with_their_usage(seeded: Settings) -> None:
    with session_factory(seeded.sqlalchemy_url)() as session:
        soonest = proposals.expiring(session, 10_000)
        assert soonest and soonest == sorted(soonest, key=lambda e: e.version.expires_on)
        assert all(e.times_served == 0 for e in soonest)
        assert proposals.expiring(session, 0, today=dt.date(2020, 1, 1)) == []


def test_similar_questions_are_grouped_by_tfidf() -> None:
    questions = [
        "which company makes quelvanti",
        "can my patient drink alcohol on quelvanti",
        "which company manufactures QLV",
        "is alcohol ok with qlv",
        "what is the list price",
    ]
    assert group(questions) == [[0, 2], [1, 3], [4]]
    assert similar_to(["who manufactures quelvarimab"], questions) == [2]


def test_the_mid_turn_recheck_never_waits_for_the_turns_own_pool(seeded: Settings) -> None:
    """A turn holding the main pool's connections (SQLite's write lock among them) must still be able to ask
    which release is live: drawing that read from the same pool deadlocked chat turns under load."""
    runtime = Runtime.build(seeded)
    pool = runtime.engine.pool
    held = [runtime.engine.connect() for _ in range(pool.size() + runtime.engine.pool._max_overflow)]  # type: ignore[attr-defined]
    try:
        with ThreadPoolExecutor(max_workers=1) as reader:
            library = reader.submit(lambda: runtime.content._refresh(force=True)).result(timeout=10)
        assert library is not None and library.live.for_topic("storage") is not None
    finally:
        for connection in held:
            connection.close()
        runtime.close()
