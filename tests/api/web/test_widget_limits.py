"""The widget over a limit: it shows the approved 'please wait' item, gives the text back, and lets the HCP send
again once Retry-After has passed. Headless Chromium against the app served with a tight message limit."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from api.main import create_app
from api.settings import Settings
from tests.api.chat.conftest import forget_test_keys, with_overrides
from tests.api.web.test_widget import bot_messages

WINDOW_SECONDS = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def tight_server(settings: Settings, celery_worker: None) -> Iterator[str]:
    """The app on a real port, allowing one message per conversation every WINDOW_SECONDS."""
    tight = with_overrides(settings, messages_per_conversation=f"1/{WINDOW_SECONDS}second")
    server = uvicorn.Server(
        uvicorn.Config(create_app(tight), host="127.0.0.1", port=free_port(), log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(15)
    forget_test_keys(settings)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_widget_shows_please_wait_and_sends_again_after_retry_after(
    tight_server: str, browser: webdriver.Chrome
) -> None:
    browser.get(tight_server + "/")
    send = browser.find_element(By.ID, "chat-send")
    field = browser.find_element(By.ID, "chat-input")
    field.send_keys("what is the dose of quelvanti", Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda b: len(bot_messages(b)) == 2)  # the greeting, then the answer

    field.send_keys("how should quelvanti be stored", Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda b: len(bot_messages(b)) == 3)

    notice = browser.find_elements(By.CSS_SELECTOR, ".msg.bot")[-1]
    assert notice.get_attribute("data-topic") == "please_wait"
    assert "1-800-555-0199" in notice.find_element(By.CSS_SELECTOR, ".text").text
    assert "QLV-US-0113" in notice.find_element(By.CSS_SELECTOR, ".approval").text
    assert not send.is_enabled()
    assert field.get_attribute("value") == "how should quelvanti be stored"  # given back, to send again
    assert "not-sent" in (browser.find_elements(By.CSS_SELECTOR, ".msg.user")[-1].get_attribute("class") or "")

    WebDriverWait(browser, WINDOW_SECONDS + 5).until(lambda b: send.is_enabled())
    field.send_keys(Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda b: len(bot_messages(b)) == 4)
    assert browser.find_elements(By.CSS_SELECTOR, ".msg.bot")[-1].get_attribute("data-topic") != "please_wait"
