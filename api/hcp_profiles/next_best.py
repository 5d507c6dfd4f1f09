"""Next best content: the approved items a profile has not seen that its segment found most helpful.

Peers are profiles of the same specialty and journey stage. An item's score is its peers' helpful rate with
one helpful and one unhelpful pseudo-rating (so one lucky rating does not outrank a well-rated item), then how
often peers were served it. Only items currently approved are suggested.
"""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from api.hcp_profiles.models import EngagementEvent, HcpProfile
from content_library import ANSWER_TOPICS, ContentItem, ContentLibrary

# Items never suggested: the ISI is linked from every page already; contact details are answers, not content.
NOT_SUGGESTED = frozenset({"isi", "medical_information_contact", "safety_reporting_contact"})
DEFAULT_LIMIT = 3


def _peer_scores(session: Session, profile: HcpProfile) -> dict[str, tuple[float, int]]:
    helpful = func.sum(case((EngagementEvent.helpful.is_(True), 1), else_=0))
    rated = func.sum(case((EngagementEvent.helpful.is_not(None), 1), else_=0))
    peers = (
        select(EngagementEvent.content_id, helpful, rated, func.count())
        .join(HcpProfile, HcpProfile.id == EngagementEvent.profile_id)
        .where(
            EngagementEvent.content_id.is_not(None),
            HcpProfile.journey_stage == profile.journey_stage,
            HcpProfile.erased_at.is_(None),
            HcpProfile.consent_insights.is_(True),  # only peers who let their conversations inform others
            HcpProfile.id != profile.id,
        )
        .group_by(EngagementEvent.content_id)
    )
    if profile.specialty:
        peers = peers.where(HcpProfile.specialty == profile.specialty)
    return {
        str(content_id): ((int(good or 0) + 1) / (int(total or 0) + 2), int(served))
        for content_id, good, total, served in session.execute(peers)
    }


def next_best_content(
    session: Session, library: ContentLibrary, profile: HcpProfile, limit: int = DEFAULT_LIMIT
) -> list[ContentItem]:
    """Up to `limit` approved items for this profile, best first."""
    seen = set(
        session.scalars(
            select(EngagementEvent.content_id).where(
                EngagementEvent.profile_id == profile.id, EngagementEvent.content_id.is_not(None)
            )
        )
    )
    scores = _peer_scores(session, profile)
    candidates = []
    for topic in ANSWER_TOPICS:
        item = library.for_topic(topic)
        if item is None or topic in NOT_SUGGESTED or item.id in seen or item.id not in scores:
            continue
        candidates.append(item)
    candidates.sort(key=lambda item: (-scores[item.id][0], -scores[item.id][1], item.id))
    return candidates[:limit]
