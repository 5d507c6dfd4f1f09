"""The PV JSON API: the queue by due time, corrections audited from → to, the workflow, e-signed submission of
an E2B(R3) export that validates against the kept schema, follow-up versions, idempotent delivery, merges."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.ae_cases import e2b, submission
from api.ae_cases.models import AeCaseExport, AeCaseStatus
from api.audit import service as audit
from api.audit.models import AuditEvent
from api.auth.models import StaffUser
from api.auth.roles import Role
from api.db import session_factory
from api.esign.models import Signature
from api.hcp_profiles.schemas import HcpDetails
from api.settings import Settings
from tests.api.ae_cases.conftest import VALID_REPORT, actions, load, make_case
from tests.api.conftest import PASSWORD, make_user, sign_in

BASE = "/api/v1/ae-cases"


def as_pv(client: TestClient, settings: Settings, email: str = "pv@staff.example") -> StaffUser:
    """Sign the client in as a PV specialist (cookie session with its CSRF header)."""
    user = make_user(settings, Role.PV_SPECIALIST, email=email)
    client.headers["X-CSRF-Token"] = sign_in(client, user)
    return user


def test_the_queue_is_sorted_by_due_time_with_the_clock(pv_client: TestClient, pv_settings: Settings) -> None:
    start = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        older, _ = make_case(pv_settings)
    with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
        serious, _ = make_case(pv_settings, "My patient was hospitalised with pneumonia after Quelvanti")
    as_pv(pv_client, pv_settings)

    with time_machine.travel(start + dt.timedelta(hours=26), tick=False):
        page = pv_client.get(BASE).json()
        only_serious = pv_client.get(BASE, params={"serious": "true"}).json()

    assert [c["id"] for c in page["items"]] == [older, serious]
    first, second = page["items"]
    assert (first["day"], first["seconds_left"] < 0) == (1, True)  # day 0 was yesterday; overdue
    assert (second["day"], second["seconds_left"]) == (0, 3600)
    assert first["missing_criteria"] == ["patient"] and not first["valid_case"]
    assert second["serious"] and "hospitalisation" in second["seriousness"]
    assert [c["id"] for c in only_serious["items"]] == [serious]


def test_corrections_are_audited_from_to_and_a_new_case_is_triaged_first(
    pv_client: TestClient, pv_settings: Settings
) -> None:
    case_id, _ = make_case(pv_settings)
    as_pv(pv_client, pv_settings)

    response = pv_client.patch(
        f"{BASE}/{case_id}",
        json={"patient_identified": True, "patient_age_group": "elderly", "event_coding": "10037844 Rash (PT)"},
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "in_triage" and body["valid_case"] and body["patient_age_group"] == "elderly"
    with session_factory(pv_settings.sqlalchemy_url)() as session:
        events = audit.history(session, "ae_case", case_id)
    changes = [e for e in events if e.action == "ae_case.corrected"]
    corrected = {(e.reason or "").split(":")[0]: (e.from_state, e.to_state) for e in changes}
    assert corrected == {
        "patient_identified": ("no", "yes"),
        "patient_age_group": ("–", "elderly"),
        "event_coding": ("–", "10037844 Rash (PT)"),
    }
    assert "ae_case.triage" in [e.action for e in events]
    assert pv_client.patch(f"{BASE}/{case_id}", json={"narrative": None}).status_code == 422
    assert pv_client.patch(f"{BASE}/{case_id}", json={"seriousness": ["sneezing"]}).status_code == 422
    assert pv_client.patch(f"{BASE}/{case_id}", json={"patient_initials": "Jane Roe"}).status_code == 422


def test_only_a_valid_case_is_marked_ready(pv_client: TestClient, pv_settings: Settings) -> None:
    case_id, _ = make_case(pv_settings)
    as_pv(pv_client, pv_settings)
    refused = pv_client.post(f"{BASE}/{case_id}/ready")
    assert refused.status_code == 409 and "patient" in refused.json()["detail"]
    assert load(pv_settings, case_id).status is AeCaseStatus.NEW
    assert pv_client.post(f"{BASE}/{case_id}/request-follow-up", json={"note": ""}).status_code == 422
    requested = pv_client.post(f"{BASE}/{case_id}/request-follow-up", json={"note": "phoned the reporter"})
    assert requested.json()["status"] == "follow_up_requested"


def _submit(client: TestClient, case_id: str, password: str = PASSWORD) -> dict[str, Any]:
    response = client.post(f"{BASE}/{case_id}/submit", json={"password": password})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_submission_is_signed_validated_exported_and_a_follow_up_keeps_the_case_id(
    pv_client: TestClient, pv_settings: Settings
) -> None:
    case_id, _ = make_case(pv_settings, VALID_REPORT, HcpDetails(name="Dr. Lee"))
    pv = as_pv(pv_client, pv_settings)
    pv_client.patch(f"{BASE}/{case_id}", json={"events": ["severe rash"], "event_coding": "10037844 Rash"})
    assert pv_client.post(f"{BASE}/{case_id}/ready").json()["status"] == "ready"

    wrong = pv_client.post(f"{BASE}/{case_id}/submit", json={"password": "not the password"})
    assert wrong.status_code == 401
    assert load(pv_settings, case_id).status is AeCaseStatus.READY

    body = _submit(pv_client, case_id)

    assert body["status"] == "submitted" and body["version"] == 1
    (export,) = body["exports"]
    assert export["kind"] == "initial" and export["delivered_at"] and export["exported_by"] == pv.display_name
    dropped = Path(pv_settings.e2b_outbound_dir) / export["filename"]
    xml = dropped.read_text()
    e2b.validate(xml)
    assert "<originalText>severe rash</originalText>" in xml and 'code="10037844"' in xml
    assert pv_client.get(f"{BASE}/{case_id}/exports/1").text == xml
    assert pv_client.post(f"{BASE}/{case_id}/submit", json={"password": PASSWORD}).status_code == 409
    with session_factory(pv_settings.sqlalchemy_url)() as session:
        signature = session.scalars(select(Signature).where(Signature.entity_id == case_id)).one()
        assert signature.meaning == submission.SUBMIT_MEANING and signature.signer_id == pv.id
        assert signature.content_sha256 == export["content_sha256"]

    # New information after submission: a follow-up version with the same identifiers.
    assert pv_client.post(f"{BASE}/{case_id}/reopen", json={"note": "reporter phoned back"}).status_code == 200
    pv_client.patch(f"{BASE}/{case_id}", json={"patient_sex": "female", "seriousness": ["hospitalisation"]})
    pv_client.post(f"{BASE}/{case_id}/ready")
    second = _submit(pv_client, case_id)

    assert [e["version"] for e in second["exports"]] == [1, 2]
    follow_up = Path(pv_settings.e2b_outbound_dir) / second["exports"][1]["filename"]
    follow_up_xml = follow_up.read_text()
    e2b.validate(follow_up_xml)
    case_number = str(body["case_number"])
    assert follow_up_xml.count(f'extension="{case_number}"') == 2  # C.1.1 and C.1.8.1, unchanged
    assert second["exports"][1]["kind"] == "follow-up"
    assert '<value value="true" xsi:type="BL" />' in follow_up_xml
    trail = actions(pv_settings, case_id)
    assert trail.count("ae_case.exported") == 2 and trail.count("ae_case.export_delivered") == 2
    assert trail.count("signature.applied") == 2 and "ae_case.reopen" in trail


def test_delivery_is_idempotent_per_version(pv_client: TestClient, pv_settings: Settings) -> None:
    case_id, _ = make_case(pv_settings, VALID_REPORT)
    as_pv(pv_client, pv_settings)
    pv_client.post(f"{BASE}/{case_id}/ready")
    _submit(pv_client, case_id)
    with session_factory(pv_settings.sqlalchemy_url)() as session:
        export = session.scalars(select(AeCaseExport)).one()
        path = Path(pv_settings.e2b_outbound_dir) / export.filename
        path.unlink()  # the drop was lost: delivering again writes the same bytes, once
        submission.deliver(session, export, pv_settings)
        submission.deliver(session, export, pv_settings)
        session.commit()
        assert path.read_text() == export.xml
        delivered = session.scalar(
            select(func.count(AuditEvent.seq)).where(AuditEvent.action == "ae_case.export_delivered")
        )
    assert delivered == 1
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary file left behind


def test_close_needs_a_reason(pv_client: TestClient, pv_settings: Settings) -> None:
    case_id, _ = make_case(pv_settings)
    as_pv(pv_client, pv_settings)
    assert pv_client.post(f"{BASE}/{case_id}/close", json={"reason": "other"}).status_code == 422
    closed = pv_client.post(f"{BASE}/{case_id}/close", json={"reason": "test_or_spam", "note": "a test"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed_not_a_case"
    assert closed.json()["close_reason"] == "test_or_spam"
    assert pv_client.patch(f"{BASE}/{case_id}", json={"patient_sex": "male"}).status_code == 409


def test_a_duplicate_is_merged_into_the_other_case(pv_client: TestClient, pv_settings: Settings) -> None:
    hcp = HcpDetails(name="Dr. Lee")
    start = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        first, _ = make_case(pv_settings, "Someone developed a rash after a Quelvanti injection", hcp)
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        second, _ = make_case(pv_settings, "My 54 year old patient developed a fever after Quelvanti", hcp)
    as_pv(pv_client, pv_settings)
    target_number = load(pv_settings, second).case_number

    itself = load(pv_settings, first).case_number
    assert pv_client.post(f"{BASE}/{first}/merge", json={"into": itself}).status_code == 409
    merged = pv_client.post(f"{BASE}/{first}/merge", json={"into": target_number, "note": "same patient"})

    assert merged.status_code == 200, merged.text
    assert merged.json()["status"] == "merged" and merged.json()["merged_into"] == target_number
    target = pv_client.get(f"{BASE}/{second}").json()
    assert target["events"] == ["fever", "rash"] and target["valid_case"]
    assert target["awareness_at"].startswith("2026-11-02T15:00")  # day 0: the earliest receipt
    assert target["merged_cases"] == [load(pv_settings, first).case_number]
    assert "ae_case.merged_in" in actions(pv_settings, second)
    assert "ae_case.merge" in actions(pv_settings, first)


def test_the_verbatim_source_is_for_pv_only_and_every_read_is_audited(
    pv_client: TestClient, pv_settings: Settings
) -> None:
    text = "My patient Mary Jones, MRN 8812345, developed a rash after Quelvanti"
    case_id, exchange_id = make_case(pv_settings, text)
    for role in (Role.MARKETER, Role.MEDICAL_REVIEWER):
        user = make_user(pv_settings, role)
        pv_client.cookies.clear()
        pv_client.headers["X-CSRF-Token"] = sign_in(pv_client, user)
        refused = pv_client.post(f"{BASE}/{case_id}/verbatim", json={})
        assert refused.status_code == 403 and "Mary" not in refused.text
        assert pv_client.get(f"{BASE}/{case_id}").status_code == 403
    with session_factory(pv_settings.sqlalchemy_url)() as session:
        assert audit.history(session, "exchange", exchange_id) == []
    assert "Mary" not in str(load(pv_settings, case_id).narrative)

    pv_client.cookies.clear()
    pv = as_pv(pv_client, pv_settings)
    read = pv_client.post(f"{BASE}/{case_id}/verbatim", json={"reason": "causality assessment"})

    assert read.status_code == 200 and read.headers["cache-control"] == "no-store"
    assert read.json() == [{"exchange_id": exchange_id, "sequence": 1, "kind": "report", "text": text}]
    with session_factory(pv_settings.sqlalchemy_url)() as session:
        (event,) = audit.history(session, "exchange", exchange_id)
        assert (event.action, event.actor_id) == ("verbatim.read", pv.id)
        assert "causality assessment" in (event.reason or "")
    assert "ae_case.verbatim_read" in actions(pv_settings, case_id)
