"""The PV screens: the queue with the clock and missing criteria, a case worked from triage to an e-signed
submission through the forms, the verbatim source on an audited click, and no PV screen for other roles."""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi.testclient import TestClient

from api.ae_cases.models import AeCaseStatus
from api.audit import service as audit
from api.auth.roles import Role
from api.db import session_factory
from api.settings import Settings
from tests.api.ae_cases.conftest import actions, load, make_case
from tests.api.conftest import PASSWORD, make_user
from tests.api.staff_pages import csrf_of, form_sign_in, shows

VERBATIM = "My patient Mary Jones, MRN 8812345, developed a rash after Quelvanti"


def act(client: TestClient, case_id: str, action: str, **fields: Any) -> httpx.Response:
    """Submit one of the case page's forms with the page's CSRF token."""
    page = client.get(f"/staff/pv/cases/{case_id}")
    data = {"csrf_token": csrf_of(page.text), **fields}
    response: httpx.Response = client.post(
        f"/staff/pv/cases/{case_id}/{action}", data=data, follow_redirects=False
    )
    return response


CORRECTION: dict[str, Any] = {
    "patient_identified": "on",
    "reporter_identified": "on",
    "product_identified": "on",
    "event_identified": "on",
    "seriousness": ["hospitalisation"],
    "events": "rash\nfever",
    "products": "Quelvanti",
    "narrative": "My patient [PERSON], MRN [MRN], developed a rash after Quelvanti",
    "patient_initials": "m.j.",
    "patient_age_group": "adult",
    "patient_sex": "female",
    "reporter_qualification": "physician",
    "event_coding": "10037844 Rash (PT)\n10037660 Pyrexia (PT)",
    "contact_consent": "yes",
    "contact_channel": "phone",
}


def test_a_pv_specialist_works_a_case_through_the_screens(pv_client: TestClient, pv_settings: Settings) -> None:
    case_id, exchange_id = make_case(pv_settings, VERBATIM)
    pv = make_user(pv_settings, Role.PV_SPECIALIST)
    signed_in = form_sign_in(pv_client, pv.email)
    assert signed_in.headers["location"] == "/staff/pv/cases"

    queue = pv_client.get("/staff/pv/cases")
    row = re.search(rf'<tr data-case="{case_id}".*?</tr>', queue.text, re.S)
    assert row is not None and "Day 0" in row.group() and "rash" in row.group()
    page = pv_client.get(f"/staff/pv/cases/{case_id}")
    assert "Mary" not in page.text and "8812345" not in page.text
    assert shows(page.text, "MedDRA LLT/PT (as coded in the safety database)")

    revealed = act(pv_client, case_id, "verbatim", reason="causality assessment")
    assert revealed.status_code == 200 and shows(revealed.text, VERBATIM)
    assert revealed.headers["cache-control"] == "no-store"
    with session_factory(pv_settings.sqlalchemy_url)() as session:
        assert [e.action for e in audit.history(session, "exchange", exchange_id)] == ["verbatim.read"]

    assert act(pv_client, case_id, "triage").status_code == 303
    assert act(pv_client, case_id, "correct", **CORRECTION).status_code == 303
    case = load(pv_settings, case_id)
    assert (case.patient_initials, case.events, case.serious) == ("M.J.", ["rash", "fever"], True)
    refused = act(pv_client, case_id, "submit", password=PASSWORD)
    assert refused.status_code == 409  # not ready yet: the form is not even offered
    assert act(pv_client, case_id, "ready").status_code == 303
    wrong = act(pv_client, case_id, "submit", password="not my password")
    assert wrong.status_code == 401 and load(pv_settings, case_id).status is AeCaseStatus.READY
    assert act(pv_client, case_id, "submit", password=PASSWORD).status_code == 303

    done = pv_client.get(f"/staff/pv/cases/{case_id}?done=submit")
    assert shows(done.text, "Submitted: the E2B(R3) report was signed and exported.")
    xml = pv_client.get(f"/staff/pv/cases/{case_id}/exports/1")
    assert xml.headers["content-type"].startswith("application/xml") and "<name>M.J.</name>" in xml.text
    history = actions(pv_settings, case_id)
    for step in ("ae_case.triage", "ae_case.corrected", "ae_case.mark_ready", "signature.applied"):
        assert step in history, step
    assert history[-3:] == ["ae_case.submit", "ae_case.exported", "ae_case.export_delivered"]
    assert "[withheld]" in done.text  # initials are named in the history, never shown there


def test_an_invalid_correction_is_refused_with_why(pv_client: TestClient, pv_settings: Settings) -> None:
    case_id, _ = make_case(pv_settings)
    form_sign_in(pv_client, make_user(pv_settings, Role.PV_SPECIALIST).email)
    refused = act(pv_client, case_id, "correct", **{**CORRECTION, "patient_initials": "Mary Jones"})
    assert refused.status_code == 422 and "patient_initials" in refused.text
    assert load(pv_settings, case_id).patient_initials is None


def test_other_roles_have_no_pv_screen_and_read_no_verbatim(pv_client: TestClient, pv_settings: Settings) -> None:
    case_id, exchange_id = make_case(pv_settings, VERBATIM)
    for role in (Role.MARKETER, Role.MEDICAL_REVIEWER):
        pv_client.cookies.clear()
        user = make_user(pv_settings, role)
        form_sign_in(pv_client, user.email)
        assert pv_client.get("/staff/pv/cases").status_code == 403
        assert pv_client.get(f"/staff/pv/cases/{case_id}").status_code == 403
        home = pv_client.get("/staff", follow_redirects=True)
        token = csrf_of(home.text)
        refused = pv_client.post(f"/staff/pv/cases/{case_id}/verbatim", data={"csrf_token": token})
        assert refused.status_code == 403 and "Mary" not in refused.text
    with session_factory(pv_settings.sqlalchemy_url)() as session:
        assert audit.history(session, "exchange", exchange_id) == []
