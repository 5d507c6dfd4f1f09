"""The engagement profile of a website visitor, identified as an HCP when they say who they are."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, UTCDateTime, new_id, utcnow


class HcpProfile(Base):
    """One visitor's engagement profile; every exchange of their conversations is logged to it."""

    __tablename__ = "hcp_profile"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str | None] = mapped_column(String(120))
    npi: Mapped[str | None] = mapped_column(String(10), index=True)
    specialty: Mapped[str | None] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254))
    consent_to_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
