"""`python -m api pv reconcile --since DATE`: the PV reconciliation report; exits 1 if anything is unaccounted."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from api.ae_cases import reconcile
from api.ae_cases.reconcile import ReconciliationOut
from api.db import utcnow


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError("a date written YYYY-MM-DD") from None


def reconcile_command(session: Session, args: argparse.Namespace) -> int:
    """Print the report (text or JSON): 0 if everything is accounted for, 1 if not."""
    report = reconcile.run(session, args.since, utcnow())
    if args.json:
        print(ReconciliationOut.of(report).model_dump_json(indent=2))
        return 0 if report.ok else 1
    print(f"PV reconciliation since {report.since} (checked {report.checked_at:%Y-%m-%d %H:%M} UTC)")
    print(
        f"flagged exchanges: {report.flagged_exchanges} (own case {report.with_own_case}, merged into another "
        f"{report.merged_into_another}, follow-up answers {report.attached_as_follow_up}); "
        f"unaccounted: {report.unaccounted_exchanges}"
    )
    print(
        f"cases: {report.cases} (open within due time {report.open_within_due}, submitted {report.submitted}, "
        f"closed with a reason {report.closed_with_reason}, merged {report.merged})"
    )
    print(f"compliance holds (not assessed, in the review queue): {report.held_for_review}")
    for problem in report.problems:
        print(
            f"- {problem.kind}: {problem.entity_type} {problem.case_number or problem.entity_id}: {problem.detail}"
        )
    print("OK: nothing unaccounted for" if report.ok else f"NOT OK: {len(report.problems)} item(s) listed above")
    return 0 if report.ok else 1


def register(commands: Any) -> None:
    """Add the `pv` command and its actions to the top-level parser's subparsers."""
    pv = commands.add_parser("pv", help="drug safety (PV)")
    actions = pv.add_subparsers(dest="action", required=True)
    run = actions.add_parser("reconcile", help="every flagged exchange has one case; every case is accounted for")
    run.add_argument("--since", type=_day, required=True, help="first day (UTC), YYYY-MM-DD")
    run.add_argument("--json", action="store_true", help="print the report as JSON")
    run.set_defaults(handler=reconcile_command)
