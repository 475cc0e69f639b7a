"""`flask qa rebuild-rollup`: recompute the dashboards' daily rollups."""

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.audit.services import record_event
from app.extensions import db
from app.qa.quality import rollup
from app.qa.quality.models import DailyQuality, DailyScenario


@click.command("rebuild-rollup")
@with_appcontext
def rebuild_rollup_command() -> None:
    """Recompute the daily rollups behind the dashboards from the stored decisions and audits. Writes
    keep them current; this is the repair for rows changed outside the app (e.g. by hand in SQL)."""
    rollup.rebuild()
    agent_days = db.session.scalar(select(func.count()).select_from(DailyQuality))
    team_days = db.session.scalar(select(func.count()).select_from(DailyScenario))
    record_event(
        None, "qa.rollup_rebuild", "daily_quality", {"agent_days": agent_days, "team_days": team_days}
    )
    db.session.commit()
    click.echo(f"Dashboard rollups rebuilt: {agent_days} agent-days, {team_days} team-day scenario rows.")
