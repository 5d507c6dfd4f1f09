"""The review queue's web screens: a reviewer works an item from claim to signature through the forms."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from api import strings
from api.audit import service as audit
from api.audit.models import AuditEvent
from api.auth.models import StaffUser
from api.auth.roles import Role
from api.conversations import service as conversations
from api.conversations.models import Exchange, ExchangeStatus, Reply, Route
from api.db import new_id, session_factory, utcnow
from api.esign import service as esign
from api.review_queue import service
from api.review_queue.models import ReviewItem, ReviewKind, ReviewStatus
from api.review_queue.service import APPROVAL_MEANING
from api.settings import Settings
from tests.api.conftest import PASSWORD, make_review_item, make_user, sign_in
from tests.api.staff_pages import csrf_of, form_sign_in, shows

ANSWER = "Yes: the pen may travel in hand luggage; keep it in its carton, below 25 °C.\nSee the leaflet."


def act(client: TestClient, item_id: str, action: str, **fields: str) -> httpx.Response:
    """Submit one of the item page's action forms, with the page's CSRF token."""
    page = client.get(f"/staff/queue/{item_id}")
    data = {"csrf_token": csrf_of(page.text), **fields}
    response: httpx.Response = client.post(f"/staff/queue/{item_id}/{action}", data=data, follow_redirects=False)
    return response


def stored(settings: Settings, item_id: str) -> ReviewItem:
    with session_factory(settings.sqlalchemy_url)() as session:
        item: ReviewItem | None = session.get(ReviewItem, item_id)
        assert item is not None
        return item


def history(settings: Settings, item_id: str) -> list[str]:
    with session_factory(settings.sqlalchemy_url)() as session:
        return [event.action for event in audit.history(session, "review_item", item_id)]


def test_a_reviewer_claims_answers_and_signs_through_the_forms(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    item_id, _ = make_review_item(offline_settings)
    assert form_sign_in(staff_client, reviewer.email).status_code == 303

    queue = staff_client.get("/staff/queue")
    assert f'href="/staff/queue/{item_id}"' in queue.text
    page = staff_client.get(f"/staff/queue/{item_id}")
    assert page.status_code == 200
    assert "<h1>Novel question</h1>" in page.text
    assert f'action="/staff/queue/{item_id}/claim"' in page.text
    assert f'action="/staff/queue/{item_id}/approve"' not in page.text
    assert "<script" not in page.text and "style=" not in page.text

    response = act(staff_client, item_id, "claim")
    assert response.status_code == 303
    assert response.headers["location"] == f"/staff/queue/{item_id}?done=claim"
    page = staff_client.get(response.headers["location"])
    assert shows(page.text, strings.REVIEW_DONE["claim"]) and 'aria-live="polite"' in page.text
    assert f'action="/staff/queue/{item_id}/answer"' in page.text
    assert f'action="/staff/queue/{item_id}/claim"' not in page.text

    assert act(staff_client, item_id, "answer", answer=ANSWER).status_code == 303
    page = staff_client.get(f"/staff/queue/{item_id}")
    assert shows(page.text, ANSWER)
    assert shows(page.text, APPROVAL_MEANING)
    assert '<label for="sign-password">' in page.text and 'autocomplete="current-password"' in page.text
    assert page.text.count('name="csrf_token" value="') == 6  # sign-out, answer, approve, return, release, close
    assert 'name="csrf_token" value=""' not in page.text

    response = act(staff_client, item_id, "approve", password=PASSWORD)
    assert response.status_code == 303

    item = stored(offline_settings, item_id)
    assert item.status is ReviewStatus.APPROVED and item.answer_text == ANSWER.strip()
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        signature = service.signature_of(session, item)
        assert signature is not None and esign.is_valid(signature, item.answer_text)
        assert signature.signer_id == reviewer.id and signature.meaning == APPROVAL_MEANING
    page = staff_client.get(response.headers["location"])
    assert shows(page.text, strings.REVIEW_DONE["approve"])
    assert signature.reference in page.text and shows(page.text, "Yes: it covers the answer text")
    assert shows(page.text, "No actions are possible")

    assert history(offline_settings, item_id) == [
        "review_item.claim",
        "review_item.answer",
        "signature.applied",
        "review_item.approve",
    ]
    table = page.text.split('id="history-heading"', 1)[1]
    for action in ("review_item.claim", "review_item.answer", "signature.applied", "review_item.approve"):
        assert f'<th scope="row">{action}</th>' in table
    assert '<th scope="col">From</th>' in table and reviewer.email in table


def test_a_wrong_signature_password_does_not_approve(staff_client: TestClient, offline_settings: Settings) -> None:
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    item_id, _ = make_review_item(offline_settings)
    form_sign_in(staff_client, reviewer.email)
    act(staff_client, item_id, "answer", answer=ANSWER)  # an open item is claimed by answering it

    response = act(staff_client, item_id, "approve", password="not my password at all")
    assert response.status_code == 401
    assert shows(response.text, strings.SIGNATURE_PASSWORD)
    assert 'id="approve-error"' in response.text and 'aria-invalid="true"' in response.text
    assert 'action="/staff/login"' not in response.text  # still signed in: the item page, not the sign-in form

    item = stored(offline_settings, item_id)
    assert item.status is ReviewStatus.ANSWERED and item.signature_id is None
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        user = session.get(StaffUser, reviewer.id)
        assert user is not None and user.failed_logins == 1
        failures = session.scalars(select(AuditEvent).where(AuditEvent.action == "signature.failed")).all()
        assert [f.entity_id for f in failures] == [reviewer.id]
    assert "review_item.approve" not in history(offline_settings, item_id)
    assert staff_client.get(f"/staff/queue/{item_id}").status_code == 200


def test_refused_actions_show_the_item_with_the_reason(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    first = make_user(offline_settings, Role.MEDICAL_REVIEWER, email="first@staff.example")
    second = make_user(offline_settings, Role.MEDICAL_REVIEWER, email="second@staff.example")
    item_id, _ = make_review_item(offline_settings)
    form_sign_in(staff_client, first.email)
    assert act(staff_client, item_id, "answer", answer="   ").status_code == 422
    assert act(staff_client, item_id, "claim").status_code == 303
    staff_client.cookies.clear()

    form_sign_in(staff_client, second.email)
    page = staff_client.get(f"/staff/queue/{item_id}")
    assert shows(page.text, "Claimed by first:") and f'action="/staff/queue/{item_id}/answer"' not in page.text
    response = act(staff_client, item_id, "answer", answer=ANSWER)
    assert response.status_code == 409
    assert shows(response.text, strings.CLAIMED_BY_OTHER.format(name="first"))
    response = act(staff_client, item_id, "claim")
    assert response.status_code == 409
    assert shows(response.text, strings.TRANSITION_REFUSED.format(action="claim", state="claimed"))
    assert act(staff_client, item_id, "close", reason="because").status_code == 422
    assert stored(offline_settings, item_id).status is ReviewStatus.CLAIMED

    response = act(staff_client, item_id, "close", reason="spam", note="advertising")
    assert response.status_code == 303
    item = stored(offline_settings, item_id)
    assert item.status is ReviewStatus.CLOSED and item.close_reason is not None
    assert history(offline_settings, item_id)[-1] == "review_item.close"
    assert shows(staff_client.get(f"/staff/queue/{item_id}").text, "spam: advertising")
    missing = staff_client.get("/staff/queue/no-such-item")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")


def test_return_and_release(staff_client: TestClient, offline_settings: Settings) -> None:
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    item_id, _ = make_review_item(offline_settings)
    form_sign_in(staff_client, reviewer.email)
    act(staff_client, item_id, "answer", answer=ANSWER)

    blank = act(staff_client, item_id, "return", reason=" ")
    assert blank.status_code == 422 and shows(blank.text, strings.REASON_REQUIRED)
    assert act(staff_client, item_id, "return", reason="cite the label section").status_code == 303
    assert stored(offline_settings, item_id).status is ReviewStatus.RETURNED
    assert act(staff_client, item_id, "release").status_code == 303
    item = stored(offline_settings, item_id)
    assert item.status is ReviewStatus.OPEN and item.claimed_by_id is None
    assert history(offline_settings, item_id)[-2:] == ["review_item.return", "review_item.release"]


def test_a_medical_information_request_shows_its_label_and_redacted_context(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    item_id, conversation_id = make_review_item(
        offline_settings,
        "Dr. Alice Brown here, can quelvanti be given to children under 12 for migraine?",
        kind=ReviewKind.MEDICAL_INFORMATION,
    )
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        exchange = session.scalars(select(Exchange).where(Exchange.conversation_id == conversation_id)).one()
        session.add(
            Reply(
                exchange_id=exchange.id,
                position=0,
                content_id="qlv-test",
                approval_code="QLV-TEST-01",
                version="1",
                topic="off_label",
                text="A medical information specialist will follow up.",
            )
        )
        session.commit()
    form_sign_in(staff_client, reviewer.email)
    page = staff_client.get(f"/staff/queue/{item_id}").text
    assert "<h1>Medical Information request (unsolicited)</h1>" in page
    assert "Dr. [PERSON] here" in page and "Alice" not in page and "Brown" not in page
    assert "QLV-TEST-01" in page and "A medical information specialist will follow up." in page
    queue = staff_client.get("/staff/queue?kind=medical_information").text
    assert "Medical Information request (unsolicited)" in queue and "Alice" not in queue


def test_only_reviewers_reach_the_queue(staff_client: TestClient, offline_settings: Settings) -> None:
    marketer = make_user(offline_settings, Role.MARKETER)
    pv = make_user(offline_settings, Role.PV_SPECIALIST)
    item_id, _ = make_review_item(offline_settings)
    paths = ["/staff/queue", f"/staff/queue/{item_id}"]
    posts = [f"/staff/queue/{item_id}/{a}" for a in ("claim", "release", "answer", "approve", "return", "close")]

    for path in paths:
        page = staff_client.get(path)
        assert page.status_code == 401 and 'action="/staff/login"' in page.text
    for path in posts:
        assert staff_client.post(path, data={"answer": ANSWER}).status_code == 401
    for user in (marketer, pv):
        staff_client.cookies.clear()
        csrf = sign_in(staff_client, user)
        for path in paths:
            page = staff_client.get(path)
            assert page.status_code == 403 and "<h1>Not allowed</h1>" in page.text
        for path in posts:
            assert staff_client.post(path, data={"csrf_token": csrf, "answer": ANSWER}).status_code == 403
    assert stored(offline_settings, item_id).status is ReviewStatus.OPEN


def test_actions_need_the_session_csrf_token(staff_client: TestClient, offline_settings: Settings) -> None:
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    item_id, _ = make_review_item(offline_settings)
    form_sign_in(staff_client, reviewer.email)
    for token in ("", "forged-token"):
        response = staff_client.post(f"/staff/queue/{item_id}/claim", data={"csrf_token": token})
        assert response.status_code == 403 and shows(response.text, strings.CSRF_FAILED)
    assert stored(offline_settings, item_id).status is ReviewStatus.OPEN
    assert act(staff_client, item_id, "claim").status_code == 303
    assert stored(offline_settings, item_id).claimed_by_id == reviewer.id


def bulk_items(settings: Settings, count: int, vary: Callable[[int], dict[str, Any]]) -> list[str]:
    """Insert `count` review items (with their exchanges) in two bulk statements; returns their ids in order."""
    now = utcnow()
    with session_factory(settings.sqlalchemy_url)() as session:
        conversation, _ = conversations.start_conversation(session, None)
        exchanges = [
            {
                "id": new_id(),
                "conversation_id": conversation.id,
                "sequence": i + 1,
                "inbound_text": f"question number {i} about quelvanti",
                "received_at": now,
                "status": ExchangeStatus.REPLIED,
                "route": Route.REVIEW,
            }
            for i in range(count)
        ]
        session.execute(insert(Exchange), exchanges)
        items = [
            {
                "id": new_id(),
                "exchange_id": exchange["id"],
                "conversation_id": conversation.id,
                "kind": ReviewKind.NOVEL_QUESTION,
                "question_text": exchange["inbound_text"],
                "reason": "no approved content answers this question",
                "topic_guess": "storage",
                "findings": [],
                "status": ReviewStatus.OPEN,
                "created_at": now - dt.timedelta(minutes=10),
                "due_at": now + dt.timedelta(minutes=i + 1),
                **vary(i),
            }
            for i, exchange in enumerate(exchanges)
        ]
        session.execute(insert(ReviewItem), items)
        session.commit()
        return [item["id"] for item in items]


def rows(page: str) -> list[str]:
    """The item ids of the queue table's rows, in order."""
    return re.findall(r'<tr data-item="([^"]+)"', page)


def _mixed(i: int) -> dict[str, Any]:
    now = utcnow()
    return {
        "kind": ReviewKind.MEDICAL_INFORMATION if i % 3 == 0 else ReviewKind.NOVEL_QUESTION,
        "topic_guess": "storage" if i % 2 else "dosing",
        "status": ReviewStatus.CLOSED if i < 5 else ReviewStatus.OPEN,
        "created_at": now - (dt.timedelta(days=2) if i < 10 else dt.timedelta(minutes=10)),
        "due_at": now + dt.timedelta(hours=i - 5.5),  # item 5 is the first active one, and the only one breached
    }


def test_the_queue_is_paged_sorted_by_due_time_and_filtered(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    ids = bulk_items(offline_settings, 60, _mixed)
    form_sign_in(staff_client, reviewer.email)

    first = staff_client.get("/staff/queue")
    assert first.status_code == 200
    assert rows(first.text) == ids[5:55]
    assert shows(first.text, "55 items match; page 1 of 2")
    breached_row = first.text.split(f'<tr data-item="{ids[5]}"', 1)[1].split("</tr>", 1)[0]
    assert 'class="breached"' in breached_row and "SLA breached" in breached_row and "−" in breached_row
    assert "SLA breached" not in first.text.split(f'<tr data-item="{ids[6]}"', 1)[1].split("</tr>", 1)[0]
    assert '<th scope="col">Time left</th>' in first.text and "<caption>" in first.text
    assert 'href="/staff/queue?page=2"' in first.text
    assert rows(staff_client.get("/staff/queue?page=2").text) == ids[55:]

    def matching(query: str) -> list[str]:
        response = staff_client.get(f"/staff/queue?{query}")
        assert response.status_code == 200, response.text
        return rows(response.text)

    assert matching("kind=medical_information") == [i for n, i in enumerate(ids) if n >= 5 and n % 3 == 0]
    assert matching("topic=storage&kind=&status=&age=") == [i for n, i in enumerate(ids) if n >= 5 and n % 2]
    assert matching("age=24") == ids[5:10]
    assert matching("status=closed") == ids[:5]
    assert matching("status=any&page=2") == ids[50:]
    sixes = [i for n, i in enumerate(ids) if n >= 5 and n % 6 == 0]
    assert matching("kind=medical_information&topic=dosing") == sixes
    assert 'rel="next"' not in staff_client.get("/staff/queue?kind=medical_information").text
    assert 'href="/staff/queue?status=any&amp;page=2"' in staff_client.get("/staff/queue?status=any").text

    empty = staff_client.get("/staff/queue?page=9")
    assert empty.status_code == 200 and rows(empty.text) == [] and "No items match." in empty.text
    for query, field in (("kind=bogus", "kind"), ("status=deleted", "status"), ("age=5", "age")):
        response = staff_client.get(f"/staff/queue?{query}")
        assert response.status_code == 422
        assert shows(response.text, f"{field}: ") and 'role="alert"' in response.text
        assert rows(response.text) == ids[5:55]  # the invalid filter is ignored
    assert staff_client.get("/staff/queue?page=0").status_code == 422
    assert shows(staff_client.get("/staff/queue?page=x").text, strings.STAFF_PAGE_INVALID)


def test_the_queue_shows_who_claimed_an_item(staff_client: TestClient, offline_settings: Settings) -> None:
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER, email="dana@staff.example")
    ids = bulk_items(offline_settings, 3, lambda i: {})
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        user = session.get(StaffUser, reviewer.id)
        assert user is not None
        service.claim(session, service.get_item(session, ids[1]), user)
        session.commit()
    form_sign_in(staff_client, reviewer.email)
    page = staff_client.get("/staff/queue").text
    claimed_row = page.split(f'<tr data-item="{ids[1]}"', 1)[1].split("</tr>", 1)[0]
    assert "<td>dana</td>" in claimed_row and "Claimed" in claimed_row
    assert "<td>dana</td>" not in page.split(f'<tr data-item="{ids[0]}"', 1)[1].split("</tr>", 1)[0]


def test_a_queue_of_ten_thousand_items_is_paged(staff_client: TestClient, offline_settings: Settings) -> None:
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    ids = bulk_items(offline_settings, 10_000, lambda i: {})
    form_sign_in(staff_client, reviewer.email)

    first = staff_client.get("/staff/queue")
    assert first.status_code == 200 and rows(first.text) == ids[:50]
    assert shows(first.text, "10000 items match; page 1 of 200")
    assert 'href="/staff/queue?page=200"' in first.text
    late = staff_client.get("/staff/queue?page=190")
    assert late.status_code == 200 and rows(late.text) == ids[9450:9500]
    assert rows(staff_client.get("/staff/queue?page=200").text) == ids[9950:]
