"""Domain errors that carry their HTTP status."""

from __future__ import annotations

from api import strings


class DomainError(Exception):
    """An error the API reports to its caller as is."""

    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    status_code = 404

    def __init__(self, noun: str, identifier: str) -> None:
        super().__init__(strings.NOT_FOUND.format(noun=noun, identifier=identifier))


class InvalidInput(DomainError):
    status_code = 422


class Conflict(DomainError):
    """The record's state does not allow the operation."""

    status_code = 409


class Unauthenticated(DomainError):
    """No valid staff session or token."""

    status_code = 401


class Forbidden(DomainError):
    """Signed in, but the role does not allow this."""

    status_code = 403


def safe_text(text: str) -> str:
    """Text that always encodes as UTF-8: a lone surrogate (valid in JSON, not in UTF-8) becomes an escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
