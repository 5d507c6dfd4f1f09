"""Indexes for the insights dashboard (one covering index per grouping) and for next best content

Revision ID: d13c2e4f6a01
Revises: c11b0e2d4a02
Create Date: 2026-11-30 23:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "d13c2e4f6a01"
down_revision: str | None = "c11b0e2d4a02"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, index, columns). The dashboard's are led by the group columns, then the day range, the pseudonym
# counted distinct, the sums and the filters; next best content's find a segment's peers and their ratings.
INDEXES = (
    ("insight_event", "ix_insight_event_week_topic", ["week", "topic", "day", "hcp_key", "specialty", "stage"]),
    (
        "insight_event",
        "ix_insight_event_content",
        ["content_id", "day", "hcp_key", "helpful", "followed_up", "specialty", "stage"],
    ),
    ("insight_event", "ix_insight_event_specialty_day", ["specialty", "day", "hcp_key", "route", "stage"]),
    ("insight_event", "ix_insight_event_route_day", ["route", "day", "hcp_key", "specialty", "stage"]),
    ("hcp_profile", "ix_hcp_profile_stage_specialty", ["journey_stage", "specialty"]),
    ("engagement_event", "ix_engagement_event_profile_content", ["profile_id", "content_id", "helpful"]),
)


def upgrade() -> None:
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
