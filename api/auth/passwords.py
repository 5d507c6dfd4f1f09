"""Password hashing with Argon2id (argon2-cffi) and the password policy."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 256


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # RFC 9106 low-memory profile, Argon2id


def hash_password(password: str) -> str:
    """An Argon2id hash of a password that meets the policy."""
    problem = policy_problem(password)
    if problem:
        raise ValueError(problem)
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether a password matches its stored hash (constant-time in the library)."""
    if len(password) > MAX_PASSWORD_CHARS:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the e-mail is unknown, so timing does not reveal which accounts exist.
@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash of a random password."""
    return _hasher().hash("not-a-real-password-0123456789")


def policy_problem(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"a password needs at least {MIN_PASSWORD_CHARS} characters"
    if len(password) > MAX_PASSWORD_CHARS:
        return f"a password has at most {MAX_PASSWORD_CHARS} characters"
    if password.strip() != password or len(set(password)) < 5:
        return "a password needs more variety and no surrounding spaces"
    return None
