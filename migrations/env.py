"""Alembic environment: runs under `flask db ...`, under pytest-alembic, or on its own."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app, has_app_context
from sqlalchemy import Connection, TypeDecorator, create_engine

from provider_dir.config import from_environment
from provider_dir.models.all import Base

config = context.config
if config.config_file_name and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")
target_metadata = Base.metadata


def _skip_empty_autogenerate(context_, revision, directives):
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def _render_item(type_, obj, autogen_context):
    # Shared column types are written as their plain SQLAlchemy impl, so revisions import nothing of ours.
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl.__class__.__name__}()"
    return False


def _include_object(obj, name, type_, reflected, compare_to):
    # The name-search indexes (FTS5 tables and their shadow tables, trigram indexes) are not models.
    return not (reflected and compare_to is None and (name or "").startswith("name_search"))


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        process_revision_directives=_skip_empty_autogenerate,
        render_item=_render_item,
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run against the connection given by pytest-alembic, the Flask app's engine, or DATABASE_URL."""
    given = config.attributes.get("connection")  # pytest-alembic passes an Engine here
    if isinstance(given, Connection):
        _configure(given)
        return
    if given is not None:
        engine = given
    elif has_app_context():
        engine = current_app.extensions["migrate"].db.engine
    else:
        engine = create_engine(from_environment()["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as connection:
        _configure(connection)


def run_offline() -> None:
    """Emit SQL for the configured URL instead of running it."""
    context.configure(
        url=from_environment()["SQLALCHEMY_DATABASE_URI"], target_metadata=target_metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
