"""Reconciliation, the report a PV auditor asks for: every exchange the compliance layer flagged as an AE or
special situation has exactly one case (its own, one it was merged into, or the case it answered a follow-up
question for), and every case is open within its due time, submitted, or closed with a reason. Anything
else is listed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from api.ae_cases.models import ACTIVE_STATUSES, AeCase, AeCaseExport, AeCaseFollowUp, AeCaseStatus
from api.conversations.models import Exchange
from compliance import Route as ComplianceRoute

FLAGGED = ComplianceRoute.AE_TRIAGE.value
HELD = ComplianceRoute.REVIEW.value


@dataclass(frozen=True)
class Problem:
    """One thing the report cannot account for."""

    kind: str
    entity_type: str
    entity_id: str
    case_number: str | None
    at: dt.datetime
    detail: str


@dataclass
class Report:
    """The counts and the problems of one reconciliation run."""

    since: dt.date
    checked_at: dt.datetime
    flagged_exchanges: int = 0
    with_own_case: int = 0
    merged_into_another: int = 0
    attached_as_follow_up: int = 0
    held_for_review: int = 0
    cases: int = 0
    open_within_due: int = 0
    submitted: int = 0
    closed_with_reason: int = 0
    merged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def unaccounted_exchanges(self) -> int:
        """Flagged exchanges without exactly one case."""
        return sum(1 for p in self.problems if p.entity_type == "exchange")

    @property
    def ok(self) -> bool:
        """Nothing unaccounted for."""
        return not self.problems


def _start(since: dt.date) -> dt.datetime:
    return dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)


def _exchanges(session: Session, report: Report, start: dt.datetime) -> None:
    target = aliased(AeCase)
    rows = session.execute(
        select(
            Exchange.id,
            Exchange.received_at,
            AeCase.id,
            AeCase.case_number,
            AeCase.status,
            target.id,
            AeCaseFollowUp.case_id,
        )
        .outerjoin(AeCase, AeCase.exchange_id == Exchange.id)
        .outerjoin(target, target.id == AeCase.merged_into_id)
        .outerjoin(AeCaseFollowUp, AeCaseFollowUp.exchange_id == Exchange.id)
        .where(Exchange.compliance_route == FLAGGED, Exchange.received_at >= start)
        .order_by(Exchange.received_at)
    ).all()
    report.flagged_exchanges = len(rows)
    for exchange_id, received_at, case_id, number, status, target_id, followup_case in rows:
        if case_id is not None and followup_case is not None:
            report.problems.append(
                Problem(
                    "two_cases", "exchange", exchange_id, number, received_at, "own case and a follow-up answer"
                )
            )
        elif case_id is None and followup_case is None:
            report.problems.append(
                Problem("no_case", "exchange", exchange_id, None, received_at, "flagged, but no case holds it")
            )
        elif followup_case is not None:
            report.attached_as_follow_up += 1
        elif status is AeCaseStatus.MERGED and target_id is None:
            report.problems.append(
                Problem(
                    "merged_nowhere", "exchange", exchange_id, number, received_at, "its case merged into none"
                )
            )
        elif status is AeCaseStatus.MERGED:
            report.merged_into_another += 1
        else:
            report.with_own_case += 1
    held = select(func.count(Exchange.id)).where(Exchange.compliance_route == HELD, Exchange.received_at >= start)
    report.held_for_review = int(session.scalar(held) or 0)


def _cases(session: Session, report: Report, start: dt.datetime, now: dt.datetime) -> None:
    delivered = {
        (case_id, version): delivered_at
        for case_id, version, delivered_at in session.execute(
            select(AeCaseExport.case_id, AeCaseExport.version, AeCaseExport.delivered_at)
            .join(AeCase, AeCase.id == AeCaseExport.case_id)
            .where(AeCase.awareness_at >= start)
        )
    }
    cases = session.scalars(select(AeCase).where(AeCase.awareness_at >= start).order_by(AeCase.due_at)).all()
    report.cases = len(cases)
    ids = {c.id for c in cases}
    for case in cases:
        problem = None
        if case.status in ACTIVE_STATUSES:
            if case.due_at > now:
                report.open_within_due += 1
            else:
                problem = ("past_due", f"{case.status.value}, due {case.due_at:%Y-%m-%d %H:%M} UTC")
        elif case.status is AeCaseStatus.SUBMITTED:
            key = (case.id, case.version)
            if key not in delivered:
                problem = ("no_export", f"submitted, but version {case.version} has no export")
            elif delivered[key] is None:
                problem = ("export_not_delivered", f"version {case.version} is not in the outbound directory")
            else:
                report.submitted += 1
        elif case.status is AeCaseStatus.CLOSED_NOT_A_CASE:
            if case.close_reason is None:
                problem = ("closed_without_reason", "closed, no reason recorded")
            else:
                report.closed_with_reason += 1
        elif case.merged_into_id is None or (
            case.merged_into_id not in ids and session.get(AeCase, case.merged_into_id) is None
        ):
            problem = ("merged_nowhere", "merged, but into no existing case")
        else:
            report.merged += 1
        if problem is not None:
            report.problems.append(
                Problem(problem[0], "ae_case", case.id, case.case_number, case.awareness_at, problem[1])
            )


def run(session: Session, since: dt.date, now: dt.datetime) -> Report:
    """Reconcile flagged exchanges and cases received on or after a day (UTC)."""
    report = Report(since=since, checked_at=now)
    start = _start(since)
    _exchanges(session, report, start)
    _cases(session, report, start, now)
    return report


class ProblemOut(BaseModel):
    """One unaccounted item."""

    kind: str
    entity_type: str
    entity_id: str
    case_number: str | None
    at: dt.datetime
    detail: str


class ReconciliationOut(BaseModel):
    """The reconciliation report: counts, and every item not accounted for."""

    since: dt.date
    checked_at: dt.datetime
    ok: bool
    flagged_exchanges: int
    with_own_case: int
    merged_into_another: int
    attached_as_follow_up: int
    unaccounted_exchanges: int
    held_for_review: int
    cases: int
    open_within_due: int
    submitted: int
    closed_with_reason: int
    merged: int
    problems: list[ProblemOut]

    @classmethod
    def of(cls, report: Report) -> ReconciliationOut:
        """From a run's report."""
        counts = {
            name: getattr(report, name)
            for name in (
                "since", "checked_at", "flagged_exchanges", "with_own_case", "merged_into_another",
                "attached_as_follow_up", "held_for_review", "cases", "open_within_due", "submitted",
                "closed_with_reason", "merged",
            )
        }  # fmt: skip
        return cls(
            **counts,
            ok=report.ok,
            unaccounted_exchanges=report.unaccounted_exchanges,
            problems=[ProblemOut(**p.__dict__) for p in report.problems],
        )
