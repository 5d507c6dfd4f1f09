"""The 360° view of one HCP profile, as staff read it: identity, consents, derived facts, engagement, next best.

Reads only; the caller audits the read and owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.conversations.models import Reply
from api.hcp_profiles import journey
from api.hcp_profiles.models import ConsentEvent, ConsentPurpose, EngagementEvent, HcpProfile
from api.hcp_profiles.next_best import next_best_content
from api.hcp_profiles.service import consent_history
from content_library import ContentItem, ContentLibrary

RECENT_EVENTS = 50
CURRENT_CONSENT = {
    ConsentPurpose.MI_CONTACT: "consent_to_contact",
    ConsentPurpose.MARKETING: "consent_marketing",
    ConsentPurpose.INSIGHTS: "consent_insights",
}


@dataclass(frozen=True)
class Consent:
    """One purpose: whether it is granted now, and the grant or revocation (with text version) that decided it."""

    purpose: ConsentPurpose
    granted: bool
    latest: ConsentEvent | None


@dataclass(frozen=True)
class Served:
    """The approved item an exchange was answered with, as recorded (approval code and version shown)."""

    content_id: str
    title: str | None
    approval_code: str | None
    version: str | None


@dataclass(frozen=True)
class Engagement:
    """One engagement event with the item it served."""

    event: EngagementEvent
    served: Served | None


@dataclass(frozen=True)
class ProfileView:
    """Everything the profile screen shows."""

    profile: HcpProfile
    consents: list[Consent]
    consent_history: list[ConsentEvent]
    affinities: dict[str, float]
    events: list[Engagement]
    next_best: list[ContentItem]


def _consents(profile: HcpProfile, history: list[ConsentEvent]) -> list[Consent]:
    latest = {ConsentPurpose(e.purpose): e for e in history}  # history is oldest first
    return [
        Consent(purpose, bool(getattr(profile, field)), latest.get(purpose))
        for purpose, field in CURRENT_CONSENT.items()
    ]


def _recent_events(session: Session, library: ContentLibrary, profile_id: str) -> list[Engagement]:
    events = list(
        session.scalars(
            select(EngagementEvent)
            .where(EngagementEvent.profile_id == profile_id)
            .order_by(EngagementEvent.at.desc(), EngagementEvent.id.desc())
            .limit(RECENT_EVENTS)
        )
    )
    replies = session.execute(
        select(Reply.exchange_id, Reply.content_id, Reply.approval_code, Reply.version)
        .where(Reply.exchange_id.in_([e.exchange_id for e in events]))
        .order_by(Reply.position.desc())  # the first position wins below
    )
    recorded = {(exchange_id, content_id): (code, version) for exchange_id, content_id, code, version in replies}
    titles = {item.id: item.title for item in sorted(library.items(), key=lambda i: i.version_number)}
    lines = []
    for event in events:
        served = None
        if event.content_id:
            code, version = recorded.get((event.exchange_id, event.content_id), (None, None))
            served = Served(event.content_id, titles.get(event.content_id), code, version)
        lines.append(Engagement(event, served))
    return lines


def profile_view(session: Session, library: ContentLibrary, profile: HcpProfile) -> ProfileView:
    """The 360° view of a profile; an erased profile gets no next best content."""
    history = consent_history(session, profile.id)
    now: dt.datetime = profile.last_seen_at or profile.created_at  # as the profile API decays them
    return ProfileView(
        profile=profile,
        consents=_consents(profile, history),
        consent_history=history,
        affinities=journey.current_affinities(profile.affinities or {}, now),
        events=_recent_events(session, library, profile.id),
        next_best=[] if profile.erased_at else next_best_content(session, library, profile),
    )
