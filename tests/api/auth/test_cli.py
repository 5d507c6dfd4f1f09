"""`python -m api users ...` and `make demo-users`, run as an operator runs them, against the test database."""

from __future__ import annotations

import getpass
import io
import os
import subprocess
import sys

import pytest

from api.audit import service as audit
from api.auth import service as auth
from api.auth.cli import read_password
from api.auth.passwords import verify_password
from api.auth.roles import Role
from api.db import session_factory
from api.errors import InvalidInput
from scripts.demo_users import DEMO_USERS
from tests.api.conftest import PASSWORD
from tests.conftest import ROOT


def run(
    database_url: str, *args: str, stdin: str = "", environment: str = "test"
) -> subprocess.CompletedProcess[str]:
    """A command in a subprocess, with the password (if any) on stdin as a script would give it."""
    env = {**os.environ, "DATABASE_URL": database_url, "ENVIRONMENT": environment}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def users(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`python -m api users ...`."""
    return run(database_url, "-m", "api", "users", *args, stdin=stdin)


def test_users_create_list_and_set_roles(database_url: str) -> None:
    rita = ("--email", "Rita@Staff.example", "--name", "Rita Reviewer", "--lead")
    created = users(database_url, "create", *rita, "--role", "medical_reviewer", "--role", "admin", stdin=PASSWORD)
    duplicate = users(
        database_url, "create", "--email", "rita@staff.example", "--role", "marketer", stdin=PASSWORD
    )
    weak = users(database_url, "create", "--email", "weak@staff.example", "--role", "marketer", stdin="short\n")
    changed = users(database_url, "set-roles", "--email", "rita@staff.example", "--role", "pv_specialist")
    unknown = users(database_url, "set-roles", "--email", "nobody@staff.example", "--role", "admin")
    bad_role = users(database_url, "create", "--email", "x@staff.example", "--role", "king")
    listed = users(database_url, "list")

    assert created.returncode == 0, created.stderr
    assert "created rita@staff.example (admin, medical_reviewer, lead)" in created.stdout
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr
    assert weak.returncode == 1 and "at least 12 characters" in weak.stderr
    assert changed.returncode == 0 and "rita@staff.example: pv_specialist" in changed.stdout
    assert unknown.returncode == 1 and "does not exist" in unknown.stderr
    assert bad_role.returncode == 2 and "invalid choice" in bad_role.stderr
    assert listed.returncode == 0 and "rita@staff.example" in listed.stdout and "pv_specialist" in listed.stdout
    assert "1 user(s)" in listed.stdout
    with session_factory(database_url)() as session:
        user = auth.user_by_email(session, "rita@staff.example")
        assert user is not None
        assert user.roles == {Role.PV_SPECIALIST} and user.is_lead and user.display_name == "Rita Reviewer"
        assert verify_password(user.password_hash, PASSWORD)
        events = audit.history(session, "staff_user", user.id)
    assert [e.action for e in events] == ["user.created", "user.roles_changed"]
    assert all(e.actor.startswith("cli:") for e in events)
    assert events[1].reason == "admin,medical_reviewer -> pv_specialist"


def test_demo_users_are_for_development_only(database_url: str) -> None:
    refused = run(database_url, "-m", "scripts.demo_users", environment="test")
    with session_factory(database_url)() as session:
        assert auth.count_users(session) == 0

    created = run(database_url, "-m", "scripts.demo_users", environment="dev")
    again = run(database_url, "-m", "scripts.demo_users", environment="dev")

    assert refused.returncode == 1 and "ENVIRONMENT=dev" in refused.stderr
    assert created.returncode == 0, created.stderr
    assert again.returncode == 0 and again.stdout.count("exists") == len(DEMO_USERS)
    with session_factory(database_url)() as session:
        assert auth.count_users(session) == len(DEMO_USERS)
        for demo in DEMO_USERS:
            assert f"{demo.email}" in created.stdout and demo.password in created.stdout
            user = auth.user_by_email(session, demo.email)
            assert user is not None and user.roles == {demo.role}
            assert verify_password(user.password_hash, demo.password)
    assert {demo.role for demo in DEMO_USERS} == set(Role)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_password_is_prompted_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter([PASSWORD, PASSWORD, PASSWORD, "something else entirely"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(answers))

    assert read_password(_Terminal()) == PASSWORD
    with pytest.raises(InvalidInput, match="do not match"):
        read_password(_Terminal())
    assert read_password(io.StringIO(f"{PASSWORD}\nignored\n")) == PASSWORD
