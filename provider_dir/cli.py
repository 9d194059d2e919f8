"""Register the flask commands that each feature owns."""

from flask import Flask


def register(app: Flask) -> None:
    """Add every feature's commands to the app's CLI."""
    from provider_dir.accounts.cli import create_user_command
    from provider_dir.geo.cli import geocode_command
    from provider_dir.hours.cli import hours_cli
    from provider_dir.imports.cli import import_group
    from provider_dir.notices.cli import notices_group
    from provider_dir.opendata.cli import export_group
    from provider_dir.operations.cli import backup_command
    from provider_dir.registry.cli import registry_group
    from provider_dir.scoring.cli import scores_group
    from provider_dir.seeding.cli import seed_command
    from provider_dir.worker.cli import worker_command

    app.cli.add_command(create_user_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(geocode_command)
    app.cli.add_command(seed_command)
    app.cli.add_command(import_group)
    app.cli.add_command(scores_group)
    app.cli.add_command(notices_group)
    app.cli.add_command(registry_group)
    app.cli.add_command(worker_command)
    app.cli.add_command(hours_cli)
    app.cli.add_command(export_group)
