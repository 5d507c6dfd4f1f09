"""The brand page's chat widget, driven in headless Chromium against the running stack."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from api.auth import service as auth
from api.auth.roles import Role
from api.db import session_factory
from api.review_queue import service as review_queue
from api.review_queue.models import ReviewItem
from content_library import ContentItem, ContentLibrary
from tests.api.conftest import PASSWORD
from tests.conftest import Stack, wait_for

# The bar: a signed answer shows in the HCP's open widget within 5 seconds.
DELIVERY_SECONDS = 5


def bot_messages(browser: webdriver.Chrome) -> list[str]:
    return [
        m.find_element(By.CSS_SELECTOR, ".text").text for m in browser.find_elements(By.CSS_SELECTOR, ".msg.bot")
    ]


def user_messages(browser: webdriver.Chrome) -> list[str]:
    return [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".msg.user .text")]


def reviewer_messages(browser: webdriver.Chrome) -> list[WebElement]:
    return list(browser.find_elements(By.CSS_SELECTOR, ".msg.reviewer"))


def open_fresh_page(browser: webdriver.Chrome, stack: Stack) -> None:
    """The brand page in a tab that holds no earlier conversation."""
    browser.get(stack.api_url + "/")
    browser.execute_script("sessionStorage.clear()")
    browser.get(stack.api_url + "/")


def held_chat(browser: webdriver.Chrome) -> dict[str, str]:
    """The conversation id and secret the widget keeps for this tab."""
    held = browser.execute_script("return JSON.parse(sessionStorage.getItem('quelvanti.chat'))")
    assert isinstance(held, dict) and set(held) == {"id", "secret"}, held
    return held


def ask(browser: webdriver.Chrome, text: str, route: str) -> None:
    before = len(bot_messages(browser))
    browser.find_element(By.ID, "chat-input").send_keys(text, Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda b: len(bot_messages(b)) > before)
    assert browser.find_element(By.ID, "transcript").get_attribute("data-last-route") == route


def sign_answer(stack: Stack, conversation_id: str, answer: str, reviewer_name: str) -> tuple[str, str]:
    """A reviewer claims the conversation's newest review item, answers and signs it; (item id, reference)."""
    sessions = session_factory(stack.database_url)

    def newest_item() -> str | None:
        with sessions() as session:
            return session.scalars(
                select(ReviewItem.id)
                .where(ReviewItem.conversation_id == conversation_id, ReviewItem.answer_text.is_(None))
                .order_by(ReviewItem.created_at.desc())
            ).first()

    assert wait_for(newest_item, timeout=30), "the stack did not open the review item"
    with sessions() as session:
        email = f"reviewer-{uuid.uuid4().hex[:8]}@staff.example"
        user = auth.create_user(session, email, PASSWORD, [Role.MEDICAL_REVIEWER], display_name=reviewer_name)
        item = review_queue.get_item(session, newest_item() or "")
        review_queue.claim(session, item, user)
        review_queue.save_answer(session, item, user, answer)
        signature = review_queue.approve(session, item, user, PASSWORD)
        session.commit()
        return item.id, signature.reference


def check_answer(element: WebElement, label: ContentItem, answer: str, reviewer: str, reference: str) -> None:
    assert element.find_element(By.CSS_SELECTOR, ".label").text == label.body
    assert element.find_element(By.CSS_SELECTOR, ".text").text == answer
    signature = element.find_element(By.CSS_SELECTOR, ".signature")
    assert signature.find_element(By.CSS_SELECTOR, ".reviewer").text == reviewer
    assert signature.find_element(By.CSS_SELECTOR, ".reference").text == f"Reference {reference}"
    assert signature.find_element(By.CSS_SELECTOR, ".meaning").text == review_queue.APPROVAL_MEANING
    assert signature.find_element(By.CSS_SELECTOR, "time").get_attribute("datetime")
    assert label.approval_code in element.find_element(By.CSS_SELECTOR, ".approval").text


def test_a_real_conversation_in_the_widget(
    browser: webdriver.Chrome, stack: Stack, tmp_path_factory: pytest.TempPathFactory
) -> None:
    library = ContentLibrary()
    greeting, storage, review = (
        library.system("greeting"),
        library.for_topic("storage"),
        library.system("review_followup"),
    )
    assert greeting and storage and review
    open_fresh_page(browser, stack)
    wait = WebDriverWait(browser, 30)
    assert bot_messages(browser) == [greeting.body]
    assert greeting.approval_code in browser.find_element(By.CSS_SELECTOR, ".msg.bot .approval").text

    field = browser.find_element(By.ID, "chat-input")
    label = browser.find_element(By.CSS_SELECTOR, "label[for=chat-input]")
    assert label.text == "Your question"
    assert browser.find_element(By.ID, "transcript").get_attribute("aria-live") == "polite"

    field.send_keys("how do I store quelvanti pens", Keys.ENTER)
    wait.until(lambda b: len(bot_messages(b)) == 2)
    answer = browser.find_elements(By.CSS_SELECTOR, ".msg.bot")[-1]
    assert answer.find_element(By.CSS_SELECTOR, ".text").text == storage.body
    assert storage.approval_code in answer.find_element(By.CSS_SELECTOR, ".approval").text
    assert answer.find_element(By.LINK_TEXT, "Important Safety Information").get_attribute("href").endswith("/isi")

    field.send_keys("what is the wholesale acquisition cost of quelvanti per pen", Keys.ENTER)
    wait.until(lambda b: len(bot_messages(b)) == 3)
    assert bot_messages(browser)[-1] == review.body
    assert browser.find_element(By.ID, "transcript").get_attribute("data-last-route") == "review"

    field.send_keys("<img src=x onerror=alert(1)> hello", Keys.ENTER)
    wait.until(lambda b: len(bot_messages(b)) == 4)
    user_texts = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".msg.user .text")]
    assert user_texts[-1] == "<img src=x onerror=alert(1)> hello"  # shown as text, never run as markup
    assert browser.find_elements(By.CSS_SELECTOR, "#transcript img") == []
    browser.save_screenshot(str(tmp_path_factory.mktemp("shots") / "widget.png"))

    # A reload in the same tab continues the same conversation, its messages shown again from the log.
    held = held_chat(browser)
    shown = bot_messages(browser)
    browser.refresh()
    wait.until(lambda b: len(bot_messages(b)) == len(shown))
    assert bot_messages(browser) == shown
    assert user_messages(browser)[0] == "how do I store quelvanti pens"
    assert held_chat(browser) == held
    field = browser.find_element(By.ID, "chat-input")
    field.send_keys("thanks", Keys.ENTER)
    wait.until(lambda b: len(bot_messages(b)) == len(shown) + 1)
    transcript = httpx.get(
        f"{stack.api_url}/api/v1/conversations/{held['id']}",
        headers={"X-Conversation-Secret": held["secret"]},
        timeout=10,
    ).json()
    assert [e["text"] for e in transcript["exchanges"]][-1] == "thanks"

    browser.find_element(By.LINK_TEXT, "Important Safety Information").click()
    wait.until(ec.presence_of_element_located((By.ID, "isi")))
    isi = library.for_topic("isi")
    assert isi is not None and isi.approval_code in browser.find_element(By.ID, "isi").text


def test_a_signed_reviewer_answer_reaches_the_open_widget(
    browser: webdriver.Chrome, stack: Stack, tmp_path_factory: pytest.TempPathFactory
) -> None:
    library = ContentLibrary()
    reviewer_label, unsolicited_label = library.system("reviewer_answer"), library.system("unsolicited_response")
    assert reviewer_label and unsolicited_label
    open_fresh_page(browser, stack)
    question = "what is the wholesale acquisition cost of quelvanti per pen"
    ask(browser, question, "review")
    held = held_chat(browser)

    answer = "The list price is set by Avendra Bio; <b>please</b> contact your distributor for current pricing."
    _, reference = sign_answer(stack, held["id"], answer, "Dr. Rhea Novak")
    WebDriverWait(browser, DELIVERY_SECONDS).until(lambda b: len(reviewer_messages(b)) == 1)
    [shown] = reviewer_messages(browser)
    check_answer(shown, reviewer_label, answer, "Dr. Rhea Novak", reference)
    assert question in shown.find_element(By.CSS_SELECTOR, ".question").text
    assert browser.find_elements(By.CSS_SELECTOR, "#transcript b") == []  # shown as text, never as markup

    # A Medical Information (off-label) answer is labelled as a response to an unsolicited request.
    ask(browser, "Can Quelvanti be used for psoriatic arthritis?", "off_label")
    mi_answer = "Data in psoriatic arthritis are limited to one phase 2 study; see the enclosed summary."
    _, mi_reference = sign_answer(stack, held["id"], mi_answer, "Dr. Sam Ortiz")
    WebDriverWait(browser, DELIVERY_SECONDS).until(lambda b: len(reviewer_messages(b)) == 2)
    check_answer(reviewer_messages(browser)[1], unsolicited_label, mi_answer, "Dr. Sam Ortiz", mi_reference)

    time.sleep(2.5 * 2)  # two more polls: each answer is shown once
    browser.save_screenshot(str(tmp_path_factory.mktemp("shots") / "reviewer-answers.png"))
    assert len(reviewer_messages(browser)) == 2

    # The transcript records the answers with their signers; a reload shows each once again.
    transcript = httpx.get(
        f"{stack.api_url}/api/v1/conversations/{held['id']}",
        headers={"X-Conversation-Secret": held["secret"]},
        timeout=10,
    ).json()
    assert [
        (a["reviewer"], a["signature_reference"], a["unsolicited_request"]) for a in transcript["reviewer_answers"]
    ] == [
        ("Dr. Rhea Novak", reference, False),
        ("Dr. Sam Ortiz", mi_reference, True),
    ]
    browser.refresh()
    WebDriverWait(browser, 30).until(lambda b: len(reviewer_messages(b)) == 2)
    time.sleep(2.5)
    assert [m.find_element(By.CSS_SELECTOR, ".text").text for m in reviewer_messages(browser)] == [
        answer,
        mi_answer,
    ]
    assert browser.find_element(By.ID, "transcript").get_attribute("aria-live") == "polite"


def test_the_widget_stops_polling_a_conversation_it_no_longer_holds(
    browser: webdriver.Chrome, stack: Stack
) -> None:
    open_fresh_page(browser, stack)
    ask(browser, "hello", "chitchat")
    held = held_chat(browser)
    # As if the secret were stale (e.g. a different service): the widget forgets it and starts afresh.
    browser.execute_script(
        "sessionStorage.setItem('quelvanti.chat', JSON.stringify({id: arguments[0], secret: 'stale'}))", held["id"]
    )
    browser.refresh()
    WebDriverWait(browser, 10).until(
        lambda b: b.execute_script("return sessionStorage.getItem('quelvanti.chat')") is None
    )
    assert user_messages(browser) == []
    ask(browser, "hello", "chitchat")
    assert held_chat(browser)["id"] != held["id"]
