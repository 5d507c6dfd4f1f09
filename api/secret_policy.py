"""What production accepts as a secret: every `SecretStr` setting, whoever adds it, is checked the same way."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, SecretStr

MIN_SECRET_LENGTH = 32
# Random tokens of 32+ characters use many different characters; "x" * 32 or "abab..." are placeholders.
MIN_DISTINCT_CHARACTERS = 10
PLACEHOLDER = re.compile(
    r"(^|[^a-z0-9])(change[-_ ]?me|replace[-_ ]?me|placeholder|example|dummy|default|insecure|not[-_ ]?secret"
    r"|todo|fixme|dev[-_ ]?secret|dev[-_ ]?token|secret[-_ ]?key|password)([^a-z0-9]|$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SecretPolicy:
    """A field's own rule, as `Annotated[SecretStr, SecretPolicy(min_length=64)]` (never below the floor)."""

    min_length: int = MIN_SECRET_LENGTH


def _problem(value: str, default: str | None, min_length: int) -> str | None:
    if not value.strip():
        return "empty"
    if default is not None and value == default:
        return "the shipped development value"
    if len(value) < min_length:
        return f"shorter than {min_length} characters"
    if PLACEHOLDER.search(value):
        return "a placeholder"
    if len(set(value)) < MIN_DISTINCT_CHARACTERS:
        return "a placeholder (too few different characters)"
    return None


def weak_secrets(settings: BaseModel) -> list[str]:
    """`NAME: reason` for every secret setting production must refuse; never the values themselves."""
    problems: list[str] = []
    for name, info in type(settings).model_fields.items():
        value = getattr(settings, name)
        if not isinstance(value, SecretStr):
            continue  # not a secret, or an optional one left unset (its feature is off)
        policies = [m for m in info.metadata if isinstance(m, SecretPolicy)]
        min_length = max([MIN_SECRET_LENGTH, *(p.min_length for p in policies)])
        default = info.default.get_secret_value() if isinstance(info.default, SecretStr) else None
        problem = _problem(value.get_secret_value(), default, min_length)
        if problem:
            problems.append(f"{name.upper()}: {problem}")
    return problems
