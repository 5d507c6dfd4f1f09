"""Key rotation: `python -m api verbatim rotate-keys` re-encrypts every row under the first key, audited; a key
list that cannot open a row changes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select

from api.__main__ import main
from api.audit.models import AuditEvent
from api.audit.service import SYSTEM
from api.db import session_factory
from api.settings import Settings, get_settings
from api.verbatim import service as verbatim
from api.verbatim.models import VerbatimText
from tests.api.verbatim.test_encryption import VERBATIM, kept_exchange, keyed


@pytest.fixture
def cli_env(offline_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """The operator's environment: the test database; VERBATIM_KEYS is set by each test."""
    monkeypatch.setenv("DATABASE_URL", offline_settings.database_url)
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.delenv("VERBATIM_KEYS", raising=False)
    get_settings.cache_clear()


def run_rotation(env: pytest.MonkeyPatch, *keys: bytes) -> int:
    env.setenv("VERBATIM_KEYS", ",".join(key.decode() for key in keys))
    get_settings.cache_clear()
    return main(["verbatim", "rotate-keys"])


def stored_token(settings: Settings) -> bytes:
    with session_factory(settings.sqlalchemy_url)() as session:
        return session.scalars(select(VerbatimText.ciphertext)).one().encode()


def test_rotation_re_encrypts_every_row_under_the_first_key(
    offline_settings: Settings, cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    exchange_id = kept_exchange(keyed(offline_settings, old))

    assert run_rotation(cli_env, new, old) == 0

    assert "1 rows" in capsys.readouterr().out
    token = stored_token(offline_settings)
    assert Fernet(new).decrypt(token).decode() == VERBATIM
    with pytest.raises(InvalidToken):
        Fernet(old).decrypt(token)  # the old key may now be removed
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        assert verbatim.read(session, keyed(offline_settings, new), SYSTEM, exchange_id, "check") == VERBATIM
        actions = list(session.scalars(select(AuditEvent.action)))
    assert "verbatim.rotate_keys" in actions


def test_rotation_with_keys_that_cannot_open_a_row_changes_nothing(
    offline_settings: Settings, cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kept_exchange(offline_settings)
    before = stored_token(offline_settings)

    assert run_rotation(cli_env, Fernet.generate_key()) == 1

    assert "cannot be decrypted" in capsys.readouterr().err
    assert stored_token(offline_settings) == before
