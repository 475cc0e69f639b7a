"""Calibration journey: a lead creates a session, three agents label it blind (one in Chinese), the lead
closes it, reads the report with its heatmap drawn, settles two cases and promotes a live case to gold."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.calibration import services as calibration
from app.cases.models import CaseType, GoldenCase
from app.demo.people import DEMO_PASSWORDS
from app.extensions import db
from tests.conftest import utcnow
from tests.e2e.conftest import shot, sign_in

pytestmark = pytest.mark.e2e
AGENTS = ("agent10", "agent11", "agent29")  # agent29 works in Chinese


def _label_all(page, choices):
    for decision, label in choices:
        page.locator(f"input[name=decision][value={decision}]").check()
        page.locator(f"input[name=label][value={label}]").check()
        page.locator(f"input[name=root_cause][value='{'B' if label in ('FP', 'FN') else ''}']").check()
        page.locator("textarea[name=rationale]").fill("Signals point this way.")
        with page.expect_navigation():
            page.locator("form.answer-form button[type=submit]").click()


def test_lead_runs_a_calibration_session(page, browser, base_url, live_app):
    sign_in(page, "lead2", DEMO_PASSWORDS["qa_lead"])
    page.goto("/calibration/new")
    page.get_by_label("Session name").fill("ATO week 48")
    page.get_by_label("Case type").select_option("ato_investigation")
    page.get_by_label("Deadline (UTC)").fill((utcnow() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Scenario filter (optional)").fill("ato.impossible_travel")
    page.get_by_label("How many golden cases to draw").fill("4")
    with live_app.app_context():
        ids = {
            u.username: str(u.id) for u in db.session.scalars(select(User).where(User.username.in_(AGENTS)))
        }
    page.get_by_label("Participants").select_option([ids[name] for name in AGENTS])
    page.get_by_role("button", name="Create the session").click()
    page.wait_for_url("**/calibration/*")
    session_url = page.url
    shot(page, "calibration-created")

    answers = {
        "agent10": [("block", "TP")] * 4,
        "agent11": [("block", "TP"), ("block", "TP"), ("pass", "FP"), ("escalate", "TP")],
        "agent29": [("block", "TP"), ("pass", "FP"), ("pass", "FP"), ("escalate", "TP")],
    }
    for name in AGENTS:
        agent = browser.new_context(base_url=base_url).new_page()
        sign_in(agent, name, DEMO_PASSWORDS["agent"])
        agent.goto(session_url)
        agent.locator(".exam-nav a").first.click()
        if name == "agent29":
            assert agent.locator("html").get_attribute("lang") == "zh-Hans"
            shot(agent, "calibration-label-zh")
        _label_all(agent, answers[name])
        assert agent.locator("[data-session-status=open]").is_visible()
        assert agent.get_by_role("link", name="Agreement report").count() == 0  # blind until close
        agent.context.close()

    page.goto(session_url)
    page.locator("[data-action=close]").click()
    page.wait_for_url("**/report")
    assert page.locator("[data-alpha=decision] .stat").inner_text().startswith("α")
    heatmap = page.locator("#kappa-heatmap")
    heatmap.locator(".main-svg").first.wait_for()
    assert heatmap.locator(".heatmaplayer image, .heatmaplayer .hm").count() >= 1  # the heatmap drew
    assert page.locator("[data-table=participants] tbody tr").count() == 3
    shot(page, "calibration-report")

    for position in (1, 2):
        page.goto(f"{session_url}/cases/{position}/settle")
        page.get_by_label("Discussion note").fill("Discussed: impossible travel without a VPN is risky.")
        page.get_by_role("button", name="Save the note").click()
        page.get_by_role("button", name="Settle").click()
        assert page.get_by_text("settled", exact=True).is_visible()
    shot(page, "calibration-settled")

    # QA's misclassification batch brings a live decision, which the lead settles and promotes to gold.
    with live_app.app_context():
        lead = db.session.scalar(select(User).where(User.username == "lead2"))
        ato = db.session.scalar(select(CaseType).where(CaseType.slug == "ato_investigation"))
        live = calibration.create_session(
            "ATO misclassified live decisions",
            ato,
            utcnow() + timedelta(days=1),
            list(db.session.scalars(select(User).where(User.username.in_(AGENTS)))),
            [],
            lead,
            live_cases=[
                {
                    "live_ref": "D-2026-000123",
                    "content": {
                        "scenario": "ato.session_hijack",
                        "priority": 40,
                        "opened_at": "2026-11-20T09:00:00Z",
                        "signals": {
                            "session_token_reuse": True,
                            "new_ip_country": "RO",
                            "login_country": "SG",
                        },
                        "recommendation": "pass",
                        "confidence": 0.71,
                        "reasoning": ["Device known.", "No password change."],
                    },
                }
            ],
        )
        calibration.close_session(live, lead)
        db.session.commit()
        live_id = live.id
    page.goto(f"/calibration/{live_id}/cases/1/settle")
    page.get_by_label("Reference decision").select_option("block")
    page.get_by_label("Label", exact=True).select_option("FN")
    page.get_by_label("Root cause").select_option("C")
    page.get_by_label("Rationale (three sentences at most)").fill(
        "A reused session token from a new country is a hijack. The SOP has no session-hijack rule."
    )
    page.get_by_label("SOP reference").fill("ATO-2.1")
    page.get_by_role("button", name="Settle").click()
    page.get_by_label("New golden case key").fill("ato_investigation-live-123")
    page.get_by_role("button", name="Promote to gold").click()
    page.get_by_role("link", name="Promoted: open the golden case").click()
    assert page.get_by_role("heading", name="ato_investigation-live-123").is_visible()
    shot(page, "calibration-promoted")
    with live_app.app_context():
        assert db.session.scalar(
            select(GoldenCase.scenario).where(GoldenCase.key == "ato_investigation-live-123")
        )
