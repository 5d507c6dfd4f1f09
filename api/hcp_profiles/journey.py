"""Derived profile facts, with their documented rules: decaying topic affinities, journey stage, micro-segment.

Affinity: each exchange about a topic adds 1 to that topic's score; every score halves every
AFFINITY_HALF_LIFE_DAYS (exponential decay), so recent interest outweighs old interest. The main interest is
the topic with the highest decayed score now.

Journey stage (awareness → consideration → trial → adoption → advocacy), evaluated after every event; a stage
never moves backwards:
- awareness: any first contact.
- consideration: a question about clinical evidence or safety (CONSIDERATION_TOPICS), or
  CONSIDERATION_EXCHANGES answered exchanges on any topic.
- trial: a question about putting a first patient on therapy: dosing, administration, samples (TRIAL_TOPICS).
- adoption: a question about routine use: copay, ordering, patient support (ADOPTION_TOPICS).
- advocacy: already in adoption and ADVOCACY_HELPFUL_RATINGS answers rated helpful since.
A later-stage signal moves a profile straight there (an HCP asking about ordering has adopted).

Micro-segment: specialty × stage × main interest.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from api.hcp_profiles.models import JourneyStage

AFFINITY_HALF_LIFE_DAYS = 30.0
CONSIDERATION_EXCHANGES = 3
ADVOCACY_HELPFUL_RATINGS = 3
CONSIDERATION_TOPICS = frozenset(
    {
        "indication", "mechanism", "efficacy_week16", "efficacy_long_term", "onset", "pharmacokinetics",
        "adverse_reactions", "contraindications", "infections", "tuberculosis", "hypersensitivity", "vaccines",
        "drug_interactions", "pregnancy", "lactation", "pediatric", "geriatric", "renal_hepatic",
    }
)  # fmt: skip
TRIAL_TOPICS = frozenset(
    {"dosing", "administration", "samples", "self_injection", "missed_dose", "how_supplied", "storage",
     "room_temperature", "excipients_latex"}
)  # fmt: skip
ADOPTION_TOPICS = frozenset({"copay", "ordering", "patient_support"})
STAGE_ORDER = tuple(JourneyStage)
UNKNOWN = "unknown"


def decayed(score: float, since: dt.datetime, now: dt.datetime) -> float:
    """A score `since` decayed to `now` (half-life AFFINITY_HALF_LIFE_DAYS)."""
    days = max((now - since).total_seconds(), 0.0) / 86400
    return score * math.pow(0.5, days / AFFINITY_HALF_LIFE_DAYS)


def add_affinity(affinities: dict[str, Any], topic: str, now: dt.datetime) -> dict[str, Any]:
    """The affinities after one more exchange about `topic` (a new dict; others are left to decay lazily)."""
    updated = dict(affinities)
    old = updated.get(topic)
    score = decayed(float(old["score"]), dt.datetime.fromisoformat(old["at"]), now) if old else 0.0
    updated[topic] = {"score": round(score + 1.0, 6), "at": now.isoformat()}
    return updated


def current_affinities(affinities: dict[str, Any], now: dt.datetime) -> dict[str, float]:
    """Every topic's score decayed to `now`, highest first."""
    scores = {
        topic: decayed(float(entry["score"]), dt.datetime.fromisoformat(entry["at"]), now)
        for topic, entry in affinities.items()
    }
    return dict(sorted(scores.items(), key=lambda pair: (-pair[1], pair[0])))


def main_interest(affinities: dict[str, Any], now: dt.datetime) -> str | None:
    """The topic with the highest decayed score, if any."""
    return next(iter(current_affinities(affinities, now)), None)


def merge_affinities(a: dict[str, Any], b: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """Two profiles' affinities as one (each score decayed to `now`, then summed)."""
    merged: dict[str, Any] = {}
    for affinities in (a, b):
        for topic, score in current_affinities(affinities, now).items():
            merged[topic] = {
                "score": round(merged.get(topic, {}).get("score", 0.0) + score, 6),
                "at": now.isoformat(),
            }
    return merged


def later(a: JourneyStage, b: JourneyStage) -> JourneyStage:
    """The further along of two stages."""
    return a if STAGE_ORDER.index(a) >= STAGE_ORDER.index(b) else b


# A count, or a function that counts (read only where a rule needs it: counting costs a query).
Count = int | Callable[[], int]


def _counted(count: Count) -> int:
    return count() if callable(count) else count


def next_stage(
    stage: JourneyStage, topic: str | None, answered_exchanges: Count, helpful_since_adoption: Count
) -> JourneyStage:
    """The stage after one event, by the rules above (never earlier than `stage`)."""
    signal = JourneyStage.AWARENESS
    if topic in ADOPTION_TOPICS:
        signal = JourneyStage.ADOPTION
    elif topic in TRIAL_TOPICS:
        signal = JourneyStage.TRIAL
    elif topic in CONSIDERATION_TOPICS or (
        # past awareness, the number of answers can move nothing
        stage is JourneyStage.AWARENESS and _counted(answered_exchanges) >= CONSIDERATION_EXCHANGES
    ):
        signal = JourneyStage.CONSIDERATION
    result = later(stage, signal)
    if result is JourneyStage.ADOPTION and _counted(helpful_since_adoption) >= ADVOCACY_HELPFUL_RATINGS:
        result = JourneyStage.ADVOCACY
    return result


def segment(specialty: str | None, stage: JourneyStage, interest: str | None) -> str:
    """The micro-segment label: specialty × stage × main interest."""
    return f"{specialty or UNKNOWN} × {stage.value} × {interest or UNKNOWN}"
