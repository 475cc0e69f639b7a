"""Sampling plans over a week: what a run stores, re-runs, reproducibility, scope, new agents, the
implications shown on the plan page, and `flask qa sample`."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, text, update

from app.audit.models import AuditEvent
from app.auth.models import User
from app.errors import DomainError
from app.metrics.sample_size import wilson_half_width
from app.qa.decisions.models import LiveDecision
from app.qa.sampling import plans
from app.qa.sampling.cli import sample_command
from app.qa.sampling.models import PlanRun, Sample, SamplingPlan
from tests.qa.conftest import WEEK, WEEK_END, WEEK_START


def sampled(db) -> dict[int, str]:
    """Sampled decision id → reason."""
    return dict(db.session.execute(select(Sample.live_decision_id, Sample.reason)).all())


def load(db, plan_id, user):
    return db.session.get(SamplingPlan, plan_id), db.session.get(User, user.id)


def test_a_run_stores_its_seed_plan_snapshot_and_version(
    db, make_user, make_live_decisions, make_sampling_plan
):
    agent, lead = make_user("agent"), make_user("qa_lead")
    critical = make_live_decisions(agent, 1, has_critical=True)
    key_user = make_live_decisions(agent, 1, priority=80, decision="escalate", rationale="Key User.")
    others = make_live_decisions(agent, 18)
    plan_id = make_sampling_plan(base_rate=0.0, weekly_min_per_agent=5)
    plan, actor = load(db, plan_id, lead)
    current = {name: getattr(plan, name) for name in plans.PARAM_FIELDS}
    plans.save_plan(plan, {**current, "weekly_capacity": 400}, actor)  # version 2

    run, fresh = plans.run_plan(plan, WEEK, actor, seed=123)
    db.session.commit()

    assert fresh is True
    assert (run.week, run.seed, run.plan_version, run.sampled) == (WEEK, 123, 2, 5)
    assert (run.window_start, run.window_end) == (WEEK_START, WEEK_END)
    assert run.plan_snapshot == {name: getattr(plan, name) for name in plans.PARAM_FIELDS}
    assert run.plan_snapshot["weekly_capacity"] == 400
    reasons = sampled(db)
    assert reasons[critical[0]] == "critical" and reasons[key_user[0]] == "key_user"
    assert sorted(reasons.values()) == ["critical", "key_user", "weekly_min", "weekly_min", "weekly_min"]
    assert set(reasons) - {critical[0], key_user[0]} <= set(others)
    priorities = dict(db.session.execute(select(Sample.reason, Sample.priority)).all())
    assert priorities == {"critical": 3, "key_user": 2, "weekly_min": 1}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "qa.plan_run"))
    assert event.actor_id == lead.id and event.detail == {"week": WEEK, "sampled": 5, "dropped": 0}


def test_only_the_weeks_decisions_of_the_plans_case_type_are_sampled(
    db, make_user, make_live_decisions, make_sampling_plan
):
    agent, lead = make_user("agent"), make_user("qa_lead")
    inside = make_live_decisions(agent, 1, decided_at=WEEK_START) + make_live_decisions(
        agent, 1, decided_at=WEEK_END - timedelta(microseconds=1)
    )
    make_live_decisions(agent, 1, decided_at=WEEK_START - timedelta(seconds=1))
    make_live_decisions(agent, 1, decided_at=WEEK_END)
    make_live_decisions(agent, 3, case_type="reset_2fa")
    plan, actor = load(db, make_sampling_plan(base_rate=1.0, weekly_min_per_agent=0), lead)

    run, _fresh = plans.run_plan(plan, WEEK, actor, seed=1)

    assert run.sampled == 2
    assert set(sampled(db)) == set(inside)


@pytest.mark.parametrize("again", [WEEK, "2026-W047"])
def test_running_a_plan_on_a_week_again_adds_nothing(
    db, make_user, make_live_decisions, make_sampling_plan, again
):
    agent, lead = make_user("agent"), make_user("qa_lead")
    make_live_decisions(agent, 200, confidence=0.4)
    plan, actor = load(db, make_sampling_plan(base_rate=0.1, weekly_min_per_agent=3), lead)
    first, fresh = plans.run_plan(plan, WEEK, actor, seed=5)
    db.session.commit()
    before = sampled(db)
    assert fresh is True and len(before) == first.sampled > 0

    make_live_decisions(agent, 50)  # more decisions arrive later in the same week
    second, fresh_again = plans.run_plan(plan, again, actor, seed=6)
    db.session.commit()

    assert fresh_again is False
    assert second.id == first.id and second.seed == 5
    assert sampled(db) == before
    assert db.session.scalar(select(PlanRun.id).where(PlanRun.id != first.id)) is None


def test_the_same_seed_on_the_same_data_picks_the_same_decisions(
    db, app, make_user, make_live_decisions, make_sampling_plan
):
    lead = make_user("qa_lead")
    for _ in range(4):
        make_live_decisions(make_user("agent"), 100, confidence=lambda i: 0.3 if i % 3 else 0.9)
    plan_id = make_sampling_plan(base_rate=0.1, weekly_min_per_agent=4, second_review_share=0.2)

    def fresh_run(seed):
        plan, actor = load(db, plan_id, lead)
        run, _fresh = plans.run_plan(plan, WEEK, actor, seed=seed)
        db.session.commit()
        picked = dict(db.session.execute(select(Sample.live_decision_id, Sample.needs_second_review)).all())
        db.session.execute(delete(Sample))
        db.session.execute(delete(PlanRun))
        db.session.commit()
        return picked

    first = fresh_run(2026)
    # Rewrite half the rows and refresh the planner's statistics, as routine maintenance would: the
    # database may now return the rows in another order, which must not move the draws to other decisions.
    half = list(db.session.scalars(select(LiveDecision.id).order_by(LiveDecision.id)))[::2]
    db.session.execute(update(LiveDecision).where(LiveDecision.id.in_(half)).values(rationale="Rewritten."))
    db.session.execute(text("ANALYZE live_decisions"))
    db.session.commit()
    again = fresh_run(2026)
    other = fresh_run(2027)

    assert len(first) > 40
    assert again == first
    assert set(other) != set(first)


def test_a_decision_sampled_by_another_plan_is_not_sampled_twice(
    db, make_user, make_team, make_live_decisions, make_sampling_plan
):
    team = make_team()
    agent, lead = make_user("agent", team=team), make_user("qa_lead")
    ids = make_live_decisions(agent, 30)
    team_plan, actor = load(db, make_sampling_plan(team=team, base_rate=1.0), lead)
    every_team = db.session.get(SamplingPlan, make_sampling_plan(base_rate=1.0))

    first, _ = plans.run_plan(team_plan, WEEK, actor, seed=1)
    second, fresh = plans.run_plan(every_team, WEEK, actor, seed=2)
    db.session.commit()

    assert (first.sampled, second.sampled, fresh) == (30, 0, True)
    assert sorted(sampled(db)) == sorted(ids)


def test_a_team_plan_samples_only_that_teams_agents(
    db, make_user, make_team, make_live_decisions, make_sampling_plan
):
    north, south = make_team("North"), make_team("South")
    mine = make_live_decisions(make_user("agent", team=north), 10)
    make_live_decisions(make_user("agent", team=south), 10)
    make_live_decisions(make_user("agent"), 10)  # in no team
    plan, actor = load(db, make_sampling_plan(team=north, base_rate=1.0), make_user("qa_lead"))

    run, _ = plans.run_plan(plan, WEEK, actor, seed=3)

    assert run.sampled == 10
    assert sorted(sampled(db)) == sorted(mine)


def test_agents_in_their_first_30_days_after_certification_get_the_higher_rate(
    db, make_user, make_live_decisions, make_sampling_plan, make_certification
):
    new, old, other_type, never = (make_user("agent") for _ in range(4))
    make_certification(new, WEEK_START - timedelta(days=10))
    make_certification(old, WEEK_START - timedelta(days=45))
    make_certification(other_type, WEEK_START - timedelta(days=5), case_type="reset_2fa")
    ids = {agent.id: make_live_decisions(agent, 20) for agent in (new, old, other_type, never)}
    plan_id = make_sampling_plan(base_rate=0.0, new_agent_rate=1.0, weekly_min_per_agent=0)
    plan, actor = load(db, plan_id, make_user("qa_lead"))

    run, _ = plans.run_plan(plan, WEEK, actor, seed=4)

    assert run.sampled == 20
    assert sorted(sampled(db)) == sorted(ids[new.id])
    assert set(sampled(db).values()) == {"random"}


def test_the_capacity_cap_limits_a_run(db, make_user, make_live_decisions, make_sampling_plan):
    agent = make_user("agent")
    critical = make_live_decisions(agent, 4, has_critical=True)
    make_live_decisions(agent, 100)
    plan_id = make_sampling_plan(base_rate=1.0, weekly_capacity=6)
    plan, actor = load(db, plan_id, make_user("qa_lead"))

    run, _ = plans.run_plan(plan, WEEK, actor, seed=9)

    reasons = sampled(db)
    assert run.sampled == 6 and len(reasons) == 6
    assert set(critical) <= set(reasons)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "qa.plan_run"))
    assert event.detail["dropped"] == 98


@pytest.mark.parametrize("week", ["2026-47", "2026-W54", "2026-W00", "W47", "", "twenty-W47", "2026-W4x"])
def test_a_bad_week_is_refused_and_nothing_is_written(
    db, make_user, make_live_decisions, make_sampling_plan, week
):
    make_live_decisions(make_user("agent"), 5)
    plan, actor = load(db, make_sampling_plan(base_rate=1.0), make_user("qa_lead"))

    with pytest.raises(DomainError) as refused:
        plans.run_plan(plan, week, actor)

    assert refused.value.field == "week"
    assert db.session.scalar(select(PlanRun.id)) is None and sampled(db) == {}


def test_saving_a_plan_bumps_its_version_and_records_events(db, make_user, make_case_type):
    kyc = make_case_type()
    lead = db.session.get(User, make_user("qa_lead").id)
    values = {"name": "KYC weekly", "case_type_id": kyc.id, "team_id": None, "base_rate": 0.02}
    values |= {"weekly_min_per_agent": 5, "new_agent_rate": 0.1, "weekly_capacity": 100}
    plan = plans.save_plan(None, values, lead)
    plans.save_plan(plan, {**values, "base_rate": 0.05}, lead)
    db.session.commit()

    assert (plan.version, plan.base_rate) == (2, 0.05)
    versions = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "qa.plan_save").order_by(AuditEvent.id)
    )
    assert [d["version"] for d in versions] == [1, 2]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"base_rate": 1.5}, "base_rate"),
        ({"new_agent_rate": -0.1}, "base_rate"),
        ({"weekly_capacity": 0}, "weekly_capacity"),
    ],
)
def test_a_plan_with_impossible_values_is_refused(db, make_user, make_case_type, change, field):
    kyc = make_case_type()
    values = {"name": "P", "case_type_id": kyc.id, "base_rate": 0.02, "new_agent_rate": 0.1}
    values |= {"weekly_capacity": 100} | change
    with pytest.raises(DomainError) as refused:
        plans.save_plan(None, values, db.session.get(User, make_user("qa_lead").id))
    assert refused.value.field == field
    assert db.session.scalar(select(SamplingPlan.id)) is None


def test_implications_of_a_plan(db, qa_clock, make_user, make_live_decisions, make_sampling_plan):
    for _ in range(2):
        make_live_decisions(make_user("agent"), 400)  # 2 agents × 400 in the last 28 days
    make_live_decisions(make_user("agent"), 50, decided_at=qa_clock.now - timedelta(days=40))  # too old
    make_live_decisions(make_user("agent"), 50, case_type="reset_2fa")  # another type
    plan = db.session.get(SamplingPlan, make_sampling_plan(base_rate=0.1, weekly_min_per_agent=5))

    implied = plans.implications(plan, qa_clock.now)

    assert implied["decisions_per_agent_week"] == 100.0
    assert implied["expected_per_agent_week"] == 10.0
    assert implied["half_width_week"] == pytest.approx(wilson_half_width(0.98, 10))
    assert implied["half_width_quarter"] == pytest.approx(wilson_half_width(0.98, 130))
    assert implied["half_width_quarter"] < implied["half_width_week"]
    assert implied["to_show_98"][0] == 149
    assert list(implied["to_show_98"]) == [0, 1, 2, 3]
    assert implied["to_show_98"][1] > 149


def test_implications_with_no_decisions(db, qa_clock, make_sampling_plan):
    implied = plans.implications(db.session.get(SamplingPlan, make_sampling_plan()), qa_clock.now)
    assert implied["decisions_per_agent_week"] == 0.0
    assert implied["expected_per_agent_week"] == 0.0
    assert implied["half_width_week"] is None and implied["half_width_quarter"] is None
    assert implied["to_show_98"][0] == 149


def invoke(app, *args):
    with app.app_context():
        return app.test_cli_runner().invoke(sample_command, list(args))


def test_the_sample_command_runs_active_plans_once_per_week(
    app, make_user, make_live_decisions, make_sampling_plan
):
    make_live_decisions(make_user("agent"), 10)
    kyc = make_sampling_plan(name="KYC weekly", base_rate=1.0)
    idle = make_sampling_plan(name="Idle", base_rate=1.0, case_type="reset_2fa", active=False)

    first = invoke(app, "--week", WEEK, "--seed", "77")
    again = invoke(app, "--week", WEEK)

    assert first.exit_code == 0, first.output
    assert first.output.strip() == f"KYC weekly v1, {WEEK}: 10 sampled (seed 77)"
    assert again.exit_code == 0
    assert again.output.strip() == f"KYC weekly v1, {WEEK}: already sampled; nothing added"
    with app.app_context():
        from app.extensions import db

        runs = db.session.execute(select(PlanRun.plan_id, PlanRun.seed, PlanRun.sampled)).all()
        assert runs == [(kyc, 77, 10)]
    only_idle = invoke(app, "--week", WEEK, "--plan", str(idle))
    assert only_idle.exit_code == 0 and "Idle v1" in only_idle.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--week", "2026-47"], "Give the week as YYYY-Www"),
        (["--week", WEEK, "--plan", "999"], "no matching sampling plan"),
    ],
)
def test_the_sample_command_refuses_bad_input(
    app, make_live_decisions, make_user, make_sampling_plan, args, message
):
    make_live_decisions(make_user("agent"), 3)
    make_sampling_plan(base_rate=1.0)
    result = invoke(app, *args)
    assert result.exit_code == 1
    assert message in result.output
    with app.app_context():
        from app.extensions import db

        assert db.session.scalar(select(PlanRun.id)) is None
