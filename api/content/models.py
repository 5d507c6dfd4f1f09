"""The content library in the database: item versions, proposals and the releases that put them live."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, UTCDateTime, enum_column, new_id, utcnow
from api.workflow import Step, Workflow


class VersionStatus(StrEnum):
    """approved → superseded (a newer version is live) | withdrawn (immediately, by MLR)."""

    APPROVED = "approved"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


VERSION_WORKFLOW: Workflow[VersionStatus] = Workflow(
    "content_version",
    {
        "supersede": Step(frozenset({VersionStatus.APPROVED}), VersionStatus.SUPERSEDED),
        "withdraw": Step(frozenset({VersionStatus.APPROVED, VersionStatus.SUPERSEDED}), VersionStatus.WITHDRAWN),
    },
)


class ContentVersion(Base):
    """One approved version of one item; never edited after approval (a change is a new version)."""

    __tablename__ = "content_version"
    __table_args__ = (UniqueConstraint("item_id", "version", name="uq_content_version_item_version"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    item_id: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[str] = mapped_column(String(10))
    approval_code: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    topic: Mapped[str] = mapped_column(String(60), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    isi_required: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_on: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date] = mapped_column(Date, index=True)
    references: Mapped[list[str]] = mapped_column(JSON, default=list)
    examples: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[VersionStatus] = mapped_column(enum_column(VersionStatus, 20), default=VersionStatus.APPROVED)
    proposal_id: Mapped[str | None] = mapped_column(ForeignKey("content_proposal.id"))
    signature_id: Mapped[str | None] = mapped_column(ForeignKey("signature.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ProposalStatus(StrEnum):
    """submitted → approved | returned; returned → submitted (after rework)."""

    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


PROPOSAL_WORKFLOW: Workflow[ProposalStatus] = Workflow(
    "content_proposal",
    {
        "edit": Step(frozenset({ProposalStatus.SUBMITTED, ProposalStatus.RETURNED}), ProposalStatus.SUBMITTED),
        "return": Step(frozenset({ProposalStatus.SUBMITTED}), ProposalStatus.RETURNED),
        "approve": Step(frozenset({ProposalStatus.SUBMITTED}), ProposalStatus.APPROVED),
    },
)


class ContentProposal(Base):
    """A reviewer's proposed item (or new version of one), with the HCP questions that motivated it."""

    __tablename__ = "content_proposal"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    item_id: Mapped[str] = mapped_column(String(80))
    topic: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    isi_required: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_on: Mapped[dt.date] = mapped_column(Date)
    references: Mapped[list[str]] = mapped_column(JSON, default=list)
    examples: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Redacted questions and the review items they came from: the MLR approver reads them beside the text.
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    review_item_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[ProposalStatus] = mapped_column(
        enum_column(ProposalStatus, 20), default=ProposalStatus.SUBMITTED, index=True
    )
    return_reason: Mapped[str | None] = mapped_column(String(500))
    proposed_by_id: Mapped[str] = mapped_column(ForeignKey("staff_user.id"))
    signature_id: Mapped[str | None] = mapped_column(ForeignKey("signature.id"))
    version_id: Mapped[str | None] = mapped_column(String(36))
    release_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ReleaseStatus(StrEnum):
    """queued → training → gating → activating → active → superseded; refused or failed end a release."""

    QUEUED = "queued"
    TRAINING = "training"
    GATING = "gating"
    ACTIVATING = "activating"
    ACTIVE = "active"
    SUPERSEDED = "superseded"
    REFUSED = "refused"
    FAILED = "failed"


_RUNNING = frozenset({ReleaseStatus.QUEUED, ReleaseStatus.TRAINING, ReleaseStatus.GATING})
RELEASE_WORKFLOW: Workflow[ReleaseStatus] = Workflow(
    "content_release",
    {
        "train": Step(frozenset({ReleaseStatus.QUEUED}), ReleaseStatus.TRAINING),
        "gate": Step(frozenset({ReleaseStatus.TRAINING}), ReleaseStatus.GATING),
        "activate": Step(frozenset({ReleaseStatus.QUEUED, ReleaseStatus.GATING}), ReleaseStatus.ACTIVATING),
        "go_live": Step(frozenset({ReleaseStatus.ACTIVATING}), ReleaseStatus.ACTIVE),
        "supersede": Step(frozenset({ReleaseStatus.ACTIVE}), ReleaseStatus.SUPERSEDED),
        "refuse": Step(frozenset({ReleaseStatus.GATING}), ReleaseStatus.REFUSED),
        "fail": Step(_RUNNING | {ReleaseStatus.ACTIVATING}, ReleaseStatus.FAILED),
    },
)
# Releases whose items the API accepts: the live one, the one going live, and (for a grace period) the last one.
WINDOW_STATUSES = frozenset({ReleaseStatus.ACTIVE, ReleaseStatus.ACTIVATING})


class ContentRelease(Base):
    """One published state of the library: its item versions, the model trained on them, and the gate's verdict."""

    __tablename__ = "content_release"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    version_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Whether the release needs a new model (new examples) or only new content (withdrawal, seed).
    retrain: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[ReleaseStatus] = mapped_column(
        enum_column(ReleaseStatus, 20), default=ReleaseStatus.QUEUED, index=True
    )
    progress: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(String(1000), default="")
    model_path: Mapped[str | None] = mapped_column(String(500))
    accuracy: Mapped[float | None] = mapped_column(Float)
    gate: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    proposal_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    trained_seconds: Mapped[float | None] = mapped_column(Float)
    activated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
