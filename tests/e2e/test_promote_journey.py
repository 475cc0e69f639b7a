"""From a misclassification batch to a golden case: a lead imports live decisions the decision agent got
wrong, makes a calibration session of their batch, two agents label it blind, the lead closes it, settles a
case and promotes it to gold with the reasoning the page drafts; the new golden case passes the seed format's
validation with its reference answer."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.cases.golden_format import validate_golden_payload
from app.cases.models import GoldenCase
from app.cases.services import case_to_item
from app.demo.people import DEMO_PASSWORDS
from app.extensions import db
from app.qa.decisions.ingest_format import DECISION_FIELDS
from tests.conftest import utcnow
from tests.e2e.conftest import build_live_app, serve, shot, sign_in

pytestmark = pytest.mark.e2e
PARTICIPANTS = ("agent10", "agent11")
SIGNALS = {"document_type": "passport", "tamper_score": 0.91, "name_match_score": 0.97}
DRAFT = [
    "Recommendation: Pass (confidence 0.62).",
    "Signals read: document_type passport, name_match_score 0.97, tamper_score 0.91.",
]
RATIONALE = "Tamper score 0.91 shows an edited MRZ. The model under-weights tamper signals."
KEY = "kyc_audit-live-e2e-1"


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """Its own database: the batch below must be the only one, apart from the other journeys' decisions."""
    return build_live_app(tmp_path_factory.mktemp("e2e-promote"))


@pytest.fixture(scope="module")
def base_url(live_app):
    yield from serve(live_app)


def _misclassified_csv() -> bytes:
    """Three decisions where the agent said pass and the reviewer blocked: FN, root cause A."""
    decided = utcnow() - timedelta(hours=6)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=DECISION_FIELDS)
    writer.writeheader()
    for number in range(3):
        opened = decided - timedelta(minutes=40 + number)
        writer.writerow(
            {
                "decision_id": f"E2E-PROMOTE-{number}",
                "agent": "agent16",
                "case_type": "kyc_audit",
                "scenario": "kyc.doc_tamper",
                "case_ref": f"CASE-P{number}",
                "decision": "block",
                "agent_recommendation": "pass",
                "confidence": "0.62",
                "priority": "30",
                "opened_at": opened.isoformat(),
                "decided_at": (opened + timedelta(minutes=30)).isoformat(),
                "label": "FN",
                "root_cause": "A",
                "rationale": "Edited MRZ.",
                "signals": '{"document_type": "passport", "tamper_score": 0.91, "name_match_score": 0.97}',
            }
        )
    return out.getvalue().encode()


def _label_every_case(page) -> None:
    page.locator(".exam-nav a").first.click()
    for _case in range(3):
        page.locator("input[name=decision][value=block]").check()
        page.locator("input[name=label][value=FN]").check()
        page.locator("input[name=root_cause][value=A]").check()
        page.locator("textarea[name=rationale]").fill("The tamper score was ignored.")
        with page.expect_navigation():
            page.locator("form.answer-form button[type=submit]").click()


def test_a_lead_promotes_a_case_of_a_misclassification_batch_to_gold(
    page, browser, base_url, live_app, tmp_path
):
    sign_in(page, "lead2", DEMO_PASSWORDS["qa_lead"])
    upload = tmp_path / "misclassified.csv"
    upload.write_bytes(_misclassified_csv())
    page.goto("/qa/import")
    page.get_by_label("Decisions file (CSV, UTF-8)").set_input_files(str(upload))
    page.get_by_role("button", name="Check and import").click()
    assert page.get_by_text("3 decisions stored; 0 already stored.").is_visible()

    page.goto("/qa/batches")
    batch = page.locator("article", has_text="kyc.doc_tamper")
    assert batch.locator(".stat").inner_text() == "3"
    batch.locator("summary").click()
    batch.get_by_label("Session name").fill("Tamper misses, week 48")
    with live_app.app_context():
        ids = [str(u.id) for u in db.session.scalars(select(User).where(User.username.in_(PARTICIPANTS)))]
    batch.get_by_label("Participants").select_option(ids)
    batch.get_by_role("button", name="Create the session").click()
    page.wait_for_url("**/calibration/*")
    session_url = page.url
    shot(page, "promote-session-created")

    for name in PARTICIPANTS:
        agent = browser.new_context(base_url=base_url).new_page()
        sign_in(agent, name, DEMO_PASSWORDS["agent"])
        agent.goto(session_url)
        _label_every_case(agent)
        assert agent.get_by_text("3 of 3 labelled").is_visible()
        agent.context.close()

    page.goto(session_url)
    page.locator("[data-action=close]").click()
    page.wait_for_url("**/report")

    page.goto(f"{session_url}/cases/1/settle")
    page.get_by_label("Reference decision").select_option("block")
    page.get_by_label("Label", exact=True).select_option("FN")
    page.get_by_label("Root cause").select_option("A")
    page.get_by_label("Rationale (three sentences at most)").fill(RATIONALE)
    page.get_by_label("SOP reference").fill("KYC-3.2")
    page.get_by_role("button", name="Settle").click()
    assert page.get_by_text("Saved.").is_visible()
    reasoning = page.get_by_label("Reasoning steps (one per line)")
    assert reasoning.input_value() == "\n".join(DRAFT)  # drafted from what the decision agent output
    assert page.get_by_label("Scenario tag").input_value() == "kyc.doc_tamper"
    page.get_by_label("New golden case key").fill(KEY)
    page.get_by_label("Difficulty").select_option("hard")
    shot(page, "promote-form")
    page.get_by_role("button", name="Promote to gold").click()
    page.get_by_role("link", name="Promoted: open the golden case").click()
    assert page.get_by_role("heading", name=KEY).is_visible()
    assert page.get_by_text(DRAFT[0]).is_visible()
    shot(page, "promote-golden-case")

    with live_app.app_context():
        golden = db.session.scalar(select(GoldenCase).where(GoldenCase.key == KEY))
        item = case_to_item(golden)
        assert (item["scenario"], item["difficulty"], item["signals"]) == ("kyc.doc_tamper", "hard", SIGNALS)
        assert (item["recommendation"], item["confidence"], item["reasoning"]) == ("pass", 0.62, DRAFT)
        assert item["answer"] == {
            "decision": "block",
            "label": "FN",
            "root_cause": "A",
            "rationale": RATIONALE,
            "sop_ref": "KYC-3.2",
        }
        _cases, problems = validate_golden_payload({"cases": [item]}, {"kyc_audit"})
        assert problems == []
