"""The widget's profile endpoints (holder of the conversation's secret) and the admin's privacy endpoints."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api import strings
from api.audit import service as audit
from api.conversations.access import ConversationHolder
from api.deps import PUBLIC, AdminUser, RuntimeDep, SessionDep
from api.errors import Conflict, InvalidInput
from api.hcp_profiles import engagement, journey, privacy, service
from api.hcp_profiles.models import ConsentPurpose, HcpProfile
from api.hcp_profiles.next_best import next_best_content
from api.hcp_profiles.schemas import (
    ConsentIn,
    ConsentState,
    ErasureOut,
    HcpIdentity,
    IdentifiedOut,
    ProfileOut,
    ProfileSummary,
    RatingIn,
    SuggestionOut,
    VisitorIn,
    VisitorOut,
)
from api.runtime import Runtime
from content_library import ContentItem

router = APIRouter(prefix="/api/v1/conversations/{conversation_id}", tags=["hcp profiles"])
admin_router = APIRouter(prefix="/api/v1/hcp-profiles", tags=["hcp profiles"])


def _consents(profile: HcpProfile) -> ConsentState:
    return ConsentState(
        mi_contact=profile.consent_to_contact,
        marketing=profile.consent_marketing,
        insights=profile.consent_insights,
    )


def _suggestion(item: ContentItem) -> SuggestionOut:
    return SuggestionOut(
        text=item.body,
        content_id=item.id,
        approval_code=item.approval_code,
        version=item.version,
        topic=item.topic,
        title=item.title,
    )


def consent_text(runtime: Runtime, purpose: ConsentPurpose) -> ContentItem:
    """The approved consent text currently shown for a purpose."""
    item = runtime.content.system(service.consent_topic(purpose))
    if item is None:
        raise Conflict(strings.CONSENT_TEXT_MISSING.format(purpose=purpose.value))
    return item


@router.put("/visitor", dependencies=[PUBLIC])
def continue_visitor(conversation: ConversationHolder, body: VisitorIn, session: SessionDep) -> VisitorOut:
    """The same browser continues its profile: send the token it kept (none at first), keep the one returned."""
    _profile, token, continued = service.continue_visitor(session, conversation, body.token)
    session.commit()
    return VisitorOut(token=token, continued=continued)


@router.put("/hcp", dependencies=[PUBLIC])
def identify(conversation: ConversationHolder, body: HcpIdentity, session: SessionDep) -> IdentifiedOut:
    """Say who you are (any field, any time; never needed for an answer); a verified NPI continues a profile."""
    identified = service.identify(session, conversation, body)
    session.commit()
    return IdentifiedOut(npi_verified=identified.profile.npi_verified, continued=identified.continued)


@router.put("/consents/{purpose}", dependencies=[PUBLIC])
def set_consent(
    conversation: ConversationHolder,
    purpose: ConsentPurpose,
    body: ConsentIn,
    session: SessionDep,
    runtime: RuntimeDep,
) -> ConsentState:
    """Grant or revoke one purpose against the approved text shown; revocation applies from this moment."""
    text = consent_text(runtime, purpose)
    if (body.content_id, body.version) != (text.id, text.version):
        raise InvalidInput(strings.CONSENT_TEXT_STALE)
    profile = service.profile_of(session, conversation)
    service.set_consent(session, profile, purpose, body.granted, text, method="widget")
    session.commit()
    return _consents(profile)


@router.put("/exchanges/{sequence}/rating", dependencies=[PUBLIC])
def rate(conversation: ConversationHolder, sequence: int, body: RatingIn, session: SessionDep) -> dict[str, bool]:
    """Rate one answer helpful or not (the latest rating counts)."""
    event = engagement.rate(session, conversation, sequence, body.helpful)
    session.commit()
    return {"helpful": bool(event.helpful)}


@router.get("/profile", dependencies=[PUBLIC])
def own_profile(conversation: ConversationHolder, session: SessionDep, runtime: RuntimeDep) -> ProfileOut:
    """What the widget shows: this visitor's consent state and approved suggestions (no identity)."""
    profile = service.profile_of(session, conversation)
    items = [] if profile.erased_at else next_best_content(session, runtime.content.library, profile)
    return ProfileOut(consents=_consents(profile), suggestions=[_suggestion(i) for i in items])


@admin_router.get("/{profile_id}")
def profile_summary(profile_id: str, user: AdminUser, session: SessionDep, runtime: RuntimeDep) -> ProfileSummary:
    """The 360° view of one profile with its next best content (admin; the read is audited)."""
    profile = privacy.get_profile(session, profile_id)
    items = next_best_content(session, runtime.content.library, profile)
    now = profile.last_seen_at or profile.created_at
    audit.record(session, audit.Actor(user.id, user.email), "profile.read", "hcp_profile", profile.id)
    session.commit()
    return ProfileSummary(
        id=profile.id,
        name=profile.name,
        npi=profile.npi,
        npi_verified=profile.npi_verified,
        specialty=profile.specialty,
        email=profile.email,
        consents=_consents(profile),
        journey_stage=profile.journey_stage,
        main_interest=profile.main_interest,
        segment=profile.segment,
        affinities={k: round(v, 4) for k, v in journey.current_affinities(profile.affinities or {}, now).items()},
        next_best_content=[_suggestion(i) for i in items],
        erased_at=profile.erased_at,
    )


@admin_router.get("/{profile_id}/export")
def export(profile_id: str, user: AdminUser, session: SessionDep) -> dict[str, Any]:
    """The HCP's access request: everything held about them (admin; audited)."""
    data = privacy.export(session, profile_id, user)
    session.commit()
    return data


@admin_router.post("/{profile_id}/erase")
def erase(profile_id: str, user: AdminUser, session: SessionDep) -> ErasureOut:
    """The HCP's erasure request: anonymise profile and conversations, keep what drug safety needs (audited)."""
    result = privacy.erase(session, profile_id, user)
    session.commit()
    return result
