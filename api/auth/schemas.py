"""Bodies of the sign-in endpoints."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from api.auth.roles import Role


class Credentials(BaseModel):
    """E-mail and password."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=256)


class SessionOut(BaseModel):
    """A started session: the CSRF token to send with state changes (cookie sessions)."""

    user: StaffOut
    csrf_token: str
    expires_at: dt.datetime


class TokenOut(BaseModel):
    """A bearer token for the JSON API (shown once)."""

    access_token: str
    token_type: str = "bearer"
    expires_at: dt.datetime


class StaffOut(BaseModel):
    """Who is signed in."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    email: str
    display_name: str
    roles: list[Role]
    is_lead: bool


SessionOut.model_rebuild()
