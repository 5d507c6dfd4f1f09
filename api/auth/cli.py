"""`python -m api users ...`: create staff users, list them, change their roles (every change audited)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from api import strings
from api.audit.service import Actor
from api.auth import service
from api.auth.models import StaffUser
from api.auth.roles import Role
from api.errors import InvalidInput, NotFound

ROLE_CHOICES = [role.value for role in Role]


def cli_actor() -> Actor:
    """The audit actor for a command run by an operator: the operating-system account."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        name = "unknown"
    return Actor(None, f"cli:{name}")


def read_password(stdin: TextIO | None = None) -> str:
    """A new password: prompted twice on a terminal, else the first line of stdin (for scripts)."""
    stream = stdin or sys.stdin
    if stream.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat the password: ") != first:
            raise InvalidInput(strings.PASSWORDS_DIFFER)
        return first
    return stream.readline().rstrip("\r\n")


def create(session: Session, args: argparse.Namespace) -> int:
    """Create a user with roles; the password is never an argument (it would land in shell history)."""
    user = service.create_user(
        session,
        args.email,
        read_password(),
        [Role(r) for r in args.role],
        display_name=args.name,
        is_lead=args.lead,
        by=cli_actor(),
    )
    session.commit()
    print(f"created {user.email} ({', '.join(user.role_names)}{', lead' if user.is_lead else ''}) id {user.id}")
    return 0


def list_users(session: Session, _: argparse.Namespace) -> int:
    """Print every staff user with roles and state."""
    users = list(session.scalars(select(StaffUser).order_by(StaffUser.email)))
    for user in users:
        flags = [f for f, on in (("lead", user.is_lead), ("inactive", not user.active)) if on]
        if user.locked_until is not None:
            flags.append(f"locked until {user.locked_until.isoformat(timespec='seconds')}")
        roles = ",".join(user.role_names) or "-"
        print(f"{user.email:40} {user.display_name:24} {roles:40} {' '.join(flags)}".rstrip())
    print(f"{len(users)} user(s)")
    return 0


def set_roles(session: Session, args: argparse.Namespace) -> int:
    """Replace a user's roles."""
    user = service.user_by_email(session, args.email)
    if user is None:
        raise NotFound("staff user", args.email)
    service.set_roles(session, user, [Role(r) for r in args.role], by=cli_actor())
    session.commit()
    print(f"{user.email}: {', '.join(user.role_names) or 'no roles'}")
    return 0


def register(commands: Any) -> None:
    """Add the `users` command and its actions to the top-level parser's subparsers."""
    users = commands.add_parser("users", help="staff users and their roles")
    actions = users.add_subparsers(dest="action", required=True)

    new = actions.add_parser("create", help="create a user (prompts for the password, or reads it from stdin)")
    new.add_argument("--email", required=True)
    new.add_argument("--role", action="append", required=True, choices=ROLE_CHOICES, help="repeat for several")
    new.add_argument("--name", help="display name (default: the e-mail's local part)")
    new.add_argument("--lead", action="store_true", help="receives SLA escalations of the role's queue")
    new.set_defaults(handler=create)

    actions.add_parser("list", help="list users").set_defaults(handler=list_users)

    change = actions.add_parser("set-roles", help="replace a user's roles")
    change.add_argument("--email", required=True)
    change.add_argument("--role", action="append", required=True, choices=ROLE_CHOICES, help="repeat for several")
    change.set_defaults(handler=set_roles)
