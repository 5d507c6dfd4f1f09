"""`python -m api audit verify`: walk the hash chain; exits non-zero and names the first broken row."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sqlalchemy.orm import Session

from api.audit import service


def verify(session: Session, _: argparse.Namespace) -> int:
    """Verify the chain: 0 if it holds, 1 (with the broken seq) if not."""
    result = service.verify(session)
    if result.ok:
        print(f"audit chain ok: {result.rows} rows")
        return 0
    print(f"audit chain BROKEN at seq {result.broken_seq}: {result.problem}", file=sys.stderr)
    print(f"broken_seq={result.broken_seq}")
    return 1


def register(commands: Any) -> None:
    """Add the `audit` command and its actions to the top-level parser's subparsers."""
    audit = commands.add_parser("audit", help="the audit trail")
    actions = audit.add_subparsers(dest="action", required=True)
    actions.add_parser("verify", help="check every row's hash and link").set_defaults(handler=verify)
