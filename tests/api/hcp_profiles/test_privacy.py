"""Access export and erasure: admin only, audited; erasure anonymises and keeps what drug safety needs."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.ae_cases.service import open_case
from api.audit.models import AuditEvent
from api.auth.roles import Role
from api.conversations import service as conversations
from api.conversations.models import Exchange
from api.db import session_factory
from api.insights.models import InsightEvent
from api.moderation.service import moderate
from api.settings import Settings
from tests.api.conftest import make_user, sign_in, start_chat
from tests.api.hcp_profiles.factories import consent, log_exchange, npi, profile_of


def _identified(client: TestClient, settings: Settings) -> tuple[str, str, dict[str, str]]:
    conversation_id, headers = start_chat(client)
    details = {"name": "Dr Rosa Ilves", "npi": npi(7), "email": "rosa@clinic.example", "specialty": "dermatology"}
    client.put(f"/api/v1/conversations/{conversation_id}/hcp", json=details, headers=headers)
    consent(client, conversation_id, headers, "insights", True)
    log_exchange(settings, conversation_id, "how is quelvanti dosed", "dosing")
    return profile_of(settings, conversation_id).id, conversation_id, headers


def test_export_is_admin_only_and_audited(staff_client: TestClient, offline_settings: Settings) -> None:
    profile_id, _conversation_id, _headers = _identified(staff_client, offline_settings)
    sign_in(staff_client, make_user(offline_settings, Role.MARKETER))
    assert staff_client.get(f"/api/v1/hcp-profiles/{profile_id}/export").status_code == 403
    staff_client.cookies.clear()
    sign_in(staff_client, make_user(offline_settings, Role.ADMIN))
    data = staff_client.get(f"/api/v1/hcp-profiles/{profile_id}/export").json()
    assert data["profile"]["name"] == "Dr Rosa Ilves" and data["profile"]["npi"] == npi(7)
    assert [c["purpose"] for c in data["consents"]] == ["insights"]
    assert data["conversations"][0]["exchanges"][0]["text"] == "how is quelvanti dosed"
    assert data["engagement_events"][0]["topic"] == "dosing"
    summary = staff_client.get(f"/api/v1/hcp-profiles/{profile_id}").json()
    assert summary["journey_stage"] == "trial" and summary["segment"] == "dermatology × trial × dosing"
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == profile_id)).all()
    assert "privacy.export" in actions


def test_erasure_anonymises_but_keeps_the_adverse_event_case(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    profile_id, conversation_id, _headers = _identified(staff_client, offline_settings)
    report = "my patient had anaphylaxis after the second quelvanti injection"
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        conversation = conversations.get_conversation(session, conversation_id)
        assessment = moderate(report)
        exchange = conversations.record_inbound(session, conversation_id, assessment)
        open_case(session, exchange, conversation, assessment)
        session.commit()
        kept_id = exchange.id
    csrf = sign_in(staff_client, make_user(offline_settings, Role.ADMIN))
    out = staff_client.post(f"/api/v1/hcp-profiles/{profile_id}/erase", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 200, out.text
    assert out.json()["exchanges_anonymised"] == 1 and out.json()["exchanges_kept_for_safety"] == 1
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        texts = dict(session.execute(select(Exchange.id, Exchange.inbound_text)).all())
        assert texts[kept_id] == assessment.redacted_text  # the AE report stays for pharmacovigilance
        assert [t for i, t in texts.items() if i != kept_id] == ["[erased at the HCP's request]"]
        assert session.scalar(select(func.count()).select_from(InsightEvent)) == 0
        assert session.scalar(select(AuditEvent.reason).where(AuditEvent.action == "privacy.erase"))
    profile = profile_of(offline_settings, conversation_id)
    assert profile.erased_at is not None and profile.visitor_hash is None and not profile.consent_insights
    # A reporter of an adverse event stays identifiable for drug-safety follow-up.
    assert profile.name == "Dr Rosa Ilves"


def test_erasure_without_a_safety_case_removes_identity(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    profile_id, conversation_id, headers = _identified(staff_client, offline_settings)
    csrf = sign_in(staff_client, make_user(offline_settings, Role.ADMIN))
    erase = staff_client.post(f"/api/v1/hcp-profiles/{profile_id}/erase", headers={"X-CSRF-Token": csrf})
    assert erase.status_code == 200
    profile = profile_of(offline_settings, conversation_id)
    assert (profile.name, profile.npi, profile.email, profile.specialty) == (None, None, None, None)
    staff_client.cookies.clear()
    again = staff_client.put(f"/api/v1/conversations/{conversation_id}/hcp", json={"name": "X"}, headers=headers)
    assert again.status_code == 409
