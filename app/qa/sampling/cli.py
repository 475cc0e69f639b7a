"""`flask qa sample --week 2026-W47 [--plan ID]`: run the active sampling plans over one ISO week."""

import click
from sqlalchemy import select

from app.errors import DomainError
from app.extensions import db
from app.inputs import MAX_INT
from app.qa.sampling import plans
from app.qa.sampling.models import SamplingPlan

PLAN_ID = click.IntRange(1, MAX_INT)  # what an id column holds
SEED = click.IntRange(0, 2**63 - 1)  # what the run's BIGINT seed column holds


@click.command("sample")
@click.option("--week", required=True, help="ISO week, like 2026-W47.")
@click.option("--plan", "plan_id", type=PLAN_ID, default=None, help="Only this plan (default: all active).")
@click.option("--seed", type=SEED, default=None, help="Fix the seed (to reproduce a run).")
def sample_command(week: str, plan_id: int | None, seed: int | None) -> None:
    """Sample decisions into the audit queue; a week already sampled by a plan is left as it is."""
    query = select(SamplingPlan).where(SamplingPlan.active.is_(True)).order_by(SamplingPlan.id)
    if plan_id is not None:
        query = select(SamplingPlan).where(SamplingPlan.id == plan_id)
    chosen = list(db.session.scalars(query))
    if not chosen:
        raise click.ClickException("no matching sampling plan")
    try:
        for plan in chosen:
            run, fresh = plans.run_plan(plan, week, None, seed)
            state = f"{run.sampled} sampled (seed {run.seed})" if fresh else "already sampled; nothing added"
            click.echo(f"{plan.name} v{run.plan_version}, {week}: {state}")
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
