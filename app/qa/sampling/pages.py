"""Ready values for the sampling templates (templates run no queries)."""

from sqlalchemy import select

from app import clock
from app.cases.models import CaseType
from app.extensions import db
from app.qa.sampling import plans
from app.qa.sampling.models import PlanRun, SamplingPlan

PLAN_DEFAULTS = {
    "base_rate": 0.02,
    "weekly_min_per_agent": 5,
    "new_agent_rate": 0.10,
    "low_confidence_below": 0.6,
    "low_confidence_weight": 2.0,
    "override_weight": 3.0,
    "weekly_capacity": 500,
    "second_review_share": 0.05,
}


def plan_values(form) -> dict:
    values = form.values()
    values["case_type_id"] = db.session.scalar(
        select(CaseType.id).where(CaseType.slug == form.case_type.data)
    )
    values["team_id"] = form.team.data or None
    return values


def plan_page(plan: SamplingPlan | None) -> dict:
    if plan is None:
        return {"implied": None, "runs": []}
    runs = list(
        db.session.scalars(select(PlanRun).where(PlanRun.plan_id == plan.id).order_by(PlanRun.week.desc()))
    )
    return {"implied": plans.implications(plan, clock.now()), "runs": runs}
