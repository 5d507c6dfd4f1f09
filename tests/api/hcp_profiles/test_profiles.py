"""Identity, continuity, consent, ratings and journey stage through the widget's endpoints (real databases)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.conversations.models import Route
from api.db import session_factory
from api.hcp_profiles.models import ConsentEvent, EngagementEvent, JourneyStage
from api.insights.models import InsightEvent, InsightHcp
from api.settings import Settings
from tests.api.conftest import start_chat
from tests.api.hcp_profiles.factories import LIBRARY, consent, log_exchange, npi, profile_of


def _url(conversation_id: str, tail: str) -> str:
    return f"/api/v1/conversations/{conversation_id}/{tail}"


def test_identity_is_optional_validated_and_kept_apart_from_the_text(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    conversation_id, headers = start_chat(staff_client)
    log_exchange(offline_settings, conversation_id, "what is the dose", "dosing")  # answered before any identity
    bad = staff_client.put(_url(conversation_id, "hcp"), json={"npi": "1234567890"}, headers=headers)
    assert bad.status_code == 422
    good = staff_client.put(
        _url(conversation_id, "hcp"),
        json={
            "name": "Dr Ada Quinn",
            "npi": "1234567893",
            "specialty": "dermatology",
            "email": "ada@derm.example",
        },
        headers=headers,
    )
    assert good.status_code == 200 and good.json() == {"npi_verified": True, "continued": False}
    profile = profile_of(offline_settings, conversation_id)
    assert (profile.name, profile.npi, profile.npi_verified) == ("Dr Ada Quinn", "1234567893", True)
    transcript = staff_client.get(f"/api/v1/conversations/{conversation_id}", headers=headers).json()
    assert "Ada" not in str(transcript) and "1234567893" not in str(transcript)
    assert staff_client.put(_url(conversation_id, "hcp"), json={"npi": "1234567893"}).status_code == 401


def test_the_same_browser_continues_its_profile(staff_client: TestClient, offline_settings: Settings) -> None:
    first, headers = start_chat(staff_client)
    token_out = staff_client.put(_url(first, "visitor"), json={}, headers=headers).json()
    assert token_out["continued"] is False
    log_exchange(offline_settings, first, "how should quelvanti be stored", "storage")
    second, headers2 = start_chat(staff_client)
    again = staff_client.put(_url(second, "visitor"), json={"token": token_out["token"]}, headers=headers2).json()
    assert again == {"token": token_out["token"], "continued": True}
    log_exchange(offline_settings, second, "what is the copay", "copay")
    profile = profile_of(offline_settings, second)
    assert profile.id == profile_of(offline_settings, first).id
    assert profile.journey_stage is JourneyStage.ADOPTION
    other, headers3 = start_chat(staff_client)
    assert staff_client.put(_url(other, "visitor"), json={}, headers=headers3).json()["continued"] is False
    assert profile_of(offline_settings, other).id != profile.id


def test_a_verified_npi_continues_the_profile_across_browsers(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    first, headers = start_chat(staff_client)
    staff_client.put(_url(first, "hcp"), json={"npi": npi(42), "specialty": "rheumatology"}, headers=headers)
    log_exchange(offline_settings, first, "mechanism of action", "mechanism")
    second, headers2 = start_chat(staff_client)
    log_exchange(offline_settings, second, "how do I order", "ordering")
    out = staff_client.put(_url(second, "hcp"), json={"npi": npi(42)}, headers=headers2).json()
    assert out == {"npi_verified": True, "continued": True}
    profile = profile_of(offline_settings, second)
    assert profile.id == profile_of(offline_settings, first).id and profile.specialty == "rheumatology"
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        topics = set(
            session.scalars(select(EngagementEvent.topic).where(EngagementEvent.profile_id == profile.id))
        )
    assert topics == {"mechanism", "ordering"}
    assert profile.journey_stage is JourneyStage.ADOPTION


def test_consent_is_granular_versioned_and_revocation_stops_use_at_once(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    conversation_id, headers = start_chat(staff_client)
    log_exchange(offline_settings, conversation_id, "dose please", "dosing")
    item = LIBRARY.system("consent_insights")
    assert item is not None
    stale = staff_client.put(
        _url(conversation_id, "consents/insights"),
        json={"granted": True, "content_id": item.id, "version": "v0"},
        headers=headers,
    )
    assert stale.status_code == 422
    consent(staff_client, conversation_id, headers, "marketing", True)
    consent(staff_client, conversation_id, headers, "insights", True)
    state = staff_client.get(_url(conversation_id, "profile"), headers=headers).json()["consents"]
    assert state == {"mi_contact": False, "marketing": True, "insights": True}
    sessions = session_factory(offline_settings.sqlalchemy_url)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(InsightEvent)) == 1  # earlier exchange mirrored
        granted = session.scalars(select(ConsentEvent).order_by(ConsentEvent.id)).all()
        assert [(e.purpose.value, e.granted, e.approval_code, e.version) for e in granted] == [
            ("marketing", True, "QLV-US-0151", "v1"),
            ("insights", True, "QLV-US-0152", "v1"),
        ]
    log_exchange(offline_settings, conversation_id, "how to store", "storage")
    consent(staff_client, conversation_id, headers, "insights", False)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(InsightEvent)) == 0
        assert session.scalar(select(func.count()).select_from(InsightHcp)) == 0
    log_exchange(offline_settings, conversation_id, "what is the copay", "copay")
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(InsightEvent)) == 0  # nothing used after revoking
        assert session.scalar(select(func.count()).select_from(EngagementEvent)) == 3  # the profile still logs
    state = staff_client.get(_url(conversation_id, "profile"), headers=headers).json()["consents"]
    assert state == {"mi_contact": False, "marketing": True, "insights": False}


def test_ratings_are_logged_and_drive_advocacy(staff_client: TestClient, offline_settings: Settings) -> None:
    conversation_id, headers = start_chat(staff_client)
    stages = []
    for topic in ("indication", "efficacy_week16", "dosing", "copay"):
        log_exchange(offline_settings, conversation_id, f"question on {topic}", topic)
        stages.append(profile_of(offline_settings, conversation_id).journey_stage.value)
    assert stages == ["consideration", "consideration", "trial", "adoption"]
    review = log_exchange(offline_settings, conversation_id, "can it be frozen", None, route=Route.REVIEW)
    assert staff_client.put(_url(conversation_id, f"exchanges/{review}/rating"), json={"helpful": True},
                            headers=headers).status_code == 422  # fmt: skip
    for _ in range(2):
        sequence = log_exchange(offline_settings, conversation_id, "patient support", "patient_support")
        response = staff_client.put(
            _url(conversation_id, f"exchanges/{sequence}/rating"), json={"helpful": True}, headers=headers
        )
        assert response.status_code == 200
    assert profile_of(offline_settings, conversation_id).journey_stage is JourneyStage.ADOPTION
    staff_client.put(_url(conversation_id, "exchanges/4/rating"), json={"helpful": True}, headers=headers)
    profile = profile_of(offline_settings, conversation_id)
    assert profile.journey_stage is JourneyStage.ADVOCACY
    assert profile.segment == "unknown × advocacy × patient_support"
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        rated = session.scalars(select(EngagementEvent.helpful).where(EngagementEvent.helpful.is_not(None))).all()
        followed = session.scalars(select(EngagementEvent.followed_up).order_by(EngagementEvent.id)).all()
    assert rated == [True, True, True]
    assert followed == [True] * 6 + [False]
