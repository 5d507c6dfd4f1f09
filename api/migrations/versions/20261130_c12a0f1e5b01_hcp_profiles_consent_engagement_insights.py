"""HCP profiles: identity, consent, engagement events and insights projections

Revision ID: c12a0f1e5b01
Revises: 87a244d9d622
Create Date: 2026-11-30 17:15:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import api.db

revision: str = "c12a0f1e5b01"
down_revision: str | None = "87a244d9d622"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAGES = ("awareness", "consideration", "trial", "adoption", "advocacy")


def _profile_columns() -> None:
    with op.batch_alter_table("hcp_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("npi_verified", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(
            sa.Column("consent_marketing", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("consent_insights", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("visitor_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("insights_key", sa.String(length=36), nullable=True))
        batch_op.add_column(
            sa.Column(
                "journey_stage",
                sa.Enum(*STAGES, name="journeystage", native_enum=False, length=20),
                server_default="awareness",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("affinities", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("main_interest", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("segment", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("last_seen_at", api.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("erased_at", api.db.UTCDateTime(timezone=True), nullable=True))
    # Existing profiles get their own random pseudonym and empty affinities before the columns become required.
    connection = op.get_bind()
    profile = sa.table("hcp_profile", sa.column("id", sa.String), sa.column("insights_key", sa.String))
    for (profile_id,) in connection.execute(sa.select(profile.c.id)).all():
        connection.execute(
            profile.update().where(profile.c.id == profile_id).values(insights_key=str(uuid.uuid4()))
        )
    connection.execute(sa.text("UPDATE hcp_profile SET affinities = '{}'"))
    with op.batch_alter_table("hcp_profile", schema=None) as batch_op:
        batch_op.alter_column("insights_key", existing_type=sa.String(length=36), nullable=False)
        batch_op.alter_column("affinities", existing_type=sa.JSON(), nullable=False)
        batch_op.create_index(batch_op.f("ix_hcp_profile_segment"), ["segment"], unique=False)
        batch_op.create_index(batch_op.f("ix_hcp_profile_visitor_hash"), ["visitor_hash"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_hcp_profile_insights_key"), ["insights_key"])


def _profile_tables() -> None:
    op.create_table(
        "consent_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("profile_id", sa.String(length=36), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum("mi_contact", "marketing", "insights", name="consentpurpose", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("content_id", sa.String(length=80), nullable=False),
        sa.Column("approval_code", sa.String(length=20), nullable=False),
        sa.Column("version", sa.String(length=10), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("at", api.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["hcp_profile.id"], name=op.f("fk_consent_event_profile_id_hcp_profile")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_event")),
    )
    op.create_index(op.f("ix_consent_event_profile_id"), "consent_event", ["profile_id"], unique=False)
    op.create_table(
        "engagement_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("profile_id", sa.String(length=36), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("exchange_id", sa.String(length=36), nullable=False),
        sa.Column("at", api.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("route", sa.String(length=20), nullable=False),
        sa.Column("topic", sa.String(length=60), nullable=True),
        sa.Column("content_id", sa.String(length=80), nullable=True),
        sa.Column("helpful", sa.Boolean(), nullable=True),
        sa.Column("rated_at", api.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("followed_up", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"], ["conversation.id"], name=op.f("fk_engagement_event_conversation_id_conversation")
        ),
        sa.ForeignKeyConstraint(
            ["exchange_id"], ["exchange.id"], name=op.f("fk_engagement_event_exchange_id_exchange")
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["hcp_profile.id"], name=op.f("fk_engagement_event_profile_id_hcp_profile")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_event")),
        sa.UniqueConstraint("exchange_id", name=op.f("uq_engagement_event_exchange_id")),
    )
    op.create_index(op.f("ix_engagement_event_content_id"), "engagement_event", ["content_id"], unique=False)
    op.create_index(
        op.f("ix_engagement_event_conversation_id"), "engagement_event", ["conversation_id"], unique=False
    )
    op.create_index(op.f("ix_engagement_event_profile_id"), "engagement_event", ["profile_id"], unique=False)


def _insight_tables() -> None:
    op.create_table(
        "insight_hcp",
        sa.Column("hcp_key", sa.String(length=36), nullable=False),
        sa.Column("specialty", sa.String(length=80), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("main_interest", sa.String(length=60), nullable=True),
        sa.Column("first_seen", api.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen", api.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_at", api.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("hcp_key", name=op.f("pk_insight_hcp")),
    )
    op.create_index(op.f("ix_insight_hcp_changed_at"), "insight_hcp", ["changed_at"], unique=False)
    op.create_index(op.f("ix_insight_hcp_last_seen"), "insight_hcp", ["last_seen"], unique=False)
    op.create_index(op.f("ix_insight_hcp_specialty"), "insight_hcp", ["specialty"], unique=False)
    op.create_index(op.f("ix_insight_hcp_stage"), "insight_hcp", ["stage"], unique=False)
    op.create_table(
        "insight_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("hcp_key", sa.String(length=36), nullable=False),
        sa.Column("occurred_at", api.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("specialty", sa.String(length=80), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("route", sa.String(length=20), nullable=False),
        sa.Column("topic", sa.String(length=60), nullable=True),
        sa.Column("content_id", sa.String(length=80), nullable=True),
        sa.Column("helpful", sa.Boolean(), nullable=True),
        sa.Column("followed_up", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insight_event")),
        sa.UniqueConstraint("source_id", name=op.f("uq_insight_event_source_id")),
    )
    op.create_index("ix_insight_event_day_specialty", "insight_event", ["day", "specialty"], unique=False)
    op.create_index(op.f("ix_insight_event_hcp_key"), "insight_event", ["hcp_key"], unique=False)
    op.create_table(
        "insight_question",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("hcp_key", sa.String(length=36), nullable=False),
        sa.Column("occurred_at", api.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("specialty", sa.String(length=80), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insight_question")),
        sa.UniqueConstraint("source_id", name=op.f("uq_insight_question_source_id")),
    )
    op.create_index(op.f("ix_insight_question_hcp_key"), "insight_question", ["hcp_key"], unique=False)
    op.create_index(op.f("ix_insight_question_occurred_at"), "insight_question", ["occurred_at"], unique=False)


def upgrade() -> None:
    _profile_columns()
    _profile_tables()
    _insight_tables()


def downgrade() -> None:
    for table in ("insight_question", "insight_event", "insight_hcp", "engagement_event", "consent_event"):
        op.drop_table(table)
    with op.batch_alter_table("hcp_profile", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_hcp_profile_insights_key"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_hcp_profile_visitor_hash"))
        batch_op.drop_index(batch_op.f("ix_hcp_profile_segment"))
        for column in (
            "erased_at", "last_seen_at", "segment", "main_interest", "affinities", "journey_stage",
            "insights_key", "visitor_hash", "consent_insights", "consent_marketing", "npi_verified",
        ):  # fmt: skip
            batch_op.drop_column(column)
