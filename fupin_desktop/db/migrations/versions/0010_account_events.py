"""account events: who changed which account

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-07 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('account_event',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(), nullable=False),
    sa.Column('action', sa.String(), nullable=False),
    sa.Column('username', sa.String(), nullable=False),
    sa.Column('detail', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_event'))
    )
    op.create_index(op.f('ix_account_event__at'), 'account_event', ['at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_account_event__at'), table_name='account_event')
    op.drop_table('account_event')
