"""compliance: AE cases, medical requests, moderation on exchanges

Revision ID: 18a62ca3f1ad
Revises: 3fcb8aebc4ce
Create Date: 2026-11-25 12:37:22.228881
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '18a62ca3f1ad'
down_revision: str | None = '3fcb8aebc4ce'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('ae_case',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('exchange_id', sa.String(length=36), nullable=False),
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('hcp_profile_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.Enum('new', name='aecasestatus', native_enum=False, length=20), nullable=False),
    sa.Column('awareness_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('patient_identified', sa.Boolean(), nullable=False),
    sa.Column('reporter_identified', sa.Boolean(), nullable=False),
    sa.Column('product_identified', sa.Boolean(), nullable=False),
    sa.Column('event_identified', sa.Boolean(), nullable=False),
    sa.Column('seriousness', sa.JSON(), nullable=False),
    sa.Column('special_situations', sa.JSON(), nullable=False),
    sa.Column('events', sa.JSON(), nullable=False),
    sa.Column('products', sa.JSON(), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_ae_case_conversation_id_conversation')),
    sa.ForeignKeyConstraint(['exchange_id'], ['exchange.id'], name=op.f('fk_ae_case_exchange_id_exchange')),
    sa.ForeignKeyConstraint(['hcp_profile_id'], ['hcp_profile.id'], name=op.f('fk_ae_case_hcp_profile_id_hcp_profile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ae_case')),
    sa.UniqueConstraint('exchange_id', name=op.f('uq_ae_case_exchange_id'))
    )
    with op.batch_alter_table('ae_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ae_case_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ae_case_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ae_case_hcp_profile_id'), ['hcp_profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ae_case_status'), ['status'], unique=False)

    op.create_table('medical_request',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('exchange_id', sa.String(length=36), nullable=False),
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('hcp_profile_id', sa.String(length=36), nullable=False),
    sa.Column('question_text', sa.Text(), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('open', name='medicalrequeststatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_medical_request_conversation_id_conversation')),
    sa.ForeignKeyConstraint(['exchange_id'], ['exchange.id'], name=op.f('fk_medical_request_exchange_id_exchange')),
    sa.ForeignKeyConstraint(['hcp_profile_id'], ['hcp_profile.id'], name=op.f('fk_medical_request_hcp_profile_id_hcp_profile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_medical_request')),
    sa.UniqueConstraint('exchange_id', name=op.f('uq_medical_request_exchange_id'))
    )
    with op.batch_alter_table('medical_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_medical_request_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_medical_request_hcp_profile_id'), ['hcp_profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_medical_request_status'), ['status'], unique=False)

    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('product_mentioned', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('exchange', schema=None) as batch_op:
        batch_op.add_column(sa.Column('compliance_route', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('compliance_findings', sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f('ix_exchange_compliance_route'), ['compliance_route'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('exchange', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_compliance_route'))
        batch_op.drop_column('compliance_findings')
        batch_op.drop_column('compliance_route')

    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_column('product_mentioned')

    with op.batch_alter_table('medical_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_medical_request_status'))
        batch_op.drop_index(batch_op.f('ix_medical_request_hcp_profile_id'))
        batch_op.drop_index(batch_op.f('ix_medical_request_conversation_id'))

    op.drop_table('medical_request')
    with op.batch_alter_table('ae_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ae_case_status'))
        batch_op.drop_index(batch_op.f('ix_ae_case_hcp_profile_id'))
        batch_op.drop_index(batch_op.f('ix_ae_case_due_at'))
        batch_op.drop_index(batch_op.f('ix_ae_case_conversation_id'))

    op.drop_table('ae_case')
