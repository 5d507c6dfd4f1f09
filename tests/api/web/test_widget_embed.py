"""The embeddable widget in headless Chromium: one script tag on an allowed brand site, a phone-sized screen,
the keyboard alone; and the profile panel (identity, consent, rating) on the brand page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from api.settings import Settings
from tests.api.hcp_profiles.servers import free_port, serve_app, serve_directory

PHONE = (390, 844)
HOST_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Brand site</title></head>
<body><h1>A brand site</h1><p><a href="#top">A link before the launcher</a></p>
<script src="{api}/static/widget.js" defer></script></body></html>"""


@pytest.fixture
def sites(offline_settings: Settings, tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """The service (allowing one brand origin to embed it), that brand site, and a site that is not allowed."""
    brand_port, api_port = free_port(), free_port()
    allowed = f"http://127.0.0.1:{brand_port}"
    settings = offline_settings.model_copy(update={"frame_ancestors": ["'self'", allowed]})
    with serve_app(settings, api_port) as api:
        (tmp_path / "index.html").write_text(HOST_PAGE.format(api=api))
        with serve_directory(tmp_path, brand_port):
            # The same page under another host name is another origin, not on the allow-list.
            yield api, allowed + "/index.html", f"http://localhost:{brand_port}/index.html"


def _no_horizontal_overflow(browser: webdriver.Chrome) -> bool:
    return bool(browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"))


def _press(browser: webdriver.Chrome, *keys: str) -> None:
    ActionChains(browser).send_keys(*keys).perform()


def test_one_script_tag_opens_the_launcher_and_panel_by_keyboard_on_a_phone(
    browser: webdriver.Chrome, sites: tuple[str, str, str]
) -> None:
    _api, brand, _other = sites
    browser.set_window_size(*PHONE)
    browser.get(brand)
    WebDriverWait(browser, 15).until(lambda b: b.find_elements(By.ID, "quelvanti-launcher"))
    launcher = browser.find_element(By.ID, "quelvanti-launcher")
    assert launcher.text == "Ask about Quelvanti"  # the approved label
    for _ in range(6):  # the keyboard alone: Tab until the launcher has focus
        if browser.switch_to.active_element == launcher:
            break
        _press(browser, Keys.TAB)
    assert browser.switch_to.active_element == launcher
    _press(browser, Keys.ENTER)
    panel = browser.find_element(By.ID, "quelvanti-panel")
    assert panel.is_displayed() and launcher.get_attribute("aria-expanded") == "true"
    assert _no_horizontal_overflow(browser)
    browser.switch_to.frame(browser.find_element(By.CSS_SELECTOR, "#quelvanti-panel iframe"))
    WebDriverWait(browser, 15).until(lambda b: b.switch_to.active_element.get_attribute("id") == "chat-input")
    _press(browser, "how should quelvanti pens be stored", Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".msg.user"))
    transcript = browser.find_element(By.ID, "transcript")
    WebDriverWait(browser, 30).until(lambda b: transcript.get_attribute("data-last-route"))
    assert _no_horizontal_overflow(browser)
    assert browser.execute_script("return localStorage.getItem('quelvanti.visitor')")  # the same browser, later
    _press(browser, Keys.ESCAPE)
    browser.switch_to.default_content()
    WebDriverWait(browser, 10).until(lambda b: not b.find_element(By.ID, "quelvanti-panel").is_displayed())
    assert browser.switch_to.active_element == launcher


def test_a_site_not_on_the_allow_list_gets_no_launcher(
    browser: webdriver.Chrome, sites: tuple[str, str, str]
) -> None:
    _api, _brand, other = sites
    browser.get(other)
    asked = "return performance.getEntriesByType('resource').some(e => e.name.endsWith('/widget/launcher'))"
    WebDriverWait(browser, 15).until(lambda b: b.execute_script(asked))  # the loader asked, and was refused
    WebDriverWait(browser, 10).until(lambda b: b.execute_script("return document.readyState") == "complete")
    assert not browser.find_elements(By.ID, "quelvanti-launcher")


def test_the_brand_page_fits_a_phone_and_offers_identity_and_consent(
    browser: webdriver.Chrome, sites: tuple[str, str, str]
) -> None:
    api, _brand, _other = sites
    browser.set_window_size(*PHONE)
    browser.get(api + "/")
    browser.execute_script("sessionStorage.clear(); localStorage.clear()")
    browser.get(api + "/")
    assert _no_horizontal_overflow(browser)
    browser.find_element(By.CSS_SELECTOR, "#profile-panel summary").click()
    assert _no_horizontal_overflow(browser)
    box = browser.find_element(By.ID, "consent-insights")
    label = browser.find_element(By.CSS_SELECTOR, "label[for='consent-insights']").text
    assert "without my name, NPI or e-mail address" in label
    box.click()
    WebDriverWait(browser, 15).until(lambda b: b.find_element(By.ID, "consent-status").text)
    assert "saved" in browser.find_element(By.ID, "consent-status").text
    browser.find_element(By.ID, "hcp-npi").send_keys("1234567890")
    browser.find_element(By.CSS_SELECTOR, "#identity-form button").click()
    WebDriverWait(browser, 15).until(lambda b: b.find_element(By.ID, "identity-status").text)
    assert "could not be saved" in browser.find_element(By.ID, "identity-status").text
    browser.find_element(By.ID, "hcp-npi").clear()
    browser.find_element(By.ID, "hcp-npi").send_keys("1234567893")
    browser.find_element(By.CSS_SELECTOR, "#identity-form button").click()
    WebDriverWait(browser, 15).until(lambda b: "saved" in b.find_element(By.ID, "identity-status").text)
