"""The dashboard's aggregates as the database computes them: exchanges counted each, HCPs counted once."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.auth.roles import Role
from api.settings import Settings
from tests.api.conftest import make_user, sign_in
from tests.api.hcp_profiles.factories import log_exchange
from tests.api.insights.conftest import Population


def _tables(client: TestClient) -> dict[str, list[list[object]]]:
    response = client.get("/api/v1/insights")
    assert response.status_code == 200, response.text
    return {name: table["rows"] for name, table in response.json()["tables"].items()}


def test_every_table_counts_exchanges_and_distinct_hcps_exactly(
    staff_client: TestClient, offline_settings: Settings, population: Population
) -> None:
    # One dermatologist asks about storage three more times: three more exchanges, still one HCP.
    conversation_id, _ = population.dermatologist
    for _ in range(3):
        log_exchange(offline_settings, conversation_id, "storage again", "storage")
    sign_in(staff_client, make_user(offline_settings, Role.MARKETER))

    tables = _tables(staff_client)

    # 5 consenting dermatologists: dosing, storage, a review question each (+3 storage); 4 rheumatologists
    # (copay, storage, a review question each) are one group too few to be shown.
    assert tables["specialties"] == [["dermatology", 5, 18, round(13 / 18, 3), 5]]
    served = {row[0]: row for row in tables["content_performance"]}
    # content_id, served, hcps, ratings, helpful rate, follow-up rate (each exchange but the last is followed up).
    assert served["qlv-storage"] == ["qlv-storage", 12, 9, 0, None, round(11 / 12, 3)]
    assert served["qlv-dosing"] == ["qlv-dosing", 5, 5, 0, None, 1.0]
    assert "qlv-copay" not in served  # 4 HCPs
    assert {row[0]: row[1:] for row in tables["compliance"]} == {
        "answered": [21, round(21 / 30, 3)],
        "review": [9, round(9 / 30, 3)],
    }
    demand = {(row[1]): row[2:] for row in tables["topic_demand"]}  # all asked this week
    assert demand == {"storage": [12, 9], "dosing": [5, 5]}
