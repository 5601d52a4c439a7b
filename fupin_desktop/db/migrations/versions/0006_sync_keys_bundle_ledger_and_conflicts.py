"""sync keys, bundle ledger and conflicts

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 00:52:52.303815
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sync_bundle',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('direction', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('sender_id', sa.Uuid(), nullable=False),
    sa.Column('village_code', sa.String(), nullable=True),
    sa.Column('streams', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('file_name', sa.String(), nullable=False),
    sa.Column('header', sa.JSON(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_bundle'))
    )
    with op.batch_alter_table('sync_bundle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_bundle__status'), ['status'], unique=False)

    op.create_table('sync_conflict',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('table_name', sa.String(), nullable=False),
    sa.Column('row_id', sa.Uuid(), nullable=False),
    sa.Column('field', sa.String(), nullable=False),
    sa.Column('members', sa.JSON(), nullable=False),
    sa.Column('winner', sa.JSON(), nullable=False),
    sa.Column('village_code', sa.String(), nullable=True),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('detected_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict'))
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflict__row_id'), ['row_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_conflict__status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_conflict__village_code'), ['village_code'], unique=False)

    op.create_table('sync_pending',
    sa.Column('table_name', sa.String(), nullable=False),
    sa.Column('row_id', sa.Uuid(), nullable=False),
    sa.Column('missing', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('table_name', 'row_id', name=op.f('pk_sync_pending'))
    )
    with op.batch_alter_table('replica', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(), nullable=False, server_default='village'))
        batch_op.add_column(sa.Column('village_code', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('sign_key', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('box_key', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('trusted_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('acked_seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('successor_of', sa.Uuid(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('replica', schema=None) as batch_op:
        batch_op.drop_column('successor_of')
        batch_op.drop_column('acked_seq')
        batch_op.drop_column('trusted_at')
        batch_op.drop_column('box_key')
        batch_op.drop_column('sign_key')
        batch_op.drop_column('village_code')
        batch_op.drop_column('role')

    op.drop_table('sync_pending')
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_conflict__village_code'))
        batch_op.drop_index(batch_op.f('ix_sync_conflict__status'))
        batch_op.drop_index(batch_op.f('ix_sync_conflict__row_id'))

    op.drop_table('sync_conflict')
    with op.batch_alter_table('sync_bundle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_bundle__status'))

    op.drop_table('sync_bundle')
