"""Adverse-event cases for drug safety (PV): the four minimum criteria and the reporting clock."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, ExchangeRecord, UTCDateTime, enum_column

# PV must receive an AE reported in chat within one day of awareness.
PV_DUE_AFTER = dt.timedelta(days=1)


class AeCaseStatus(StrEnum):
    """Workflow states; PV's transitions come with the triage-queue issue."""

    NEW = "new"


class AeCase(ExchangeRecord, Base):
    """A possible adverse event or special situation reported in a conversation."""

    __tablename__ = "ae_case"

    hcp_profile_id: Mapped[str] = mapped_column(ForeignKey("hcp_profile.id"), index=True)
    status: Mapped[AeCaseStatus] = mapped_column(
        enum_column(AeCaseStatus, 20), default=AeCaseStatus.NEW, index=True
    )
    awareness_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    patient_identified: Mapped[bool] = mapped_column(Boolean)
    reporter_identified: Mapped[bool] = mapped_column(Boolean)
    product_identified: Mapped[bool] = mapped_column(Boolean)
    event_identified: Mapped[bool] = mapped_column(Boolean)
    seriousness: Mapped[list[str]] = mapped_column(JSON, default=list)
    special_situations: Mapped[list[str]] = mapped_column(JSON, default=list)
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    products: Mapped[list[str]] = mapped_column(JSON, default=list)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Redacted; the verbatim report lives in `verbatim_text`, for PV only, every read audited.
    narrative: Mapped[str] = mapped_column(Text)

    @property
    def is_valid_case(self) -> bool:
        """All four minimum criteria of a valid ICSR are present."""
        return all(
            (self.patient_identified, self.reporter_identified, self.product_identified, self.event_identified)
        )
