"""The issue's bar, end to end in two headless browsers against the running stack: an HCP asks a novel
question; a reviewer signs in, claims it, answers and signs; the HCP's still-open widget shows the answer
within 5 seconds; the transcript shows it with the signer; the item's history shows every step."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from api.auth import service as auth
from api.auth.roles import Role
from api.db import session_factory
from api.review_queue.models import ReviewItem
from api.review_queue.service import APPROVAL_MEANING
from tests.api.conftest import PASSWORD
from tests.conftest import Stack, wait_for

DELIVERY_SECONDS = 5
QUESTION = "can my patients take the quelvanti pen through airport security in hand luggage"
ANSWER = "Quelvanti pens may be carried in hand luggage; keep them in the original carton. (Test answer)"


def _reviewer(stack: Stack) -> tuple[str, str]:
    email = f"e2e-reviewer-{uuid.uuid4().hex[:8]}@staff.example"
    name = "Dr Rowan Example"
    with session_factory(stack.database_url)() as session:
        auth.create_user(session, email, PASSWORD, [Role.MEDICAL_REVIEWER], display_name=name)
        session.commit()
    return email, name


def _click(browser: webdriver.Chrome, label: str) -> None:
    browser.find_element(By.XPATH, f"//button[normalize-space()='{label}']").click()


def test_a_reviewer_answer_reaches_the_hcps_open_chat(
    browser: webdriver.Chrome,
    staff_browser: webdriver.Chrome,
    stack: Stack,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    shots = tmp_path_factory.mktemp("e2e-shots")
    # 1. The HCP asks a question no approved content answers.
    browser.get(stack.api_url + "/")
    browser.execute_script("sessionStorage.clear()")
    browser.get(stack.api_url + "/")
    browser.find_element(By.ID, "chat-input").send_keys(QUESTION, Keys.ENTER)
    WebDriverWait(browser, 30).until(
        lambda b: b.find_element(By.ID, "transcript").get_attribute("data-last-route") == "review"
    )
    held = browser.execute_script("return JSON.parse(sessionStorage.getItem('quelvanti.chat'))")
    conversation_id, secret = held["id"], held["secret"]

    def item_id() -> str | None:
        with session_factory(stack.database_url)() as session:
            return session.scalar(select(ReviewItem.id).where(ReviewItem.conversation_id == conversation_id))

    assert wait_for(item_id, timeout=30), "the worker did not open the review item"

    # 2. A reviewer signs in and finds it in the queue.
    email, name = _reviewer(stack)
    staff_browser.get(stack.api_url + "/staff/queue")
    assert "/staff/login" in staff_browser.current_url or staff_browser.find_elements(By.ID, "email")
    staff_browser.find_element(By.ID, "email").send_keys(email)
    staff_browser.find_element(By.ID, "password").send_keys(PASSWORD, Keys.ENTER)
    WebDriverWait(staff_browser, 15).until(lambda b: b.find_elements(By.CSS_SELECTOR, "table.queue"))
    row = staff_browser.find_element(By.CSS_SELECTOR, f"tr[data-item='{item_id()}']")
    assert "airport security" in row.text  # the redacted question, shown in the queue
    row.find_element(By.TAG_NAME, "a").click()

    # 3. Claim, answer, sign (the password is re-entered; the meaning is shown).
    WebDriverWait(staff_browser, 15).until(lambda b: b.find_elements(By.XPATH, "//button[.='Claim']"))
    _click(staff_browser, "Claim")
    WebDriverWait(staff_browser, 15).until(lambda b: b.find_elements(By.ID, "answer"))
    staff_browser.find_element(By.ID, "answer").send_keys(ANSWER)
    _click(staff_browser, "Save answer")
    WebDriverWait(staff_browser, 15).until(lambda b: b.find_elements(By.ID, "sign-password"))
    assert APPROVAL_MEANING in staff_browser.find_element(By.ID, "approve-meaning").text
    staff_browser.find_element(By.ID, "sign-password").send_keys(PASSWORD)
    _click(staff_browser, "Approve & sign")
    WebDriverWait(staff_browser, 15).until(lambda b: b.find_elements(By.CSS_SELECTOR, "dl.signature"))
    signed_at = time.monotonic()
    reference = staff_browser.find_element(
        By.XPATH, "//dl[contains(@class,'signature')]/dt[.='Reference']/following-sibling::dd[1]"
    ).text
    assert reference.startswith("MR-")
    staff_browser.save_screenshot(str(shots / "reviewer-item.png"))

    # 4. The HCP's still-open widget shows the answer within 5 seconds, marked as a reviewer's answer.
    WebDriverWait(browser, DELIVERY_SECONDS, poll_frequency=0.1).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, ".msg.reviewer")
    )
    assert time.monotonic() - signed_at <= DELIVERY_SECONDS
    shown = browser.find_element(By.CSS_SELECTOR, ".msg.reviewer")
    assert shown.find_element(By.CSS_SELECTOR, ".text").text == ANSWER
    assert shown.find_element(By.CSS_SELECTOR, ".reviewer").text == name
    assert shown.find_element(By.CSS_SELECTOR, ".reference").text == f"Reference {reference}"
    browser.save_screenshot(str(shots / "hcp-widget.png"))

    # 5. The transcript records it with the signer; without the secret it is refused.
    transcript = httpx.get(
        f"{stack.api_url}/api/v1/conversations/{conversation_id}", headers={"X-Conversation-Secret": secret}
    ).json()
    [answer] = transcript["reviewer_answers"]
    assert (answer["text"], answer["reviewer"], answer["signature_reference"]) == (ANSWER, name, reference)
    assert answer["signature_meaning"] == APPROVAL_MEANING
    assert httpx.get(f"{stack.api_url}/api/v1/conversations/{conversation_id}").status_code == 401

    # 6. The item's history shows every step with the reviewer as actor.
    history = staff_browser.find_element(By.CSS_SELECTOR, "table.history").text
    for action in ("claim", "answer", "signature", "approve"):
        assert action in history.lower(), (action, history)
    assert email in history
