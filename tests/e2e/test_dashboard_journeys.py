"""Dashboard journey: a manager opens the dashboards, the charts really draw, filters by vendor, downloads
an export and reads the page in Chinese."""

import pytest

from app.demo.people import DEMO_PASSWORDS
from tests.e2e.conftest import build_live_app, serve, shot, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """Its own database with the demo's twelve weeks of activity, apart from the other journeys' queue."""
    return build_live_app(tmp_path_factory.mktemp("e2e-dashboards"), with_activity=True)


@pytest.fixture(scope="module")
def base_url(live_app):
    yield from serve(live_app)


def test_manager_reads_the_dashboards(page, tmp_path):
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
