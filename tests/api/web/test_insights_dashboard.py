"""The issue's bar in headless Chromium, on demo data sent through the real chat API (the test stack's Rasa):
a marketer signs in and every chart renders (screenshot in var/), a reviewer gets 403, anonymous the sign-in
page (401); no response carries a demo HCP's name, NPI or e-mail, nor any PII the detector finds."""

from __future__ import annotations

import html
import re
import uuid
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from api.auth import service as auth
from api.auth.roles import Role
from api.db import session_factory
from api.insights.screens import TABLES
from compliance import assess
from scripts import demo_data
from tests.api.conftest import PASSWORD
from tests.conftest import ROOT, Stack

SCREENSHOT = ROOT / "var" / "insights-dashboard.png"
DEMO_HCPS = 50
DEMO_WEEKS = 3
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
TAG = re.compile(r"<[^>]+>")


def _user(stack: Stack, role: Role) -> str:
    email = f"{role.value}-{uuid.uuid4().hex[:8]}@staff.example"
    with session_factory(stack.database_url)() as session:
        auth.create_user(session, email, PASSWORD, [role], display_name=f"E2E {role.value}")
        session.commit()
    return email


def _sign_in(browser: webdriver.Chrome, stack: Stack, email: str) -> None:
    browser.delete_all_cookies()
    browser.get(stack.api_url + "/insights")  # the short address: redirected to the staff screen, then sign-in
    WebDriverWait(browser, 15).until(lambda b: b.find_elements(By.ID, "email"))
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(PASSWORD, Keys.ENTER)


@pytest.fixture(scope="module")
def demo(stack: Stack) -> list[demo_data.DemoHcp]:
    """Demo traffic through the stack's real chat API (Rasa, compliance, worker), spread over the past weeks."""
    return demo_data.run(stack.api_url, stack.database_url, DEMO_HCPS, seed=12, weeks=DEMO_WEEKS)


def test_a_marketer_sees_every_chart_and_others_do_not(
    staff_browser: webdriver.Chrome, stack: Stack, demo: list[demo_data.DemoHcp]
) -> None:
    anonymous = httpx.get(stack.api_url + "/staff/insights")
    assert anonymous.status_code == 401 and 'id="password"' in anonymous.text
    assert httpx.get(stack.api_url + "/api/v1/insights").status_code == 401

    _sign_in(staff_browser, stack, _user(stack, Role.MEDICAL_REVIEWER))
    WebDriverWait(staff_browser, 15).until(lambda b: "/staff" in b.current_url)
    staff_browser.get(stack.api_url + "/staff/insights")
    assert staff_browser.find_element(By.TAG_NAME, "h1").text == "Not allowed"
    reviewer = {c["name"]: c["value"] for c in staff_browser.get_cookies()}
    assert httpx.get(stack.api_url + "/staff/insights", cookies=reviewer).status_code == 403
    assert httpx.get(stack.api_url + "/api/v1/insights", cookies=reviewer).status_code == 403

    _sign_in(staff_browser, stack, _user(stack, Role.MARKETER))
    WebDriverWait(staff_browser, 30).until(lambda b: b.find_elements(By.CSS_SELECTOR, "figure.chart svg"))
    assert staff_browser.current_url.endswith("/staff/insights")
    staff_browser.set_window_size(1280, 4200)
    charts = staff_browser.find_elements(By.CSS_SELECTOR, "figure.chart")
    assert [c.get_attribute("data-chart") for c in charts] == list(TABLES)
    for chart in charts:
        svg = chart.find_element(By.TAG_NAME, "svg")
        assert svg.size["width"] > 300 and svg.size["height"] > 150
        # Data drawn (bars), not an empty frame: every chart of the demo has at least one.
        assert chart.find_elements(By.CSS_SELECTOR, ".series rect, .series path"), chart.get_attribute(
            "data-chart"
        )
    SCREENSHOT.parent.mkdir(exist_ok=True)
    assert staff_browser.save_screenshot(str(SCREENSHOT))

    cookies = {c["name"]: c["value"] for c in staff_browser.get_cookies()}
    bodies = [staff_browser.page_source]
    with httpx.Client(base_url=stack.api_url, cookies=cookies) as marketer:
        bodies.append(marketer.get("/api/v1/insights").text)
        bodies += [marketer.get(f"/staff/insights/export/{name}.csv").text for name in TABLES]
    known = [v for hcp in demo for v in (hcp.name, hcp.npi, hcp.email)]
    for body in bodies:
        assert not [value for value in known if value in body]
        readable = html.unescape(ISO_DATE.sub(" ", TAG.sub(" ; ", body)))
        assert [readable[p.start : p.end] for p in assess(readable).pii] == []
    assert Path(SCREENSHOT).stat().st_size > 20_000
