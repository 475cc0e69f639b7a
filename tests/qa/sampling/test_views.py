"""Plan pages: a lead creates, edits and runs a sampling plan."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.qa.sampling.models import PlanRun, Sample, SamplingPlan
from tests.forms import page_form
from tests.qa.conftest import WEEK, count_rows, field_errors, flashes, signed_in

PLAN_FORM = {
    "name": "KYC weekly",
    "case_type": "kyc_audit",
    "team": "0",
    "base_rate": "1",
    "weekly_min_per_agent": "5",
    "new_agent_rate": "0.1",
    "low_confidence_below": "0.6",
    "low_confidence_weight": "2",
    "override_weight": "3",
    "weekly_capacity": "500",
    "second_review_share": "0.05",
}


def test_a_lead_creates_edits_and_runs_a_plan(
    app, client, auth, make_case_type, make_user, make_team, make_live_decisions
):
    make_case_type()
    team = make_team(name="Manila KYC")
    make_live_decisions(make_user("agent", team=team), 12)
    auth.login_as("qa_lead")
    assert "Every team" in client.get("/qa/plans/new").get_data(as_text=True)

    created = page_form(client, "/qa/plans/new").fill(**PLAN_FORM).submit()
    assert created.status_code == 302
    plan_url = created.location
    page = client.get(plan_url)
    assert ("success", "Plan saved (version 1).") in flashes(page)
    text = page.get_data(as_text=True)
    assert "149 with 0 errors" in text and "236 with 1 error" in text

    edit = page_form(client, plan_url, having="base_rate").fill(team=str(team.id), base_rate="0.5")
    edited = edit.submit(follow_redirects=True)
    assert ("success", "Plan saved (version 2).") in flashes(edited)
    with app.app_context():
        plan = db.session.scalar(select(SamplingPlan))
        assert (plan.version, plan.base_rate, plan.team_id, plan.name) == (2, 0.5, team.id, "KYC weekly")
        plan_id = plan.id

    run_url = f"/qa/plans/{plan_id}/run"
    run = page_form(client, plan_url, action=run_url).fill(week=WEEK).submit(follow_redirects=True)
    with app.app_context():
        sampled = db.session.scalar(select(PlanRun.sampled))
        assert db.session.scalar(select(PlanRun.plan_version)) == 2
    assert sampled >= 5
    assert ("success", f"{sampled} decisions sampled for {WEEK}.") in flashes(run)
    again = page_form(client, plan_url, action=run_url).fill(week=WEEK).submit(follow_redirects=True)
    assert ("info", f"{WEEK} was already sampled with this plan; nothing was added.") in flashes(again)
    assert count_rows(app, Sample) == sampled and count_rows(app, PlanRun) == 1
    assert f"<td>{WEEK}</td>" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    "week, message",
    [
        ("2026-47", "Give the week as YYYY-Www, like 2026-W47."),
        ("2026-W60", "Give the week as YYYY-Www, like 2026-W47."),
    ],
)
def test_a_run_with_a_bad_week_says_so_and_adds_nothing(
    app, make_user, make_live_decisions, make_sampling_plan, week, message
):
    make_live_decisions(make_user("agent"), 5)
    plan_id = make_sampling_plan(base_rate=1.0)
    client = signed_in(app, make_user("qa_lead"))
    form = page_form(client, f"/qa/plans/{plan_id}", action=f"/qa/plans/{plan_id}/run").fill(week=week)
    response = form.submit(follow_redirects=True)
    assert ("error", message) in flashes(response)
    assert count_rows(app, PlanRun) == 0 and count_rows(app, Sample) == 0


@pytest.mark.parametrize(
    "change, field",
    [
        ({"base_rate": "1.5"}, "base_rate"),
        ({"weekly_capacity": "0"}, "weekly_capacity"),
        ({"name": ""}, "name"),
        ({"low_confidence_weight": "0.5"}, "low_confidence_weight"),
        ({"second_review_share": "abc"}, "second_review_share"),
    ],
)
def test_a_bad_plan_is_422_with_the_error_by_its_field(app, client, auth, make_case_type, change, field):
    make_case_type()
    auth.login_as("qa_lead")
    response = page_form(client, "/qa/plans/new").fill(**{**PLAN_FORM, **change}).submit()
    assert response.status_code == 422
    assert list(field_errors(response.get_data(as_text=True))) == [field]
    assert count_rows(app, SamplingPlan) == 0
