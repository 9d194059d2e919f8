"""Add the clinic's derived search columns with their triggers and indexes, and the geocode cache.

Revision ID: 51c2151b68e0
Revises: 9cf7b3efbe30
Create Date: 2026-11-26 10:53:58.719089

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '51c2151b68e0'
down_revision = '9cf7b3efbe30'
branch_labels = None
depends_on = None

# Frozen copy of provider_dir.geo.index.triggers: WGS84 ellipsoid, grid of 0.02 degrees, 20,000 cells per band.
A_KM, E2 = 6378.137, 0.0066943799901413165


def _derived(lat, lon):
    sin_lat = f"sin(radians({lat}))"
    n = f"({A_KM} / sqrt(1 - {E2} * {sin_lat} * {sin_lat}))"
    return {
        "geo_cell": f"CAST(floor(({lat} + 90) * 50) AS INTEGER) * 20000 + CAST(floor(({lon} + 180) * 50) AS INTEGER)",
        "geo_x": f"{n} * cos(radians({lat})) * cos(radians({lon}))",
        "geo_y": f"{n} * cos(radians({lat})) * sin(radians({lon}))",
        "geo_z": f"{n} * {1 - E2!r} * {sin_lat}",
    }


def _set(lat, lon, separator=", ", operator="=", target=""):
    return separator.join(f"{target}{col} {operator} {sql}" for col, sql in _derived(lat, lon).items())


def _create_triggers(dialect):
    if dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER clinic_geo_after_insert AFTER INSERT ON clinic"
            " WHEN NEW.geo_cell IS NULL OR NEW.geo_x IS NULL OR NEW.geo_y IS NULL OR NEW.geo_z IS NULL"
            f" BEGIN UPDATE clinic SET {_set('NEW.latitude', 'NEW.longitude')} WHERE id = NEW.id; END"
        )
        op.execute(
            "CREATE TRIGGER clinic_geo_after_move AFTER UPDATE OF latitude, longitude ON clinic"
            " WHEN NEW.geo_x IS OLD.geo_x AND NEW.geo_y IS OLD.geo_y AND NEW.geo_z IS OLD.geo_z"
            f" BEGIN UPDATE clinic SET {_set('NEW.latitude', 'NEW.longitude')} WHERE id = NEW.id; END"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION clinic_geo_fill() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{_set('NEW.latitude', 'NEW.longitude', '; ', ':=', 'NEW.')}; RETURN NEW; END $$"
        )
        op.execute(
            "CREATE TRIGGER clinic_geo_fill BEFORE INSERT OR UPDATE OF latitude, longitude ON clinic"
            " FOR EACH ROW EXECUTE FUNCTION clinic_geo_fill()"
        )


def _drop_triggers(dialect):
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS clinic_geo_after_move")
        op.execute("DROP TRIGGER IF EXISTS clinic_geo_after_insert")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS clinic_geo_fill ON clinic")
        op.execute("DROP FUNCTION IF EXISTS clinic_geo_fill()")


def upgrade():
    op.create_table('geocode_cache',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.Column('query', sa.String(length=200), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_geocode_cache')),
    sa.UniqueConstraint('service', 'query', name=op.f('uq_geocode_cache_service_query'))
    )
    with op.batch_alter_table('clinic', schema=None) as batch_op:
        batch_op.add_column(sa.Column('geo_cell', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('geo_x', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('geo_y', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('geo_z', sa.Float(), nullable=True))
    op.execute(f"UPDATE clinic SET {_set('latitude', 'longitude')}")
    _create_triggers(op.get_bind().dialect.name)
    with op.batch_alter_table('clinic', schema=None) as batch_op:
        batch_op.create_index('ix_clinic_geo_search', ['geo_cell', 'geo_x', 'geo_y', 'geo_z', 'status', 'conditions_mask', 'routes_mask', 'price_per_infusion_usd', 'score_total', 'rating_bayes', 'has_verified_credentials', 'accepting_new_patients', 'id'], unique=False)
        batch_op.create_index('ix_clinic_rating_walk', ['status', 'rating_bayes', 'id', 'geo_x', 'geo_y', 'geo_z'], unique=False)
        batch_op.create_index('ix_clinic_score_walk', ['status', 'score_total', 'id', 'geo_x', 'geo_y', 'geo_z'], unique=False)


def downgrade():
    _drop_triggers(op.get_bind().dialect.name)
    with op.batch_alter_table('clinic', schema=None) as batch_op:
        batch_op.drop_index('ix_clinic_score_walk')
        batch_op.drop_index('ix_clinic_rating_walk')
        batch_op.drop_index('ix_clinic_geo_search')
        batch_op.drop_column('geo_z')
        batch_op.drop_column('geo_y')
        batch_op.drop_column('geo_x')
        batch_op.drop_column('geo_cell')

    op.drop_table('geocode_cache')
