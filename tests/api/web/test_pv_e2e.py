"""The issue's bar, end to end in two headless browsers against the running stack: an HCP reports an AE that
names no patient detail; the bot asks for the missing criteria with approved wording; the HCP answers; a PV
specialist signs in, sees a valid case, corrects a field and submits (e-signed); the E2B XML validates against
the kept XSD and carries the corrected value; the audit trail shows every step. The verbatim source is one
audited click away for PV, and refused (403) to a marketer and a medical reviewer."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait
from sqlalchemy import select

from api.ae_cases import e2b
from api.ae_cases.models import AeCase, AeCaseExport, AgeGroup
from api.audit import service as audit
from api.auth import service as auth
from api.auth.roles import Role
from api.db import session_factory
from api.settings import Settings
from content_library import ContentLibrary
from tests.api.conftest import PASSWORD
from tests.conftest import Stack, wait_for

REPORT = "Someone developed a rash after a Quelvanti injection"
ANSWERS = [
    ("She is 54 years old, female", "ae_followup_consent"),
    ("yes", "ae_followup_channel"),
    ("email me at jane.doe@clinic.example", "ae_followup_complete"),
]
CODING = "10037844 Rash (PT)"


def _user(stack: Stack, role: Role, name: str) -> str:
    email = f"e2e-{role.value}-{uuid.uuid4().hex[:8]}@staff.example"
    with session_factory(stack.database_url)() as session:
        auth.create_user(session, email, PASSWORD, [role], display_name=name)
        session.commit()
    return email


def _say(browser: webdriver.Chrome, text: str, expected_topic: str) -> str:
    """Send a message in the widget; the text of the approved reply it waits for."""
    browser.find_element(By.ID, "chat-input").send_keys(text, Keys.ENTER)
    selector = f"li.msg.bot[data-topic='{expected_topic}']"
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.CSS_SELECTOR, selector))
    text_shown: str = browser.find_element(By.CSS_SELECTOR, f"{selector} .text").text
    return text_shown


def _click(browser: webdriver.Chrome, label: str) -> None:
    browser.find_element(By.XPATH, f"//button[normalize-space()='{label}']").click()


def _status_line(browser: webdriver.Chrome) -> str:
    """The status line's text, or "" while the page is being replaced (the node read mid-navigation is gone: newer
    Chromium reports that as "Node with given id does not belong to the document", not as a stale element)."""
    try:
        return browser.find_element(By.CSS_SELECTOR, ".status-line").text
    except WebDriverException as exc:
        if "does not belong to the document" in str(exc):
            return ""
        raise


def _wait_for_status(browser: webdriver.Chrome, text: str) -> None:
    # The form posts and the page reloads: an element read mid-navigation goes stale, so look again.
    wait = WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException))
    wait.until(lambda b: text in _status_line(b))


def test_an_ae_reported_in_chat_becomes_a_submitted_valid_case(
    browser: webdriver.Chrome,
    staff_browser: webdriver.Chrome,
    stack: Stack,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    shots = tmp_path_factory.mktemp("pv-e2e-shots")
    library = ContentLibrary()

    # 1. The HCP reports an AE naming no patient detail; the bot asks for it with approved wording.
    browser.get(stack.api_url + "/")
    browser.execute_script("sessionStorage.clear()")
    browser.get(stack.api_url + "/")
    asked = _say(browser, REPORT, "ae_followup_patient")
    patient_item = library.system("ae_followup_patient")
    assert patient_item is not None and asked == patient_item.body
    approval = browser.find_element(By.CSS_SELECTOR, "li.msg.bot[data-topic='ae_followup_patient'] .approval")
    assert patient_item.approval_code in approval.text
    assert browser.find_elements(By.CSS_SELECTOR, "li.msg.bot[data-topic='ae_acknowledgement']")

    # 2. The HCP answers, consents to be contacted and gives a channel.
    for text, next_topic in ANSWERS:
        shown = _say(browser, text, next_topic)
        item = library.system(next_topic)
        assert item is not None and shown == item.body
    browser.save_screenshot(str(shots / "hcp-widget.png"))
    conversation_id = browser.execute_script("return JSON.parse(sessionStorage.getItem('quelvanti.chat')).id")
    with session_factory(stack.database_url)() as session:
        case = session.scalars(select(AeCase).where(AeCase.conversation_id == conversation_id)).one()
    assert case.is_valid_case and case.contact_consent and case.followup_pending is None

    # 3. A PV specialist signs in and finds a valid case in the queue.
    email = _user(stack, Role.PV_SPECIALIST, "Pat Vigil")
    staff_browser.get(stack.api_url + "/staff/pv/cases")
    staff_browser.find_element(By.ID, "email").send_keys(email)
    staff_browser.find_element(By.ID, "password").send_keys(PASSWORD, Keys.ENTER)
    WebDriverWait(staff_browser, 15).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, f"tr[data-case='{case.id}']")
    )
    row = staff_browser.find_element(By.CSS_SELECTOR, f"tr[data-case='{case.id}']")
    assert "Day 0" in row.text and "None (valid case)" in row.text
    row.find_element(By.TAG_NAME, "a").click()
    WebDriverWait(staff_browser, 15).until(lambda b: b.find_elements(By.ID, "criteria"))
    missing = staff_browser.find_elements(By.CSS_SELECTOR, "#criteria li[data-present='no']")
    assert missing == [] and "Age group: adult" in staff_browser.find_element(By.ID, "extracted").text
    assert "jane.doe" not in staff_browser.page_source

    # 4. The verbatim source, on an audited click.
    _click(staff_browser, "Show verbatim source")
    WebDriverWait(staff_browser, 15).until(lambda b: b.find_elements(By.ID, "verbatim"))
    assert REPORT in staff_browser.find_element(By.ID, "verbatim").text
    assert "jane.doe@clinic.example" in staff_browser.find_element(By.ID, "verbatim").text

    # 5. Correct a field (the age group) and code the event, then mark ready and submit with a signature.
    staff_browser.get(f"{stack.api_url}/staff/pv/cases/{case.id}")
    Select(staff_browser.find_element(By.ID, "field-patient-age-group")).select_by_value("elderly")
    staff_browser.find_element(By.ID, "field-event-coding").send_keys(CODING)
    _click(staff_browser, "Save corrections")
    _wait_for_status(staff_browser, "Corrections saved")
    _click(staff_browser, "Mark ready")
    _wait_for_status(staff_browser, "ready to submit")
    assert "version 1 (initial report)" in staff_browser.find_element(By.ID, "submit-meaning").text
    staff_browser.find_element(By.ID, "submit-password").send_keys(PASSWORD)
    _click(staff_browser, "Submit & sign")
    _wait_for_status(staff_browser, "Submitted")
    staff_browser.save_screenshot(str(shots / "pv-case.png"))
    assert staff_browser.find_element(By.ID, "case-status").text == "Submitted"

    # 6. The E2B XML validates against the kept XSD and carries the corrected value.
    with session_factory(stack.database_url)() as session:
        export = session.scalars(select(AeCaseExport).where(AeCaseExport.case_id == case.id)).one()
    dropped = Path(Settings().e2b_outbound_dir) / export.filename
    assert wait_for(dropped.exists, timeout=10), dropped
    xml = dropped.read_text()
    e2b.validate(xml)
    assert f'code="{e2b.AGE_GROUP_CODES[AgeGroup.ELDERLY]}" codeSystem="{e2b.OID_AGE_GROUP}"' in xml
    assert 'code="10037844"' in xml and f'extension="{case.case_number}"' in xml
    assert "jane.doe" not in xml

    # 7. The audit trail shows every step, and the chain holds.
    history = staff_browser.find_element(By.ID, "history").text
    for step in (
        "ae_case.opened",
        "ae_case.followup_asked",
        "ae_case.followup_answered",
        "ae_case.verbatim_read",
        "ae_case.triage",
        "ae_case.corrected",
        "ae_case.mark_ready",
        "signature.applied",
        "ae_case.submit",
        "ae_case.exported",
        "ae_case.export_delivered",
    ):
        assert step in history, (step, history)
    assert "patient_age_group: adult → elderly" in history and email in history
    with session_factory(stack.database_url)() as session:
        reads = [e for e in audit.history(session, "exchange", case.exchange_id) if e.action == "verbatim.read"]
        assert len(reads) == 1 and reads[0].actor == email
        assert audit.verify(session).ok

    # 8. A marketer and a medical reviewer cannot open the verbatim source.
    for role in (Role.MARKETER, Role.MEDICAL_REVIEWER):
        with httpx.Client(base_url=stack.api_url) as client:
            token = client.post(
                "/api/v1/auth/tokens", json={"email": _user(stack, role, role.value), "password": PASSWORD}
            )
            assert token.status_code == 201, token.text
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            refused = client.post(f"/api/v1/ae-cases/{case.id}/verbatim", json={}, headers=headers)
            assert refused.status_code == 403 and "Someone" not in refused.text
    with session_factory(stack.database_url)() as session:
        events = audit.history(session, "exchange", case.exchange_id)
        assert [e.action for e in events].count("verbatim.read") == 1
