"""Add the registry tables: loaded NPPES and LEIE files, stored check results and possible exclusions.

Revision ID: b8802f4dc6ae
Revises: a7c3e91f5d20
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b8802f4dc6ae'
down_revision = 'a7c3e91f5d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('registry_load',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('file_date', sa.Date(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('rows_kept', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_load'))
    )
    with op.batch_alter_table('registry_load', schema=None) as batch_op:
        batch_op.create_index('ix_registry_load_source_state', ['source', 'state'], unique=False)

    op.create_table('leie_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('load_id', sa.Integer(), nullable=False),
    sa.Column('last_name', sa.String(length=60), nullable=False),
    sa.Column('first_name', sa.String(length=60), nullable=False),
    sa.Column('middle_name', sa.String(length=60), nullable=False),
    sa.Column('business_name', sa.String(length=200), nullable=False),
    sa.Column('general', sa.String(length=60), nullable=False),
    sa.Column('specialty', sa.String(length=60), nullable=False),
    sa.Column('npi', sa.String(length=10), nullable=False),
    sa.Column('city', sa.String(length=60), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=False),
    sa.Column('exclusion_type', sa.String(length=20), nullable=False),
    sa.Column('excluded_on', sa.Date(), nullable=True),
    sa.Column('last_key', sa.String(length=60), nullable=False),
    sa.Column('first_key', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['load_id'], ['registry_load.id'],
        name=op.f('fk_leie_record_load_id_registry_load'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leie_record'))
    )
    with op.batch_alter_table('leie_record', schema=None) as batch_op:
        batch_op.create_index('ix_leie_record_load_name', ['load_id', 'first_key', 'state'], unique=False)
        batch_op.create_index('ix_leie_record_load_npi', ['load_id', 'npi'], unique=False)

    op.create_table('nppes_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('load_id', sa.Integer(), nullable=False),
    sa.Column('npi', sa.String(length=10), nullable=False),
    sa.Column('entity_type', sa.SmallInteger(), nullable=True),
    sa.Column('replacement_npi', sa.String(length=10), nullable=False),
    sa.Column('last_name', sa.String(length=60), nullable=False),
    sa.Column('first_name', sa.String(length=60), nullable=False),
    sa.Column('middle_name', sa.String(length=60), nullable=False),
    sa.Column('name_suffix', sa.String(length=10), nullable=False),
    sa.Column('credential_text', sa.String(length=40), nullable=False),
    sa.Column('organization_name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=120), nullable=False),
    sa.Column('city', sa.String(length=60), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('postal_code', sa.String(length=20), nullable=False),
    sa.Column('telephone', sa.String(length=20), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('last_update', sa.Date(), nullable=True),
    sa.Column('deactivated_on', sa.Date(), nullable=True),
    sa.Column('reactivated_on', sa.Date(), nullable=True),
    sa.Column('taxonomies', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['load_id'], ['registry_load.id'],
        name=op.f('fk_nppes_record_load_id_registry_load'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nppes_record')),
    sa.UniqueConstraint('load_id', 'npi', name=op.f('uq_nppes_record_load_id_npi'))
    )
    op.create_table('exclusion_match',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_member_id', sa.Integer(), nullable=False),
    sa.Column('matched_by', sa.String(length=10), nullable=False),
    sa.Column('leie_name', sa.String(length=200), nullable=False),
    sa.Column('leie_npi', sa.String(length=10), nullable=False),
    sa.Column('leie_state', sa.String(length=2), nullable=False),
    sa.Column('leie_city', sa.String(length=60), nullable=False),
    sa.Column('leie_specialty', sa.String(length=120), nullable=False),
    sa.Column('exclusion_type', sa.String(length=20), nullable=False),
    sa.Column('excluded_on', sa.Date(), nullable=True),
    sa.Column('source_date', sa.Date(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('found_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'],
        name=op.f('fk_exclusion_match_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_member_id'], ['staff_member.id'],
        name=op.f('fk_exclusion_match_staff_member_id_staff_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exclusion_match'))
    )
    with op.batch_alter_table('exclusion_match', schema=None) as batch_op:
        batch_op.create_index('ix_exclusion_match_staff_state', ['staff_member_id', 'state'], unique=False)

    op.create_table('registry_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_member_id', sa.Integer(), nullable=False),
    sa.Column('credential_id', sa.Integer(), nullable=True),
    sa.Column('what', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('via', sa.String(length=4), nullable=False),
    sa.Column('source_date', sa.Date(), nullable=True),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.Column('previous_result', sa.String(length=20), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=True),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['credential_id'], ['credential.id'],
        name=op.f('fk_registry_check_credential_id_credential'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_member_id'], ['staff_member.id'],
        name=op.f('fk_registry_check_staff_member_id_staff_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_check')),
    sa.UniqueConstraint('staff_member_id', 'credential_id', 'what',
        name=op.f('uq_registry_check_staff_member_id_credential_id_what'))
    )
    with op.batch_alter_table('registry_check', schema=None) as batch_op:
        batch_op.create_index('ix_registry_check_credential', ['credential_id'], unique=False)



def downgrade():
    with op.batch_alter_table('registry_check', schema=None) as batch_op:
        batch_op.drop_index('ix_registry_check_credential')

    op.drop_table('registry_check')
    with op.batch_alter_table('exclusion_match', schema=None) as batch_op:
        batch_op.drop_index('ix_exclusion_match_staff_state')

    op.drop_table('exclusion_match')
    op.drop_table('nppes_record')
    with op.batch_alter_table('leie_record', schema=None) as batch_op:
        batch_op.drop_index('ix_leie_record_load_npi')
        batch_op.drop_index('ix_leie_record_load_name')

    op.drop_table('leie_record')
    with op.batch_alter_table('registry_load', schema=None) as batch_op:
        batch_op.drop_index('ix_registry_load_source_state')

    op.drop_table('registry_load')
