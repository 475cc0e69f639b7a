"""Calibration fixtures: golden cases with marked reference answers, sessions built through the services,
and answers given through them. Every helper runs in its own app context, so view tests can use them."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from tests.conftest import PASSWORD, golden_item, utcnow
from tests.forms import page_form, submit_form

# Reference answers by kind: (recommendation, decision, label, root cause, priority).
KINDS = {
    "fn": ("pass", "block", "FN", "A", 30),
    "tp": ("block", "block", "TP", None, 40),
    "tn": ("pass", "pass", "TN", None, 20),
    "fp": ("block", "pass", "FP", "B", 50),
    "key": ("pass", "escalate", "FN", "C", 90),  # a Key User: priority >= 75, always escalate
}
# Well-formed answers, by decision (labels for a "pass" recommendation, which is what most kinds have).
ANSWERS = {
    "pass": {"decision": "pass", "label": "TN", "root_cause": None, "rationale": "Nothing stands out."},
    "block": {"decision": "block", "label": "FN", "root_cause": "A", "rationale": "Tamper score is high."},
    "escalate": {"decision": "escalate", "label": "FN", "root_cause": "C", "rationale": "The SOP is silent."},
}


def live_content(**overrides) -> dict:
    """A live decision's content snapshot, as QA hands it to a session."""
    content = {
        "scenario": "kyc.live_mismatch",
        "signals": {"document_type": "id_card", "name_match_score": 0.41},
        "recommendation": "pass",
        "confidence": 0.58,
        "reasoning": ["Face match passed.", "Name mismatch was weighted low."],
        "priority": 35,
        "opened_at": "2026-10-20T07:30:00Z",
    }
    content.update(overrides)
    return content


@dataclass
class World:
    """A session with its lead, participants (agents) and cases, as plain values."""

    session_id: int
    lead: object
    people: list
    cases: list[dict]
    live_refs: list[str] = field(default_factory=list)

    @property
    def positions(self) -> list[int]:
        return list(range(1, len(self.cases) + len(self.live_refs) + 1))


@pytest.fixture
def make_cases(app, make_case_type):
    """Import golden cases of the given kinds, each with a unique marker in its reference rationale."""
    counter = iter(range(1, 100_000))

    def make(kinds=("fn", "tp", "tn", "fp"), case_type="kyc_audit", scenario=None, status="active") -> list:
        from app.cases import services
        from app.cases.models import CaseType, GoldenCase

        items, described = [], []
        for index, kind in enumerate(kinds):
            recommendation, decision, label, root_cause, priority = KINDS[kind]
            marker = f"REFMARK{uuid.uuid4().hex[:12]}"
            key = f"{case_type}-{900 + next(counter)}"
            answer = {
                "decision": decision,
                "label": label,
                "root_cause": root_cause,
                "rationale": f"{marker} explains the reference. The SOP section applies.",
                "sop_ref": "KYC-3.2",
            }
            items.append(
                golden_item(
                    key=key,
                    case_type=case_type,
                    scenario=scenario or f"{case_type.split('_')[0]}.scenario_{index % 2}",
                    status=status,
                    recommendation=recommendation,
                    priority=priority,
                    answer=answer,
                )
            )
            described.append({"key": key, "kind": kind, "marker": marker, "answer": answer, **items[-1]})
        with app.app_context():
            if not _db.session.scalar(select(CaseType).where(CaseType.slug == case_type)):
                make_case_type(slug=case_type, name=case_type.replace("_", " ").title())
            services.import_golden_cases({"cases": items}, None)
            _db.session.commit()
            ids = dict(_db.session.execute(select(GoldenCase.key, GoldenCase.id)).all())
        for case in described:
            case["id"] = ids[case["key"]]
        return described

    return make


def create_session(app, lead, people, case_ids, live=(), case_type="kyc_audit", name="Week 45") -> int:
    """Create a session through the service; returns its id."""
    from app.auth.models import User
    from app.calibration import services
    from app.cases.models import CaseType

    with app.app_context():
        session = services.create_session(
            name,
            _db.session.scalar(select(CaseType).where(CaseType.slug == case_type)),
            utcnow() + timedelta(days=3),
            [_db.session.get(User, p.id) for p in people],
            list(case_ids),
            _db.session.get(User, lead.id),
            live_cases=list(live),
        )
        _db.session.commit()
        return session.id


@pytest.fixture
def give(app):
    """Save a participant's answer to the case at a position, through the service."""

    def answer(session_id: int, user, position: int, given: dict) -> None:
        from app.auth.models import User
        from app.calibration import services
        from app.calibration.models import CalibrationSession, SessionCase

        with app.app_context():
            session = _db.session.get(CalibrationSession, session_id)
            case = _db.session.scalar(
                select(SessionCase).where(
                    SessionCase.session_id == session_id, SessionCase.position == position
                )
            )
            services.save_answer(session, case, _db.session.get(User, user.id), given)
            _db.session.commit()

    return answer


@pytest.fixture
def close(app):
    """Close a session through the service; returns its stored report."""

    def run(session_id: int, lead) -> dict:
        from app.auth.models import User
        from app.calibration import services
        from app.calibration.models import CalibrationSession

        with app.app_context():
            session = _db.session.get(CalibrationSession, session_id)
            services.close_session(session, _db.session.get(User, lead.id))
            _db.session.commit()
            return session.report

    return run


@pytest.fixture
def make_world(app, make_user, make_cases):
    """A lead, `agents` participating agents, golden cases of `kinds` and `live` live cases, in a session."""

    def make(agents=3, kinds=("fn", "tp", "tn", "fp"), live=0, lead=None, names=None) -> World:
        lead = lead or make_user("qa_lead")
        people = [make_user("agent", username=names[i] if names else None) for i in range(agents)]
        cases = make_cases(kinds)
        refs = [f"D-{i + 1}" for i in range(live)]
        live_cases = [{"live_ref": ref, "content": live_content()} for ref in refs]
        session_id = create_session(app, lead, people, [c["id"] for c in cases], live_cases)
        return World(session_id, lead, people, cases, refs)

    return make


@pytest.fixture
def closed_world(make_world, give, close):
    """Three agents (ana, ben, cai) who split on two of four cases, then a close."""
    world = make_world(agents=3, kinds=("fn", "tp", "tn", "fp"), names=["ana", "ben", "cai"])
    decisions = [
        ["block", "block", "pass"],
        ["block", "block", "block"],
        ["pass", "pass", "escalate"],
        ["pass"] * 3,
    ]
    for position, row in enumerate(decisions, start=1):
        for person, decision in zip(world.people, row, strict=True):
            give(world.session_id, person, position, ANSWERS[decision])
    world.report = close(world.session_id, world.lead)
    return world


def stored(app, model, **where):
    """Rows of a model matching the filters, detached for assertions outside the context."""
    with app.app_context():
        query = select(model).filter_by(**where)
        rows = list(_db.session.scalars(query))
        for row in rows:
            _db.session.expunge(row)
        return rows


def sign_out(client) -> None:
    """The top bar's Sign out button."""
    assert page_form(client, "/calibration", action="/logout").submit().status_code == 302


def sign_in(client, user) -> None:
    """Sign out whoever is signed in, then sign in through the login page."""
    if client.get("/login").status_code == 302:  # someone is signed in
        sign_out(client)
    response = submit_form(client, "/login", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def answer_form(decision: str, **changes) -> dict:
    """The answer form's fields for a well-formed answer of this decision (root cause "" is "None")."""
    answer = {**ANSWERS[decision], **changes}
    return {**answer, "root_cause": answer["root_cause"] or ""}


def submit_answer(client, session_id: int, position: int, fields: dict):
    """Open a case's labelling page, fill the answer form as a participant would, and submit it."""
    return submit_form(client, f"/calibration/{session_id}/cases/{position}", fields)


def count(app, model, **where) -> int:
    """How many rows of a model match the keyword filters."""
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def load(app, session_id: int) -> dict:
    """A session's status, report and per-case outcome, as plain values."""
    from app.calibration.models import CalibrationSession

    with app.app_context():
        session = _db.session.get(CalibrationSession, session_id)
        return {
            "status": session.status,
            "report": session.report,
            "alpha": session.alpha_decision,
            "cases": [
                {
                    "position": c.position,
                    "note": c.note,
                    "final": c.final_decision,
                    "promoted": c.promoted_case_id,
                }
                for c in session.cases
            ],
        }


def field_errors(page: str) -> dict[str, list[str]]:
    """Errors the form macro shows under each field (`<p class="error" id="<field>-error">`)."""
    found: dict[str, list[str]] = {}
    for name, message in re.findall(r'<p class="error" id="([\w-]+)-error">(.*?)</p>', page, re.S):
        found.setdefault(name, []).append(unescape(message))
    return found
