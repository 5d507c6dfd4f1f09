"""Privacy rights, run by an admin: an HCP's data (access export) and erasure; both audited.

Erasure anonymises the profile and its conversations. What drug-safety law requires is kept: the exchanges
an adverse-event case was opened from or answered its follow-up questions with (and their verbatim text),
the cases themselves, and, if the HCP reported an adverse event, the reporter's identity on the profile
(pharmacovigilance needs an identifiable reporter to follow up); such a profile is still marked erased and is
never used for engagement, marketing or insights again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from api.ae_cases.models import AeCase, AeCaseFollowUp
from api.audit import service as audit
from api.auth.models import StaffUser
from api.conversations.models import Conversation, Exchange
from api.db import new_id, utcnow
from api.errors import NotFound
from api.hcp_profiles.models import EngagementEvent, HcpProfile
from api.hcp_profiles.schemas import ConsentEventOut, ErasureOut
from api.hcp_profiles.service import consent_history
from api.insights import projection
from api.review_queue.models import ReviewItem
from api.verbatim.models import VerbatimText

ERASED_TEXT = "[erased at the HCP's request]"


def get_profile(session: Session, profile_id: str) -> HcpProfile:
    """A profile by id, or NotFound."""
    profile = session.get(HcpProfile, profile_id)
    if profile is None:
        raise NotFound("profile", profile_id)
    return profile


def _actor(user: StaffUser) -> audit.Actor:
    return audit.Actor(user.id, user.email)


def export(session: Session, profile_id: str, user: StaffUser) -> dict[str, Any]:
    """Everything held about an HCP (redacted conversation text; verbatim stays with drug safety); audited."""
    profile = get_profile(session, profile_id)
    conversations = session.scalars(
        select(Conversation).where(Conversation.hcp_profile_id == profile.id).order_by(Conversation.started_at)
    ).all()
    events = session.scalars(
        select(EngagementEvent).where(EngagementEvent.profile_id == profile.id).order_by(EngagementEvent.id)
    ).all()
    audit.record(session, _actor(user), "privacy.export", "hcp_profile", profile.id)
    return {
        "profile": {
            field: getattr(profile, field)
            for field in (
                "id",
                "name",
                "npi",
                "npi_verified",
                "specialty",
                "email",
                "journey_stage",
                "main_interest",
                "segment",
                "affinities",
                "created_at",
                "last_seen_at",
                "erased_at",
            )
        },
        "consents": [
            ConsentEventOut.model_validate(e).model_dump(mode="json") for e in consent_history(session, profile.id)
        ],
        "engagement_events": [
            {
                "at": e.at,
                "channel": e.channel,
                "route": e.route,
                "topic": e.topic,
                "content_id": e.content_id,
                "helpful": e.helpful,
                "followed_up": e.followed_up,
            }
            for e in events
        ],
        "conversations": [
            {
                "id": c.id,
                "started_at": c.started_at,
                "exchanges": [
                    {
                        "sequence": x.sequence,
                        "text": x.inbound_text,
                        "received_at": x.received_at,
                        "route": x.route,
                        "replies": [r.content_id for r in x.replies],
                    }
                    for x in c.exchanges
                ],
            }
            for c in conversations
        ],
    }


def erase(session: Session, profile_id: str, user: StaffUser) -> ErasureOut:
    """Anonymise a profile and its conversations, keeping what drug-safety law requires; audited."""
    profile = get_profile(session, profile_id)
    conversation_ids = list(
        session.scalars(select(Conversation.id).where(Conversation.hcp_profile_id == profile.id))
    )
    exchange_ids = set(session.scalars(select(Exchange.id).where(Exchange.conversation_id.in_(conversation_ids))))
    kept = set(session.scalars(select(AeCase.exchange_id).where(AeCase.exchange_id.in_(exchange_ids))))
    kept |= set(
        session.scalars(select(AeCaseFollowUp.exchange_id).where(AeCaseFollowUp.exchange_id.in_(exchange_ids)))
    )
    erased = sorted(exchange_ids - kept)
    if erased:
        session.execute(
            update(Exchange)
            .where(Exchange.id.in_(erased))
            .values(inbound_text=ERASED_TEXT, compliance_findings=[])
        )
        session.execute(
            update(ReviewItem).where(ReviewItem.exchange_id.in_(erased)).values(question_text=ERASED_TEXT)
        )
        session.execute(delete(VerbatimText).where(VerbatimText.exchange_id.in_(erased)))
    reporter = bool(
        session.scalar(
            select(AeCase.id).where(or_(AeCase.hcp_profile_id == profile.id, AeCase.exchange_id.in_(exchange_ids)))
        )
    )
    projection.forget(session, profile.insights_key)
    if not reporter:
        profile.name = profile.npi = profile.email = profile.specialty = None
        profile.npi_verified = False
    profile.visitor_hash = None
    profile.affinities, profile.main_interest, profile.segment = {}, None, None
    profile.consent_to_contact = profile.consent_marketing = profile.consent_insights = False
    profile.insights_key = new_id()
    profile.erased_at = utcnow()
    session.flush()
    audit.record(
        session,
        _actor(user),
        "privacy.erase",
        "hcp_profile",
        profile.id,
        reason=f"{len(erased)} exchanges anonymised, {len(kept)} kept for drug safety"
        + ("; reporter identity kept for drug safety" if reporter else ""),
    )
    return ErasureOut(
        profile_id=profile.id,
        conversations=len(conversation_ids),
        exchanges_anonymised=len(erased),
        exchanges_kept_for_safety=len(kept),
    )
