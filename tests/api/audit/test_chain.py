"""The audit hash chain holds under concurrent writers, and verify names a row edited or deleted through SQL."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from api.audit import service as audit
from api.audit.models import AuditEvent, AuditHead
from api.audit.service import Actor
from api.auth import service as auth
from api.auth.models import StaffUser
from api.auth.roles import Role
from api.db import session_factory
from api.errors import Conflict
from api.review_queue import service as review
from api.review_queue.models import CloseReason
from api.settings import Settings
from tests.api.conftest import PASSWORD, make_review_item, make_user, sign_in
from tests.conftest import ROOT

THREADS = 6
ITEMS = 50
SIGN_INS_PER_THREAD = 6


def _events(url: str, count: int) -> None:
    with session_factory(url)() as session:
        for n in range(count):
            audit.record(session, Actor(None, "test"), "test.event", "thing", f"t{n}", reason=f"event {n}")
        session.commit()


def _verify(url: str) -> audit.Verification:
    with session_factory(url)() as session:
        return audit.verify(session)


def _cli(url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "ENVIRONMENT": "test"}
    return subprocess.run(
        [sys.executable, "-m", "api", "audit", "verify"], cwd=ROOT, env=env, capture_output=True, text=True
    )


def _step(url: str, work: Callable[[Session], None]) -> None:
    """One transaction; a lost race (another reviewer got there first) rolls back."""
    with session_factory(url)() as session:
        try:
            work(session)
            session.commit()
        except Conflict:
            session.rollback()


def _sign_in(session: Session, email: str) -> None:
    auth.sign_in(session, email, PASSWORD)


def _reviewer_works(url: str, user_id: str, email: str, item_ids: list[str], start: threading.Barrier) -> None:
    rng = random.Random(user_id)
    start.wait()
    for n in range(SIGN_INS_PER_THREAD):
        # Unknown e-mails fail without locking anyone out; both outcomes are audited.
        who = email if n % 2 else f"ghost{n}@staff.example"
        _step(url, lambda session, who=who: _sign_in(session, who))
    for item_id in rng.sample(item_ids, len(item_ids)):

        def act(session: Session, action: str, item_id: str = item_id) -> None:
            item = review.get_item(session, item_id, for_update=True)
            me = session.get(StaffUser, user_id)
            assert me is not None
            if action == "claim":
                review.claim(session, item, me)
            elif action == "release":
                review.release(session, item, me)
            elif action == "answer":
                review.save_answer(session, item, me, f"answer by {email}")
            else:
                review.close(session, item, me, CloseReason.DUPLICATE, "load test")

        for action in ("claim", "release", "claim", "answer", "close"):
            _step(url, lambda s, a=action: act(s, a))


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_verify_passes_on_a_busy_database(offline_settings: Settings) -> None:
    url = offline_settings.sqlalchemy_url
    item_ids = [
        make_review_item(offline_settings, f"question number {n} about quelvanti")[0] for n in range(ITEMS)
    ]
    reviewers = [
        make_user(offline_settings, Role.MEDICAL_REVIEWER, email=f"r{n}@staff.example") for n in range(THREADS)
    ]
    start = threading.Barrier(THREADS)

    with ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(_reviewer_works, url, r.id, r.email, item_ids, start) for r in reviewers]
        for future in futures:
            future.result()

    with session_factory(url)() as session:
        seqs = list(session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)))
        head = session.get(AuditHead, audit.HEAD_ID)
        closes = session.scalar(select(func.count()).where(AuditEvent.action == "review_item.close"))
    result = _verify(url)
    assert result.ok, result
    assert len(seqs) >= 200 and result.rows == len(seqs)
    assert seqs == list(range(1, len(seqs) + 1))
    assert head is not None and head.seq == len(seqs)
    assert closes == ITEMS  # every item closed exactly once, whoever won it


def test_verify_names_a_row_altered_through_sql(database_url: str) -> None:
    _events(database_url, 10)
    assert _verify(database_url).ok
    clean = _cli(database_url)

    with session_factory(database_url)() as session:
        session.execute(text("UPDATE audit_event SET reason='x' WHERE seq=6"))
        session.commit()
    result = _verify(database_url)
    broken = _cli(database_url)

    assert clean.returncode == 0 and "ok: 10 rows" in clean.stdout
    assert result.broken_seq == 6 and result.problem is not None and "altered" in result.problem
    assert broken.returncode != 0
    assert "seq 6" in broken.stderr and "broken_seq=6" in broken.stdout


def test_verify_detects_deleted_rows(database_url: str) -> None:
    _events(database_url, 10)

    with session_factory(database_url)() as session:
        session.execute(text("DELETE FROM audit_event WHERE seq > 7"))
        session.commit()
    tail_deleted = _verify(database_url)
    with session_factory(database_url)() as session:
        session.execute(text("DELETE FROM audit_event WHERE seq = 3"))
        session.commit()
    middle_deleted = _verify(database_url)

    assert tail_deleted.broken_seq == 8 and "deleted" in (tail_deleted.problem or "")
    assert middle_deleted.broken_seq == 3 and "missing" in (middle_deleted.problem or "")


def test_admins_read_and_verify_the_trail_over_the_api(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    url = offline_settings.sqlalchemy_url
    admin = make_user(offline_settings, Role.ADMIN)
    sign_in(staff_client, admin)

    events = staff_client.get("/api/v1/audit/events", params={"entity_type": "staff_user", "entity_id": admin.id})
    clean = staff_client.get("/api/v1/audit/verify")
    with session_factory(url)() as session:
        session.execute(text("UPDATE audit_event SET actor='someone else' WHERE seq=1"))
        session.commit()
    broken = staff_client.get("/api/v1/audit/verify")

    assert [e["action"] for e in events.json()] == ["user.created", "sign_in.succeeded"]
    assert clean.json() == {"ok": True, "rows": 2, "broken_seq": None, "problem": None}
    assert broken.json()["ok"] is False and broken.json()["broken_seq"] == 1
