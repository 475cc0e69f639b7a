"""Golden cases carry a lock_version, so a save from a stale editor is refused instead of replacing a
newer change

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # server_default gives the cases already stored a first version.
    with op.batch_alter_table('golden_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lock_version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    # Not recreated: on SQLite a copy-and-swap of golden_cases would drop a table other rows refer to,
    # which its foreign keys refuse; SQLite 3.35+ drops a column in place.
    with op.batch_alter_table('golden_cases', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('lock_version')
