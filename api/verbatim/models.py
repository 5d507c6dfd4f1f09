"""Verbatim HCP text (names, MRNs, ...): kept apart from redacted text, encrypted, for allowed roles only."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, UTCDateTime, new_id, utcnow


class VerbatimText(Base):
    """The exact text an HCP typed, stored only where drug safety needs it (AE reports, compliance holds)."""

    __tablename__ = "verbatim_text"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    exchange_id: Mapped[str] = mapped_column(ForeignKey("exchange.id"), unique=True)
    # A Fernet token under VERBATIM_KEYS (api.verbatim.crypto): only verbatim.service.read decrypts it.
    ciphertext: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
