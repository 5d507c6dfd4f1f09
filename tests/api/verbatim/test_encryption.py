"""Verbatim text encrypted at rest (issue 7, finding 9): the column holds no plaintext, the PV read returns it
(audited), and a wrong key fails closed."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError
from sqlalchemy import text

from api import strings
from api.audit import service as audit
from api.auth.roles import Role
from api.db import session_factory
from api.main import create_app
from api.settings import Settings
from api.verbatim import service as verbatim
from tests.api.conftest import make_review_item, make_user, sign_in

VERBATIM = "Dr Jane Roe: patient Mary Jones, MRN 8812345, DOB 04/07/1961, 617-555-0134, severe liver injury"
SECRETS = ("Jane", "Mary", "Jones", "8812345", "04/07/1961", "617-555-0134", "liver")


def keyed(settings: Settings, *keys: bytes) -> Settings:
    """The settings with other VERBATIM_KEYS."""
    return Settings(**{**settings.model_dump(), "verbatim_keys": SecretStr(",".join(k.decode() for k in keys))})


def kept_exchange(settings: Settings) -> str:
    """An exchange whose verbatim text is kept (as the chat flow keeps an AE report's)."""
    _, conversation_id = make_review_item(settings)
    with session_factory(settings.sqlalchemy_url)() as session:
        exchange_id = session.execute(
            text("SELECT id FROM exchange WHERE conversation_id = :c"), {"c": conversation_id}
        ).scalar_one()
        verbatim.keep(session, settings, exchange_id, VERBATIM)
        session.commit()
    return str(exchange_id)


def raw_rows(settings: Settings) -> list[str]:
    """Every value of every verbatim row, as the database hands it to anyone with SQL access."""
    with session_factory(settings.sqlalchemy_url)() as session:
        rows = session.execute(text("SELECT * FROM verbatim_text")).all()
    return [str(value) for row in rows for value in row]


def read_as_pv(client: TestClient, settings: Settings, exchange_id: str) -> tuple[int, str]:
    sign_in(client, make_user(settings, Role.PV_SPECIALIST))
    response = client.get(f"/api/v1/exchanges/{exchange_id}/verbatim", params={"reason": "case follow-up"})
    return response.status_code, response.text


def test_the_column_holds_no_plaintext_and_the_pv_read_returns_it(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    exchange_id = kept_exchange(offline_settings)

    values = raw_rows(offline_settings)
    assert values
    assert not [v for v in values for secret in SECRETS if secret in v], values
    status, body = read_as_pv(staff_client, offline_settings, exchange_id)
    assert status == 200, body
    assert VERBATIM in body
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        assert [e.action for e in audit.history(session, "exchange", exchange_id)] == ["verbatim.read"]


def test_a_wrong_key_fails_closed(offline_settings: Settings) -> None:
    exchange_id = kept_exchange(offline_settings)
    wrong = Settings(
        **{**offline_settings.model_dump(), "verbatim_keys": SecretStr(Fernet.generate_key().decode())}
    )

    with TestClient(create_app(wrong)) as client:
        status, body = read_as_pv(client, wrong, exchange_id)

    assert status == 500
    assert strings.VERBATIM_UNREADABLE in body
    assert not [secret for secret in SECRETS if secret in body]
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        assert audit.history(session, "exchange", exchange_id) == []  # nothing was read


@pytest.mark.parametrize("value", ["", " , ", "not-a-fernet-key", f"{Fernet.generate_key().decode()},tooshort"])
def test_keys_are_checked_at_start_up_and_never_echoed(value: str) -> None:
    with pytest.raises(ValidationError, match="VERBATIM_KEYS") as refused:
        Settings(verbatim_keys=SecretStr(value))
    assert value.split(",")[-1].strip() not in str(refused.value) or not value.strip(" ,")
