"""Journeys: each role's navigation, switching to Chinese, and an admin creating a golden case."""

import pytest

from app.demo.people import DEMO_PASSWORDS
from tests.e2e.conftest import shot, sign_in

pytestmark = pytest.mark.e2e

EXPECTED_NAV = {
    "agent01": ("agent", ["home", "learn", "sop", "calibration", "my_quality", "my_audits"]),
    "lead1": ("qa_lead", ["home", "sop", "cohort", "calibration", "qa", "dashboard", "golden"]),
    "manager1": ("manager", ["home", "sop", "cohort", "calibration", "dashboard"]),
    "admin": (
        "admin",
        [
            "home",
            "sop",
            "cohort",
            "calibration",
            "qa",
            "dashboard",
            "golden",
            "users",
            "teams",
            "case_types",
            "tokens",
        ],
    ),
}


@pytest.mark.parametrize("username", sorted(EXPECTED_NAV))
def test_each_role_sees_its_navigation(page, username):
    role, expected = EXPECTED_NAV[username]
    sign_in(page, username, DEMO_PASSWORDS[role])
    nav = page.locator("nav.nav [data-nav]")
    assert [nav.nth(i).get_attribute("data-nav") for i in range(nav.count())] == expected
    if role == "agent":
        page.goto("/admin/users")
        assert "You do not have access to this page." in page.content()
    shot(page, f"nav-{role}")


def test_switching_language_shows_chinese_and_is_remembered(page, browser, base_url):
    sign_in(page, "agent02", DEMO_PASSWORDS["agent"])
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.get_by_role("button", name="退出登录").is_visible()
    shot(page, "home-zh")
    # A new browser signs in straight into Chinese: the choice was saved for the user.
    other = browser.new_context(base_url=base_url).new_page()
    other.goto("/login")
    other.fill("#username", "agent02")
    other.fill("#password", DEMO_PASSWORDS["agent"])
    other.locator("button[type=submit].primary").click()
    other.wait_for_url(lambda url: "/login" not in url)
    assert other.locator("html").get_attribute("lang") == "zh-Hans"
    other.get_by_role("button", name="English").click()
    other.context.close()


def test_admin_creates_a_golden_case(page):
    sign_in(page, "admin", DEMO_PASSWORDS["admin"])
    page.get_by_role("link", name="Golden cases").click()
    page.get_by_role("link", name="New golden case").click()
    page.get_by_label("Key").fill("kyc_audit-e2e-001")
    page.get_by_label("Case type").select_option("kyc_audit")
    page.get_by_label("Scenario tag").fill("kyc.doc_tamper")
    page.get_by_label("Priority (0–100)").fill("82")
    page.get_by_label("Opened at (ISO 8601, UTC)").fill("2026-11-02T09:30:00Z")
    page.get_by_label("Signals (JSON object)").fill('{"document_type": "passport", "tamper_score": 0.93}')
    page.get_by_label("Decision agent's recommendation").select_option("pass")
    page.get_by_label("Confidence (0–1)").fill("0.58")
    page.get_by_label("Reasoning steps (one per line)").fill("Name match 0.98.\nTamper score weighted low.")
    page.get_by_label("Reference decision").select_option("pass")  # wrong on purpose: a Key User
    page.get_by_label("Label", exact=True).select_option("FN")
    page.get_by_label("Root cause").select_option("A")
    page.get_by_label("Rationale (three sentences at most)").fill(
        "Tamper score 0.93 shows an edited MRZ. Key User, so escalate."
    )
    page.get_by_label("SOP reference").fill("KYC-3.2")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Key User cases (priority 75 or more) are always escalated.").is_visible()
    shot(page, "golden-create-error")
    page.get_by_label("Reference decision").select_option("escalate")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/golden/*")
    assert page.get_by_role("heading", name="kyc_audit-e2e-001").is_visible()
    assert page.get_by_text("Key User").first.is_visible()
