"""``flask users``: create users and issue API tokens."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.accounts import totp
from app.accounts.operations import AccountError, create_user, find_user, issue_token
from app.core.transaction import command_transaction

users_cli = AppGroup("users", help="Users and their API tokens.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "coordinator", "member"]), required=True)
@click.option("--country", "countries", multiple=True, help="Coordinator's country (repeatable).")
@click.option("--school", "school_id", type=int, help="School the member belongs to.")
@click.option("--name", default="", help="Display name (defaults to the address).")
@click.password_option(help="Password (asked for when not given).")
@command_transaction
def create(email, role, countries, school_id, name, password) -> None:
    """Create a user with EMAIL."""
    try:
        user = create_user(
            email,
            name or email,
            password,
            role=role,
            countries=countries,
            school_id=school_id,
            verified=True,
        )
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"created user {user.id} <{user.email}> as {role}")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="cli", help="A name to recognise the token by.")
@command_transaction
def token(email: str, name: str) -> None:
    """Print a new API token for EMAIL (shown once; only its digest is stored)."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no user with the address {email}")
    if totp.missing(user):
        raise click.ClickException(
            f"{user.email} must turn on two-step sign-in before an API token is issued"
        )
    plain = issue_token(user, name)
    click.echo(plain)
