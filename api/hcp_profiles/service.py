"""Profiles: identity (apart from conversation text), versioned consent, continuity by browser and NPI."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api import strings
from api.conversations.models import Conversation
from api.db import utcnow
from api.errors import Conflict, InvalidInput, NotFound
from api.hcp_profiles import engagement, journey
from api.hcp_profiles.identity import npi_valid
from api.hcp_profiles.models import ConsentEvent, ConsentPurpose, EngagementEvent, HcpProfile, JourneyStage
from api.hcp_profiles.schemas import HcpIdentity
from api.insights import projection
from content_library import ContentItem

# Tokens the widget keeps in the browser: long enough to be unguessable, short enough to bound the input.
VISITOR_TOKEN_BYTES = 24


def consent_topic(purpose: ConsentPurpose) -> str:
    """The system topic of the approved consent text for a purpose."""
    return f"consent_{purpose.value}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def profile_of(session: Session, conversation: Conversation) -> HcpProfile:
    """The profile a conversation is logged to."""
    profile = session.get(HcpProfile, conversation.hcp_profile_id)
    if profile is None:
        raise NotFound("profile", conversation.hcp_profile_id)
    return profile


def _usable(profile: HcpProfile) -> HcpProfile:
    if profile.erased_at is not None:
        raise Conflict(strings.PROFILE_ERASED)
    return profile


def _recompute_consents(session: Session, profile: HcpProfile) -> None:
    """Current consent per purpose: the latest grant or revocation recorded for it."""
    current: dict[ConsentPurpose, bool] = {}
    events = session.scalars(
        select(ConsentEvent)
        .where(ConsentEvent.profile_id == profile.id)
        .order_by(ConsentEvent.at, ConsentEvent.id)
    )
    for event in events:
        current[ConsentPurpose(event.purpose)] = event.granted
    profile.consent_to_contact = current.get(ConsentPurpose.MI_CONTACT, profile.consent_to_contact)
    profile.consent_marketing = current.get(ConsentPurpose.MARKETING, False)
    profile.consent_insights = current.get(ConsentPurpose.INSIGHTS, False)


def _merge(session: Session, source: HcpProfile, target: HcpProfile) -> None:
    """Move a fresh profile's conversations, events and consents onto the profile it turned out to be."""
    for model, column in (
        (Conversation, Conversation.hcp_profile_id),
        (EngagementEvent, EngagementEvent.profile_id),
        (ConsentEvent, ConsentEvent.profile_id),
    ):
        session.execute(update(model).where(column == source.id).values({column.key: target.id}))
    for field in ("name", "specialty", "email"):
        if getattr(source, field) and not getattr(target, field):
            setattr(target, field, getattr(source, field))
    now = max(filter(None, (source.last_seen_at, target.last_seen_at)), default=utcnow())
    target.affinities = journey.merge_affinities(target.affinities or {}, source.affinities or {}, now)
    target.journey_stage = journey.later(JourneyStage(target.journey_stage), JourneyStage(source.journey_stage))
    target.last_seen_at = now
    target.visitor_hash = source.visitor_hash or target.visitor_hash
    source.visitor_hash = None
    projection.forget(session, source.insights_key)
    session.flush()
    session.expire_all()
    _recompute_consents(session, target)
    engagement.refresh_derived(session, target, None)
    if target.consent_insights:
        engagement.project_all(session, target)


def continue_visitor(
    session: Session, conversation: Conversation, token: str | None
) -> tuple[HcpProfile, str, bool]:
    """Link the conversation to the profile this browser used before; returns (profile, token, continued)."""
    profile = _usable(profile_of(session, conversation))
    if token:
        earlier = session.scalar(
            select(HcpProfile).where(
                HcpProfile.visitor_hash == _hash(token),
                HcpProfile.erased_at.is_(None),
                HcpProfile.id != profile.id,
            )
        )
        if earlier is not None:
            _merge(session, profile, earlier)
            return earlier, token, True
        if profile.visitor_hash == _hash(token):
            return profile, token, True
    token = secrets.token_urlsafe(VISITOR_TOKEN_BYTES)
    profile.visitor_hash = _hash(token)
    session.flush()
    return profile, token, False


@dataclass(frozen=True)
class Identified:
    """The profile after the HCP said who they are, and whether it continued an earlier one (same NPI)."""

    profile: HcpProfile
    continued: bool


def identify(session: Session, conversation: Conversation, details: HcpIdentity) -> Identified:
    """Record who the HCP says they are; a verified NPI seen before continues that profile."""
    profile = _usable(profile_of(session, conversation))
    if details.npi is not None and not npi_valid(details.npi):
        raise InvalidInput(strings.NPI_INVALID)
    for field in ("name", "specialty", "email"):
        value = getattr(details, field)
        if value is not None:
            setattr(profile, field, value)
    continued = False
    if details.npi is not None:
        earlier = session.scalar(
            select(HcpProfile).where(
                HcpProfile.npi == details.npi,
                HcpProfile.npi_verified.is_(True),
                HcpProfile.erased_at.is_(None),
                HcpProfile.id != profile.id,
            )
        )
        if earlier is not None:
            _merge(session, profile, earlier)
            profile, continued = earlier, True
        profile.npi, profile.npi_verified = details.npi, True
    session.flush()
    engagement.refresh_derived(session, profile, None)
    if profile.consent_insights:
        projection.upsert_hcp(session, engagement.projected_hcp(profile), profile.last_seen_at or utcnow())
    return Identified(profile, continued)


def set_consent(
    session: Session,
    profile: HcpProfile,
    purpose: ConsentPurpose,
    granted: bool,
    text: ContentItem,
    method: str,
) -> ConsentEvent:
    """Record a grant or revocation against the approved text shown; revoking insights removes the projection."""
    _usable(profile)
    event = ConsentEvent(
        profile_id=profile.id,
        purpose=purpose,
        granted=granted,
        content_id=text.id,
        approval_code=text.approval_code,
        version=text.version,
        method=method,
        at=utcnow(),
    )
    session.add(event)
    session.flush()
    _recompute_consents(session, profile)
    if purpose is ConsentPurpose.INSIGHTS:
        if granted:
            engagement.project_all(session, profile)
        else:
            projection.forget(session, profile.insights_key)
    session.flush()
    return event


def consent_history(session: Session, profile_id: str) -> list[ConsentEvent]:
    """Every grant and revocation of a profile, oldest first."""
    return list(
        session.scalars(
            select(ConsentEvent)
            .where(ConsentEvent.profile_id == profile_id)
            .order_by(ConsentEvent.at, ConsentEvent.id)
        )
    )
