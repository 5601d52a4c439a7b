"""village register and change log

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('county',
    sa.Column('code', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('city', sa.String(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_county'))
    )
    with op.batch_alter_table('county', schema=None) as batch_op:
        batch_op.create_index('uq_county_live_code', ['code'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('replica',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('is_local', sa.Boolean(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_hlc', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_replica'))
    )
    op.create_table('change_log',
    sa.Column('replica_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hlc', sa.String(), nullable=False),
    sa.Column('table_name', sa.String(), nullable=False),
    sa.Column('row_id', sa.Uuid(), nullable=False),
    sa.Column('op', sa.String(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('base', sa.JSON(), nullable=False),
    sa.Column('actor', sa.String(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['replica_id'], ['replica.id'], name=op.f('fk_change_log__replica_id__replica')),
    sa.PrimaryKeyConstraint('replica_id', 'seq', name=op.f('pk_change_log'))
    )
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.create_index('ix_change_log__row', ['table_name', 'row_id'], unique=False)

    op.create_table('township',
    sa.Column('county_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(), nullable=True),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['county_id'], ['county.id'], name=op.f('fk_township__county_id__county')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_township'))
    )
    with op.batch_alter_table('township', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_township__county_id'), ['county_id'], unique=False)

    op.create_table('village',
    sa.Column('township_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('designation', sa.String(), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('designated_year', sa.Integer(), nullable=True),
    sa.Column('exit_year', sa.Integer(), nullable=True),
    sa.Column('households_total', sa.Integer(), nullable=True),
    sa.Column('population_total', sa.Integer(), nullable=True),
    sa.Column('area_km2', sa.Double(), nullable=True),
    sa.Column('natural_villages', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_village__township_id__township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_village'))
    )
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_village__township_id'), ['township_id'], unique=False)
        batch_op.create_index('uq_village_live_code', ['code'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('cadre',
    sa.Column('village_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('unit', sa.String(), nullable=True),
    sa.Column('position', sa.String(), nullable=True),
    sa.Column('phone', sa.String(), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_cadre__village_id__village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cadre'))
    )
    with op.batch_alter_table('cadre', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cadre__village_id'), ['village_id'], unique=False)

    op.create_table('villager_group',
    sa.Column('village_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_villager_group__village_id__village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_villager_group'))
    )
    with op.batch_alter_table('villager_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_villager_group__village_id'), ['village_id'], unique=False)
        batch_op.create_index('uq_villager_group_live_name', ['village_id', 'name'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('household',
    sa.Column('village_id', sa.Uuid(), nullable=False),
    sa.Column('group_id', sa.Uuid(), nullable=True),
    sa.Column('number', sa.String(), nullable=False),
    sa.Column('address', sa.String(), nullable=True),
    sa.Column('phone', sa.String(), nullable=True),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.Column('identified_year', sa.Integer(), nullable=True),
    sa.Column('exit_year', sa.Integer(), nullable=True),
    sa.Column('main_cause', sa.String(), nullable=True),
    sa.Column('secondary_causes', sa.JSON(), nullable=False),
    sa.Column('helper_id', sa.Uuid(), nullable=True),
    sa.Column('housing_safety', sa.String(), nullable=True),
    sa.Column('housing_checked_on', sa.Date(), nullable=True),
    sa.Column('water_quality_ok', sa.Boolean(), nullable=True),
    sa.Column('water_quantity_ok', sa.Boolean(), nullable=True),
    sa.Column('water_convenience_ok', sa.Boolean(), nullable=True),
    sa.Column('water_reliability_ok', sa.Boolean(), nullable=True),
    sa.Column('water_checked_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['villager_group.id'], name=op.f('fk_household__group_id__villager_group')),
    sa.ForeignKeyConstraint(['helper_id'], ['cadre.id'], name=op.f('fk_household__helper_id__cadre')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_household__village_id__village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household'))
    )
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household__group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household__helper_id'), ['helper_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household__status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_household__village_id'), ['village_id'], unique=False)
        batch_op.create_index('uq_household_live_number', ['number', 'village_id'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('member',
    sa.Column('household_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('name_initials', sa.String(), nullable=False),
    sa.Column('id_number', sa.String(), nullable=False),
    sa.Column('relation', sa.String(), nullable=False),
    sa.Column('sex', sa.String(), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('labour_ability', sa.String(), nullable=True),
    sa.Column('health', sa.String(), nullable=True),
    sa.Column('disability_category', sa.String(), nullable=True),
    sa.Column('disability_grade', sa.String(), nullable=True),
    sa.Column('schooling_stage', sa.String(), nullable=True),
    sa.Column('employment_status', sa.String(), nullable=True),
    sa.Column('employment_place', sa.String(), nullable=True),
    sa.Column('public_welfare_post', sa.String(), nullable=True),
    sa.Column('medical_insurance', sa.Boolean(), nullable=False),
    sa.Column('pension_insurance', sa.Boolean(), nullable=False),
    sa.Column('dibao', sa.Boolean(), nullable=False),
    sa.Column('tekun', sa.Boolean(), nullable=False),
    sa.Column('left_behind', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_member__household_id__household')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member'))
    )
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member__household_id'), ['household_id'], unique=False)
        batch_op.create_index('ix_member_live_search_id_number', ['id_number', 'household_id', 'deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.create_index('ix_member_live_search_initials', ['name_initials', 'household_id', 'deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.create_index('ix_member_live_search_name', ['name', 'household_id', 'deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.create_index('uq_member_live_id_number', ['id_number'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))



def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index('uq_member_live_id_number', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index('ix_member_live_search_name', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index('ix_member_live_search_initials', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index('ix_member_live_search_id_number', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_member__household_id'))

    op.drop_table('member')
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_index('uq_household_live_number', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_household__village_id'))
        batch_op.drop_index(batch_op.f('ix_household__status'))
        batch_op.drop_index(batch_op.f('ix_household__helper_id'))
        batch_op.drop_index(batch_op.f('ix_household__group_id'))

    op.drop_table('household')
    with op.batch_alter_table('villager_group', schema=None) as batch_op:
        batch_op.drop_index('uq_villager_group_live_name', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_villager_group__village_id'))

    op.drop_table('villager_group')
    with op.batch_alter_table('cadre', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cadre__village_id'))

    op.drop_table('cadre')
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.drop_index('uq_village_live_code', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_village__township_id'))

    op.drop_table('village')
    with op.batch_alter_table('township', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_township__county_id'))

    op.drop_table('township')
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index('ix_change_log__row')

    op.drop_table('change_log')
    op.drop_table('replica')
    with op.batch_alter_table('county', schema=None) as batch_op:
        batch_op.drop_index('uq_county_live_code', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.drop_table('county')
