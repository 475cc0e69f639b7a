"""`flask demo seed`: a deterministic demo organisation with known passwords."""

import click
from flask.cli import AppGroup

from app.demo.activity_services import seed_demo_activity
from app.demo.people import DEMO_PASSWORDS
from app.demo.services import seed_demo_people
from app.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("seed")
def seed() -> None:
    """Create the demo teams and people (skipped if they exist) and print the logins."""
    created = seed_demo_people()
    db.session.commit()
    click.echo(f"Demo data: {created['teams']} teams and {created['users']} people created.")
    activity = seed_demo_activity()
    db.session.commit()
    if activity:
        click.echo(
            f"Twelve weeks of activity: {activity['decisions']} live decisions, {activity['audits']} audits, "
            f"{activity['exams']} exams, {activity['sessions']} calibration sessions."
        )
    click.echo("Demo logins (username / password):")
    click.echo(f"  admin              / {DEMO_PASSWORDS['admin']}")
    click.echo(f"  manager1, manager2 / {DEMO_PASSWORDS['manager']}")
    click.echo(f"  lead1 .. lead3     / {DEMO_PASSWORDS['qa_lead']}")
    click.echo(f"  agent01 .. agent40 / {DEMO_PASSWORDS['agent']}")
