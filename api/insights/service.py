"""Aggregates for the marketer dashboard, read from the insights projection only (never from identity).

Every group counts distinct HCPs (by pseudonym); a group of fewer than K_ANONYMITY HCPs is suppressed and
only the number of suppressed groups is told.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from api.insights.models import InsightEvent, InsightHcp

K_ANONYMITY = 5
DEFAULT_DAYS = 84
TOP_TOPICS = 8
STAGES = ("awareness", "consideration", "trial", "adoption", "advocacy")
# The routes counted in the compliance table: counts only, never text.
COMPLIANCE_ROUTES = ("answered", "review", "ae_triage", "off_label", "declined", "chitchat")


@dataclass(frozen=True)
class Filters:
    """Date range (inclusive days) and segment (specialty, stage); None means all."""

    start: dt.date
    end: dt.date
    specialty: str | None = None
    stage: str | None = None

    @classmethod
    def default(cls, today: dt.date) -> Filters:
        """The last DEFAULT_DAYS days up to today."""
        return cls(start=today - dt.timedelta(days=DEFAULT_DAYS - 1), end=today)

    def query(self) -> dict[str, str]:
        """The filters as query parameters (for links and CSV exports)."""
        params = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.specialty:
            params["specialty"] = self.specialty
        if self.stage:
            params["stage"] = self.stage
        return params


@dataclass
class Table:
    """One dashboard table: header, rows (already k-suppressed) and how many groups were suppressed."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    suppressed: int = 0


def _events(filters: Filters, *columns: Any) -> Select[Any]:
    query = select(*columns).where(InsightEvent.day >= filters.start, InsightEvent.day <= filters.end)
    if filters.specialty:
        query = query.where(InsightEvent.specialty == filters.specialty)
    if filters.stage:
        query = query.where(InsightEvent.stage == filters.stage)
    return query


@dataclass
class Group:
    """Counts of one group of exchanges, with the distinct HCPs (pseudonyms) behind them."""

    count: int = 0
    hcps: set[str] = field(default_factory=set)
    rated: int = 0
    helpful: int = 0
    followed: int = 0
    answered: int = 0
    review: int = 0

    def add(self, key: str, route: str, helpful: bool | None, followed: bool) -> None:
        """Count one exchange."""
        self.count += 1
        self.hcps.add(key)
        self.rated += helpful is not None
        self.helpful += helpful is True
        self.followed += bool(followed)
        self.answered += route == "answered"
        self.review += route == "review"


def _shown(groups: dict[Any, Group]) -> tuple[dict[Any, Group], int]:
    shown = {key: group for key, group in groups.items() if len(group.hcps) >= K_ANONYMITY}
    return shown, len(groups) - len(shown)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def event_tables(session: Session, filters: Filters) -> dict[str, Table]:
    """Topic demand, content performance, specialties and route counts, from one pass over the range."""
    e = InsightEvent
    columns = (e.hcp_key, e.week, e.topic, e.content_id, e.route, e.helpful, e.followed_up, e.specialty)
    by_week_topic: dict[tuple[dt.date, str], Group] = defaultdict(Group)
    by_content: dict[str, Group] = defaultdict(Group)
    by_specialty: dict[str, Group] = defaultdict(Group)
    by_route: dict[str, Group] = defaultdict(Group)
    for key, week, topic, content_id, route, helpful, followed, specialty in session.execute(
        _events(filters, *columns)
    ).tuples():
        if topic is not None:
            by_week_topic[(week, topic)].add(key, route, helpful, followed)
        if content_id is not None:
            by_content[content_id].add(key, route, helpful, followed)
        by_specialty[specialty].add(key, route, helpful, followed)
        by_route[route].add(key, route, helpful, followed)
    return {
        "topic_demand": _topic_demand(by_week_topic),
        "content_performance": _content_performance(by_content),
        "specialties": _specialties(by_specialty),
        "compliance": _compliance(by_route),
    }


def _topic_demand(groups: dict[tuple[dt.date, str], Group]) -> Table:
    shown, suppressed = _shown(groups)
    totals: dict[str, int] = defaultdict(int)
    for (_week, topic), group in shown.items():
        totals[topic] += group.count
    top = set(sorted(totals, key=lambda t: (-totals[t], t))[:TOP_TOPICS])
    table = Table(
        "topic_demand", "Topic demand by week", ["week", "topic", "exchanges", "hcps"], suppressed=suppressed
    )
    for week, topic in sorted(shown):
        if topic in top:
            table.rows.append(
                [week.isoformat(), topic, shown[(week, topic)].count, len(shown[(week, topic)].hcps)]
            )
    return table


def _content_performance(groups: dict[str, Group]) -> Table:
    shown, suppressed = _shown(groups)
    table = Table(
        "content_performance",
        "Content performance",
        ["content_id", "served", "hcps", "ratings", "helpful_rate", "follow_up_rate"],
        suppressed=suppressed,
    )
    for content_id, g in sorted(shown.items(), key=lambda pair: (-pair[1].count, pair[0])):
        table.rows.append(
            [content_id, g.count, len(g.hcps), g.rated, _rate(g.helpful, g.rated), _rate(g.followed, g.count)]
        )
    return table


def _specialties(groups: dict[str, Group]) -> Table:
    shown, suppressed = _shown(groups)
    table = Table(
        "specialties", "Segments by specialty", ["specialty", "hcps", "exchanges", "answered_rate", "review"],
        suppressed=suppressed,
    )  # fmt: skip
    for specialty, g in sorted(shown.items(), key=lambda pair: (-len(pair[1].hcps), pair[0])):
        table.rows.append([specialty, len(g.hcps), g.count, _rate(g.answered, g.count), g.review])
    return table


def _compliance(groups: dict[str, Group]) -> Table:
    shown, suppressed = _shown(groups)
    total = sum(g.count for g in groups.values())
    table = Table(
        "compliance", "Adverse-event, off-label and review rates", ["route", "exchanges", "rate"],
        suppressed=suppressed,
    )  # fmt: skip
    for route in COMPLIANCE_ROUTES:
        if route in shown:
            table.rows.append([route, shown[route].count, _rate(shown[route].count, total)])
    return table


def funnel(session: Session, filters: Filters) -> Table:
    """HCPs active in the range by their current journey stage."""
    query = (
        select(InsightHcp.stage, func.count())
        .where(
            InsightHcp.last_seen >= dt.datetime.combine(filters.start, dt.time(), dt.UTC),
            InsightHcp.first_seen < dt.datetime.combine(filters.end + dt.timedelta(days=1), dt.time(), dt.UTC),
        )
        .group_by(InsightHcp.stage)
    )
    if filters.specialty:
        query = query.where(InsightHcp.specialty == filters.specialty)
    if filters.stage:
        query = query.where(InsightHcp.stage == filters.stage)
    counts = dict(session.execute(query).tuples().all())
    table = Table("funnel", "Funnel by journey stage", ["stage", "hcps"])
    for stage in STAGES:
        hcps = int(counts.get(stage, 0))
        if hcps >= K_ANONYMITY:
            table.rows.append([stage, hcps])
        elif hcps:
            table.suppressed += 1
    return table


def specialty_choices(session: Session) -> list[str]:
    """Specialties with at least K_ANONYMITY HCPs (the filter offers no smaller group)."""
    rows = session.execute(
        select(InsightHcp.specialty).group_by(InsightHcp.specialty).having(func.count() >= K_ANONYMITY)
    ).scalars()
    return sorted(rows)
