"""The migration encrypts existing verbatim rows with the configured key, and its downgrade decrypts them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from api.db import engine_for
from api.settings import get_settings
from api.verbatim.crypto import cipher_for
from tests.conftest import PG_ADMIN_URL, ROOT

BEFORE = "a870f0b6d015"
ENCRYPTED = "b048758630e4"
PLAIN = "my patient Jane Roe MRN 12345678 had liver failure"
NOW = "2026-11-30 12:00:00+00:00"


def alembic(url: str) -> Config:
    config = Config(str(ROOT / "api" / "alembic.ini"))
    config.attributes["database_url"] = url
    config.attributes["configure_logger"] = False
    return config


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new, empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('migration') / 'hcp.db'}"
        return
    name = f"hcp_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    engine_for(url).dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def seed_plaintext_row(url: str) -> None:
    """A verbatim row as the previous schema stored it: in clear."""
    with engine_for(url).begin() as connection:
        connection.execute(
            text("INSERT INTO hcp_profile (id, consent_to_contact, created_at) VALUES ('p1', false, :now);"),
            {"now": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO conversation"
                " (id, hcp_profile_id, channel, started_at, message_count, product_mentioned)"
                " VALUES ('c1', 'p1', 'web', :now, 1, false)"
            ),
            {"now": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO exchange (id, conversation_id, sequence, inbound_text, received_at, status)"
                " VALUES ('e1', 'c1', 1, '[WITHHELD]', :now, 'received')"
            ),
            {"now": NOW},
        )
        connection.execute(
            text("INSERT INTO verbatim_text (id, exchange_id, text, created_at) VALUES ('v1', 'e1', :t, :now)"),
            {"t": PLAIN, "now": NOW},
        )


def test_existing_rows_are_encrypted_and_decrypted_back(empty_url: str) -> None:
    config = alembic(empty_url)
    command.upgrade(config, BEFORE)
    seed_plaintext_row(empty_url)

    command.upgrade(config, ENCRYPTED)

    with engine_for(empty_url).connect() as connection:
        row = connection.execute(text("SELECT * FROM verbatim_text")).mappings().one()
    assert "text" not in row
    assert not [value for value in row.values() if "Jane" in str(value) or "12345678" in str(value)]
    assert cipher_for(get_settings()).decrypt(row["ciphertext"]) == PLAIN

    command.downgrade(config, BEFORE)

    with engine_for(empty_url).connect() as connection:
        assert connection.execute(text("SELECT text FROM verbatim_text")).scalar_one() == PLAIN
