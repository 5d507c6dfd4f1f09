"""Next best content: approved items the HCP has not seen, ranked by how helpful their segment found them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.settings import Settings
from tests.api.conftest import start_chat
from tests.api.hcp_profiles.factories import consent, log_exchange


def _peer(client: TestClient, settings: Settings, ratings: dict[str, bool], insights: bool = True) -> None:
    conversation_id, headers = start_chat(client)
    client.put(f"/api/v1/conversations/{conversation_id}/hcp", json={"specialty": "dermatology"}, headers=headers)
    consent(client, conversation_id, headers, "insights", insights)
    log_exchange(settings, conversation_id, "how is it dosed", "dosing")  # a trial-stage peer
    for topic, helpful in ratings.items():
        sequence = log_exchange(settings, conversation_id, f"about {topic}", topic)
        rated = client.put(
            f"/api/v1/conversations/{conversation_id}/exchanges/{sequence}/rating",
            json={"helpful": helpful},
            headers=headers,
        )
        assert rated.status_code == 200


def test_suggestions_are_unseen_items_the_segment_found_helpful(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    for _ in range(3):
        _peer(staff_client, offline_settings, {"storage": True, "self_injection": False, "administration": True})
    _peer(staff_client, offline_settings, {"missed_dose": True})
    # A peer who did not consent to insights informs nobody's suggestions.
    _peer(staff_client, offline_settings, {"pregnancy": True}, insights=False)
    conversation_id, headers = start_chat(staff_client)
    staff_client.put(
        f"/api/v1/conversations/{conversation_id}/hcp", json={"specialty": "dermatology"}, headers=headers
    )
    log_exchange(offline_settings, conversation_id, "what is the dose", "dosing")
    log_exchange(offline_settings, conversation_id, "how to store it", "storage")  # seen: never suggested
    profile = staff_client.get(f"/api/v1/conversations/{conversation_id}/profile", headers=headers).json()
    suggested = [s["content_id"] for s in profile["suggestions"]]
    assert suggested == ["qlv-administration", "qlv-missed-dose", "qlv-self-injection"]
    first = profile["suggestions"][0]
    assert first["approval_code"] and first["version"] and first["text"]
    other, other_headers = start_chat(staff_client)
    staff_client.put(
        f"/api/v1/conversations/{other}/hcp", json={"specialty": "rheumatology"}, headers=other_headers
    )
    log_exchange(offline_settings, other, "what is the dose", "dosing")
    assert (
        staff_client.get(f"/api/v1/conversations/{other}/profile", headers=other_headers).json()["suggestions"]
        == []
    )
