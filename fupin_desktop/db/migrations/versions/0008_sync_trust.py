"""sync trust: confirmed sender keys, rejected changes, readable conflict details

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 20:30:00
"""

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fingerprint(sign_key: str, box_key: str) -> str:
    digest = hashlib.sha256(bytes.fromhex(sign_key) + bytes.fromhex(box_key)).hexdigest()[:32].upper()
    return "-".join(digest[i:i + 4] for i in range(0, 32, 4))


def upgrade() -> None:
    op.create_table('sync_trusted_key',
    sa.Column('fingerprint', sa.String(), nullable=False),
    sa.Column('village_code', sa.String(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_by', sa.String(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('fingerprint', name=op.f('pk_sync_trusted_key'))
    )
    op.create_index(op.f('ix_sync_trusted_key__village_code'), 'sync_trusted_key', ['village_code'], unique=False)
    op.create_table('sync_rejected',
    sa.Column('replica_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(), nullable=False),
    sa.Column('row_id', sa.Uuid(), nullable=False),
    sa.Column('reason', sa.String(), nullable=False),
    sa.Column('detail', sa.String(), nullable=False),
    sa.Column('change', sa.JSON(), nullable=False),
    sa.Column('file_name', sa.String(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('replica_id', 'seq', name=op.f('pk_sync_rejected'))
    )
    with op.batch_alter_table('sync_conflict') as batch:
        batch.add_column(sa.Column('detail', sa.String(), nullable=True))
    # senders accepted before this revision (first contact was trusted then) stay confirmed
    conn = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    seen = set()
    for code, sign, box in conn.execute(sa.text(
            "SELECT village_code, sign_key, box_key FROM replica WHERE NOT is_local AND role = 'village' "
            "AND sign_key IS NOT NULL AND box_key IS NOT NULL AND village_code IS NOT NULL")):
        fp = _fingerprint(sign, box)
        if fp not in seen:
            seen.add(fp)
            conn.execute(sa.text("INSERT INTO sync_trusted_key (fingerprint, village_code, confirmed_at, confirmed_by) "
                                 "VALUES (:fp, :code, :now, '升级时沿用')"), {"fp": fp, "code": code, "now": now})


def downgrade() -> None:
    with op.batch_alter_table('sync_conflict') as batch:
        batch.drop_column('detail')
    op.drop_table('sync_rejected')
    op.drop_index(op.f('ix_sync_trusted_key__village_code'), table_name='sync_trusted_key')
    op.drop_table('sync_trusted_key')
