"""Onboarding journeys: practising by keyboard, an exam with a reload, a Key User failure, a cooldown
waited out on a simulated clock and a pass; contesting gold that a lead amends; a page in Chinese."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.cases.models import CaseType, GoldenCase
from app.demo.people import DEMO_PASSWORDS
from app.extensions import db
from app.onboarding.models import AttemptItem
from tests.conftest import utcnow
from tests.e2e.conftest import shot, sign_in

pytestmark = pytest.mark.e2e
AGENT_PASSWORD = DEMO_PASSWORDS["agent"]
KEYS = {"pass": "1", "block": "2", "escalate": "3", "TP": "4", "TN": "5", "FP": "6", "FN": "7"}


def reference_of(live_app, case_id: int):
    """What a perfectly trained agent would answer (the test reads it; the browser never sees it)."""
    with live_app.app_context():
        answer = db.session.get(GoldenCase, case_id).current_answer
        return answer.decision, answer.label, answer.root_cause, answer.rationale


def case_of_item(live_app, item_id: int) -> int:
    with live_app.app_context():
        return db.session.get(AttemptItem, item_id).golden_case_id


def answer_by_keyboard(page, decision, label, root_cause, rationale):
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press(KEYS[decision])
    page.keyboard.press(KEYS[label])
    page.keyboard.press((root_cause or "0").lower())
    page.keyboard.press("r")
    page.keyboard.type(rationale)


def test_agent_practises_with_the_keyboard(page, live_app):
    sign_in(page, "agent05", AGENT_PASSWORD)
    page.locator("[data-case-type=kyc_audit] [data-action=practice]").click()
    for _ in range(2):
        item_id = int(page.locator("form.answer-form").get_attribute("data-draft-key").rsplit("-", 1)[1])
        assert page.locator(".reference-rationale").count() == 0  # no gold before answering
        decision, label, root_cause, _rationale = reference_of(live_app, case_of_item(live_app, item_id))
        answer_by_keyboard(
            page, decision, label, root_cause, "Signals match the SOP. Deciding as the SOP says."
        )
        assert page.locator("[data-sentence-count] span").inner_text() == "2"
        assert page.locator(f"input[name=decision][value={decision}]").is_checked()
        page.keyboard.press("Control+Enter")
        page.wait_for_url("**/learn/practice/*")
        assert page.get_by_text("Right decision.").is_visible()
        shot(page, "practice-feedback")
        page.keyboard.press("n")
        page.wait_for_url("**/practice")
    page.goto("/learn")
    assert "2 answered · 100.0% right" in page.locator("[data-case-type=kyc_audit]").inner_text()


def _prepare_exam(live_app, slug: str, size: int) -> list[int]:
    """Keep only `size` cases (one a Key User) in the exam pool and make the rules small."""
    with live_app.app_context():
        case_type = db.session.scalar(select(CaseType).where(CaseType.slug == slug))
        case_type.exam_size, case_type.pass_mark, case_type.cooldown_hours = size, 0.75, 24
        cases = list(db.session.scalars(select(GoldenCase).where(GoldenCase.case_type_id == case_type.id)))
        key_user = next(c for c in cases if c.priority >= 75)
        others = [c for c in cases if c.priority < 75][: size - 1]
        keep = {key_user.id, *[c.id for c in others]}
        rest_until = utcnow() + timedelta(days=3650)
        db.session.execute(
            update(GoldenCase)
            .where(GoldenCase.case_type_id == case_type.id, GoldenCase.id.not_in(keep))
            .values(rested_until=rest_until)
        )
        db.session.commit()
        return sorted(keep)


def _exam_position_case(live_app, page) -> tuple[int, bool]:
    item_id = int(page.locator("form.answer-form").get_attribute("data-draft-key").rsplit("-", 1)[1])
    case_id = case_of_item(live_app, item_id)
    with live_app.app_context():
        return case_id, db.session.get(GoldenCase, case_id).priority >= 75


def _answer_exam_case(page, decision, label, root_cause):
    page.locator(f"input[name=decision][value={decision}]").check()
    page.locator(f"input[name=label][value={label}]").check()
    page.locator(f"input[name=root_cause][value='{root_cause or ''}']").check()
    page.locator("textarea[name=rationale]").fill("Decided by the SOP rule for this scenario.")
    page.get_by_role("button", name="Save and next").click()


def test_exam_reload_key_user_failure_cooldown_and_pass(page, live_app):
    _prepare_exam(live_app, "poa_review", 4)
    sign_in(page, "agent03", AGENT_PASSWORD)
    page.locator("[data-case-type=poa_review] [data-action=exam]").click()
    page.wait_for_url(re.compile(r"/learn/exams/\d+/1$"))
    # Case 1: answered and saved.
    case_id, key_user = _exam_position_case(live_app, page)
    first_answer = reference_of(live_app, case_id)[:3]
    if key_user:
        first_answer = ("block", first_answer[1], first_answer[2])  # the Key User is not escalated
    _answer_exam_case(page, *first_answer)
    page.wait_for_url(re.compile(r"/learn/exams/\d+/2\?saved="))
    # Case 2: typed but not saved, then the page reloads: nothing is lost.
    page.locator("textarea[name=rationale]").fill("Half-written thought that must survive.")
    page.locator("input[name=decision][value=pass]").check()
    page.reload()
    assert page.locator("textarea[name=rationale]").input_value() == "Half-written thought that must survive."
    assert page.locator("input[name=decision][value=pass]").is_checked()
    assert page.locator("[data-draft-note]").is_visible()
    assert "done" in (page.locator(".exam-nav a").nth(0).get_attribute("class") or "")
    shot(page, "exam-reloaded")
    for _ in range(3):
        case_id, key_user = _exam_position_case(live_app, page)
        decision, label, root_cause, _ = reference_of(live_app, case_id)
        if key_user:
            decision = "block"
        _answer_exam_case(page, decision, label, root_cause)
    page.wait_for_url(re.compile(r"/learn/exams/\d+(\?|$)"))
    page.get_by_role("button", name="Submit the exam").click()
    assert page.locator("[data-result]").get_attribute("data-result") == "failed"
    assert page.get_by_text("Key User case was not escalated").is_visible()
    assert (
        page.locator("[data-metric=decision]").inner_text() == "75.0%"
    )  # above the 75% pass mark, still failed
    shot(page, "exam-failed-key-user")
    page.goto("/learn")
    assert "Exam available again from" in page.locator("[data-case-type=poa_review]").inner_text()
    # A simulated clock: 25 hours later the cooldown is over.
    live_app.config["CLOCK"] = lambda: utcnow() + timedelta(hours=25)
    try:
        page.reload()
        page.locator("[data-case-type=poa_review] [data-action=exam]").click()
        for _ in range(4):
            case_id, _key_user = _exam_position_case(live_app, page)
            _answer_exam_case(page, *reference_of(live_app, case_id)[:3])
        page.get_by_role("button", name="Submit the exam").click()
        assert page.locator("[data-result]").get_attribute("data-result") == "passed"
        shot(page, "exam-passed")
        page.goto("/learn")
        assert page.locator("[data-case-type=poa_review]").get_attribute("data-status") == "certified"
    finally:
        live_app.config.pop("CLOCK", None)


def test_agent_contests_gold_and_a_lead_amends_it(page, browser, base_url, live_app):
    sign_in(page, "agent06", AGENT_PASSWORD)
    page.locator("[data-case-type=reset_2fa] [data-action=practice]").click()
    answered = 0
    while True:  # Key User cases must be escalated, so contest the first ordinary case
        item_id = int(page.locator("form.answer-form").get_attribute("data-draft-key").rsplit("-", 1)[1])
        reference = reference_of(live_app, case_of_item(live_app, item_id))
        answered += 1
        if reference[0] != "escalate":
            break
        _answer_by_clicks(page, *reference[:3])
        page.get_by_role("button", name="Next case").click()  # deals the next case (a POST)
        page.wait_for_url("**/practice")
    mine = ("escalate", reference[1], reference[2])  # the agent escalates where the reference does not
    _answer_by_clicks(page, *mine)
    page.wait_for_url("**/learn/practice/*")
    page.get_by_text("Contest this reference answer").click()
    page.get_by_label("Why is the reference answer wrong?").fill("Signals this mixed need a Team Lead.")
    page.get_by_role("button", name="Send to a QA lead").click()
    assert page.get_by_text("A QA lead will review the reference answer.").is_visible()
    page.goto("/learn")
    before = page.locator("[data-case-type=reset_2fa]").inner_text()
    lead = browser.new_context(base_url=base_url).new_page()
    sign_in(lead, "lead1", DEMO_PASSWORDS["qa_lead"])
    lead.goto("/onboarding/disputes")
    lead.get_by_role("link", name="Resolve").first.click()
    lead.get_by_label("Reference decision").select_option(mine[0])
    lead.get_by_label("Note to the agent").fill("Agreed: escalate these.")
    lead.get_by_role("button", name="Amend and re-score").click()
    lead.wait_for_url("**/onboarding/disputes")
    assert lead.get_by_text("Answer amended").is_visible()
    shot(lead, "lead-amended")
    lead.context.close()
    page.reload()
    after = page.locator("[data-case-type=reset_2fa]").inner_text()
    right_before = (answered - 1) / answered * 100
    assert f"{answered} answered · {right_before:.1f}% right" in before
    assert f"{answered} answered · 100.0% right" in after


def _answer_by_clicks(page, decision, label, root_cause):
    page.locator(f"input[name=decision][value={decision}]").check()
    page.locator(f"input[name=label][value={label}]").check()
    page.locator(f"input[name=root_cause][value='{root_cause or ''}']").check()
    page.locator("textarea[name=rationale]").fill("Escalating for a Team Lead to confirm.")
    page.get_by_role("button", name="Submit answer").click()


def test_practice_in_chinese(page):
    sign_in(page, "agent28", AGENT_PASSWORD)  # a Chengdu agent whose saved language is Chinese
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.locator("[data-case-type=withdrawal_anomaly] [data-action=practice]").click()
    assert page.get_by_role("button", name="提交答案").is_visible()
    page.locator("textarea[name=rationale]").fill("地址有混币器暴露。金额远高于平均值！建议拦截。")
    assert page.locator("[data-sentence-count] span").inner_text() == "3"
    page.locator("textarea[name=rationale]").fill(
        "地址有混币器暴露。金额远高于平均值！建议拦截。还有第四句。"
    )
    page.locator("input[name=decision][value=block]").check()
    page.locator("input[name=label][value=TP]").check()
    page.get_by_role("button", name="提交答案").click()
    assert page.locator(".error").first.is_visible()  # four sentences is a form error, shown in Chinese
    assert page.locator("textarea[name=rationale]").input_value().endswith("还有第四句。")  # nothing lost
    shot(page, "practice-zh")
