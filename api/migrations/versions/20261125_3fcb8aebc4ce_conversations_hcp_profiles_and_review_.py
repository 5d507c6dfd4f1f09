"""conversations, hcp profiles and review queue

Revision ID: 3fcb8aebc4ce
Revises: 
Create Date: 2026-11-25 12:18:46.284155
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '3fcb8aebc4ce'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('hcp_profile',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('npi', sa.String(length=10), nullable=True),
    sa.Column('specialty', sa.String(length=80), nullable=True),
    sa.Column('consent_to_contact', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hcp_profile'))
    )
    with op.batch_alter_table('hcp_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hcp_profile_npi'), ['npi'], unique=False)

    op.create_table('conversation',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hcp_profile_id', sa.String(length=36), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hcp_profile_id'], ['hcp_profile.id'], name=op.f('fk_conversation_hcp_profile_id_hcp_profile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation'))
    )
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_hcp_profile_id'), ['hcp_profile_id'], unique=False)

    op.create_table('exchange',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('inbound_text', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('received', 'replied', 'assistant_unavailable', name='exchangestatus', native_enum=False, length=30), nullable=False),
    sa.Column('route', sa.Enum('answered', 'review', 'ae_triage', 'off_label', 'chitchat', 'declined', name='route', native_enum=False, length=20), nullable=True),
    sa.Column('intent', sa.String(length=80), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('route_reason', sa.String(length=300), nullable=True),
    sa.Column('assistant_ms', sa.Float(), nullable=True),
    sa.Column('total_ms', sa.Float(), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_exchange_conversation_id_conversation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange')),
    sa.UniqueConstraint('conversation_id', 'sequence', name=op.f('uq_exchange_conversation_id'))
    )
    with op.batch_alter_table('exchange', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_route'), ['route'], unique=False)

    op.create_table('reply',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('exchange_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('content_id', sa.String(length=80), nullable=False),
    sa.Column('approval_code', sa.String(length=20), nullable=False),
    sa.Column('version', sa.String(length=10), nullable=False),
    sa.Column('topic', sa.String(length=60), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['exchange_id'], ['exchange.id'], name=op.f('fk_reply_exchange_id_exchange')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply')),
    sa.UniqueConstraint('exchange_id', 'position', name=op.f('uq_reply_exchange_id'))
    )
    with op.batch_alter_table('reply', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reply_content_id'), ['content_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reply_exchange_id'), ['exchange_id'], unique=False)

    op.create_table('review_item',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('exchange_id', sa.String(length=36), nullable=False),
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('question_text', sa.Text(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('open', name='reviewstatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_review_item_conversation_id_conversation')),
    sa.ForeignKeyConstraint(['exchange_id'], ['exchange.id'], name=op.f('fk_review_item_exchange_id_exchange')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_item')),
    sa.UniqueConstraint('exchange_id', name=op.f('uq_review_item_exchange_id'))
    )
    with op.batch_alter_table('review_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_item_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_item_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('review_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_item_status'))
        batch_op.drop_index(batch_op.f('ix_review_item_conversation_id'))

    op.drop_table('review_item')
    with op.batch_alter_table('reply', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reply_exchange_id'))
        batch_op.drop_index(batch_op.f('ix_reply_content_id'))

    op.drop_table('reply')
    with op.batch_alter_table('exchange', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_route'))
        batch_op.drop_index(batch_op.f('ix_exchange_conversation_id'))

    op.drop_table('exchange')
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_hcp_profile_id'))

    op.drop_table('conversation')
    with op.batch_alter_table('hcp_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hcp_profile_npi'))

    op.drop_table('hcp_profile')
