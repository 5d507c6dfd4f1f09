"""Medical-information requests: off-label questions answered by Medical Information, never by promotion."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, ExchangeRecord, enum_column


class MedicalRequestStatus(StrEnum):
    """Workflow states; Medical Information's transitions come with a later issue."""

    OPEN = "open"


class MedicalRequest(ExchangeRecord, Base):
    """An unsolicited request for off-label information, routed to Medical Information."""

    __tablename__ = "medical_request"

    hcp_profile_id: Mapped[str] = mapped_column(ForeignKey("hcp_profile.id"), index=True)
    question_text: Mapped[str] = mapped_column(Text)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[MedicalRequestStatus] = mapped_column(
        enum_column(MedicalRequestStatus, 20), default=MedicalRequestStatus.OPEN, index=True
    )
