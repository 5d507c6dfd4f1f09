"""The staff screen of one HCP profile (360°): who may read it, what it shows, and that every read is audited."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from api.audit import service as audit
from api.auth.roles import Role
from api.db import session_factory
from api.settings import Settings
from tests.api.conftest import make_review_item, make_user, sign_in, start_chat
from tests.api.hcp_profiles.factories import LIBRARY, consent, log_exchange, npi, profile_of
from tests.api.staff_pages import shows

READERS = (Role.MEDICAL_REVIEWER, Role.PV_SPECIALIST, Role.ADMIN)
NOT_READERS = (Role.MARKETER, Role.MLR_APPROVER)


def _rated_hcp(client: TestClient, settings: Settings, ratings: dict[str, bool], **identity: str) -> str:
    """An HCP (dermatology unless told) who asked about dosing, then about each rated topic; their conversation."""
    conversation_id, headers = start_chat(client)
    client.put(
        f"/api/v1/conversations/{conversation_id}/hcp",
        json={"specialty": "dermatology", **identity},
        headers=headers,
    )
    consent(client, conversation_id, headers, "insights", True)  # so that their ratings inform their peers
    log_exchange(settings, conversation_id, "how is it dosed", "dosing")
    for topic, helpful in ratings.items():
        sequence = log_exchange(settings, conversation_id, f"about {topic.replace('_', ' ')}", topic)
        rated = client.put(
            f"/api/v1/conversations/{conversation_id}/exchanges/{sequence}/rating",
            json={"helpful": helpful},
            headers=headers,
        )
        assert rated.status_code == 200, rated.text
    return conversation_id


def _profile(client: TestClient, settings: Settings) -> str:
    """Dr. Ada Stone's profile (a peer of hers rated another item); its id."""
    _rated_hcp(client, settings, {"missed_dose": True})
    conversation_id = _rated_hcp(client, settings, {"storage": True}, name="Dr. Ada Stone", npi=npi(4242))
    return profile_of(settings, conversation_id).id


def _flat(page: str) -> str:
    """The page's text with entities decoded and every run of white space as one space."""
    return re.sub(r"\s+", " ", html.unescape(page))


def _reads(settings: Settings, profile_id: str) -> list[tuple[str, str | None]]:
    with session_factory(settings.sqlalchemy_url)() as session:
        return [(e.action, e.actor_id) for e in audit.history(session, "hcp_profile", profile_id)]


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_profile_and_each_read_is_audited(
    staff_client: TestClient, offline_settings: Settings, role: Role
) -> None:
    profile_id = _profile(staff_client, offline_settings)
    user = make_user(offline_settings, role)
    sign_in(staff_client, user)
    page = staff_client.get(f"/staff/hcps/{profile_id}")
    assert page.status_code == 200, page.text
    assert page.headers["cache-control"] == "no-store"
    assert _reads(offline_settings, profile_id) == [("profile.read", user.id)]


@pytest.mark.parametrize("role", NOT_READERS)
def test_marketers_and_other_roles_are_refused_and_nothing_is_read(
    staff_client: TestClient, offline_settings: Settings, role: Role
) -> None:
    profile_id = _profile(staff_client, offline_settings)
    sign_in(staff_client, make_user(offline_settings, role))
    page = staff_client.get(f"/staff/hcps/{profile_id}")
    assert page.status_code == 403
    assert not shows(page.text, "Ada Stone")
    assert _reads(offline_settings, profile_id) == []


def test_without_a_session_the_sign_in_form_answers(staff_client: TestClient, offline_settings: Settings) -> None:
    profile_id = _profile(staff_client, offline_settings)
    page = staff_client.get(f"/staff/hcps/{profile_id}")
    assert page.status_code == 401
    assert not shows(page.text, "Ada Stone")
    assert 'name="next"' in page.text and f"/staff/hcps/{profile_id}" in page.text
    assert _reads(offline_settings, profile_id) == []


def test_an_unknown_profile_is_not_found(staff_client: TestClient, offline_settings: Settings) -> None:
    sign_in(staff_client, make_user(offline_settings, Role.ADMIN))
    assert staff_client.get("/staff/hcps/00000000-0000-4000-8000-000000000000").status_code == 404


def test_the_profile_shows_identity_consents_journey_engagement_and_next_best(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    _rated_hcp(staff_client, offline_settings, {"missed_dose": True})  # a peer: missed dose helped
    conversation_id, headers = start_chat(staff_client)
    staff_client.put(
        f"/api/v1/conversations/{conversation_id}/hcp",
        json={"name": "Dr. Ada Stone", "npi": npi(4242), "specialty": "dermatology"},
        headers=headers,
    )
    consent(staff_client, conversation_id, headers, "insights", True)
    log_exchange(offline_settings, conversation_id, "how is it dosed", "dosing")
    sequence = log_exchange(offline_settings, conversation_id, "how to store it", "storage")
    staff_client.put(
        f"/api/v1/conversations/{conversation_id}/exchanges/{sequence}/rating",
        json={"helpful": False},
        headers=headers,
    )
    profile = profile_of(offline_settings, conversation_id)
    sign_in(staff_client, make_user(offline_settings, Role.MEDICAL_REVIEWER))

    page = _flat(staff_client.get(f"/staff/hcps/{profile.id}").text)

    insights_text, storage = LIBRARY.system("consent_insights"), LIBRARY.for_topic("storage")
    missed_dose = LIBRARY.for_topic("missed_dose")
    assert insights_text and storage and missed_dose
    for shown in (
        "Dr. Ada Stone",
        f"{npi(4242)} (verified)",
        "dermatology",
        # Consent with the approved text version it was granted against; the others never given.
        f"{insights_text.id} · {insights_text.approval_code} · {insights_text.version}",
        "Not granted",
        # Journey stage, segment and affinities.
        "trial",
        profile.segment or "?",
        '<th scope="row">storage</th><td>1.00</td>',
        # Recent engagement: topic, route, the item served (traceable), the rating.
        f"{storage.title} ({storage.id} · {storage.approval_code} · {storage.version})",
        "answered",
        "Not helpful",
        # Next best: what the segment found helpful and this HCP has not seen.
        f"{missed_dose.title} ({missed_dose.id} · {missed_dose.approval_code} · {missed_dose.version})",
    ):
        assert shown in page, shown


def test_an_unverified_npi_and_consent_without_a_record_say_so(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    conversation_id, _ = start_chat(staff_client, name="Dr. Bo Reyes", npi="1234567890", consent=True)
    profile_id = profile_of(offline_settings, conversation_id).id
    sign_in(staff_client, make_user(offline_settings, Role.PV_SPECIALIST))
    page = staff_client.get(f"/staff/hcps/{profile_id}").text
    flat = _flat(page)
    assert '1234567890 (<strong class="flag">not verified</strong>)' in flat
    # Consent given when the chat started: granted, though no versioned grant was recorded for it.
    assert 'Granted</td> <td colspan="3">No grant or revocation recorded' in flat
    assert 'id="next-best-none"' in page


def test_an_erased_profile_says_so_and_gets_no_next_best(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    _rated_hcp(staff_client, offline_settings, {"missed_dose": True})
    conversation_id = _rated_hcp(staff_client, offline_settings, {"storage": True})
    profile_id = profile_of(offline_settings, conversation_id).id
    csrf = sign_in(staff_client, make_user(offline_settings, Role.ADMIN))
    assert 'data-content-id="qlv-missed-dose"' in staff_client.get(f"/staff/hcps/{profile_id}").text
    erased = staff_client.post(f"/api/v1/hcp-profiles/{profile_id}/erase", headers={"X-CSRF-Token": csrf})
    assert erased.status_code == 200, erased.text
    page = staff_client.get(f"/staff/hcps/{profile_id}").text
    assert 'id="erased"' in page and 'id="next-best-none"' in page


def test_the_review_item_links_to_its_hcps_profile(staff_client: TestClient, offline_settings: Settings) -> None:
    item_id, conversation_id = make_review_item(offline_settings)
    profile_id = profile_of(offline_settings, conversation_id).id
    sign_in(staff_client, make_user(offline_settings, Role.MEDICAL_REVIEWER))
    page = staff_client.get(f"/staff/queue/{item_id}").text
    assert f'href="/staff/hcps/{profile_id}"' in page
    assert staff_client.get(f"/staff/hcps/{profile_id}").status_code == 200
