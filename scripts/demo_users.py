"""`make demo-users`: one staff user per role with known passwords, for a development set-up only."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from api import strings
from api.audit.service import Actor
from api.auth import service as auth
from api.auth.roles import Role
from api.db import session_factory
from api.settings import get_settings

DEMO_ACTOR = Actor(None, "make demo-users")


@dataclass(frozen=True)
class DemoUser:
    """A development account whose password is printed on the console."""

    email: str
    name: str
    role: Role
    password: str
    lead: bool = False


DEMO_USERS = (
    DemoUser(
        "reviewer@quelvanti.example", "Rita Reviewer", Role.MEDICAL_REVIEWER, "demo-reviewer-2026", lead=True
    ),
    DemoUser("pv@quelvanti.example", "Pavel Safety", Role.PV_SPECIALIST, "demo-pv-specialist-2026", lead=True),
    DemoUser("mlr@quelvanti.example", "Mona Approver", Role.MLR_APPROVER, "demo-mlr-approver-2026"),
    DemoUser("marketer@quelvanti.example", "Max Marketer", Role.MARKETER, "demo-marketer-2026"),
    DemoUser("admin@quelvanti.example", "Ada Admin", Role.ADMIN, "demo-admin-2026"),
)


def main() -> int:
    """Create the demo users that do not exist yet and print every demo login."""
    settings = get_settings()
    if settings.environment != "dev":
        print(strings.DEMO_USERS_DEV_ONLY.format(environment=settings.environment), file=sys.stderr)
        return 1
    with session_factory(settings.sqlalchemy_url)() as session:
        for demo in DEMO_USERS:
            exists = auth.user_by_email(session, demo.email) is not None
            if not exists:
                auth.create_user(
                    session, demo.email, demo.password, [demo.role], demo.name, is_lead=demo.lead, by=DEMO_ACTOR
                )
            state = "exists " if exists else "created"
            print(f"{state}  {demo.role.value:17} {demo.email:30} password: {demo.password}")
        session.commit()
    print("Sign in at /staff/login. Development only: these passwords are public.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
