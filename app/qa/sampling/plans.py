"""Sampling plans: editing them (each edit a new version) and running one over an ISO week."""

import random
from datetime import UTC, datetime, timedelta
from itertools import chain

import numpy as np
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text

from app import clock
from app.audit.services import record_event
from app.auth.models import User
from app.errors import DomainError
from app.extensions import db
from app.metrics.sample_size import n_to_demonstrate, wilson_half_width
from app.onboarding.models import Certification
from app.qa.decisions.models import LiveDecision
from app.qa.sampling.models import PlanRun, Sample, SamplingPlan
from app.qa.sampling.selection import REASONS, PlanParams, expected_per_agent
from app.qa.sampling.selection import select as select_rows

PARAM_FIELDS = (
    "base_rate",
    "weekly_min_per_agent",
    "new_agent_rate",
    "low_confidence_below",
    "low_confidence_weight",
    "override_weight",
    "weekly_capacity",
    "second_review_share",
)
NEW_AGENT_DAYS = 30
REASON_PRIORITY = {"critical": 3, "key_user": 2, "weekly_min": 1, "random": 0}


def week_window(week: str) -> tuple[datetime, datetime]:
    """The UTC Monday-to-Monday window of an ISO week like 2026-W47."""
    try:
        year, number = week.split("-W")
        start = datetime.fromisocalendar(int(year), int(number), 1).replace(tzinfo=UTC)
    except ValueError:
        raise DomainError(_l("Give the week as YYYY-Www, like 2026-W47."), "week") from None
    return start, start + timedelta(days=7)


def current_week(now: datetime) -> str:
    year, week, _day = now.isocalendar()
    return f"{year}-W{week:02d}"


def save_plan(plan: SamplingPlan | None, values: dict, actor: User) -> SamplingPlan:
    """Create a plan or change one; a change bumps its version (runs keep the version they used)."""
    if not 0 <= values["base_rate"] <= 1 or not 0 <= values["new_agent_rate"] <= 1:
        raise DomainError(_l("Rates are between 0 and 1."), "base_rate")
    if values["weekly_capacity"] < 1:
        raise DomainError(_l("Capacity must be at least 1."), "weekly_capacity")
    if plan is None:
        plan = SamplingPlan(version=1)
        db.session.add(plan)
    else:
        plan.version += 1
    for name, value in values.items():
        setattr(plan, name, value)
    plan.updated_at = clock.now()
    db.session.flush()
    record_event(actor, "qa.plan_save", plan, {"version": plan.version})
    return plan


def params_of(plan: SamplingPlan) -> PlanParams:
    return PlanParams(**{name: getattr(plan, name) for name in PARAM_FIELDS})


def _scope(plan: SamplingPlan, start: datetime, end: datetime):
    query = select(
        LiveDecision.id,
        LiveDecision.agent_id,
        LiveDecision.priority,
        LiveDecision.confidence,
        LiveDecision.has_critical,
        LiveDecision.high_confidence_override,
    ).where(
        LiveDecision.case_type_id == plan.case_type_id,
        LiveDecision.decided_at >= start,
        LiveDecision.decided_at < end,
    )
    if plan.team_id:
        query = query.where(LiveDecision.agent_id.in_(select(User.id).where(User.team_id == plan.team_id)))
    return query


WINDOW_DTYPE = np.dtype(
    [
        ("id", "i8"),
        ("agent", "i8"),
        ("priority", "i8"),
        ("confidence", "f8"),
        ("critical", "?"),
        ("override", "?"),
    ]
)


def _window(plan: SamplingPlan, start: datetime, end: datetime) -> np.ndarray:
    """The window's decisions as one structured array, in id order: the order the seed's draws follow, so
    a run is reproducible whatever order the database returns the rows in.

    A week holds up to millions of rows: numpy reads them straight from the driver's cursor in batches,
    skipping SQLAlchemy's row objects (the six columns are plain numbers and booleans on every backend)."""
    result = db.session.connection().execute(_scope(plan, start, end))
    try:
        batches = iter(lambda: result.cursor.fetchmany(50_000), [])
        window = np.fromiter(chain.from_iterable(batches), dtype=WINDOW_DTYPE)
    finally:
        result.close()
    return window[np.argsort(window["id"], kind="stable")]


def run_plan(
    plan: SamplingPlan, week: str, actor: User | None, seed: int | None = None
) -> tuple[PlanRun, bool]:
    """Sample one week with the plan. Running the same plan on the same week again adds nothing and returns
    the first run (False). The seed and the plan as it was are stored, so the run can be reproduced."""
    start, end = week_window(week)
    week = current_week(start)  # one spelling per window: 2026-W047 is 2026-W47
    existing = db.session.scalar(select(PlanRun).where(PlanRun.plan_id == plan.id, PlanRun.week == week))
    if existing:
        return existing, False
    window = _window(plan, start, end)
    ids, agent = window["id"], window["agent"]
    new_agents = set(
        db.session.scalars(
            select(Certification.user_id).where(
                Certification.case_type_id == plan.case_type_id,
                Certification.certified_at >= start - timedelta(days=NEW_AGENT_DAYS),
            )
        )
    )
    seed = seed if seed is not None else random.SystemRandom().randrange(2**62)
    selection = select_rows(
        params_of(plan),
        agent,
        window["priority"],
        window["confidence"],
        window["critical"],
        window["override"],
        np.isin(agent, list(new_agents)),
        np.random.default_rng(seed),
    )
    run = PlanRun(
        plan_id=plan.id,
        plan_version=plan.version,
        week=week,
        window_start=start,
        window_end=end,
        seed=seed,
        plan_snapshot={name: getattr(plan, name) for name in PARAM_FIELDS},
        created_by_id=getattr(actor, "id", None),
        created_at=clock.now(),
    )
    db.session.add(run)
    db.session.flush()
    chosen = ids[selection.rows].tolist()
    already = set()  # looked up among the chosen only: a few thousand index probes, not the whole window
    for at in range(0, len(chosen), 5_000):
        part = chosen[at : at + 5_000]
        already.update(
            db.session.scalars(select(Sample.live_decision_id).where(Sample.live_decision_id.in_(part)))
        )
    samples = [
        {
            "run_id": run.id,
            "live_decision_id": decision_id,
            "reason": REASONS[code],
            "inclusion_probability": probability,
            "priority": REASON_PRIORITY[REASONS[code]],
            "status": "queued",
            "needs_second_review": second,
        }
        for decision_id, code, probability, second in zip(
            chosen,
            selection.reasons.tolist(),
            _stored(selection.probabilities),
            selection.second_review.tolist(),
            strict=True,
        )
        if decision_id not in already  # sampled by another plan already: one audit trail per decision
    ]
    if samples:
        _insert_samples(samples)
    run.sampled = len(samples)
    record_event(
        actor,
        "qa.plan_run",
        run,
        {"week": week, "sampled": len(samples), "dropped": selection.dropped_by_capacity},
    )
    return run, True


def _stored(probabilities: np.ndarray) -> list[float]:
    """Probabilities rounded to 12 significant digits: decisions drawn alike share one exact value, so
    they fall in one cell of the post-stratified estimate on every database."""
    return [float(f"{p:.12g}") for p in probabilities.tolist()]


def _insert_samples(samples: list[dict]) -> None:
    """Core executemany; on PostgreSQL one INSERT ... SELECT FROM unnest(arrays), about 3x faster for the
    tens of thousands of rows a large plan run writes."""
    if db.session.get_bind().dialect.name != "postgresql":
        db.session.execute(Sample.__table__.insert(), samples)
        return
    columns = (
        "run_id",
        "live_decision_id",
        "reason",
        "inclusion_probability",
        "priority",
        "status",
        "needs_second_review",
    )
    types = ("bigint[]", "bigint[]", "varchar[]", "float8[]", "int[]", "varchar[]", "boolean[]")
    arrays = {name: [row[name] for row in samples] for name in columns}
    selects = ", ".join(f"CAST(:{name} AS {kind})" for name, kind in zip(columns, types, strict=True))
    db.session.execute(
        text(f"INSERT INTO samples ({', '.join(columns)}) SELECT * FROM unnest({selects})"), arrays
    )


def implications(plan: SamplingPlan, now: datetime) -> dict:
    """What a plan implies: decisions per agent per week lately, expected audits, the resulting interval."""
    since = now - timedelta(days=28)
    volume = db.session.execute(
        select(func.count(LiveDecision.id), func.count(func.distinct(LiveDecision.agent_id))).where(
            LiveDecision.case_type_id == plan.case_type_id, LiveDecision.decided_at >= since
        )
    ).one()
    per_agent_week = volume[0] / volume[1] / 4 if volume[1] else 0.0
    expected = expected_per_agent(params_of(plan), per_agent_week)
    audits_in_quarter = int(round(expected * 13))
    return {
        "decisions_per_agent_week": per_agent_week,
        "expected_per_agent_week": expected,
        "half_width_week": wilson_half_width(0.98, max(1, int(round(expected)))) if expected else None,
        "half_width_quarter": wilson_half_width(0.98, audits_in_quarter) if audits_in_quarter else None,
        "to_show_98": {errors: n_to_demonstrate(0.98, 0.95, errors) for errors in (0, 1, 2, 3)},
    }
