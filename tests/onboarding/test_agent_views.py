"""The agent's side through HTTP: curriculum, practice, exams, results and contesting."""

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.onboarding.models import Attempt, AttemptItem, Certification, GoldDispute
from tests.onboarding.conftest import (
    answer_exam_item,
    answer_page,
    choose,
    contest_form,
    deal_form,
    deal_practice,
    field_errors,
    form,
    practice_page,
    right,
    start_exam_form,
    submit_exam_form,
    wrong,
)


def pending_practice(app, user_id: int) -> tuple[int, int]:
    """(item id, golden case id) of the agent's unanswered practice case."""
    with app.app_context():
        row = db.session.execute(
            select(AttemptItem.id, AttemptItem.golden_case_id)
            .join(Attempt)
            .where(Attempt.user_id == user_id, Attempt.kind == "practice", AttemptItem.answered_at.is_(None))
        ).one()
        return tuple(row)


def exam_items(app, attempt_id: int) -> dict[int, tuple[int, int]]:
    """position → (item id, golden case id)."""
    with app.app_context():
        rows = db.session.execute(
            select(AttemptItem.position, AttemptItem.id, AttemptItem.golden_case_id).where(
                AttemptItem.attempt_id == attempt_id
            )
        )
        return {position: (item_id, case_id) for position, item_id, case_id in rows}


def card_status(page: str, slug: str = "kyc_audit") -> str:
    return re.search(rf'data-case-type="{slug}" data-status="(\w+)"', page).group(1)


def start_exam(client) -> int:
    response = start_exam_form(client).submit()
    assert response.status_code == 302
    attempt_id, position = re.search(r"/learn/exams/(\d+)/(\d+)$", response.location).groups()
    assert position == "1"
    return int(attempt_id)


def answer_exam(client, app, attempt_id, cases, wrong_ids=()):
    by_id = {c["id"]: c for c in cases}
    for position, (_item_id, case_id) in sorted(exam_items(app, attempt_id).items()):
        answer = wrong(by_id[case_id]) if case_id in wrong_ids else right(by_id[case_id])
        response = answer_exam_item(client, attempt_id, position, answer)
        assert response.status_code == 302, response.data


def test_the_agent_journey(app, client, auth, golden_set):
    cases = golden_set(kinds=("fn", "tp", "tn", "fp"), validity_days=90)
    by_id = {c["id"]: c for c in cases}
    agent = auth.login_as("agent")
    assert card_status(client.get("/learn").get_data(as_text=True)) == "not_started"

    # Practice: one case, answered, with feedback.
    answer_form, item_id, case_id = practice_page(app, client)
    assert (item_id, case_id) == pending_practice(app, agent.id)
    assert answer_form.action.endswith(f"/learn/practice/{item_id}")
    response = choose(answer_form, right(by_id[case_id])).submit()
    assert response.status_code == 302
    assert response.location.endswith(f"/learn/practice/{item_id}?saved={item_id}")
    feedback = client.get(f"/learn/practice/{item_id}").get_data(as_text=True)
    assert "Right decision." in feedback and by_id[case_id]["marker"] in feedback
    curriculum = client.get("/learn").get_data(as_text=True)
    assert card_status(curriculum) == "practising"
    assert "1 answered · 100.0% right" in curriculum

    # The exam: start, answer each position in turn, submit, review.
    attempt_id = start_exam(client)
    items = exam_items(app, attempt_id)
    assert len(items) == 4
    for position in range(1, 5):
        _item_id, case_id = items[position]
        page = client.get(f"/learn/exams/{attempt_id}/{position}").get_data(as_text=True)
        assert f"Case {position} of 4" in page
        response = answer_exam_item(client, attempt_id, position, right(by_id[case_id]))
        expected = (
            f"/learn/exams/{attempt_id}/{position + 1}" if position < 4 else f"/learn/exams/{attempt_id}?"
        )
        assert expected in response.location
    submit_page = client.get(f"/learn/exams/{attempt_id}").get_data(as_text=True)
    assert "Submit the exam" in submit_page and "4 of 4 answered" in submit_page
    response = submit_exam_form(client, attempt_id).submit()
    assert response.status_code == 302 and response.location.endswith(f"/learn/exams/{attempt_id}")
    review = client.get(f"/learn/exams/{attempt_id}").get_data(as_text=True)
    assert 'data-result="passed"' in review
    assert '<strong data-metric="decision">100.0%</strong>' in review
    assert card_status(client.get("/learn").get_data(as_text=True)) == "certified"
    # A submitted exam's case pages lead to the review.
    assert client.get(f"/learn/exams/{attempt_id}/2").location.endswith(f"/learn/exams/{attempt_id}")

    # Contesting a case after the review.
    contested_item, contested_case = items[1]
    review_url = f"/learn/exams/{attempt_id}"
    response = contest_form(client, review_url, contested_item).fill(reason="The MRZ looks fine.").submit()
    assert response.status_code == 302
    assert response.location.endswith(f"/learn/exams/{attempt_id}#case-1")
    with app.app_context():
        dispute = db.session.scalar(select(GoldDispute))
        assert (dispute.golden_case_id, dispute.user_id, dispute.reason) == (
            contested_case,
            agent.id,
            "The MRZ looks fine.",
        )
        cert = db.session.scalar(select(Certification))
        assert cert.user_id == agent.id and cert.certified_at is not None
    assert "You contested this case: open." in client.get(f"/learn/exams/{attempt_id}").get_data(as_text=True)


def test_an_exam_resumes_where_it_was_left(app, client, auth, golden_set):
    cases = golden_set(kinds=("fn", "tp", "tn", "fp"))
    auth.login_as("agent")
    attempt_id = start_exam(client)
    items = exam_items(app, attempt_id)
    case = next(c for c in cases if c["id"] == items[1][1])
    answer_exam_item(client, attempt_id, 1, wrong(case))
    # Starting again (say from another tab) resumes at the first unanswered case.
    response = start_exam_form(client).submit()
    assert response.location.endswith(f"/learn/exams/{attempt_id}/2")
    page = client.get(f"/learn/exams/{attempt_id}/1").get_data(as_text=True)
    decision = wrong(case)["decision"]
    assert re.search(
        rf'<input checked id="decision-\d" name="decision" type="radio" value="{decision}">', page
    )
    assert wrong(case)["rationale"] in page
    assert "1 of 4 answered" in page


# Malformed answers and the messages shown next to their fields.
BAD_ANSWERS = {
    "four-chinese-sentences": (
        {"decision": "block", "label": "TP", "root_cause": "", "rationale": "一。二！三？四。"},
        {"rationale": ["Keep the rationale to three sentences at most."]},
    ),
    "four-sentences": (
        {"decision": "block", "label": "TP", "root_cause": "", "rationale": "One. Two. Three. Four."},
        {"rationale": ["Keep the rationale to three sentences at most."]},
    ),
    "fp-without-root-cause": (
        {"decision": "pass", "label": "FP", "root_cause": "", "rationale": "Wrongly flagged."},
        {"root-cause": ["FP and FN need a root cause: A, B or C."]},
    ),
    "tn-with-root-cause": (
        {"decision": "pass", "label": "TN", "root_cause": "B", "rationale": ""},
        {"root-cause": ["TP and TN have no root cause."]},
    ),
    "no-decision": (
        {"label": "TN", "root_cause": "", "rationale": ""},
        {"decision": ["Choose pass, block or escalate."]},
    ),
    "block-without-rationale": (
        {"decision": "block", "label": "TP", "root_cause": "", "rationale": "  "},
        {"rationale": ["Block, escalate, FP and FN need a rationale."]},
    ),
    "too-long": (
        {"decision": "block", "label": "TP", "root_cause": "", "rationale": "x" * 1201},
        {"rationale": ["Field cannot be longer than 1200 characters."]},
    ),
}
# Crafted: the rationale's maxlength stops a browser at 1200 characters; the server must refuse more.
CRAFTED = {"too-long"}


@pytest.mark.parametrize("where", ["practice", "exam"])
def test_a_bad_answer_is_shown_next_to_its_field_and_nothing_is_saved(app, client, auth, golden_set, where):
    golden_set(kinds=("fn", "tp"))
    auth.login_as("agent")
    if where == "practice":
        page_url = "/learn/kyc_audit/practice"
        url = f"/learn/practice/{practice_page(app, client)[1]}"
    else:
        page_url = url = f"/learn/exams/{start_exam(client)}/2"
    for name, (answer, errors) in BAD_ANSWERS.items():
        if name in CRAFTED:
            response = client.post(url, data=answer)
        else:
            response = choose(answer_page(client, page_url), answer).submit()
        assert response.status_code == 422, name
        page = response.get_data(as_text=True)
        assert field_errors(page) == errors, name
        assert f'action="{url}"' in page, name  # the same case, to correct the answer
    with app.app_context():
        answered = select(func.count()).select_from(AttemptItem).where(AttemptItem.answered_at.is_not(None))
        assert db.session.scalar(answered) == 0


def test_answers_are_final_after_submission(app, client, auth, golden_set):
    cases = golden_set(kinds=("fn", "tp"))
    auth.login_as("agent")
    answer_form, item_id, case_id = practice_page(app, client)
    case = next(c for c in cases if c["id"] == case_id)
    assert choose(answer_form, right(case)).submit().status_code == 302
    # The same page, sent again (the back button) with another answer.
    assert choose(answer_form, wrong(case)).submit().status_code == 409

    attempt_id = start_exam(client)
    answer_exam(client, app, attempt_id, cases)
    first_case = answer_page(client, f"/learn/exams/{attempt_id}/1")  # still open in another tab
    assert submit_exam_form(client, attempt_id).submit().status_code == 302
    response = choose(first_case, wrong(cases[0])).submit()
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(AttemptItem, item_id).decision == right(case)["decision"]
        decisions = set(
            db.session.scalars(select(AttemptItem.decision_ok).where(AttemptItem.attempt_id == attempt_id))
        )
        assert decisions == {True}


def test_a_stale_practice_page_for_a_case_now_in_the_exam_is_refused(app, client, auth, golden_set):
    cases = golden_set(kinds=("fn", "tp"), exam_size=2)
    auth.login_as("agent")
    answer_form, item_id, case_id = practice_page(app, client)
    start_exam(client)  # the exam takes every case, the practised one too
    case = next(c for c in cases if c["id"] == case_id)
    response = choose(answer_form, right(case)).submit()
    assert response.status_code == 409
    assert case["marker"] not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(AttemptItem, item_id).answered_at is None


def test_other_agents_attempts_are_not_found(app, client, auth, golden_set):
    cases = golden_set(kinds=("fn", "tp"))
    auth.login_as("agent")
    answer_form, practice_id, case_id = practice_page(app, client)
    choose(answer_form, right(next(c for c in cases if c["id"] == case_id))).submit()
    attempt_id = start_exam(client)
    exam_item_id = exam_items(app, attempt_id)[1][0]
    auth.logout()
    auth.login_as("agent")
    answer = form(right(cases[0]))
    # Forged: another agent's item and attempt ids, which no page of this agent's shows.
    requests = [
        ("get", f"/learn/practice/{practice_id}", None),
        ("post", f"/learn/practice/{practice_id}", answer),
        ("get", f"/learn/exams/{attempt_id}", None),
        ("get", f"/learn/exams/{attempt_id}/1", None),
        ("post", f"/learn/exams/{attempt_id}/1", answer),
        ("post", f"/learn/exams/{attempt_id}/submit", None),
        ("post", f"/learn/items/{exam_item_id}/contest", {"reason": "Mine now."}),
        ("post", f"/learn/items/{practice_id}/contest", {"reason": "Mine now."}),
        ("get", "/learn/exams/999999", None),
        ("get", "/learn/nope/practice", None),
    ]
    for method, url, data in requests:
        assert getattr(client, method)(url, data=data).status_code == 404, url
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "open"
        assert db.session.scalar(select(func.count()).select_from(GoldDispute)) == 0


def test_exam_items_are_not_practice_items(app, client, auth, golden_set):
    cases = golden_set(kinds=("fn", "tp"))
    auth.login_as("agent")
    attempt_id = start_exam(client)
    answer_exam(client, app, attempt_id, cases)
    item_id = exam_items(app, attempt_id)[1][0]
    assert client.get(f"/learn/practice/{item_id}").status_code == 404
    # Crafted: no page sends an exam item's answer to the practice route.
    assert client.post(f"/learn/practice/{item_id}", data=form(right(cases[0]))).status_code == 404
    # And a practice attempt is no exam.
    deal_practice(client)
    with app.app_context():
        practice_attempt = db.session.scalar(select(Attempt.id).where(Attempt.kind == "practice"))
    assert client.get(f"/learn/exams/{practice_attempt}").status_code == 404
    assert client.get(f"/learn/exams/{practice_attempt}/1").status_code == 404


def test_contesting_before_the_result_is_refused(app, client, auth, golden_set):
    golden_set(kinds=("fn", "tp"))
    auth.login_as("agent")
    practice_id = practice_page(app, client)[1]
    # Crafted: no page offers to contest a case before its result is shown.
    response = client.post(
        f"/learn/items/{practice_id}/contest", data={"reason": "Unfair."}, follow_redirects=True
    )
    assert "You can contest a case once you have seen its result." in response.get_data(as_text=True)
    attempt_id = start_exam(client)
    exam_item_id = exam_items(app, attempt_id)[1][0]
    response = client.post(
        f"/learn/items/{exam_item_id}/contest", data={"reason": "Unfair."}, follow_redirects=True
    )
    assert "You can contest a case once you have seen its result." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(GoldDispute)) == 0


def test_a_failed_exam_shows_the_cooldown_then_opens_again(app, client, auth, golden_set, clock):
    cases = golden_set(kinds=("key", "tp", "tn", "fp"), pass_mark=0.5, cooldown_hours=24)
    auth.login_as("agent")
    attempt_id = start_exam(client)
    answer_exam(client, app, attempt_id, cases, wrong_ids={cases[0]["id"]})
    stale_curriculum = start_exam_form(client)  # "Resume the exam", in a tab left open
    submit_exam_form(client, attempt_id).submit()
    review = client.get(f"/learn/exams/{attempt_id}").get_data(as_text=True)
    assert 'data-result="failed"' in review
    assert "1 Key User case was not escalated." in review
    curriculum = client.get("/learn").get_data(as_text=True)
    assert "Exam available again from 2026-11-03 09:00 UTC." in curriculum
    assert 'data-action="exam"' not in curriculum  # no button to take it
    response = stale_curriculum.submit(follow_redirects=True)
    assert "The exam can&#39;t be started now." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
    clock.advance(hours=24)
    assert start_exam(client) != attempt_id


@pytest.mark.parametrize("url", ["/learn", "/learn/kyc_audit/practice"])
def test_the_learning_pages_are_for_agents(client, auth, golden_set, url):
    golden_set(kinds=("fn",))
    assert client.get(url).status_code == 302  # to the login page
    auth.login_as("qa_lead")
    assert client.get(url).status_code == 403


def test_opening_practice_deals_nothing_until_the_agent_asks(app, client, auth, golden_set):
    golden_set(kinds=("fn", "tp"))
    auth.login_as("agent")
    for _ in range(2):  # a reload, a prefetch or a crawler
        page = client.get("/learn/kyc_audit/practice").get_data(as_text=True)
        assert "Deal a case" in page and 'name="decision"' not in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0
    deal = deal_form(client)
    assert deal.submit().status_code == 302
    assert 'name="decision"' in client.get("/learn/kyc_audit/practice").get_data(as_text=True)
    assert deal.submit().status_code == 302  # pressed twice: still the same case
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AttemptItem)) == 1


# --- the score's Wilson interval beside the pass rule ------------------------------------------------


def shown_score(page: str) -> str:
    """The decision score as the page prints it: '98.0% [89.5%, 99.6%] (49/50)'."""
    shown = r'<strong data-metric="decision">.*?</span>\s*<span class="muted">\(\d+/\d+\)'
    html = re.search(shown, page, re.S)
    return re.sub(r"<[^>]+>", "", html.group(0))


def test_exam_result_shows_the_wilson_interval_beside_the_pass_rule(app, client, auth, golden_set):
    # 49 of 50 right at a pass mark of 98%: by Wilson's formula (z = 1.96) the interval is
    # [89.5%, 99.6%] (statsmodels' proportion_confint(49, 50, method="wilson") agrees).
    cases = golden_set(kinds=("fn", "tp", "tn", "fp", "tp") * 10, scenarios=5, pass_mark=0.98)
    agent = auth.login_as("agent")
    attempt_id = start_exam(client)
    answer_exam(client, app, attempt_id, cases, wrong_ids={cases[1]["id"]})
    assert submit_exam_form(client, attempt_id).submit().status_code == 302
    review = unescape(client.get(f"/learn/exams/{attempt_id}").get_data(as_text=True))
    assert 'data-result="passed"' in review
    assert shown_score(review) == "98.0% [89.5%, 99.6%] (49/50)"
    rule = re.search(r"<dt>Pass rule</dt><dd>(.*?)</dd>", review, re.S).group(1)
    assert "decision accuracy at least 98.0%, and no Key User case left unescalated" in rule
    assert "score at the mark" in rule and "no Key User missed" in rule
    assert "the 95% Wilson interval, the accuracy range this score is consistent with over 50 cases" in review

    auth.logout()
    auth.login_as("qa_lead")
    lead_page = unescape(client.get(f"/onboarding/agents/{agent.id}").get_data(as_text=True))
    row = re.search(rf'<td data-attempt="{attempt_id}">.*?</tr>', lead_page, re.S).group(0)
    assert shown_score(row) == "98.0% [89.5%, 99.6%] (49/50)"
    assert "decision accuracy at least 98.0%" in row and "passed" in row


def test_a_missed_key_user_fails_beside_a_score_at_the_mark(app, client, auth, golden_set):
    cases = golden_set(kinds=("key", "tp", "tn", "fp"), pass_mark=0.5)
    agent = auth.login_as("agent")
    attempt_id = start_exam(client)
    answer_exam(client, app, attempt_id, cases, wrong_ids={cases[0]["id"]})
    assert submit_exam_form(client, attempt_id).submit().status_code == 302
    review = unescape(client.get(f"/learn/exams/{attempt_id}").get_data(as_text=True))
    assert 'data-result="failed"' in review
    assert shown_score(review) == "75.0% [30.1%, 95.4%] (3/4)"  # Wilson, 3 of 4
    rule = re.search(r"<dt>Pass rule</dt><dd>(.*?)</dd>", review, re.S).group(1)
    assert "decision accuracy at least 50.0%" in rule
    assert "score at the mark" in rule and "1 Key User missed" in rule

    auth.logout()
    auth.login_as("qa_lead")
    lead_page = unescape(client.get(f"/onboarding/agents/{agent.id}").get_data(as_text=True))
    row = re.search(rf'<td data-attempt="{attempt_id}">.*?</tr>', lead_page, re.S).group(0)
    assert shown_score(row) == "75.0% [30.1%, 95.4%] (3/4)"
    assert "1 Key User missed" in row and "not passed" in row
