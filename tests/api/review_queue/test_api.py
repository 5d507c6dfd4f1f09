"""The review queue's JSON API: the queue page, the workflow, the e-signature and the item's history."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import update

from api.audit import service as audit
from api.auth.models import StaffUser
from api.auth.roles import Role
from api.db import session_factory, utcnow
from api.esign.models import Signature
from api.hcp_profiles.schemas import HcpDetails
from api.review_queue.delivery import EMAIL_ANSWER
from api.review_queue.models import ReviewItem, ReviewKind, ReviewStatus
from api.runtime import Runtime
from api.settings import Settings
from tests.api.conftest import PASSWORD, make_review_item, make_user, sign_in

ITEMS = "/api/v1/review-items"


def _set(settings: Settings, item_id: str, **values: object) -> None:
    with session_factory(settings.sqlalchemy_url)() as session:
        session.execute(update(ReviewItem).where(ReviewItem.id == item_id).values(**values))
        session.commit()


def _reviewer(client: TestClient, settings: Settings, name: str = "rita") -> tuple[StaffUser, dict[str, str]]:
    user = make_user(settings, Role.MEDICAL_REVIEWER, email=f"{name}@staff.example")
    client.cookies.clear()
    return user, {"X-CSRF-Token": sign_in(client, user)}


def test_the_queue_is_sorted_by_due_time_with_time_left_and_filters(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    now = utcnow()
    late, _ = make_review_item(offline_settings, "does quelvanti interact with grapefruit juice")
    soon, _ = make_review_item(offline_settings, "off label use in children", kind=ReviewKind.MEDICAL_INFORMATION)
    later, _ = make_review_item(offline_settings, "can the pen be stored in a car")
    _set(offline_settings, late, due_at=now - dt.timedelta(hours=1), escalated_at=now, topic_guess="interactions")
    _set(offline_settings, soon, due_at=now + dt.timedelta(hours=1), created_at=now - dt.timedelta(hours=30))
    _set(offline_settings, later, due_at=now + dt.timedelta(hours=3), status=ReviewStatus.CLOSED)
    _reviewer(staff_client, offline_settings)

    page = staff_client.get(ITEMS).json()
    by_kind = staff_client.get(ITEMS, params={"kind": "medical_information"}).json()
    by_topic = staff_client.get(ITEMS, params={"topic": "interactions"}).json()
    by_age = staff_client.get(ITEMS, params={"older_than_hours": 24}).json()
    closed = staff_client.get(ITEMS, params={"status": "closed"}).json()
    paged = staff_client.get(ITEMS, params={"offset": 1, "limit": 1}).json()

    assert [i["id"] for i in page["items"]] == [late, soon] and page["total"] == 2
    first, second = page["items"]
    assert first["escalated"] is True and -3700 < first["seconds_left"] < -3500
    assert second["escalated"] is False and 3500 < second["seconds_left"] < 3700
    assert first["claimed_by"] is None
    assert [i["id"] for i in by_kind["items"]] == [soon]
    assert [i["id"] for i in by_topic["items"]] == [late]
    assert [i["id"] for i in by_age["items"]] == [soon]
    assert [i["id"] for i in closed["items"]] == [later]
    assert [i["id"] for i in paged["items"]] == [soon] and paged["total"] == 2
    assert staff_client.get(ITEMS, params={"limit": 101}).status_code == 422
    assert staff_client.get(ITEMS, params={"offset": -1}).status_code == 422
    assert staff_client.get(ITEMS, params={"kind": "gossip"}).status_code == 422


def test_claim_answer_and_approve_by_electronic_signature(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    item_id, _ = make_review_item(offline_settings, "my patient John Smith asks whether the pen can fly")
    rita, headers = _reviewer(staff_client, offline_settings)
    url = f"{ITEMS}/{item_id}"

    detail = staff_client.get(url).json()
    claimed = staff_client.post(f"{url}/claim", headers=headers).json()
    drafted = staff_client.post(f"{url}/answer", json={"text": "  Yes, in hand luggage.  "}, headers=headers)
    wrong = staff_client.post(f"{url}/approve", json={"password": "not the password"}, headers=headers)
    after_wrong = staff_client.get(url).json()
    approved = staff_client.post(f"{url}/approve", json={"password": PASSWORD}, headers=headers)
    history = staff_client.get(f"{url}/history").json()

    assert "John Smith" not in str(detail) and "[PERSON]" in detail["question_text"]
    assert detail["allowed_actions"] == ["claim", "close"]
    assert claimed["status"] == "claimed" and claimed["claimed_by"] == "rita"
    assert drafted.status_code == 200 and drafted.json()["answer_text"] == "Yes, in hand luggage."
    assert wrong.status_code == 401
    assert after_wrong["status"] == "answered" and after_wrong["signature"] is None
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["status"] == "approved" and body["approved_at"]
    signature = body["signature"]
    assert signature["signer"] == "rita" and signature["meaning"] == "approved as a medical response"
    assert signature["valid"] is True and signature["reference"].startswith("MR-")
    actions = [e["action"] for e in history]
    assert actions == [
        "review_item.claim",
        "review_item.answer",
        "signature.applied",
        "review_item.approve",
    ]
    assert history[-1]["reason"] == signature["reference"] and history[-1]["actor_id"] == rita.id
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        failed = session.get(StaffUser, rita.id)
        assert failed is not None and failed.failed_logins == 0  # reset by the good password

    # A later edit of the signed text (here: behind the API's back) voids the signature.
    _set(offline_settings, item_id, answer_text="Yes, in hand luggage. Edited.")
    assert staff_client.get(url).json()["signature"]["valid"] is False


def test_a_wrong_signature_password_is_counted_and_audited(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    item_id, _ = make_review_item(offline_settings)
    rita, headers = _reviewer(staff_client, offline_settings)
    url = f"{ITEMS}/{item_id}"
    staff_client.post(f"{url}/answer", json={"text": "An answer."}, headers=headers)

    response = staff_client.post(f"{url}/approve", json={"password": "not the password"}, headers=headers)

    assert response.status_code == 401
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        user = session.get(StaffUser, rita.id)
        item = session.get(ReviewItem, item_id)
        assert user is not None and user.failed_logins == 1
        assert item is not None and item.status is ReviewStatus.ANSWERED and item.signature_id is None
        assert session.query(Signature).count() == 0
        # The failure is audited against the signer (it counts toward lockout like a failed sign-in).
        assert audit.history(session, "staff_user", rita.id)[-1].action == "signature.failed"


def test_other_reviewers_see_the_claimant_and_cannot_take_over(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    item_id, _ = make_review_item(offline_settings)
    url = f"{ITEMS}/{item_id}"
    _, rita_headers = _reviewer(staff_client, offline_settings, "rita")
    staff_client.post(f"{url}/claim", headers=rita_headers)
    _, sam_headers = _reviewer(staff_client, offline_settings, "sam")

    listed = staff_client.get(ITEMS).json()["items"][0]
    claim = staff_client.post(f"{url}/claim", headers=sam_headers)
    release = staff_client.post(f"{url}/release", headers=sam_headers)
    answer = staff_client.post(f"{url}/answer", json={"text": "mine now"}, headers=sam_headers)

    assert listed["claimed_by"] == "rita" and listed["status"] == "claimed"
    assert claim.status_code == 409
    assert release.status_code == 409 and "rita" in release.json()["detail"]
    assert answer.status_code == 409


def test_return_close_and_invalid_requests(staff_client: TestClient, offline_settings: Settings) -> None:
    returned_id, _ = make_review_item(offline_settings)
    closed_id, _ = make_review_item(offline_settings, "buy cheap pills now")
    _, headers = _reviewer(staff_client, offline_settings)

    def post(item_id: str, action: str, body: dict[str, str] | None = None) -> Response:
        return staff_client.post(f"{ITEMS}/{item_id}/{action}", json=body, headers=headers)

    post(returned_id, "answer", {"text": "Draft."})
    blank_reason = post(returned_id, "return", {"reason": ""})
    returned = post(returned_id, "return", {"reason": "cite the label"})
    bad_close = post(closed_id, "close", {"reason": "boring"})
    closed = post(closed_id, "close", {"reason": "spam", "note": "ad"})
    again = post(closed_id, "claim")
    approve_closed = post(closed_id, "approve", {"password": PASSWORD})
    missing = staff_client.get(f"{ITEMS}/no-such-item")
    no_csrf = staff_client.post(f"{ITEMS}/{returned_id}/release")

    assert blank_reason.status_code == 422
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert bad_close.status_code == 422
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed" and closed.json()["close_reason"] == "spam"
    assert again.status_code == 409 and approve_closed.status_code == 409
    assert missing.status_code == 404
    assert no_csrf.status_code == 403
    history = staff_client.get(f"{ITEMS}/{closed_id}/history").json()
    assert [(e["from_state"], e["to_state"], e["reason"]) for e in history] == [("open", "closed", "spam: ad")]


def test_a_bearer_token_works_without_csrf(staff_client: TestClient, offline_settings: Settings) -> None:
    item_id, _ = make_review_item(offline_settings)
    user = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    token = staff_client.post("/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD})
    staff_client.cookies.clear()

    claimed = staff_client.post(
        f"{ITEMS}/{item_id}/claim", headers={"Authorization": f"Bearer {token.json()['access_token']}"}
    )

    assert claimed.status_code == 200 and claimed.json()["status"] == "claimed"


def test_approving_for_a_closed_chat_sends_the_email_task_after_the_commit(
    staff_client: TestClient, offline_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    consenting = HcpDetails(name="Dr Lee", email="dr.lee@clinic.example", consent=True)
    emailed_id, _ = make_review_item(offline_settings, hcp=consenting)
    silent_id, _ = make_review_item(offline_settings)  # no e-mail: the answer waits for the chat
    _, headers = _reviewer(staff_client, offline_settings)
    runtime: Runtime = staff_client.app.state.runtime  # type: ignore[attr-defined]
    sent: list[tuple[str, tuple[str, ...], str]] = []

    def send_task(name: str, args: tuple[str, ...]) -> None:
        item = _item(offline_settings, args[0])
        sent.append((name, args, item.status.value))  # what the worker would see: committed already

    monkeypatch.setattr(runtime.celery, "send_task", send_task)
    for item_id in (emailed_id, silent_id):
        staff_client.post(f"{ITEMS}/{item_id}/answer", json={"text": "An answer."}, headers=headers)
        approved = staff_client.post(f"{ITEMS}/{item_id}/approve", json={"password": PASSWORD}, headers=headers)
        assert approved.status_code == 200, approved.text

    assert sent == [(EMAIL_ANSWER, (emailed_id,), "approved")]


def _item(settings: Settings, item_id: str) -> ReviewItem:
    with session_factory(settings.sqlalchemy_url)() as session:
        item = session.get(ReviewItem, item_id)
        assert item is not None
        return item
