"""reference data and incomes

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('ref_assistance_standard',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('jurisdiction', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('source', sa.String(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ref_assistance_standard'))
    )
    with op.batch_alter_table('ref_assistance_standard', schema=None) as batch_op:
        batch_op.create_index('uq_ref_assistance_standard_live_key', ['year', 'jurisdiction', 'kind'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('ref_cause',
    sa.Column('code', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('bureau', sa.String(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ref_cause'))
    )
    with op.batch_alter_table('ref_cause', schema=None) as batch_op:
        batch_op.create_index('uq_ref_cause_live_code', ['code'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('ref_household_attribute',
    sa.Column('code', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ref_household_attribute'))
    )
    with op.batch_alter_table('ref_household_attribute', schema=None) as batch_op:
        batch_op.create_index('uq_ref_household_attribute_live_code', ['code'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('ref_measure_type',
    sa.Column('code', sa.String(), nullable=False),
    sa.Column('family', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('level', sa.String(), nullable=False),
    sa.Column('note', sa.String(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ref_measure_type'))
    )
    with op.batch_alter_table('ref_measure_type', schema=None) as batch_op:
        batch_op.create_index('uq_ref_measure_type_live_code', ['code'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('ref_poverty_line',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('jurisdiction', sa.String(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ref_poverty_line'))
    )
    with op.batch_alter_table('ref_poverty_line', schema=None) as batch_op:
        batch_op.create_index('uq_ref_poverty_line_live_year', ['year', 'jurisdiction'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('village_income',
    sa.Column('village_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_village_income__village_id__village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_village_income'))
    )
    with op.batch_alter_table('village_income', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_village_income__village_id'), ['village_id'], unique=False)
        batch_op.create_index('uq_village_income_live_year', ['village_id', 'year'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('household_income',
    sa.Column('household_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('persons', sa.Integer(), nullable=False),
    sa.Column('wage_fen', sa.Integer(), nullable=False),
    sa.Column('operating_fen', sa.Integer(), nullable=False),
    sa.Column('property_fen', sa.Integer(), nullable=False),
    sa.Column('transfer_fen', sa.Integer(), nullable=False),
    sa.Column('expense_fen', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_household_income__household_id__household')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_income'))
    )
    with op.batch_alter_table('household_income', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_income__household_id'), ['household_id'], unique=False)
        batch_op.create_index('uq_household_income_live_year', ['household_id', 'year'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))



def downgrade() -> None:
    with op.batch_alter_table('household_income', schema=None) as batch_op:
        batch_op.drop_index('uq_household_income_live_year', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_household_income__household_id'))

    op.drop_table('household_income')
    with op.batch_alter_table('village_income', schema=None) as batch_op:
        batch_op.drop_index('uq_village_income_live_year', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_village_income__village_id'))

    op.drop_table('village_income')
    with op.batch_alter_table('ref_poverty_line', schema=None) as batch_op:
        batch_op.drop_index('uq_ref_poverty_line_live_year', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.drop_table('ref_poverty_line')
    with op.batch_alter_table('ref_measure_type', schema=None) as batch_op:
        batch_op.drop_index('uq_ref_measure_type_live_code', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.drop_table('ref_measure_type')
    with op.batch_alter_table('ref_household_attribute', schema=None) as batch_op:
        batch_op.drop_index('uq_ref_household_attribute_live_code', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.drop_table('ref_household_attribute')
    with op.batch_alter_table('ref_cause', schema=None) as batch_op:
        batch_op.drop_index('uq_ref_cause_live_code', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.drop_table('ref_cause')
    with op.batch_alter_table('ref_assistance_standard', schema=None) as batch_op:
        batch_op.drop_index('uq_ref_assistance_standard_live_key', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.drop_table('ref_assistance_standard')
