"""Request and response bodies of the conversations endpoints: the website's contract."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from api.conversations.models import Route
from api.hcp_profiles.schemas import HcpDetails


class ConversationCreate(BaseModel):
    """Start a conversation, optionally saying who the HCP is."""

    model_config = ConfigDict(extra="forbid")

    hcp: HcpDetails | None = None


class ConversationCreated(BaseModel):
    """The new conversation's id and the secret that alone lets the widget use it (shown once)."""

    id: str
    secret: str


class MessageIn(BaseModel):
    """One HCP message; its length cap comes from settings and is checked by the endpoint."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)


class ReplyOut(BaseModel):
    """An approved item, shown verbatim with its traceability."""

    model_config = ConfigDict(from_attributes=True)

    text: str
    content_id: str
    approval_code: str
    version: str
    topic: str


class MessageOut(BaseModel):
    route: Route
    replies: list[ReplyOut]


class ExchangeOut(BaseModel):
    """One logged exchange: the HCP's message as stored (redacted) and the approved replies."""

    model_config = ConfigDict(from_attributes=True)

    sequence: int
    text: str
    received_at: dt.datetime
    route: Route | None
    replies: list[ReplyOut]


class TranscriptOut(BaseModel):
    id: str
    started_at: dt.datetime
    exchanges: list[ExchangeOut]
