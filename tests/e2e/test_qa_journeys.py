"""Live QA journey: a lead uploads a CSV with errors, sees them by row, fixes it and imports it; runs a
sampling plan, claims and audits samples; the agent disputes a verdict and a manager overturns it."""

import csv
import io
from datetime import timedelta

import pytest

from app.demo.people import DEMO_PASSWORDS
from app.qa.decisions.ingest_format import template_csv
from tests.conftest import utcnow
from tests.e2e.conftest import shot, sign_in

pytestmark = pytest.mark.e2e
AGENT = "agent16"
COLUMNS = next(csv.reader(io.StringIO(template_csv(AGENT, "ato_investigation"))))


def _csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _decisions() -> list[dict]:
    now = utcnow() - timedelta(hours=6)
    rows = []
    for number, (decision, priority) in enumerate((("pass", 90), ("block", 20), ("pass", 30), ("block", 40))):
        opened = now - timedelta(minutes=10 * number)
        rows.append(
            {
                "decision_id": f"E2E-QA-{number}",
                "agent": AGENT,
                "case_type": "ato_investigation",
                "scenario": "ato.new_device_withdrawal",
                "case_ref": f"CASE-{number}",
                "decision": decision,
                "agent_recommendation": "block",
                "confidence": "0.71",
                "priority": str(priority),
                "opened_at": opened.isoformat(),
                "decided_at": (opened + timedelta(minutes=30)).isoformat(),
                "label": "TP" if decision == "block" else "FP",
                "root_cause": "" if decision == "block" else "B",
                "rationale": "New device and a new withdrawal address within an hour.",
                "signals": "{}",
            }
        )
    return rows


def test_lead_imports_samples_audits_and_a_manager_overturns_a_dispute(page, browser, base_url, tmp_path):
    sign_in(page, "lead2", DEMO_PASSWORDS["qa_lead"])
    good = _decisions()
    bad = [dict(row) for row in good]
    bad[1]["agent"] = "nobody-here"
    bad[3]["confidence"] = "1.7"
    broken = tmp_path / "broken.csv"
    broken.write_bytes(_csv(bad))
    page.goto("/qa/import")
    page.get_by_label("Decisions file (CSV, UTF-8)").set_input_files(str(broken))
    page.get_by_role("button", name="Check and import").click()
    errors = page.locator("table.import-errors tbody tr")
    assert errors.count() == 2
    first, second = errors.nth(0), errors.nth(1)
    assert first.locator("td").nth(0).inner_text() == "3" and "agent" in first.inner_text()
    assert second.locator("td").nth(0).inner_text() == "5" and "confidence" in second.inner_text()
    shot(page, "qa-upload-errors")
    fixed = tmp_path / "fixed.csv"
    fixed.write_bytes(_csv(good))
    page.get_by_label("Decisions file (CSV, UTF-8)").set_input_files(str(fixed))
    page.get_by_role("button", name="Check and import").click()
    assert page.get_by_text("4 decisions stored; 0 already stored.").is_visible()

    page.goto("/qa/plans/new")
    page.get_by_label("Plan name").fill("ATO, every decision")
    page.get_by_label("Case type").select_option("ato_investigation")
    page.get_by_label("Base rate (0–1)").fill("1")
    page.get_by_role("button", name="Save the plan").click()
    assert page.locator("[data-implications]").is_visible()
    page.locator("[data-action=run-plan]").click()
    assert page.get_by_text("4 decisions sampled").is_visible()
    shot(page, "qa-plan-run")

    for _sample in range(4):
        page.goto("/qa")
        page.locator("[data-action=claim]").click()
        page.wait_for_url("**/qa/samples/*")
        if "E2E-QA-0" in page.locator("h1").inner_text():  # the Key User passed: a critical miss
            assert page.get_by_text("key_user_not_escalated").is_visible()
            page.get_by_label("Incorrect").check()
            page.get_by_label("Severity").select_option("critical")
            page.get_by_label("Corrected decision").select_option("escalate")
            page.get_by_label("Note").fill("Key User: must be escalated.")
        else:
            page.get_by_label("Correct", exact=True).check()
        page.get_by_role("button", name="Save the verdict").click()
        assert page.get_by_text("Audit saved.").is_visible()
    shot(page, "qa-audited")

    agent = browser.new_context(base_url=base_url).new_page()
    sign_in(agent, AGENT, DEMO_PASSWORDS["agent"])
    agent.goto("/qa/mine")
    row = agent.locator("tr", has_text="E2E-QA-0")
    row.locator("summary").click()
    row.locator("textarea").fill("The customer's priority was updated after I decided.")
    row.get_by_role("button", name="Send the dispute").click()
    assert agent.get_by_text("Dispute sent.").is_visible()

    manager = browser.new_context(base_url=base_url).new_page()
    sign_in(manager, "manager1", DEMO_PASSWORDS["manager"])
    manager.goto("/qa/disputes")
    card = manager.locator("article", has_text="E2E-QA-0")
    card.get_by_label("Overturn it").check()
    card.get_by_label("Note to the agent").fill("Priority changed after the decision; overturned.")
    card.get_by_role("button", name="Resolve").click()
    assert manager.get_by_text("Dispute resolved.").is_visible()
    shot(manager, "qa-dispute-overturned")
    manager.context.close()

    agent.reload()
    verdict = agent.locator("tr", has_text="E2E-QA-0")
    assert "correct" in verdict.inner_text() and "overturned" in verdict.inner_text()
    agent.context.close()
