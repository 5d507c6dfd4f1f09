"""The marketer's insights: k-anonymity, consent, de-identification and access (real databases)."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from api.auth.roles import Role
from api.insights.screens import TABLES
from api.settings import Settings
from compliance import assess
from tests.api.conftest import make_user, sign_in
from tests.api.hcp_profiles.factories import consent
from tests.api.insights.conftest import Population

# ISO dates (the filters, week starts) read as phone numbers to the detector: they are the dashboard's own.
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
TAG = re.compile(r"<[^>]+>")


def scannable(body: str) -> str:
    """A response's text as a person reads it: markup and the dashboard's own dates removed."""
    return html.unescape(ISO_DATE.sub(" ", TAG.sub(" ; ", body)))


def _tables(client: TestClient) -> dict[str, dict[str, object]]:
    response = client.get("/api/v1/insights")
    assert response.status_code == 200, response.text
    tables: dict[str, dict[str, object]] = response.json()["tables"]
    return tables


def _rows(tables: dict[str, dict[str, object]], name: str) -> list[list[object]]:
    rows = tables[name]["rows"]
    assert isinstance(rows, list)
    return rows


def test_groups_under_five_hcps_are_suppressed_and_only_consenting_hcps_count(
    staff_client: TestClient, offline_settings: Settings, population: Population
) -> None:
    sign_in(staff_client, make_user(offline_settings, Role.MARKETER))
    tables = _tables(staff_client)
    specialties = {row[0]: row for row in _rows(tables, "specialties")}
    assert set(specialties) == {"dermatology"}  # 5 shown; rheumatology (4) suppressed
    assert specialties["dermatology"][1] == 5  # the 3 who did not consent are not counted
    assert tables["specialties"]["suppressed"] == 1
    served = {row[0]: row for row in _rows(tables, "content_performance")}
    assert served["qlv-dosing"][1:3] == [5, 5] and "qlv-copay" not in served
    assert served["qlv-storage"][2] == 9  # storage was asked by all 9 consenting HCPs
    themes = _rows(tables, "themes")
    assert len(themes) == 1 and themes[0][2:] == [5, 5] and "plane" in str(themes[0][0])
    assert tables["themes"]["suppressed"] >= 1  # the sauna theme (4 HCPs)
    funnel = dict(_rows(tables, "funnel"))
    assert funnel == {"trial": 5}  # dermatologists asked dosing; rheumatologists' adoption group has 4
    filtered = staff_client.get("/api/v1/insights", params={"specialty": "rheumatology"}).json()["tables"]
    assert all(not table["rows"] for table in filtered.values())
    # One dermatologist revokes: from that moment the group has 4 HCPs and is suppressed (no stale cache).
    conversation_id, headers = population.dermatologist
    consent(staff_client, conversation_id, headers, "insights", False)
    tables = _tables(staff_client)
    assert _rows(tables, "specialties") == [] and tables["specialties"]["suppressed"] == 2
    assert "qlv-dosing" not in {row[0] for row in _rows(tables, "content_performance")}


def test_no_identity_or_pii_in_any_insights_response(
    staff_client: TestClient, offline_settings: Settings, population: Population
) -> None:
    sign_in(staff_client, make_user(offline_settings, Role.MARKETER))
    bodies = [staff_client.get("/api/v1/insights").text, staff_client.get("/staff/insights").text]
    for name in TABLES:
        response = staff_client.get(f"/staff/insights/export/{name}.csv")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        assert response.text.splitlines()[0]
        bodies.append(response.text)
    for body in bodies:
        for value in population.identities():
            assert value not in body
        assert "Testperson" not in body and "practice.example" not in body
    for body in bodies:
        text = scannable(body)
        found = [text[p.start : p.end] for p in assess(text).pii]
        assert found == [], found


def test_only_marketers_see_insights(
    staff_client: TestClient, offline_settings: Settings, population: Population
) -> None:
    assert staff_client.get("/api/v1/insights").status_code == 401
    page = staff_client.get("/staff/insights")
    assert page.status_code == 401 and "Sign in" in page.text
    entry = staff_client.get("/insights", follow_redirects=False)
    assert entry.status_code == 303 and entry.headers["location"] == "/staff/insights"
    assert staff_client.get("/staff/insights/export/funnel.csv").status_code == 401
    sign_in(staff_client, make_user(offline_settings, Role.MEDICAL_REVIEWER))
    assert staff_client.get("/api/v1/insights").status_code == 403
    assert staff_client.get("/staff/insights").status_code == 403
    assert staff_client.get("/staff/insights/export/themes.csv").status_code == 403
    staff_client.cookies.clear()
    sign_in(staff_client, make_user(offline_settings, Role.MARKETER))
    page = staff_client.get("/staff/insights")
    assert page.status_code == 200
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.text.count("<svg") == len(TABLES) and "<script" not in page.text and 'style="' not in page.text
    assert staff_client.get("/staff/insights", params={"stage": "bogus"}).status_code == 422
