"""Content library in the database: proposals, MLR approval, versions and model activations

Revision ID: c11b0e2d4a02
Revises: c12a0f1e5b01
Create Date: 2026-11-30 17:15:01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from api.db import UTCDateTime

revision: str = "c11b0e2d4a02"
down_revision: str | None = "c12a0f1e5b01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def upgrade() -> None:
    op.create_table(
        "content_proposal",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("item_id", sa.String(80), nullable=False),
        sa.Column("topic", sa.String(60), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("isi_required", sa.Boolean(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("references", sa.JSON(), nullable=False),
        sa.Column("examples", sa.JSON(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("review_item_ids", sa.JSON(), nullable=False),
        sa.Column("status", _enum("proposalstatus", "submitted", "returned", "approved"), nullable=False),
        sa.Column("return_reason", sa.String(500), nullable=True),
        sa.Column("proposed_by_id", sa.String(36), nullable=False),
        sa.Column("signature_id", sa.String(36), nullable=True),
        sa.Column("version_id", sa.String(36), nullable=True),
        sa.Column("release_id", sa.String(36), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("approved_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"], ["staff_user.id"], name=op.f("fk_content_proposal_proposed_by_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["signature_id"], ["signature.id"], name=op.f("fk_content_proposal_signature_id_signature")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_proposal")),
    )
    op.create_index(op.f("ix_content_proposal_status"), "content_proposal", ["status"])
    op.create_table(
        "content_version",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("item_id", sa.String(80), nullable=False),
        sa.Column("version", sa.String(10), nullable=False),
        sa.Column("approval_code", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("topic", sa.String(60), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("isi_required", sa.Boolean(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("references", sa.JSON(), nullable=False),
        sa.Column("examples", sa.JSON(), nullable=False),
        sa.Column("status", _enum("versionstatus", "approved", "superseded", "withdrawn"), nullable=False),
        sa.Column("proposal_id", sa.String(36), nullable=True),
        sa.Column("signature_id", sa.String(36), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["content_proposal.id"], name=op.f("fk_content_version_proposal_id_content_proposal")
        ),
        sa.ForeignKeyConstraint(
            ["signature_id"], ["signature.id"], name=op.f("fk_content_version_signature_id_signature")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_version")),
        sa.UniqueConstraint("approval_code", name=op.f("uq_content_version_approval_code")),
        sa.UniqueConstraint("item_id", "version", name="uq_content_version_item_version"),
    )
    op.create_index(op.f("ix_content_version_item_id"), "content_version", ["item_id"])
    op.create_index(op.f("ix_content_version_topic"), "content_version", ["topic"])
    op.create_index(op.f("ix_content_version_expires_on"), "content_version", ["expires_on"])
    op.create_index(op.f("ix_content_version_changed_at"), "content_version", ["changed_at"])
    op.create_table(
        "content_release",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("version_ids", sa.JSON(), nullable=False),
        sa.Column("retrain", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            _enum(
                "releasestatus",
                "queued",
                "training",
                "gating",
                "activating",
                "active",
                "superseded",
                "refused",
                "failed",
            ),
            nullable=False,
        ),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("message", sa.String(1000), nullable=False),
        sa.Column("model_path", sa.String(500), nullable=True),
        sa.Column("accuracy", sa.Float(), nullable=True),
        sa.Column("gate", sa.JSON(), nullable=False),
        sa.Column("proposal_id", sa.String(36), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("trained_seconds", sa.Float(), nullable=True),
        sa.Column("activated_at", UTCDateTime(), nullable=True),
        sa.Column("retired_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_release")),
        sa.UniqueConstraint("number", name=op.f("uq_content_release_number")),
    )
    op.create_index(op.f("ix_content_release_status"), "content_release", ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_content_release_status"), table_name="content_release")
    op.drop_table("content_release")
    for column in ("changed_at", "expires_on", "topic", "item_id"):
        op.drop_index(op.f(f"ix_content_version_{column}"), table_name="content_version")
    op.drop_table("content_version")
    op.drop_index(op.f("ix_content_proposal_status"), table_name="content_proposal")
    op.drop_table("content_proposal")
