"""Electronic signatures (21 CFR Part 11): signer, meaning and time, bound to the exact signed text."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.auth.models import StaffUser
from api.db import Base, UTCDateTime, new_id, utcnow


class Signature(Base):
    """One signature: who, when, what it means, on which record, over which content (SHA-256)."""

    __tablename__ = "signature"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    # A short human reference shown with the signed text, e.g. MR-20261130-3F2A9C.
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    signer_id: Mapped[str] = mapped_column(ForeignKey("staff_user.id"), index=True)
    signer_name: Mapped[str] = mapped_column(String(120))
    meaning: Mapped[str] = mapped_column(String(120))
    signed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    content_sha256: Mapped[str] = mapped_column(String(64))

    signer: Mapped[StaffUser] = relationship()
