"""`python -m api ...`: operator commands (staff users, audit trail, verbatim keys, PV) against DATABASE_URL."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from sqlalchemy.orm import Session

from api.ae_cases import cli as pv_cli
from api.audit import cli as audit_cli
from api.auth import cli as auth_cli
from api.db import session_factory
from api.errors import DomainError
from api.settings import get_settings
from api.verbatim import cli as verbatim_cli

Handler = Callable[[Session, argparse.Namespace], int]


def parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per noun."""
    root = argparse.ArgumentParser(prog="python -m api", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)
    auth_cli.register(commands)
    audit_cli.register(commands)
    pv_cli.register(commands)
    verbatim_cli.register(commands)
    return root


def main(argv: list[str] | None = None) -> int:
    """Run one command in its own transaction (the command commits); domain errors exit 1."""
    args = parser().parse_args(argv)
    handler: Handler = args.handler
    with session_factory(get_settings().sqlalchemy_url)() as session:
        try:
            return handler(session, args)
        except DomainError as exc:
            session.rollback()
            print(f"error: {exc.detail}", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
