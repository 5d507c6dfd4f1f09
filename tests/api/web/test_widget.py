"""The brand page's chat widget, driven in headless Chromium against the running stack."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from content_library import ContentLibrary
from tests.conftest import Stack


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert chromium and driver, "run `make browser` (Debian's chromium and chromium-driver)"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(flag)
    chrome = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    yield chrome
    chrome.quit()


def bot_messages(browser: webdriver.Chrome) -> list[str]:
    return [
        m.find_element(By.CSS_SELECTOR, ".text").text for m in browser.find_elements(By.CSS_SELECTOR, ".msg.bot")
    ]


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
    browser.get(stack.api_url + "/")
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

    browser.find_element(By.LINK_TEXT, "Important Safety Information").click()
    wait.until(ec.presence_of_element_located((By.ID, "isi")))
    isi = library.for_topic("isi")
    assert isi is not None and isi.approval_code in browser.find_element(By.ID, "isi").text
