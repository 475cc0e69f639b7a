"""One first audit per decision (the partial unique index uq_audits_first_review). A lead saving through the
audit queue and a vendor's batch through POST /api/v1/audits each decide "first or second review" from a
read before their insert; when they race, the loser's write is refused (Conflict on the queue, 409 on the
API) with nothing of it stored, sending it again stores a second review, and the daily rollup counts the
decision as audited once. The races are made deterministic: the vendor commits from another thread while
the lead's flush is about to run, and the API's writers all read before any of them inserts."""

import re
import threading
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from sqlalchemy import event, insert, select
from sqlalchemy.exc import IntegrityError

from app import clock, database
from app.auth.models import User
from app.errors import Conflict
from app.extensions import db as _db
from app.qa.audits import external, queue
from app.qa.audits.models import Audit
from app.qa.quality.models import DailyQuality
from app.qa.sampling.models import Sample
from tests.conftest import PG_URL, utc, utcnow
from tests.forms import BrowserForm, page_form, parse_forms
from tests.qa.conftest import count_rows
from tests.qa.quality.rollup_support import assert_same_as_rebuild

URL = "/api/v1/audits"
CLASHED = "The batch clashed with a concurrent change; send it again."
MEANWHILE = "Another audit of this decision was saved just now. Submit again to save yours."
VENDOR_VERDICT = {"decision_id": "LD-1", "verdict": "incorrect", "severity": "major", "note": "Tamper."}
DAY = utc(2026, 11, 17)  # the decision's UTC day (make_live_decisions)


def post_audit(app, token):
    """The vendor's one-audit batch from a client of its own; (status, json)."""
    response = app.test_client().post(
        URL, json={"audits": [VENDOR_VERDICT]}, headers={"Authorization": f"Bearer {token}"}
    )
    return response.status_code, response.get_json()


def audits() -> list[tuple]:
    """(auditor_id, is_second_review, external, sample_id) of every audit, oldest first."""
    query = select(Audit.auditor_id, Audit.is_second_review, Audit.external, Audit.sample_id)
    return [tuple(row) for row in _db.session.execute(query.order_by(Audit.id))]


def audited_by_day() -> dict:
    """{day: (audited, correct)} of the rollup, after checking the incremental rows equal a rebuild."""
    assert_same_as_rebuild()
    return {row.day: (row.audited, row.correct) for row in _db.session.scalars(select(DailyQuality))}


@contextmanager
def vendor_wins_the_race(app, token):
    """When the lead's audit is about to be flushed (submit_audit has read that the decision has no audit
    yet), the vendor's batch for the same decision is stored and committed by another thread, as a
    concurrent request would. One-shot; the listener is removed on exit. Yields the vendor's answers."""
    answers = []

    def before_flush(session, _context, _instances):
        if answers or not any(isinstance(obj, Audit) and obj.sample_id for obj in session.new):
            return
        answers.append(None)
        vendor = threading.Thread(target=lambda: answers.__setitem__(0, post_audit(app, token)))
        vendor.start()
        vendor.join(timeout=30)

    event.listen(_db.session, "before_flush", before_flush)
    try:
        yield answers
    finally:
        event.remove(_db.session, "before_flush", before_flush)


@pytest.fixture
def sampled(make_user, make_live_decisions, make_queued_samples):
    """Decision LD-1 of an agent, queued for audit; returns (decision id, sample id)."""
    [decision_id] = make_live_decisions(make_user("agent"), decision_id="LD-1")
    [sample_id] = make_queued_samples([decision_id])
    return decision_id, sample_id


@pytest.fixture
def vendor(make_user, make_token):
    """A vendor lead's API token and the lead."""
    lead = make_user("qa_lead", username="vendor.lead")
    return make_token(lead), lead


def test_the_database_keeps_one_first_audit_per_decision_but_any_second_reviews(db, make_user, sampled):
    decision_id, _sample = sampled
    first, rival, reviewer = (make_user("qa_lead") for _ in range(3))
    now = utcnow()

    def row(auditor, second=False) -> dict:
        return {"live_decision_id": decision_id, "auditor_id": auditor.id, "is_second_review": second}

    values = {"verdict": "correct", "effective_verdict": "correct", "created_at": now, "updated_at": now}
    db.session.execute(insert(Audit), [{**row(first), **values}])
    db.session.commit()
    with pytest.raises(IntegrityError) as refused:  # another auditor, so not the per-auditor constraint
        db.session.execute(insert(Audit), [{**row(rival), **values}])
    assert "uq_audits_first_review" in str(refused.value) or str(refused.value.orig).endswith(
        "UNIQUE constraint failed: audits.live_decision_id"
    )
    db.session.rollback()
    db.session.add(Audit(**row(rival), **values))  # the ORM is refused the same way
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.execute(insert(Audit), [{**row(reviewer, second=True), **values}])
    db.session.commit()
    assert audits() == [(first.id, False, False, None), (reviewer.id, True, False, None)]


def test_the_queue_loses_the_race_to_a_vendor_then_saves_a_second_review(app, db, make_user, sampled, vendor):
    decision_id, sample_id = sampled
    token, vendor_lead = vendor
    lead = db.session.get(User, make_user("qa_lead").id)
    sample = queue.claim_next(lead)
    db.session.commit()
    correct = {"verdict": "correct", "note": "Looks right."}

    with vendor_wins_the_race(app, token) as answers, pytest.raises(Conflict) as lost:
        queue.submit_audit(sample, lead, correct)
    assert str(lost.value.message) == MEANWHILE and lost.value.status == 409
    assert answers == [(200, {"created": 1, "duplicates": 0})]
    db.session.rollback()
    assert audits() == [(vendor_lead.id, False, True, None)]
    assert db.session.get(Sample, sample_id).status == "claimed"

    audit = queue.submit_audit(queue.own_claim(sample_id, lead), lead, correct)
    db.session.commit()
    assert audit.is_second_review and audit.live_decision_id == decision_id
    assert audits() == [(vendor_lead.id, False, True, None), (lead.id, True, False, sample_id)]
    assert db.session.get(Sample, sample_id).status == "done"
    assert audited_by_day() == {DAY: (1, 0)}  # the vendor's "incorrect" counts; the lead's does not


@pytest.fixture
def deferred_sqlite_writes(monkeypatch):
    """On SQLite a writing request takes the write lock at BEGIN, so the vendor could not commit between
    the lead's read and write at all (it would wait for the lead). The page's answer to the race is still
    tested there: the lead's request is made to begin deferred, as every transaction did before."""
    monkeypatch.setattr(database, "_request_writes", lambda: False)


def test_the_audit_page_keeps_the_lead_s_verdict_when_a_vendor_audits_first(
    app, client, auth, sampled, vendor, deferred_sqlite_writes
):
    _decision_id, sample_id = sampled
    token, vendor_lead = vendor
    lead = auth.login_as("qa_lead")
    assert page_form(client, "/qa", action="/qa/claim").submit().status_code == 302
    typed = {"verdict": "correct", "note": "Signals are clean; the agent followed KYC-3.2."}
    form = page_form(client, f"/qa/samples/{sample_id}").fill(**typed)

    with vendor_wins_the_race(app, token) as answers:
        response = form.submit()
    assert answers == [(200, {"created": 1, "duplicates": 0})]
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert f'<div class="form-errors" role="alert">\n    <p>{MEANWHILE}</p>' in page
    assert re.search(r'name="note">\s*Signals are clean; the agent followed KYC-3\.2\.</textarea>', page)
    with app.app_context():
        assert audits() == [(vendor_lead.id, False, True, None)]
    assert count_rows(app, Sample, status="claimed") == 1

    # "Submit again": the form as the 409 page shows it, with what the lead typed kept.
    shown = [BrowserForm(client, form.page_url, f) for f in parse_forms(page)]
    (again_form,) = [f for f in shown if "verdict" in f.names()]
    assert (again_form["verdict"], again_form["note"]) == (typed["verdict"], typed["note"])
    again = again_form.submit()
    assert again.status_code == 302
    with app.app_context():
        assert audits() == [(vendor_lead.id, False, True, None), (lead.id, True, False, sample_id)]
        assert _db.session.scalar(select(Audit.note).where(Audit.auditor_id == lead.id)) == typed["note"]
        assert _db.session.get(Sample, sample_id).status == "done"
        assert audited_by_day() == {DAY: (1, 0)}


@pytest.mark.skipif(not PG_URL, reason="concurrent writers are tested on PostgreSQL")
def test_four_leads_posting_the_same_decision_at_once_store_one_first_audit(
    app, monkeypatch, make_user, make_token, sampled
):
    leads = [make_user("qa_lead") for _ in range(4)]
    tokens = {lead.id: make_token(lead) for lead in leads}
    # Every writer reads "not audited yet" before any of them inserts: the worst interleaving, every time.
    everyone_has_read = threading.Barrier(4)

    def after_the_read():  # store_external_audits asks the time between its read and its insert
        everyone_has_read.wait(timeout=30)
        return utcnow()

    monkeypatch.setattr(external, "clock", SimpleNamespace(now=after_the_read))
    answers = {}

    def send(lead_id):
        answers[lead_id] = post_audit(app, tokens[lead_id])

    threads = [threading.Thread(target=send, args=(lead.id,)) for lead in leads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    won = [lead for lead, answer in answers.items() if answer == (200, {"created": 1, "duplicates": 0})]
    lost = [lead for lead, answer in answers.items() if answer == (409, {"error": CLASHED})]
    assert len(won) == 1 and len(lost) == 3, answers
    with app.app_context():
        assert audits() == [(won[0], False, True, None)]  # nothing stored for the losers

    monkeypatch.setattr(external, "clock", clock)
    for lead_id in lost:
        assert post_audit(app, tokens[lead_id]) == (200, {"created": 1, "duplicates": 0})
    with app.app_context():
        assert audits() == [(won[0], False, True, None)] + [(lead, True, True, None) for lead in lost]
        assert audited_by_day() == {DAY: (1, 0)}
