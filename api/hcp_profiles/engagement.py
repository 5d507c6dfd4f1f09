"""Every exchange logged to the profile as an engagement event; ratings, follow-ups and derived facts.

Events of HCPs who consent to insights are mirrored, de-identified, into the insights projection.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from api.conversations.models import Conversation, Exchange, ExchangeStatus, Reply, Route
from api.db import utcnow
from api.errors import InvalidInput
from api.hcp_profiles import journey
from api.hcp_profiles.models import EngagementEvent, HcpProfile, JourneyStage
from api.insights import projection
from api.strings import EXCHANGE_NOT_RATEABLE
from content_library import ANSWER_TOPICS, topic_for_intent

log = logging.getLogger(__name__)


def projected_hcp(profile: HcpProfile) -> projection.ProjectedHcp:
    """The de-identified view of a profile that the insights projection receives."""
    return projection.ProjectedHcp(
        key=profile.insights_key,
        specialty=profile.specialty,
        stage=profile.journey_stage.value,
        main_interest=profile.main_interest,
    )


def _is_unanswered_question(exchange: Exchange) -> bool:
    # A question the assistant sent to medical review; compliance holds, AE and MI requests never count.
    return (
        exchange.route is Route.REVIEW
        and exchange.compliance_route == "pass"
        and exchange.status is ExchangeStatus.REPLIED
    )


def _project(session: Session, profile: HcpProfile, event: EngagementEvent, exchange: Exchange) -> None:
    hcp = projected_hcp(profile)
    projection.upsert_hcp(session, hcp, event.at)
    projection.add_event(
        session,
        hcp,
        projection.ProjectedEvent(
            source_id=event.id,
            occurred_at=event.at,
            route=event.route,
            topic=event.topic,
            content_id=event.content_id,
            helpful=event.helpful,
            followed_up=event.followed_up,
        ),
    )
    if _is_unanswered_question(exchange):
        projection.add_question(session, hcp, event.id, event.at, exchange.inbound_text)


def project_all(session: Session, profile: HcpProfile) -> None:
    """Mirror every engagement event of a consenting profile (after consent is granted; idempotent)."""
    rows = session.execute(
        select(EngagementEvent, Exchange)
        .join(Exchange, Exchange.id == EngagementEvent.exchange_id)
        .where(EngagementEvent.profile_id == profile.id)
        .order_by(EngagementEvent.id)
    ).all()
    for event, exchange in rows:
        _project(session, profile, event, exchange)


def _helpful_since_adoption(session: Session, profile_id: str) -> int:
    adopted_at = session.scalar(
        select(func.min(EngagementEvent.at)).where(
            EngagementEvent.profile_id == profile_id, EngagementEvent.topic.in_(journey.ADOPTION_TOPICS)
        )
    )
    if adopted_at is None:
        return 0
    return (
        session.scalar(
            select(func.count()).where(
                EngagementEvent.profile_id == profile_id,
                EngagementEvent.helpful.is_(True),
                EngagementEvent.at >= adopted_at,
            )
        )
        or 0
    )


def refresh_derived(session: Session, profile: HcpProfile, topic: str | None) -> None:
    """Re-derive stage, main interest and segment after an event or rating (documented in `journey`)."""

    def answered() -> int:
        return (
            session.scalar(
                select(func.count()).where(
                    EngagementEvent.profile_id == profile.id, EngagementEvent.route == Route.ANSWERED.value
                )
            )
            or 0
        )

    now = profile.last_seen_at or profile.created_at
    profile.journey_stage = journey.next_stage(
        JourneyStage(profile.journey_stage),
        topic,
        answered,
        lambda: _helpful_since_adoption(session, profile.id),
    )
    profile.main_interest = journey.main_interest(profile.affinities or {}, now)
    profile.segment = journey.segment(profile.specialty, profile.journey_stage, profile.main_interest)
    session.flush()


def record_exchange(
    session: Session, exchange: Exchange, replies: Sequence[Reply] | None = None
) -> EngagementEvent | None:
    """Log one answered exchange to its conversation's profile and update what is derived from it.

    `replies`: the exchange's replies in order, if the caller has them (else they are read).
    """
    conversation = session.get(Conversation, exchange.conversation_id)
    profile = session.get(HcpProfile, conversation.hcp_profile_id) if conversation else None
    if conversation is None or profile is None or profile.erased_at is not None or exchange.route is None:
        return None
    if replies is None:
        replies = session.scalars(
            select(Reply).where(Reply.exchange_id == exchange.id).order_by(Reply.position)
        ).all()
    answer = next((r for r in replies if r.topic in ANSWER_TOPICS), None)
    topic = answer.topic if answer else topic_for_intent(exchange.intent or "")
    # The conversation's previous event was followed by this message (each event marks the one before it).
    followed = session.scalars(
        update(EngagementEvent)
        .where(EngagementEvent.conversation_id == conversation.id, EngagementEvent.followed_up.is_(False))
        .values(followed_up=True)
        .returning(EngagementEvent.id)
    ).all()
    if profile.consent_insights:  # only a consenting HCP's events are mirrored
        for previous_id in followed:
            projection.set_followed_up(session, previous_id)
    event = EngagementEvent(
        profile_id=profile.id,
        conversation_id=conversation.id,
        exchange_id=exchange.id,
        at=exchange.received_at,
        channel=conversation.channel,
        route=exchange.route.value,
        topic=topic,
        content_id=answer.content_id if answer else None,
    )
    session.add(event)
    profile.last_seen_at = exchange.received_at
    if topic:
        profile.affinities = journey.add_affinity(profile.affinities or {}, topic, exchange.received_at)
    refresh_derived(session, profile, topic)  # flushes the event and the profile together
    if profile.consent_insights:
        _project(session, profile, event, exchange)
    return event


def record_exchange_safely(session: Session, exchange: Exchange, replies: Sequence[Reply] | None = None) -> None:
    """The chat flow's hook: logging engagement must never cost the turn (an AE report above all)."""
    try:
        with session.begin_nested():
            record_exchange(session, exchange, replies)
    except Exception:  # the turn's own records stand; only the engagement event is lost, and logged
        log.exception("engagement event not recorded for exchange %s", exchange.id)


def rate(session: Session, conversation: Conversation, sequence: int, helpful: bool) -> EngagementEvent:
    """Log the HCP's helpful/not rating of one answered exchange of their conversation."""
    event = session.scalar(
        select(EngagementEvent)
        .join(Exchange, Exchange.id == EngagementEvent.exchange_id)
        .where(Exchange.conversation_id == conversation.id, Exchange.sequence == sequence)
    )
    if event is None or event.route != Route.ANSWERED.value:
        raise InvalidInput(EXCHANGE_NOT_RATEABLE)
    profile = session.get(HcpProfile, event.profile_id)
    event.helpful = helpful
    event.rated_at = utcnow()
    session.flush()
    projection.set_rating(session, event.id, helpful)
    if profile is not None:
        refresh_derived(session, profile, None)
        if profile.consent_insights:
            projection.upsert_hcp(session, projected_hcp(profile), event.at)
    return event
