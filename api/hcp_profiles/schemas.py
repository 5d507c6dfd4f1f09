"""What a visitor may tell about themselves when a conversation starts."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class HcpDetails(BaseModel):
    """Optional HCP self-identification; an NPI is the 10-digit US National Provider Identifier."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=120)
    npi: str | None = Field(default=None, pattern=r"^\d{10}$")
    specialty: str | None = Field(default=None, min_length=1, max_length=80)
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
    consent: bool = False
