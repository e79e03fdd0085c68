"""Command-line interface: ``flask --app wsgi <group> <command>``, each from its feature."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from app.accounts.cli import users_cli
    from app.backup.cli import backup_command, restore_command
    from app.core.jobs_cli import jobs_cli
    from app.core.translations import translations_cli
    from app.dashboards.rebuild import summaries_cli
    from app.demo.cli import demo_command
    from app.geography.cli import regions_cli
    from app.mentoring.cli import mentoring_cli
    from app.mission.cli import pillars_cli
    from app.notifications.cli import notifications_cli
    from app.schools.cli import import_cli

    for command in (
        regions_cli,
        pillars_cli,
        translations_cli,
        users_cli,
        demo_command,
        import_cli,
        backup_command,
        restore_command,
        summaries_cli,
        mentoring_cli,
        notifications_cli,
        jobs_cli,
    ):
        app.cli.add_command(command)
