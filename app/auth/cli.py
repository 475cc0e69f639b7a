"""`flask users create` and `flask tokens create`."""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.auth import services
from app.auth.models import Team
from app.auth.roles import ROLES
from app.errors import DomainError
from app.extensions import db

users_cli = AppGroup("users", help="Manage users.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--team", "team_name", default=None, help="Team name.")
@click.option("--display-name", default="")
@click.option("--locale", type=click.Choice(["en", "zh_Hans"]), default="en")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(username, role, team_name, display_name, locale, password_stdin) -> None:
    """Create a user; prompts for the password unless --password-stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    team = None
    if team_name:
        team = db.session.scalar(select(Team).where(Team.name == team_name))
        if team is None:
            raise click.ClickException(f"no team named {team_name!r}")
    try:
        user = services.create_user(username, password, role, display_name, team, locale)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.username}.")


@tokens_cli.command("create")
@click.argument("username")
@click.option("--name", required=True)
@click.option("--scope", "scopes", multiple=True, type=click.Choice(services.TOKEN_SCOPES), required=True)
def create_token(username, name, scopes) -> None:
    """Create an API token; the token alone is printed on the last line."""
    owner = services.find_user(username)
    if owner is None:
        raise click.ClickException(f"no user named {username!r}")
    try:
        token, secret = services.create_token(owner, name, list(scopes), None)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Token {token.name!r} for {owner.username} (scopes: {token.scopes}). It is shown once:")
    click.echo(secret)
