"""`python -m api verbatim rotate-keys`: re-encrypt every verbatim row under the first of VERBATIM_KEYS."""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.orm import Session

from api.audit import service as audit
from api.auth.cli import cli_actor
from api.settings import get_settings
from api.verbatim import service


def rotate_keys(session: Session, _: argparse.Namespace) -> int:
    """Re-encrypt all rows in one transaction (all or none), audited; the old keys may go afterwards."""
    done = service.rotate_keys(session, get_settings())
    audit.record(session, cli_actor(), "verbatim.rotate_keys", "verbatim_text", "all", reason=f"{done} rows")
    session.commit()
    print(f"verbatim text re-encrypted under the first key: {done} rows")
    return 0


def register(commands: Any) -> None:
    """Add the `verbatim` command and its actions to the top-level parser's subparsers."""
    verbatim = commands.add_parser("verbatim", help="verbatim text at rest")
    actions = verbatim.add_subparsers(dest="action", required=True)
    actions.add_parser(
        "rotate-keys", help="re-encrypt every row under the first of VERBATIM_KEYS (all of them must still be set)"
    ).set_defaults(handler=rotate_keys)
