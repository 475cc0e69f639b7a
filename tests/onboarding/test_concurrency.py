"""A double or concurrent submit grades once.

The parallel tests send two requests from two signed-in clients released together by a barrier; on
PostgreSQL the second conditional UPDATE waits on the first one's row lock, on SQLite on its write lock.
"""

import threading

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.onboarding.models import Attempt, AttemptItem
from tests.conftest import PASSWORD
from tests.forms import page_form
from tests.onboarding.conftest import (
    answer_exam_item,
    answer_page,
    choose,
    deal_practice,
    right,
    start_exam_form,
    submit_exam_form,
)


def answered_exam(app, client, cases) -> int:
    """Start an exam through HTTP and answer every case right; returns the attempt id."""
    by_id = {c["id"]: c for c in cases}
    attempt_id = int(start_exam_form(client).submit().location.split("/")[-2])
    with app.app_context():
        items = db.session.execute(
            select(AttemptItem.position, AttemptItem.golden_case_id).where(
                AttemptItem.attempt_id == attempt_id
            )
        ).all()
    for position, case_id in items:
        assert answer_exam_item(client, attempt_id, position, right(by_id[case_id])).status_code == 302
    return attempt_id


def graded(app, attempt_id) -> tuple:
    """The attempt's grading and how many times it was recorded as submitted."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        submits = db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "exam.submit")
        )
        return (
            attempt.status,
            attempt.submitted_at,
            attempt.decision_correct,
            attempt.label_correct,
            attempt.cost_total,
            attempt.passed,
            submits,
        )


def test_a_second_submit_is_409_and_grades_nothing_again(app, client, auth, golden_set, clock):
    cases = golden_set(kinds=("fn", "tp", "tn", "fp"))
    auth.login_as("agent")
    attempt_id = answered_exam(app, client, cases)
    submit = submit_exam_form(client, attempt_id)
    assert submit.submit().status_code == 302
    first = graded(app, attempt_id)
    assert first == ("submitted", clock.now, 4, 4, 0.0, True, 1)
    clock.advance(minutes=5)
    assert submit.submit().status_code == 409  # the button pressed again, on the page as it was
    assert graded(app, attempt_id) == first


def parallel(app, usernames, open_form) -> list[int]:
    """Sign in one client per username and open a form with `open_form(client)` in each, then submit
    them all at once; the statuses."""
    forms = []
    for username in usernames:
        own = app.test_client()
        signed_in = page_form(own, "/login").fill(username=username, password=PASSWORD).submit()
        assert signed_in.status_code == 302
        forms.append(open_form(own))
    barrier = threading.Barrier(len(forms))
    statuses: list[int] = []

    def send(form):
        barrier.wait(timeout=10)
        statuses.append(form.submit().status_code)

    threads = [threading.Thread(target=send, args=(form,)) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(statuses)


def test_concurrent_exam_submits_grade_once(app, client, auth, golden_set):
    cases = golden_set(kinds=("fn", "tp", "tn", "fp"))
    agent = auth.login_as("agent")
    attempt_id = answered_exam(app, client, cases)
    statuses = parallel(app, [agent.username] * 2, lambda own: submit_exam_form(own, attempt_id))
    assert statuses == [302, 409]
    assert graded(app, attempt_id)[2:] == (4, 4, 0.0, True, 1)


def test_concurrent_practice_answers_land_once(app, client, auth, golden_set):
    (case,) = golden_set(kinds=("fn",))
    agent = auth.login_as("agent")
    deal_practice(client)
    with app.app_context():
        item_id = db.session.scalar(select(AttemptItem.id))
    statuses = parallel(
        app,
        [agent.username] * 2,
        lambda own: choose(answer_page(own, "/learn/kyc_audit/practice"), right(case)),
    )
    assert statuses == [302, 409]
    with app.app_context():
        assert db.session.get(AttemptItem, item_id).decision_ok is True
