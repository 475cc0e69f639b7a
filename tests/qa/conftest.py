"""Live QA fixtures: live decisions written straight into the table, a settable clock, plans, queued
samples, audits and certifications. Factories are callables and return ids."""

import itertools
import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import func, insert, select

from app.cases.models import CaseType
from app.extensions import db as _db
from app.qa.quality import rollup
from tests.conftest import PASSWORD
from tests.forms import submit_form

WEEK = "2026-W47"
WEEK_START = datetime(2026, 11, 16, tzinfo=UTC)  # Monday of 2026-W47
WEEK_END = WEEK_START + timedelta(days=7)


class QaClock:
    """A settable clock for config["CLOCK"]."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def qa_clock(app, monkeypatch):
    """The app's clock, frozen on the Tuesday after 2026-W47 until a test moves it."""
    frozen = QaClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    monkeypatch.setitem(app.config, "CLOCK", frozen)
    return frozen


def _case_type_id(app, make_case_type, slug: str) -> int:
    from app.cases.models import CaseType

    with app.app_context():
        found = _db.session.scalar(select(CaseType.id).where(CaseType.slug == slug))
    return found or make_case_type(slug=slug, name=slug.replace("_", " ").title()).id


@pytest.fixture
def make_live_decisions(app, make_case_type):
    """Insert `count` live decisions of one agent with Core; returns their ids in insertion order.

    Any column can be given as a value, a list (one per row) or a callable of the row index. By default
    a clean decision (pass/pass, TN, confidence 0.9, priority 30) decided in 2026-W47, one minute apart.
    """
    counter = itertools.count(1)

    def make(agent, count=1, *, case_type="kyc_audit", **fields) -> list[int]:
        from app.qa.decisions.models import LiveDecision

        if count == 0:
            return []
        type_id = _case_type_id(app, make_case_type, case_type)
        agent_id = agent if isinstance(agent, int) else agent.id
        rows = []
        for i in range(count):
            number = next(counter)
            decided = WEEK_START + timedelta(days=1, minutes=number)
            row = {
                "decision_id": f"D-{agent_id}-{number:06d}",
                "agent_id": agent_id,
                "case_type_id": type_id,
                "scenario": "kyc.doc_tamper",
                "case_ref": f"CASE-{number}",
                "decision": "pass",
                "agent_recommendation": "pass",
                "confidence": 0.9,
                "priority": 30,
                "opened_at": decided - timedelta(hours=1),
                "decided_at": decided,
                "label": "TN",
                "root_cause": None,
                "rationale": "Signals are clean.",
                "signals": {"name_match_score": 0.98},
                "has_critical": False,
                "high_confidence_override": False,
                "ingested_at": decided,
            }
            for name, value in fields.items():
                row[name] = value(i) if callable(value) else value[i] if isinstance(value, list) else value
            rows.append(row)
        with app.app_context():
            _db.session.execute(insert(LiveDecision), rows)
            rollup.rebuild()  # inserted around the ingest path, so count them as it would
            _db.session.commit()
            ids = dict(
                _db.session.execute(
                    select(LiveDecision.decision_id, LiveDecision.id).where(
                        LiveDecision.decision_id.in_([r["decision_id"] for r in rows])
                    )
                ).all()
            )
        return [ids[r["decision_id"]] for r in rows]

    return make


@pytest.fixture
def make_sampling_plan(app, make_case_type, make_user):
    """Save a sampling plan through plans.save_plan; returns its id. Rates default to the page's defaults."""

    def make(case_type="kyc_audit", team=None, actor=None, **values) -> int:
        from app.auth.models import User
        from app.qa.sampling import pages, plans

        type_id = _case_type_id(app, make_case_type, case_type)
        actor = actor or make_user("qa_lead")
        values = {
            **pages.PLAN_DEFAULTS,
            "name": f"Plan {case_type}",
            "case_type_id": type_id,
            "team_id": team.id if team else None,
            **values,
        }
        with app.app_context():
            plan = plans.save_plan(None, values, _db.session.get(User, actor.id))
            _db.session.commit()
            return plan.id

    return make


@pytest.fixture
def make_queued_samples(app, make_sampling_plan):
    """Put decisions in the audit queue as a plan run would; returns the sample ids in the given order.

    `reasons` (one per decision, default random) set each sample's reason and claim priority; a random or
    weekly-minimum sample was drawn with `probability`, a critical or Key User one with certainty."""
    weeks = itertools.count(1)

    def make(decision_ids, reasons=None, needs_second_review=False, probability=0.05) -> list[int]:
        from app.qa.sampling.models import PlanRun, Sample, SamplingPlan
        from app.qa.sampling.plans import REASON_PRIORITY

        reasons = reasons or ["random"] * len(decision_ids)
        with app.app_context():
            plan_id = _db.session.scalar(select(func.min(SamplingPlan.id)))
        plan_id = plan_id or make_sampling_plan()
        with app.app_context():
            run = PlanRun(
                plan_id=plan_id,
                plan_version=1,
                plan_snapshot={},
                week=f"2025-W{next(weeks):02d}",
                window_start=WEEK_START,
                window_end=WEEK_END,
                seed=1,
                sampled=len(decision_ids),
            )
            _db.session.add(run)
            _db.session.flush()
            samples = [
                Sample(
                    run_id=run.id,
                    live_decision_id=decision_id,
                    reason=reason,
                    inclusion_probability=1.0 if reason in ("critical", "key_user") else probability,
                    priority=REASON_PRIORITY[reason],
                    status="queued",
                    needs_second_review=needs_second_review,
                )
                for decision_id, reason in zip(decision_ids, reasons, strict=True)
            ]
            _db.session.add_all(samples)
            _db.session.commit()
            return [s.id for s in samples]

    return make


@pytest.fixture
def make_live_audit(app):
    """Store a lead's audit of a live decision directly (the queue is tested on its own); returns its id.
    Given a list of decision ids, audits each of them the same way in one commit and returns the ids."""

    def make(decision_id, auditor, verdict="correct", *, created_at=None, **fields):
        from app.qa.audits.models import Audit

        with app.app_context():
            when = created_at or (app.config.get("CLOCK") or (lambda: datetime.now(UTC)))()
            if verdict == "incorrect":
                fields.setdefault("severity", "major")
            audits = [
                Audit(
                    live_decision_id=one,
                    auditor_id=auditor.id,
                    verdict=verdict,
                    effective_verdict=verdict,
                    created_at=when,
                    updated_at=when,
                    **fields,
                )
                for one in (decision_id if isinstance(decision_id, list) else [decision_id])
            ]
            _db.session.add_all(audits)
            _db.session.flush()
            rollup.rebuild()  # stored around the queue, so count them as it would
            _db.session.commit()
            ids = [audit.id for audit in audits]
            return ids if isinstance(decision_id, list) else ids[0]

    return make


@pytest.fixture
def make_certification(app, make_case_type):
    """Certify an agent for a case type at a given time; returns the certification id."""

    def make(agent, certified_at, case_type="kyc_audit") -> int:
        from app.onboarding.models import Certification

        type_id = _case_type_id(app, make_case_type, case_type)
        with app.app_context():
            cert = Certification(
                user_id=agent.id,
                case_type_id=type_id,
                certified_at=certified_at,
                expires_at=certified_at + timedelta(days=365),
            )
            _db.session.add(cert)
            _db.session.commit()
            return cert.id

    return make


def count_rows(app, model, **where) -> int:
    """How many rows of a model match the keyword filters."""
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def event_actions(app, prefix="qa.") -> list[str]:
    """The actions of the audit events recorded so far whose action starts with `prefix`, oldest first."""
    from app.audit.models import AuditEvent

    with app.app_context():
        return list(
            _db.session.scalars(
                select(AuditEvent.action).where(AuditEvent.action.startswith(prefix)).order_by(AuditEvent.id)
            )
        )


def signed_in(app, user):
    """A client of its own, signed in through the login page as this user."""
    client = app.test_client()
    response = submit_form(client, "/login", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def flashes(response) -> list[tuple[str, str]]:
    """(kind, text) of each flashed message a page shows."""
    page = response.get_data(as_text=True)
    return [
        (kind, unescape(text))
        for kind, text in re.findall(r'<p class="flash flash-(\w+)" role="status">(.*?)</p>', page)
    ]


def field_errors(page: str) -> dict[str, list[str]]:
    """Errors the form macro shows under each field (`<p class="error" id="<field>-error">`)."""
    found: dict[str, list[str]] = {}
    for name, message in re.findall(r'<p class="error" id="([\w-]+)-error">(.*?)</p>', page, re.S):
        found.setdefault(name, []).append(unescape(message))
    return found


def kyc_id(db) -> int:
    return db.session.scalar(select(CaseType.id).where(CaseType.slug == "kyc_audit"))
