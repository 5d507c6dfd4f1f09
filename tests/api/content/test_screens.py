"""The content screens: a reviewer proposes from an answered review item; an MLR approver signs it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.auth.roles import Role
from api.content import library
from api.content.models import ContentProposal, ContentRelease, ProposalStatus, ReleaseStatus
from api.db import session_factory
from api.review_queue import service as review_queue
from api.settings import Settings
from content_library import DEFAULT_DIRECTORY
from tests.api.conftest import PASSWORD, make_review_item, make_user
from tests.api.staff_pages import csrf_of, form_sign_in

QUESTION = "which company makes quelvanti"
BODY = "Quelvanti (quelvarimab) is manufactured by Avendra Bio, Inc."


def test_a_reviewer_proposes_and_an_mlr_approver_signs_through_the_screens(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    sessions = session_factory(offline_settings.sqlalchemy_url)
    with sessions() as session:
        library.seed(session, DEFAULT_DIRECTORY, None)
        session.commit()
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    approver = make_user(offline_settings, Role.MLR_APPROVER)
    item_id, _ = make_review_item(offline_settings, QUESTION)
    make_review_item(offline_settings, "which company manufactures QLV")  # a similar waiting question
    with sessions() as session:
        review_queue.save_answer(session, review_queue.get_item(session, item_id), session.merge(reviewer), BODY)
        session.commit()

    assert form_sign_in(staff_client, reviewer.email).status_code == 303
    item_page = staff_client.get(f"/staff/queue/{item_id}")
    assert f"/staff/content/propose?review_item={item_id}" in item_page.text
    form = staff_client.get(f"/staff/content/propose?review_item={item_id}")
    assert form.status_code == 200 and "which company manufactures QLV" in form.text, form.text[-3000:]
    assert BODY in form.text
    ids = re.findall(r'name="review_item" value="([^"]+)"', form.text)
    assert item_id in ids and len(ids) == 2
    data = {
        "csrf_token": csrf_of(form.text),
        "topic": "medical_information_contact",
        "title": "Manufacturer",
        "body": BODY,
        "expires_on": "2027-12-31",
        "references": "Quelvanti (quelvarimab) Prescribing Information, Avendra Bio, 2026",
        "examples": "who makes quelvanti",
        "review_item": ids,
    }
    created = staff_client.post("/staff/content/proposals", data=data, follow_redirects=False)
    assert created.status_code == 303, created.text
    proposal_url = created.headers["location"].split("?")[0]
    sign = {"csrf_token": csrf_of(form.text), "password": PASSWORD}
    refused = staff_client.post(proposal_url + "/approve", data=sign)
    assert refused.status_code == 403  # a reviewer cannot sign as MLR

    staff_client.cookies.clear()
    assert form_sign_in(staff_client, approver.email).status_code == 303
    page = staff_client.get(proposal_url)
    assert page.status_code == 200 and QUESTION in page.text and "which company manufactures QLV" in page.text
    wrong_password = {"csrf_token": csrf_of(page.text), "password": "x"}
    wrong = staff_client.post(proposal_url + "/approve", data=wrong_password)
    assert wrong.status_code == 401 and "Approve" in wrong.text
    page = staff_client.get(proposal_url)
    sign = {"csrf_token": csrf_of(page.text), "password": PASSWORD}
    signed = staff_client.post(proposal_url + "/approve", data=sign, follow_redirects=False)
    assert signed.status_code == 303
    done = staff_client.get(signed.headers["location"])
    assert 'id="approval-code">QLV-US-' in done.text
    with sessions() as session:
        proposal = session.scalar(select(ContentProposal))
        assert proposal is not None and proposal.status is ProposalStatus.APPROVED
        assert set(proposal.questions) == {QUESTION, "which company manufactures QLV"}
        release = session.get(ContentRelease, proposal.release_id)
        assert release is not None and release.status is ReleaseStatus.QUEUED
    dashboard = staff_client.get("/staff/content")
    assert dashboard.status_code == 200 and f'id="release-{release.number}" data-status="queued"' in dashboard.text
