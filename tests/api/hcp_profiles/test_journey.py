"""The documented rules: affinities decay with a half-life, stages only move forward, the segment's label."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from api.hcp_profiles import journey
from api.hcp_profiles.identity import npi_valid
from api.hcp_profiles.models import JourneyStage

T0 = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)


def test_npi_check_digit_uses_the_80840_prefix() -> None:
    assert npi_valid("1234567893")  # the CMS example NPI
    assert not npi_valid("1234567890")
    assert not npi_valid("123456789")
    assert not npi_valid("12345678a3")


def test_affinities_halve_every_half_life_and_recent_interest_wins() -> None:
    affinities = journey.add_affinity({}, "dosing", T0)
    affinities = journey.add_affinity(affinities, "dosing", T0)
    later = T0 + dt.timedelta(days=journey.AFFINITY_HALF_LIFE_DAYS)
    assert journey.current_affinities(affinities, later)["dosing"] == 1.0  # 2 halved once
    affinities = journey.add_affinity(affinities, "copay", later + dt.timedelta(days=30))
    now = later + dt.timedelta(days=30)
    scores = journey.current_affinities(affinities, now)
    assert scores["copay"] == 1.0 and scores["dosing"] == 0.5
    assert journey.main_interest(affinities, now) == "copay"


def test_stage_moves_forward_on_signals_and_never_back() -> None:
    stage = JourneyStage.AWARENESS
    stage = journey.next_stage(stage, "storage", 0, 0)
    assert stage is JourneyStage.TRIAL  # a later-stage signal moves straight there
    stage = journey.next_stage(stage, "mechanism", 1, 0)
    assert stage is JourneyStage.TRIAL  # never backwards
    assert journey.next_stage(JourneyStage.AWARENESS, "mechanism", 1, 0) is JourneyStage.CONSIDERATION
    assert journey.next_stage(JourneyStage.AWARENESS, None, 3, 0) is JourneyStage.CONSIDERATION
    assert journey.next_stage(JourneyStage.AWARENESS, None, 2, 0) is JourneyStage.AWARENESS
    assert journey.next_stage(JourneyStage.TRIAL, "ordering", 5, 0) is JourneyStage.ADOPTION
    assert journey.next_stage(JourneyStage.ADOPTION, None, 5, 2) is JourneyStage.ADOPTION
    assert journey.next_stage(JourneyStage.ADOPTION, None, 5, 3) is JourneyStage.ADVOCACY


def test_counts_are_read_only_where_a_rule_needs_them() -> None:
    """Counting costs a query per chat turn: past awareness the answers count, outside adoption the ratings."""
    asked: list[str] = []

    def count(name: str, value: int) -> Callable[[], int]:
        def counted() -> int:
            asked.append(name)
            return value

        return counted

    stage = journey.next_stage(JourneyStage.TRIAL, None, count("answered", 9), count("helpful", 9))
    assert stage is JourneyStage.TRIAL and asked == []
    stage = journey.next_stage(JourneyStage.AWARENESS, None, count("answered", 3), count("helpful", 9))
    assert stage is JourneyStage.CONSIDERATION and asked == ["answered"]
    stage = journey.next_stage(JourneyStage.ADOPTION, "copay", count("answered", 0), count("helpful", 3))
    assert stage is JourneyStage.ADVOCACY and asked == ["answered", "helpful"]


def test_segment_is_specialty_by_stage_by_interest() -> None:
    assert journey.segment("dermatology", JourneyStage.TRIAL, "dosing") == "dermatology × trial × dosing"
    assert journey.segment(None, JourneyStage.AWARENESS, None) == "unknown × awareness × unknown"
