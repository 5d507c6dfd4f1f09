"""schemathesis over the whole API's OpenAPI schema (issue 7): no operation answers 500, whatever it is sent.

The offline app (no Rasa: chat answers with the approved 'unavailable' item) is called in-process, on
PostgreSQL (the stricter database: NUL bytes, lengths). Every operation is fuzzed with valid and invalid
data, first with generated ids, then with real ids and credentials so the handlers behind the checks run:
a staff bearer token with every role, the service token, and a conversation's secret.
"""

from __future__ import annotations

import contextlib
import copy
import time
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from pydantic import SecretStr
from schemathesis import GenerationMode
from sqlalchemy import select

from api.auth.roles import ALL_ROLES
from api.db import session_factory
from api.main import create_app
from api.models import ReviewItem
from api.settings import Settings
from tests.api.conftest import PASSWORD, _empty_tables, make_review_item, make_user, start_chat

# Bounded: about a minute for the whole schema on 2 cores (derandomized: the same cases every run).
EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 25}
EXAMPLES_WITH_REAL_IDS = 25
SERVICE_TOKEN = "fuzz-service-token-4c7Qx9Lm2Rt8Vb5Nw3Kp6Zy"
SERVICE_PATHS = {"/api/v1/moderation"}
# Generated strings are valid Unicode without NUL; an attacker's are not. One string of a body gets one of
# these (alone or appended): a NUL, a lone surrogate, invisible-only text, a bidi override.
NASTY = ("\x00", "\ud800", "\u200b\u200b", "\u202e", "\x00\ud800")


def _strings(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, str):
        return [path]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _strings(item, (*path, key))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _strings(item, (*path, index))]
    return []


def _with_nasty(body: Any, nasty: str | None, pick: int, alone: bool) -> Any:
    paths = _strings(body)
    if nasty is None or not paths or isinstance(body, str):
        return body
    *parents, last = paths[pick % len(paths)]
    body = copy.deepcopy(body)
    target = body
    for step in parents:
        target = target[step]
    target[last] = nasty if alone else target[last] + nasty
    return body


def nastier_bodies(_: Any, body: Any) -> st.SearchStrategy[Any]:
    """The schemathesis hook: most bodies get one nasty string."""
    return st.tuples(st.sampled_from((None, *NASTY)), st.integers(0, 99), st.booleans()).map(
        lambda choice: _with_nasty(body, *choice)
    )


@pytest.fixture
def database_url(postgresql_url: str) -> Iterator[str]:
    """PostgreSQL only (it refuses what SQLite lets through), from empty tables."""
    _empty_tables(postgresql_url)
    yield postgresql_url
    _empty_tables(postgresql_url)


@pytest.fixture
def fuzz_app(offline_settings: Settings) -> FastAPI:
    return create_app(offline_settings.model_copy(update={"service_token": SecretStr(SERVICE_TOKEN)}))


def _real_ids(app: FastAPI, settings: Settings) -> tuple[dict[str, str], dict[str, str], str]:
    """Path ids that exist, the conversation's secret header, and a staff bearer token with every role."""
    item_id, _ = make_review_item(settings)
    with session_factory(settings.sqlalchemy_url)() as session:
        exchange_id = session.scalar(select(ReviewItem.exchange_id).where(ReviewItem.id == item_id))
    user = make_user(settings, *ALL_ROLES, email="fuzz-admin@staff.example")
    client = TestClient(app)  # no lifespan here: closing it would close the app's clients for the fuzz
    conversation_id, secret = start_chat(client, name="Dr Fuzz", consent=True)
    token = client.post("/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD})
    assert token.status_code == 201, token.text
    ids = {"item_id": item_id, "conversation_id": conversation_id, "exchange_id": str(exchange_id)}
    return ids, secret, token.json()["access_token"]


def _auth(path: str, staff_token: str) -> dict[str, str]:
    token = SERVICE_TOKEN if path in SERVICE_PATHS else staff_token
    return {"Authorization": f"Bearer {token}"}


def test_no_operation_answers_500(fuzz_app: FastAPI, offline_settings: Settings) -> None:
    real_ids, secret, staff_token = _real_ids(fuzz_app, offline_settings)
    schema = schemathesis.openapi.from_dict(fuzz_app.openapi())
    schema.hook("flatmap_body")(nastier_bodies)
    failures: list[str] = []
    calls = 0
    started = time.monotonic()

    def run(strategy: st.SearchStrategy[Any], examples: int, headers: dict[str, str]) -> None:
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def call(case: Any) -> None:
            nonlocal calls
            calls += 1
            label = f"{case.method} {case.formatted_path}"
            try:
                response = case.call(app=fuzz_app, headers=headers)
            except Exception as exc:  # the app raised: the server would answer 500
                failures.append(f"{label}: raised {type(exc).__name__}: {exc}\n{case.as_curl_command()}")
                return
            # 503 is a deliberate answer (a readiness probe with Rasa down); any other 5xx is a crash.
            if response.status_code >= 500 and response.status_code != 503:
                failures.append(f"{label}: {response.status_code}\n{case.as_curl_command()}")

        with contextlib.suppress(Unsatisfiable):  # nothing invalid can be sent (no parameters, no body)
            call()

    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 20
    for operation in operations:
        headers = _auth(operation.path, staff_token)
        for mode, examples in EXAMPLES.items():
            run(operation.as_strategy(generation_mode=mode), examples, headers)
        names = {p.name for p in operation.path_parameters}
        if names and names <= set(real_ids):
            path = {name: real_ids[name] for name in names}
            run(
                operation.as_strategy(path_parameters=path, headers=secret),
                EXAMPLES_WITH_REAL_IDS,
                {**headers, **secret},
            )

    elapsed = time.monotonic() - started
    assert calls > len(operations) * 10
    assert not failures, f"{len(failures)} of {calls} calls failed in {elapsed:.0f}s:\n\n" + "\n\n".join(
        failures[:20]
    )
