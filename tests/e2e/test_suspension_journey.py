"""Suspension journey: an audit verdict takes a certified agent past the monitoring rule's boundary, so
the rule proposes a suspension; a lead reads the evidence and confirms it; the agent sees it, disputes a
verdict behind it, another lead overturns that verdict, and the suspension is lifted and the agent told."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.auth.models import User
from app.cases.models import CaseType
from app.demo.people import DEMO_PASSWORDS
from app.extensions import db
from app.onboarding.models import Certification
from app.qa.audits.models import Audit
from app.qa.decisions.models import LiveDecision
from app.qa.quality import rollup
from tests.e2e.conftest import shot, sign_in

pytestmark = pytest.mark.e2e
AGENT, AUDITOR, RESOLVER = "agent07", "lead1", "lead2"
# Six right, three wrong, then one the auditor first called right: three errors don't cross the
# boundary; the fourth, at audit 10, does.
VERDICTS = ["correct"] * 6 + ["incorrect"] * 3 + ["correct"]


def seed_audited_agent(live_app) -> int:
    """Certify the agent for KYC and store ten audited decisions of theirs; returns the last audit's id."""
    with live_app.app_context():
        agent = db.session.scalar(select(User).where(User.username == AGENT))
        auditor = db.session.scalar(select(User).where(User.username == AUDITOR))
        kyc = db.session.scalar(select(CaseType).where(CaseType.slug == "kyc_audit"))
        now = clock.now()
        db.session.add(
            Certification(
                user_id=agent.id,
                case_type_id=kyc.id,
                certified_at=now - timedelta(days=60),
                expires_at=now + timedelta(days=300),
            )
        )
        ids = []
        for number, verdict in enumerate(VERDICTS):
            decided = now - timedelta(hours=20 - number)
            decision = LiveDecision(
                decision_id=f"E2E-SUSP-{number:02d}",
                agent_id=agent.id,
                case_type_id=kyc.id,
                scenario="kyc.doc_tamper",
                case_ref=f"SUSP-{number}",
                decision="pass",
                agent_recommendation="pass",
                confidence=0.8,
                priority=20,
                opened_at=decided - timedelta(hours=1),
                decided_at=decided,
                label="TN",
                rationale="Documents consistent.",
                signals={},
            )
            db.session.add(decision)
            db.session.flush()
            audit = Audit(
                live_decision_id=decision.id,
                auditor_id=auditor.id,
                verdict=verdict,
                effective_verdict=verdict,
                severity="major" if verdict == "incorrect" else None,
                corrected_decision="block" if verdict == "incorrect" else None,
                corrected_label="FN" if verdict == "incorrect" else None,
                created_at=now - timedelta(minutes=30 - number),
                updated_at=now,
            )
            db.session.add(audit)
            db.session.flush()
            ids.append(audit.id)
        rollup.count_audits(Audit.id.in_(ids))
        db.session.commit()
        return ids[-1]


def test_a_proposed_suspension_is_confirmed_then_lifted_when_its_verdict_is_overturned(
    page, browser, base_url, live_app
):
    last_audit = seed_audited_agent(live_app)

    # The auditor corrects their last verdict: the fourth error takes the agent past the boundary.
    sign_in(page, AUDITOR, DEMO_PASSWORDS["qa_lead"])
    page.goto(f"/qa/audits/{last_audit}/edit")
    page.get_by_label("Incorrect").check()
    page.get_by_label("Severity").select_option("major")
    page.get_by_label("Corrected decision").select_option("block")
    page.get_by_label("Corrected label").select_option("FN")
    page.get_by_role("button", name="Save the verdict").click()  # wait_for: until the redirect lands
    page.get_by_text("Audit updated.").wait_for()

    # The rule proposed; nothing is suspended until a lead confirms.
    page.goto("/qa")
    page.get_by_role("link", name="Suspension proposals").click()
    row = page.locator("table[data-table=pending] tr", has_text="KYC")
    assert "at audit 10" in row.inner_text()
    row.get_by_role("link", name="Review the evidence").click()
    assert page.locator("table[data-table=audits] tbody tr").count() == 10
    assert page.locator("tr[data-crossing]").get_attribute("data-number") == "10"
    assert "At audit 10, with 4 errors so far" in page.locator("[data-boundary]").inner_text()
    assert "60.0% correct over 10 audits" in page.locator("[data-estimate]").inner_text()
    shot(page, "suspension-evidence")
    page.get_by_label("Note (optional)").fill("Four documents passed with tamper signs.")
    page.get_by_role("button", name="Confirm the suspension").click()
    page.get_by_text("Suspension confirmed; the agent sees it on their learning page.").wait_for()

    agent = browser.new_context(base_url=base_url, locale="en-US").new_page()
    sign_in(agent, AGENT, DEMO_PASSWORDS["agent"])
    agent.goto("/learn")
    card = agent.locator("article[data-case-type=kyc_audit]")
    assert card.get_attribute("data-status") == "suspended"
    assert "Suspended: the monitoring rule found 4 errors" in card.inner_text()
    assert agent.locator("[data-notice=suspended]").is_visible()
    shot(agent, "suspension-agent-suspended")

    # The agent disputes the corrected verdict; another lead overturns it.
    agent.goto("/qa/mine")
    disputed = agent.locator("tr", has_text="E2E-SUSP-09")
    disputed.locator("summary").click()
    disputed.locator("textarea").fill("The tamper score was the scanner's glare; the document is genuine.")
    disputed.get_by_role("button", name="Send the dispute").click()
    agent.get_by_text("Dispute sent.").wait_for()

    resolver = browser.new_context(base_url=base_url, locale="en-US").new_page()
    sign_in(resolver, RESOLVER, DEMO_PASSWORDS["qa_lead"])
    resolver.goto("/qa/disputes")
    dispute = resolver.locator("article", has_text="E2E-SUSP-09")
    dispute.get_by_label("Overturn it").check()
    dispute.get_by_label("Note to the agent").fill("Glare, not tampering: overturned.")
    dispute.get_by_role("button", name="Resolve").click()
    resolver.get_by_text("Dispute resolved.").wait_for()
    resolver.goto("/qa/suspensions")
    lifted = resolver.locator("table[data-table=decided] tr", has_text="KYC").first
    assert lifted.get_attribute("data-status") == "lifted"
    resolver.context.close()

    agent.goto("/learn")
    card = agent.locator("article[data-case-type=kyc_audit]")
    assert card.get_attribute("data-status") != "suspended"
    notice = agent.locator("[data-notice=lifted]")
    assert "Your suspension on KYC Audit was lifted on" in notice.inner_text()
    assert "the audit behind it was overturned" in notice.inner_text()
    shot(agent, "suspension-agent-lifted")
    agent.context.close()
