"""The bot's suggestion after an answer: the segment's best unseen item, by its approved title, at most once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from api.content.service import ApprovedContent
from api.conversations import service as conversations
from api.conversations.access import SECRET_HEADER
from api.conversations.models import Route
from api.db import session_factory
from api.hcp_profiles.suggestion import suggestion
from api.settings import Settings
from content_library import ContentItem, ContentLibrary, FixedLibrary, Status
from tests.api.conftest import start_chat, start_conversation
from tests.api.hcp_profiles.factories import LIBRARY, consent, log_exchange
from tests.api.web.browsers import headless_chromium
from tests.conftest import Stack

SPECIALTY = "dermatology"


def _item(topic: str) -> ContentItem:
    item = LIBRARY.for_topic(topic)
    assert item is not None
    return item


def _intro() -> ContentItem:
    item = LIBRARY.system("suggestion_intro")
    assert item is not None
    return item


def _peer(
    client: httpx.Client, settings: Settings, ratings: dict[str, bool], specialty: str | None = SPECIALTY
) -> None:
    """A trial-stage HCP (of the specialty) who rated the answers on these topics."""
    started = client.post("/api/v1/conversations", json={})
    assert started.status_code == 201, started.text
    conversation_id, headers = started.json()["id"], {SECRET_HEADER: started.json()["secret"]}
    if specialty:
        client.put(f"/api/v1/conversations/{conversation_id}/hcp", json={"specialty": specialty}, headers=headers)
    consent(client, conversation_id, headers, "insights", True)  # only consenting peers inform suggestions
    log_exchange(settings, conversation_id, "how is it dosed", "dosing")
    for topic, helpful in ratings.items():
        sequence = log_exchange(settings, conversation_id, f"about {topic.replace('_', ' ')}", topic)
        rated = client.put(
            f"/api/v1/conversations/{conversation_id}/exchanges/{sequence}/rating",
            json={"helpful": helpful},
            headers=headers,
        )
        assert rated.status_code == 200, rated.text


def _peers(client: TestClient, settings: Settings) -> None:
    """Peers who found missed dose most helpful, then administration; self-injection less so."""
    for _ in range(3):
        _peer(client, settings, {"missed_dose": True, "administration": True, "self_injection": False})
    _peer(client, settings, {"administration": False})


def _trial_hcp(client: TestClient, settings: Settings) -> str:
    """The HCP under test (the client's own chat): same specialty and stage as the peers, has seen dosing."""
    conversation_id = start_conversation(client)
    response = client.put(f"/api/v1/conversations/{conversation_id}/hcp", json={"specialty": SPECIALTY})
    assert response.status_code == 200, response.text
    log_exchange(settings, conversation_id, "how is it dosed", "dosing")
    return conversation_id


def _other_trial_hcp(client: TestClient, settings: Settings) -> str:
    """As `_trial_hcp`, without making the client carry this chat's secret."""
    conversation_id, headers = start_chat(client)
    response = client.put(
        f"/api/v1/conversations/{conversation_id}/hcp", json={"specialty": SPECIALTY}, headers=headers
    )
    assert response.status_code == 200, response.text
    log_exchange(settings, conversation_id, "how is it dosed", "dosing")
    return conversation_id


def _send(client: TestClient, conversation_id: str, text: str) -> dict[str, Any]:
    response = client.post(f"/api/v1/conversations/{conversation_id}/messages", json={"text": text})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _traced(item: ContentItem, text: str) -> dict[str, str]:
    return {
        "text": text,
        "content_id": item.id,
        "approval_code": item.approval_code,
        "version": item.version,
        "topic": item.topic,
    }


def _suggested(
    settings: Settings, conversation_id: str, answered: list[ContentItem], content: ApprovedContent | None = None
) -> tuple[ContentItem, ...]:
    with session_factory(settings.sqlalchemy_url)() as session:
        conversation = conversations.get_conversation(session, conversation_id)
        return suggestion(session, content or ApprovedContent(ContentLibrary()), conversation, answered)


# Through the real chat turn (Rasa of the test stack).


def test_an_answer_carries_the_item_the_segment_found_most_helpful(client: TestClient, settings: Settings) -> None:
    _peers(client, settings)
    conversation_id = _trial_hcp(client, settings)
    body = _send(client, conversation_id, "how should quelvanti pens be stored?")
    assert body["route"] == Route.ANSWERED
    storage, intro, missed_dose = _item("storage"), _intro(), _item("missed_dose")
    # The answer, then the approved lead-in, then the suggested item by its approved title only.
    assert body["replies"] == [
        _traced(storage, storage.body),
        _traced(intro, intro.body),
        _traced(missed_dose, missed_dose.title),
    ]
    transcript = client.get(f"/api/v1/conversations/{conversation_id}").json()
    assert transcript["exchanges"][-1]["replies"] == body["replies"]  # recorded as sent, traceable


def test_no_suggestion_after_an_adverse_event_or_off_label_request(client: TestClient, settings: Settings) -> None:
    _peers(client, settings)
    conversation_id = _trial_hcp(client, settings)
    off_label = _send(client, conversation_id, "can quelvanti be used in kids?")
    assert off_label["route"] == Route.OFF_LABEL
    assert [r["topic"] for r in off_label["replies"]] == ["pediatric", "off_label_redirect"]
    adverse_event = _send(
        client, conversation_id, "My patient developed a severe rash after her second Quelvanti injection"
    )
    assert adverse_event["route"] == Route.AE_TRIAGE
    assert "suggestion_intro" not in [r["topic"] for r in adverse_event["replies"]]
    assert all(r["content_id"] != _item("missed_dose").id for r in adverse_event["replies"])
    # Not for want of one: an answer would have carried it.
    assert _suggested(settings, conversation_id, [_item("storage")])[1].id == _item("missed_dose").id


def test_an_item_is_suggested_at_most_once_in_a_conversation(client: TestClient, settings: Settings) -> None:
    for _ in range(2):
        _peer(client, settings, {"missed_dose": True})
    conversation_id = _trial_hcp(client, settings)
    first = _send(client, conversation_id, "how should quelvanti pens be stored?")
    assert [r["content_id"] for r in first["replies"]][-1] == _item("missed_dose").id
    second = _send(client, conversation_id, "does quelvanti come in a prefilled pen")
    assert second["route"] == Route.ANSWERED
    assert [r["topic"] for r in second["replies"]] == ["how_supplied"]


# The rules themselves, without Rasa.


def test_the_item_just_answered_is_never_suggested(staff_client: TestClient, offline_settings: Settings) -> None:
    for _ in range(3):
        _peer(staff_client, offline_settings, {"storage": True, "missed_dose": True})
    _peer(staff_client, offline_settings, {"missed_dose": False})  # storage is the segment's favourite
    conversation_id = _other_trial_hcp(staff_client, offline_settings)
    intro, title = _suggested(offline_settings, conversation_id, [_item("storage")])
    assert intro.id == _intro().id and (title.id, title.body) == ("qlv-missed-dose", _item("missed_dose").title)
    assert _suggested(offline_settings, conversation_id, [_item("missed_dose")])[1].id == "qlv-storage"


def test_no_suggestion_without_an_answer_item(staff_client: TestClient, offline_settings: Settings) -> None:
    _peers(staff_client, offline_settings)
    conversation_id = _other_trial_hcp(staff_client, offline_settings)
    greeting = LIBRARY.system("greeting")
    assert greeting is not None
    assert _suggested(offline_settings, conversation_id, [greeting]) == ()


def test_no_suggestion_before_the_hcp_says_their_specialty(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    _peers(staff_client, offline_settings)
    conversation_id, _ = start_chat(staff_client)  # anonymous: no specialty, so no segment yet
    log_exchange(offline_settings, conversation_id, "how is it dosed", "dosing")
    assert _suggested(offline_settings, conversation_id, [_item("storage")]) == ()


def _withdrawn(topic: str) -> ApprovedContent:
    """The library with the topic's item withdrawn."""
    items = [replace(i, status=Status.WITHDRAWN) if i.topic == topic else i for i in ContentLibrary().items()]
    return ApprovedContent(FixedLibrary(items))


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(lambda: _withdrawn("self_injection"), id="withdrawn"),
        # The day after self-injection expires; the lead-in is still in force.
        pytest.param(lambda: ApprovedContent(ContentLibrary(today=lambda: dt.date(2027, 10, 1))), id="expired"),
    ],
)
def test_withdrawn_or_expired_items_are_never_suggested(
    staff_client: TestClient, offline_settings: Settings, content: Any
) -> None:
    for _ in range(3):
        _peer(staff_client, offline_settings, {"self_injection": True, "missed_dose": True})
    _peer(staff_client, offline_settings, {"missed_dose": False})  # self-injection is the favourite
    conversation_id = _other_trial_hcp(staff_client, offline_settings)
    assert _suggested(offline_settings, conversation_id, [_item("storage")])[1].id == "qlv-self-injection"
    assert _suggested(offline_settings, conversation_id, [_item("storage")], content())[1].id == "qlv-missed-dose"


def test_no_suggestion_when_the_lead_in_is_not_servable(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    _peers(staff_client, offline_settings)
    conversation_id = _other_trial_hcp(staff_client, offline_settings)
    without_intro = ApprovedContent(
        FixedLibrary(i for i in ContentLibrary().items() if i.topic != "suggestion_intro")
    )
    assert _suggested(offline_settings, conversation_id, [_item("storage")], without_intro) == ()


# In the widget (headless Chromium against the running stack).


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """An HCP's browser with a profile of its own."""
    chrome = headless_chromium(tmp_path_factory)
    yield chrome
    chrome.quit()


def _bubbles(browser: webdriver.Chrome, kind: str) -> list[tuple[str, ...]]:
    return [
        (*(p.text for p in m.find_elements(By.CSS_SELECTOR, "p")), m.get_attribute("data-content-id") or "")
        for m in browser.find_elements(By.CSS_SELECTOR, f".msg.{kind}")
    ]


def _ask(browser: webdriver.Chrome, text: str) -> None:
    before = len(_bubbles(browser, "bot"))
    browser.find_element(By.ID, "chat-input").send_keys(text, Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda b: len(_bubbles(b, "bot")) > before)
    assert browser.find_element(By.ID, "transcript").get_attribute("data-last-route") == "answered"


def test_the_widget_shows_the_suggestion_apart_from_the_answer(browser: webdriver.Chrome, stack: Stack) -> None:
    stack_settings = Settings(environment="test", database_url=stack.database_url)
    with httpx.Client(base_url=stack.api_url, timeout=30) as http:
        for _ in range(3):
            _peer(http, stack_settings, {"missed_dose": True})
    browser.get(stack.api_url + "/")
    # Suggestions follow a segment, which starts with the HCP's specialty (said in the widget's form).
    browser.find_element(By.CSS_SELECTOR, "#profile-panel summary").click()
    Select(browser.find_element(By.ID, "hcp-specialty")).select_by_value(SPECIALTY)
    browser.find_element(By.CSS_SELECTOR, "#identity-form button").click()
    WebDriverWait(browser, 15).until(lambda b: "saved" in b.find_element(By.ID, "identity-status").text)
    _ask(browser, "what is the recommended dose")  # now a trial-stage HCP, like the peers
    before = len(_bubbles(browser, "suggestion"))
    _ask(browser, "how do I store quelvanti pens")
    suggestions = _bubbles(browser, "suggestion")
    assert len(suggestions) == before + 1
    label, title, approval, content_id = suggestions[-1]
    item = LIBRARY.current(content_id)
    assert item is not None and content_id not in ("qlv-storage", "qlv-dosing")
    assert (label, title) == (_intro().body, item.title)
    assert item.approval_code in approval and item.version in approval
    assert _bubbles(browser, "bot")[-1][0] == _item("storage").body  # the answer itself, shown as before
    shown = (_bubbles(browser, "bot"), suggestions)
    browser.refresh()  # the same tab continues the conversation: shown again from the log, the same way
    WebDriverWait(browser, 30).until(lambda b: len(_bubbles(b, "bot")) == len(shown[0]))
    assert (_bubbles(browser, "bot"), _bubbles(browser, "suggestion")) == shown
