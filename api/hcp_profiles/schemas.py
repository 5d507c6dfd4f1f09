"""What a visitor may tell about themselves, consent to, and rate; and what staff may read of a profile."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.hcp_profiles.models import ConsentPurpose, JourneyStage

# The specialties the widget offers: a fixed list keeps segments comparable (free text would split them).
SPECIALTIES: tuple[str, ...] = (
    "dermatology",
    "rheumatology",
    "primary care",
    "internal medicine",
    "nurse practitioner",
    "physician assistant",
    "pharmacy",
    "other",
)
EMAIL_PATTERN = r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$"


class HcpDetails(BaseModel):
    """Optional HCP self-identification; an NPI is the 10-digit US National Provider Identifier."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=120)
    npi: str | None = Field(default=None, pattern=r"^\d{10}$")
    specialty: str | None = Field(default=None, min_length=1, max_length=80)
    email: str | None = Field(default=None, max_length=254, pattern=EMAIL_PATTERN)
    consent: bool = False


class HcpIdentity(BaseModel):
    """Who the HCP says they are, at any point of a conversation; every field optional."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=120)
    npi: str | None = Field(default=None, pattern=r"^\d{10}$")
    specialty: str | None = Field(default=None, min_length=1, max_length=80)
    email: str | None = Field(default=None, max_length=254, pattern=EMAIL_PATTERN)


class IdentifiedOut(BaseModel):
    """The outcome of identification: whether the NPI was verified and an earlier profile continued."""

    npi_verified: bool
    continued: bool


class VisitorIn(BaseModel):
    """The token this browser kept from an earlier conversation, if any."""

    model_config = ConfigDict(extra="forbid")

    token: str | None = Field(default=None, min_length=16, max_length=200, pattern=r"^[A-Za-z0-9_-]+$")


class VisitorOut(BaseModel):
    """The token for the browser to keep, and whether an earlier profile was continued."""

    token: str
    continued: bool


class ConsentIn(BaseModel):
    """A grant or revocation, naming the approved consent text (id and version) the HCP was shown."""

    model_config = ConfigDict(extra="forbid")

    granted: bool
    content_id: str = Field(max_length=80)
    version: str = Field(max_length=10)


class ConsentState(BaseModel):
    """Current consent per purpose."""

    mi_contact: bool
    marketing: bool
    insights: bool


class RatingIn(BaseModel):
    """Was this answer helpful?"""

    model_config = ConfigDict(extra="forbid")

    helpful: bool


class SuggestionOut(BaseModel):
    """An approved item the HCP has not seen that their segment found helpful (shown verbatim, traceable)."""

    text: str
    content_id: str
    approval_code: str
    version: str
    topic: str
    title: str


class ProfileOut(BaseModel):
    """What the widget may read of its own profile: consent state and suggestions, never identity."""

    consents: ConsentState
    suggestions: list[SuggestionOut]


class ConsentEventOut(BaseModel):
    """One recorded grant or revocation."""

    model_config = ConfigDict(from_attributes=True)

    purpose: ConsentPurpose
    granted: bool
    content_id: str
    approval_code: str
    version: str
    method: str
    at: dt.datetime


class ProfileSummary(BaseModel):
    """The 360° view for staff (admin): identity, consent, derived facts and next best content."""

    id: str
    name: str | None
    npi: str | None
    npi_verified: bool
    specialty: str | None
    email: str | None
    consents: ConsentState
    journey_stage: JourneyStage
    main_interest: str | None
    segment: str | None
    affinities: dict[str, float]
    next_best_content: list[SuggestionOut]
    erased_at: dt.datetime | None


class ErasureOut(BaseModel):
    """What an erasure did."""

    profile_id: str
    conversations: int
    exchanges_anonymised: int
    exchanges_kept_for_safety: int


PrivacyExport = dict[str, Any]
