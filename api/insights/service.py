"""Aggregates for the marketer dashboard, read from the insights projection only (never from identity).

Every group counts distinct HCPs (by pseudonym); a group of fewer than K_ANONYMITY HCPs is suppressed and
only the number of suppressed groups is told.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, case, distinct, func, select
from sqlalchemy.orm import Session

from api.insights.models import InsightEvent, InsightHcp
from api.insights.projection import week_of

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


@dataclass(frozen=True)
class Group:
    """Counts of one group of exchanges: how many, and how many distinct HCPs (pseudonyms) behind them."""

    count: int
    hcps: int
    rated: int = 0
    helpful: int = 0
    followed: int = 0
    answered: int = 0
    review: int = 0


def _counts_query(
    dialect: str, query: Select[Any], keys: tuple[Any, ...], conditions: dict[str, ColumnElement[bool]]
) -> Select[Any]:
    """Rows of (*keys, exchanges, distinct HCPs, *per-condition counts) for a filtered query of events.

    SQLite counts DISTINCT best while it reads a covering index in group order. PostgreSQL's DISTINCT
    aggregate sorts every group, so there the (group, HCP) pairs are hashed first and then counted.
    """
    flags = {name: func.coalesce(func.sum(case((c, 1), else_=0)), 0) for name, c in conditions.items()}
    if dialect != "postgresql":
        counted = (func.count(), func.count(distinct(InsightEvent.hcp_key)), *flags.values())
        return query.add_columns(*keys, *counted).group_by(*keys)
    pairs = (
        query.add_columns(*keys, func.count().label("n"), *(flag.label(name) for name, flag in flags.items()))
        .group_by(*keys, InsightEvent.hcp_key)
        .subquery()
    )
    outer_keys = [pairs.c[key.key] for key in keys]
    sums = (func.sum(pairs.c[name]) for name in flags)
    return select(*outer_keys, func.sum(pairs.c.n), func.count(), *sums).group_by(*outer_keys)


def _grouped(
    session: Session,
    filters: Filters,
    keys: tuple[Any, ...],
    where: tuple[ColumnElement[bool], ...] = (),
    **conditions: ColumnElement[bool],
) -> dict[Any, Group]:
    """Exchanges in range grouped by `keys`: count, distinct HCPs, and per named condition how many meet it."""
    query = _counts_query(session.get_bind().dialect.name, _events(filters).where(*where), keys, conditions)
    groups = {}
    for row in session.execute(query):
        key = row[0] if len(keys) == 1 else tuple(row[: len(keys)])
        count, hcps, *counted = row[len(keys) :]
        named = {name: int(n) for name, n in zip(conditions, counted, strict=True)}
        groups[key] = Group(int(count), int(hcps), **named)
    return groups


def event_tables(session: Session, filters: Filters) -> dict[str, Table]:
    """Topic demand, content performance, specialties and route counts, each aggregated by the database.

    Each grouping has a covering index of its own (migration d13c2e4f6a01), led by its group columns.
    """
    e = InsightEvent
    # The week bounds follow from the day bounds; they let the (week, topic, ...) index be range-scanned.
    weeks = (e.topic.is_not(None), e.week >= week_of(filters.start), e.week <= filters.end)
    by_week_topic = _grouped(session, filters, (e.week, e.topic), weeks)
    by_content = _grouped(
        session,
        filters,
        (e.content_id,),
        (e.content_id.is_not(None),),
        rated=e.helpful.is_not(None),
        helpful=e.helpful.is_(True),
        followed=e.followed_up.is_(True),
    )
    by_specialty = _grouped(
        session, filters, (e.specialty,), answered=e.route == "answered", review=e.route == "review"
    )
    by_route = _grouped(session, filters, (e.route,))
    return {
        "topic_demand": _topic_demand(by_week_topic),
        "content_performance": _content_performance(by_content),
        "specialties": _specialties(by_specialty),
        "compliance": _compliance(by_route),
    }


def _shown(groups: dict[Any, Group]) -> tuple[dict[Any, Group], int]:
    shown = {key: group for key, group in groups.items() if group.hcps >= K_ANONYMITY}
    return shown, len(groups) - len(shown)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


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
            table.rows.append([week.isoformat(), topic, shown[(week, topic)].count, shown[(week, topic)].hcps])
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
            [content_id, g.count, g.hcps, g.rated, _rate(g.helpful, g.rated), _rate(g.followed, g.count)]
        )
    return table


def _specialties(groups: dict[str, Group]) -> Table:
    shown, suppressed = _shown(groups)
    table = Table(
        "specialties", "Segments by specialty", ["specialty", "hcps", "exchanges", "answered_rate", "review"],
        suppressed=suppressed,
    )  # fmt: skip
    for specialty, g in sorted(shown.items(), key=lambda pair: (-pair[1].hcps, pair[0])):
        table.rows.append([specialty, g.hcps, g.count, _rate(g.answered, g.count), g.review])
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
    counts = dict(session.execute(query).all())
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
