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
from tests.onboarding.conftest import form, right


def answered_exam(app, client, cases) -> int:
    """Start an exam through HTTP and answer every case right; returns the attempt id."""
    by_id = {c["id"]: c for c in cases}
    attempt_id = int(client.post("/learn/kyc_audit/exam").location.split("/")[-2])
    with app.app_context():
        items = db.session.execute(
            select(AttemptItem.position, AttemptItem.golden_case_id).where(
                AttemptItem.attempt_id == attempt_id
            )
        ).all()
    for position, case_id in items:
        assert (
            client.post(f"/learn/exams/{attempt_id}/{position}", data=form(right(by_id[case_id]))).status_code
            == 302
        )
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
    assert client.post(f"/learn/exams/{attempt_id}/submit").status_code == 302
    first = graded(app, attempt_id)
    assert first == ("submitted", clock.now, 4, 4, 0.0, True, 1)
    clock.advance(minutes=5)
    assert client.post(f"/learn/exams/{attempt_id}/submit").status_code == 409
    assert graded(app, attempt_id) == first


def parallel(app, usernames, request) -> list[int]:
    """Sign in one client per username, then send `request(client)` from all at once; the statuses."""
    clients = []
    for username in usernames:
        own = app.test_client()
        assert own.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
        clients.append(own)
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def send(own):
        barrier.wait(timeout=10)
        statuses.append(request(own).status_code)

    threads = [threading.Thread(target=send, args=(own,)) for own in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(statuses)


def test_concurrent_exam_submits_grade_once(app, client, auth, golden_set):
    cases = golden_set(kinds=("fn", "tp", "tn", "fp"))
    agent = auth.login_as("agent")
    attempt_id = answered_exam(app, client, cases)
    statuses = parallel(app, [agent.username] * 2, lambda own: own.post(f"/learn/exams/{attempt_id}/submit"))
    assert statuses == [302, 409]
    assert graded(app, attempt_id)[2:] == (4, 4, 0.0, True, 1)


def test_concurrent_practice_answers_land_once(app, client, auth, golden_set):
    (case,) = golden_set(kinds=("fn",))
    agent = auth.login_as("agent")
    client.get("/learn/kyc_audit/practice")
    with app.app_context():
        item_id = db.session.scalar(select(AttemptItem.id))
    statuses = parallel(
        app, [agent.username] * 2, lambda own: own.post(f"/learn/practice/{item_id}", data=form(right(case)))
    )
    assert statuses == [302, 409]
    with app.app_context():
        assert db.session.get(AttemptItem, item_id).decision_ok is True
