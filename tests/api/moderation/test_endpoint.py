"""POST /api/v1/moderation: the compliance assessment for internal callers holding the service token."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.settings import Settings
from tests.compliance.contract import ASSESSMENT_KEYS


def test_requires_the_service_token(client: TestClient) -> None:
    assert client.post("/api/v1/moderation", json={"text": "hi"}).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert client.post("/api/v1/moderation", json={"text": "hi"}, headers=wrong).status_code == 401


def test_returns_the_assess_contract(client: TestClient, settings: Settings) -> None:
    token = settings.service_token.get_secret_value()
    response = client.post(
        "/api/v1/moderation",
        json={"text": "Pt Mary Jones was hospitalized with pneumonia after starting quelvanti"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) >= set(ASSESSMENT_KEYS)
    assert body["adverse_event"] is True and body["route"] == "ae_triage"
    assert "hospitalisation" in body["seriousness"] or "hospitalization" in body["seriousness"]
    assert "Mary" not in body["redacted_text"] and "[PERSON]" in body["redacted_text"]
    assert set(body["ae_criteria"]) == {"patient", "reporter", "product", "event"}
