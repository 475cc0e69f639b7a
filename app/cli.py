"""Registers every domain's CLI groups."""

from flask import Flask


def register(app: Flask) -> None:
    from app.auth.cli import tokens_cli, users_cli
    from app.cases.cli import seed_cli
    from app.demo.cli import demo_cli
    from app.qa.decisions.cli import qa_cli
    from app.qa.quality.cli import rebuild_rollup_command
    from app.qa.sampling.cli import sample_command

    qa_cli.add_command(sample_command)
    qa_cli.add_command(rebuild_rollup_command)
    for group in (seed_cli, users_cli, tokens_cli, demo_cli, qa_cli):
        app.cli.add_command(group)
