"""NPI validation: 10 digits whose last is a Luhn check digit computed with the 80840 card-issuer prefix."""

from __future__ import annotations

import re

NPI_PATTERN = re.compile(r"^\d{10}$")
# The NPI is an ISO 7812 identifier: its check digit covers the health-industry prefix 80840 too.
NPI_PREFIX = "80840"


def luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn check (its last digit is the check digit)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def npi_valid(npi: str) -> bool:
    """Whether `npi` is a well-formed National Provider Identifier (format and check digit)."""
    return bool(NPI_PATTERN.match(npi)) and luhn_valid(NPI_PREFIX + npi)


def npi_check_digit(first_nine: str) -> str:
    """The check digit that completes nine NPI digits (for demo and test data)."""
    for digit in "0123456789":
        if luhn_valid(NPI_PREFIX + first_nine + digit):
            return digit
    raise ValueError(first_nine)  # pragma: no cover - Luhn always has exactly one check digit
