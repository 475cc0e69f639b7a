"""Registers every domain's CLI groups."""

from flask import Flask


def register(app: Flask) -> None:
    from app.auth.cli import tokens_cli, users_cli
    from app.cases.cli import seed_cli
    from app.demo.cli import demo_cli

    for group in (seed_cli, users_cli, tokens_cli, demo_cli):
        app.cli.add_command(group)
