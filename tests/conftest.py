"""Shared fixtures: real PostgreSQL and SQLite databases, real Redis, and a real running stack."""

from __future__ import annotations

import importlib.util
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from scripts.stack import port_open

ROOT = Path(__file__).resolve().parent.parent
# The action tests need rasa_sdk, which lives in the Rasa virtualenv; `make test` runs them there.
collect_ignore = [] if importlib.util.find_spec("rasa_sdk") else ["bot/actions"]
PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Each consumer gets its own Redis database so tasks never reach another test's worker.
STACK_REDIS_URL = "redis://127.0.0.1:6379/11"
TEST_REDIS_URL = "redis://127.0.0.1:6379/12"
# The abuse limits' own Redis database (api.limits); the limits tests flush only the keys they create.
LIMITS_REDIS_URL = "redis://127.0.0.1:6379/13"
# Abuse limits far above what the suite sends from its one address; tests/api/chat/ tests them tight.
ROOMY_LIMITS = {
    "conversations_per_ip": "100000/minute",
    "messages_per_conversation": "100000/minute",
    "review_items_per_conversation": "100000/minute",
    "review_items_per_ip": "100000/minute",
}
# Queues unique to this run, so that two test runs on one machine never take each other's tasks.
STACK_QUEUE = f"hcp-stack-{os.getpid()}"
TEST_QUEUE = f"hcp-test-{os.getpid()}"
# The stack's internal secrets, new for every test run: the API -> Rasa token and the Rasa -> actions token.
STACK_RASA_TOKEN = secrets.token_urlsafe(32)
STACK_ACTION_SERVER_TOKEN = secrets.token_urlsafe(32)


def migrate(url: str) -> None:
    """Create the schema the way production does: Alembic migrations."""
    config = Config(str(ROOT / "api" / "alembic.ini"))
    config.attributes["database_url"] = url
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated, dropped afterwards."""
    name = f"hcp_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # pragma: no cover - a machine without the PostgreSQL service
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is required for the tests: {exc}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    migrate(url)
    yield url
    from api.db import engine_for

    engine_for(url).dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh SQLite database file for this test session, migrated."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'hcp.db'}"
    migrate(url)
    return url


@dataclass(frozen=True)
class Stack:
    """A running stack started by `python -m scripts.run`, as `make run` starts it."""

    api_url: str
    rasa_url: str
    actions_url: str
    database_url: str
    log_dir: Path
    process: subprocess.Popen[bytes]
    rasa_token: str = STACK_RASA_TOKEN
    action_server_token: str = STACK_ACTION_SERVER_TOKEN
    output: Path | None = None  # what `python -m scripts.run` printed (start and restart lines, with pids)

    def pid(self, name: str) -> int:
        """The pid of a component's latest (re)start, as scripts.run reported it."""
        assert self.output is not None
        found = re.findall(rf"(?:started|restarted) {re.escape(name)} \(pid (\d+)", self.output.read_text())
        assert found, f"scripts.run reported no pid for {name}"
        return int(found[-1])


def _free_port_block() -> int:
    # A base port per run avoids clashing with a developer's `make run` on the defaults.
    return 20000 + (os.getpid() % 2000) * 10


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The whole service (actions, Rasa, worker, API) on a SQLite file and the machine's Redis.

    The test process gets the stack's tokens in its environment too, so that the Settings tests build (and any
    Rasa they start with scripts.stack) reach this stack's Rasa and action server as the API does.
    """
    with pytest.MonkeyPatch.context() as environ:
        environ.setenv("RASA_TOKEN", STACK_RASA_TOKEN)
        environ.setenv("ACTION_SERVER_TOKEN", STACK_ACTION_SERVER_TOKEN)
        yield from _running_stack(tmp_path_factory)


# Personal data the suite sends through the stack (patients' names, MRNs, phones, e-mails): none may reach a log.
SUITE_PII_VALUES = (
    "John Smith",
    "Jonathan Whitfield",
    "MRN 12345678",
    "48213377",
    "617-555-0134",
    "555-123-4567",
    "jane.doe@clinic.example",
    "jwhitfield@example.org",
    "dr.lee@clinic.example",
)


def _log_offsets(log_dir: Path) -> dict[Path, int]:
    return {path: path.stat().st_size for path in log_dir.glob("*.log")} if log_dir.is_dir() else {}


def _pii_in_logs(log_dir: Path, since: dict[Path, int]) -> list[str]:
    """The suite's PII values found in what the stack's processes logged during the session."""
    found = []
    for path in sorted(log_dir.glob("*.log")):
        with path.open("rb") as log:
            log.seek(since.get(path, 0))
            written = log.read().decode(errors="replace")
        found += [f"{path.name}: {value}" for value in SUITE_PII_VALUES if value in written]
    return found


def _running_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    log_dir = ROOT / "var" / "log"
    offsets = _log_offsets(log_dir)
    base = _free_port_block()
    ports = {"api": base, "rasa": base + 1, "actions": base + 2, "redis": base + 3}
    workdir = tmp_path_factory.mktemp("stack")
    database_url = f"sqlite:///{workdir / 'stack.db'}"
    migrate(database_url)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": STACK_REDIS_URL,
        "ENVIRONMENT": "test",
        "CELERY_QUEUE": STACK_QUEUE,
        "CONTENT_EXPORT_DIR": str(workdir / "content"),
        "CONTENT_MODELS_DIR": str(workdir / "models"),
        **{name.upper(): value for name, value in ROOMY_LIMITS.items()},
    }
    argv = [sys.executable, "-m", "scripts.run"] + [f"--{k}-port={v}" for k, v in ports.items()]
    log_path = workdir / "run.out"
    with log_path.open("wb") as out:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    api_url = f"http://127.0.0.1:{ports['api']}"
    deadline = time.monotonic() + 300
    while b"Ready:" not in log_path.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the stack did not start:\n{log_path.read_text(errors='replace')[-4000:]}")
        time.sleep(1)
    yield Stack(
        api_url=api_url,
        rasa_url=f"http://127.0.0.1:{ports['rasa']}",
        actions_url=f"http://127.0.0.1:{ports['actions']}",
        database_url=database_url,
        log_dir=log_dir,
        process=process,
        output=log_path,
    )
    # Ctrl-C, as a developer stops `make run`: everything must stop cleanly and free its port.
    assert process.poll() is None, "the stack died during the tests"
    process.send_signal(signal.SIGINT)
    try:
        returncode = process.wait(90)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("the stack did not stop within 90 s of Ctrl-C") from None
    assert returncode == 0, log_path.read_text(errors="replace")[-2000:]
    assert "Stopped." in log_path.read_text(errors="replace")
    for name, port in ports.items():
        if name != "redis":  # REDIS_URL is set, so no embedded Redis was started
            assert not port_open(port)(), f"{name} still listens on {port} after Ctrl-C"
    # After every test that used the stack: no message text or personal value in any of its logs.
    leaked = _pii_in_logs(log_dir, offsets)
    assert not leaked, f"personal data reached the logs: {leaked}"


def wait_for(predicate: object, timeout: float = 20.0, interval: float = 0.2) -> bool:
    """Poll a zero-argument callable until it returns something truthy."""
    assert callable(predicate)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def rasa_tracker(rasa_url: str, conversation_id: str) -> dict[str, Any]:
    """A conversation's tracker from Rasa's HTTP API, with the stack's token (outsiders are refused)."""
    response = httpx.get(
        f"{rasa_url}/conversations/{conversation_id}/tracker", params={"token": STACK_RASA_TOKEN}, timeout=10
    )
    response.raise_for_status()
    tracker: dict[str, Any] = response.json()
    return tracker


def healthy(api_url: str) -> bool:
    """Whether the API's /healthz is all green."""
    try:
        return httpx.get(f"{api_url}/healthz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False
