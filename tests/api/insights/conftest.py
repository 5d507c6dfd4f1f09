"""A small population of HCPs for the insights tests: some consenting, some not, groups of 5 and of 4."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from api.conversations.models import Route
from api.settings import Settings
from tests.api.conftest import start_chat
from tests.api.hcp_profiles.factories import consent, log_exchange, npi

# Questions the assistant could not answer: a theme asked by five HCPs, and one by four (suppressed).
PLANE_QUESTIONS = (
    "can my patient take the quelvanti pen on a plane in hand luggage",
    "is it ok to carry the quelvanti pen on a plane",
    "pen on a plane flight hand luggage rules for quelvanti",
    "can patients fly on a plane with the quelvanti pen",
    "quelvanti pen plane travel in hand luggage",
)
SAUNA_QUESTIONS = (
    "can patients use a sauna after the injection",
    "is a sauna safe right after quelvanti injection",
    "sauna after injection of quelvanti",
    "sauna use after the quelvanti injection day",
)


@dataclass(frozen=True)
class Population:
    """Who the population holds, and what must never appear in an insights response."""

    names: tuple[str, ...]
    npis: tuple[str, ...]
    emails: tuple[str, ...]
    # One consenting dermatologist's conversation and its secret header (to revoke their consent).
    dermatologist: tuple[str, dict[str, str]]

    def identities(self) -> tuple[str, ...]:
        """Every known personal value."""
        return self.names + self.npis + self.emails


def _hcp(
    client: TestClient, settings: Settings, n: int, specialty: str, consents: bool
) -> tuple[str, str, str, tuple[str, dict[str, str]]]:
    conversation_id, headers = start_chat(client)
    name, email = f"Dr Testperson{n} Quill", f"quill{n}@practice.example"
    details = {"name": name, "npi": npi(1000 + n), "email": email, "specialty": specialty}
    assert (
        client.put(f"/api/v1/conversations/{conversation_id}/hcp", json=details, headers=headers).status_code
        == 200
    )
    if consents:
        consent(client, conversation_id, headers, "insights", True)
    topic = "dosing" if specialty == "dermatology" else "copay"
    log_exchange(settings, conversation_id, f"what about {topic} for quelvanti, I am {name}", topic)
    log_exchange(settings, conversation_id, "tell me about storage", "storage")
    if specialty == "dermatology" and n < len(PLANE_QUESTIONS):
        log_exchange(settings, conversation_id, PLANE_QUESTIONS[n], None, route=Route.REVIEW)
    if specialty == "rheumatology" and n - 10 < len(SAUNA_QUESTIONS):
        log_exchange(settings, conversation_id, SAUNA_QUESTIONS[n - 10], None, route=Route.REVIEW)
    return name, npi(1000 + n), email, (conversation_id, headers)


@pytest.fixture
def population(staff_client: TestClient, offline_settings: Settings) -> Population:
    """5 consenting dermatologists, 4 consenting rheumatologists, 3 dermatologists who did not consent."""
    people = [_hcp(staff_client, offline_settings, n, "dermatology", True) for n in range(5)]
    people += [_hcp(staff_client, offline_settings, n, "rheumatology", True) for n in range(10, 14)]
    people += [_hcp(staff_client, offline_settings, n, "dermatology", False) for n in range(20, 23)]
    staff_client.headers.pop("X-Conversation-Secret", None)
    return Population(
        names=tuple(p[0] for p in people),
        npis=tuple(p[1] for p in people),
        emails=tuple(p[2] for p in people),
        dermatologist=people[0][3],
    )
