"""verbatim text encrypted at rest

Revision ID: b048758630e4
Revises: a870f0b6d015
Create Date: 2026-11-30 14:32:06.347595

verbatim_text.text (clear) becomes verbatim_text.ciphertext: a Fernet token under the first of the
configured VERBATIM_KEYS. Downgrade decrypts with any configured key.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet, MultiFernet

from api.settings import get_settings

revision: str = 'b048758630e4'
down_revision: str | None = 'a870f0b6d015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

verbatim = sa.table(
    'verbatim_text', sa.column('id', sa.String), sa.column('text', sa.Text), sa.column('ciphertext', sa.Text)
)


def _keys() -> MultiFernet:
    # As api.verbatim.crypto reads them, frozen here: comma-separated, the first one encrypts.
    keys = get_settings().verbatim_keys.get_secret_value().split(',')
    return MultiFernet([Fernet(key.strip()) for key in keys if key.strip()])


def upgrade() -> None:
    with op.batch_alter_table('verbatim_text', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ciphertext', sa.Text(), nullable=True))

    connection = op.get_bind()
    fernet = _keys()
    for row_id, text in connection.execute(sa.select(verbatim.c.id, verbatim.c.text)).all():
        token = fernet.encrypt(text.encode('utf-8')).decode('ascii')
        connection.execute(verbatim.update().where(verbatim.c.id == row_id).values(ciphertext=token))

    with op.batch_alter_table('verbatim_text', schema=None) as batch_op:
        batch_op.alter_column('ciphertext', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('text')


def downgrade() -> None:
    with op.batch_alter_table('verbatim_text', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text', sa.TEXT(), nullable=True))

    connection = op.get_bind()
    fernet = _keys()
    for row_id, token in connection.execute(sa.select(verbatim.c.id, verbatim.c.ciphertext)).all():
        text = fernet.decrypt(token.encode('ascii')).decode('utf-8')
        connection.execute(verbatim.update().where(verbatim.c.id == row_id).values(text=text))

    with op.batch_alter_table('verbatim_text', schema=None) as batch_op:
        batch_op.alter_column('text', existing_type=sa.TEXT(), nullable=False)
        batch_op.drop_column('ciphertext')
