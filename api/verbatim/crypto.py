"""Verbatim text at rest: Fernet tokens (AES-128-CBC + HMAC-SHA256) under a list of keys from settings.

The first key of VERBATIM_KEYS encrypts; every key decrypts, so a new key is put first, rows are
re-encrypted (`python -m api verbatim rotate-keys`), and only then is the old key removed.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import SecretStr

from api import strings
from api.errors import DomainError
from api.settings import Settings

log = logging.getLogger(__name__)


class VerbatimUnreadable(DomainError):
    """A stored token no configured key opens: fail closed (no text), and tell the operator why."""

    status_code = 500

    def __init__(self) -> None:
        super().__init__(strings.VERBATIM_UNREADABLE)


class VerbatimCipher:
    """Encrypts with the first key, decrypts with any; never logs or returns text it cannot verify."""

    def __init__(self, keys: list[str]) -> None:
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    def encrypt(self, text: str) -> str:
        """A token for the text, under the first key."""
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        """The text of a token; VerbatimUnreadable if no key opens it (or it was altered)."""
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            log.error("a verbatim token could not be decrypted with the configured keys")
            raise VerbatimUnreadable() from None

    def rotate(self, token: str) -> str:
        """The same text under the first key; VerbatimUnreadable if no key opens it."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeError):
            raise VerbatimUnreadable() from None


def parse_keys(keys: SecretStr) -> list[str]:
    """The keys of a VERBATIM_KEYS value, in order (comma-separated)."""
    return [key.strip() for key in keys.get_secret_value().split(",") if key.strip()]


@lru_cache(maxsize=8)
def _cipher(keys: str) -> VerbatimCipher:
    return VerbatimCipher(parse_keys(SecretStr(keys)))


def cipher_for(settings: Settings) -> VerbatimCipher:
    """The cipher of a deployment's VERBATIM_KEYS (built once per key list)."""
    return _cipher(settings.verbatim_keys.get_secret_value())
