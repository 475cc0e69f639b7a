"""Dashboard journey: a manager opens the dashboards, the charts really draw, filters by vendor, downloads
an export and reads the page in Chinese."""

import pytest
from sqlalchemy import select

from app.demo.activity_services import seed_demo_activity
from app.demo.people import DEMO_PASSWORDS
from app.extensions import db
from app.qa.models import LiveDecision
from tests.e2e.conftest import shot, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def activity(live_app):
    """The demo's twelve weeks of decisions, audits and exams (once for the module)."""
    with live_app.app_context():
        if not db.session.scalar(
            select(LiveDecision.id).where(LiveDecision.decision_id.like("D-%")).limit(1)
        ):
            seed_demo_activity()
            db.session.commit()


def test_manager_reads_the_dashboards(page, activity, tmp_path):
    sign_in(page, "manager1", DEMO_PASSWORDS["manager"])
    page.goto("/dashboard")
    assert page.locator("[data-table=leaderboard] tbody tr").count() >= 30
    statuses = set(
        page.locator("[data-table=leaderboard] [data-status]").evaluate_all(
            "els => els.map(e => e.dataset.status)"
        )
    )
    assert {"above", "below", "inconclusive"} <= statuses  # a meaningful spread, not everyone the same
    page.get_by_label("Vendor").select_option("Atlas Support")
    page.get_by_role("button", name="Apply").click()
    vendors = page.locator("[data-table=vendors] tbody tr")
    assert vendors.count() == 1 and "Atlas Support" in vendors.inner_text()
    shot(page, "dashboard-vendor")

    with page.expect_download() as download:
        page.locator("[data-exports] a", has_text="CSV").first.click()
    saved = tmp_path / "decisions.csv"
    download.value.save_as(saved)
    lines = saved.read_text().splitlines()
    assert lines[0].startswith("decision_id,agent,case_type") and len(lines) > 100

    page.locator("[data-table=leaderboard] tbody tr a").first.click()
    chart = page.locator("#accuracy-chart")
    chart.locator(".main-svg").first.wait_for()
    assert chart.locator(".scatterlayer .point").count() >= 6  # the weekly points really drew
    page.locator("#matrix-chart .main-svg").first.wait_for()
    shot(page, "dashboard-agent")

    page.goto("/dashboard/decision-agent")
    page.locator("#rates-chart .scatterlayer .point").first.wait_for()
    assert page.locator("#error-histogram .barlayer .point").count() >= 1

    page.get_by_role("button", name="简体中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.locator("#rates-chart .main-svg").first.wait_for()
    assert page.locator("h1").inner_text() != "Decision agent quality"  # the page is in Chinese
    shot(page, "dashboard-zh")
    page.get_by_role("button", name="English").click()
