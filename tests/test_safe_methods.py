"""A GET changes nothing: every GET route, opened by every role on the demo organisation, writes no row.

Statements are watched at the engine, so an INSERT, UPDATE or DELETE issued while a GET is answered fails
the test whichever table it touches and whether or not the request then commits."""

import re

import pytest
from sqlalchemy import event, func, select

from app.auth.access import access_of
from app.auth.models import User
from app.extensions import db
from app.onboarding.models import Attempt, AttemptItem

WRITE = re.compile(r"^\s*(WITH\b.*?\)\s*)?(INSERT|UPDATE|DELETE|REPLACE|MERGE)\b", re.IGNORECASE | re.DOTALL)
DEMO_LOGINS = {
    "admin": ("admin", "admin-demo-2026"),
    "manager": ("manager1", "manager-demo-2026"),
    "qa_lead": ("lead1", "lead-demo-2026"),
    "agent": ("agent01", "agent-demo-2026"),
}
# Bookkeeping a GET may do: an API token records when it was last used, so admins can retire idle ones.
# On PostgreSQL (psycopg 3) the bound value carries a cast with spaces: "::TIMESTAMP WITH TIME ZONE".
BOOKKEEPING = re.compile(r"^UPDATE api_tokens SET last_used_at=[^,]+? WHERE api_tokens.id = \S+$")
WORDS = {"slug": "kyc_audit", "username": "agent01", "decision_id": "1", "filename": "css/app.css"}


@pytest.fixture
def demo(app, runner):
    assert runner.invoke(args=["seed", "golden"]).exit_code == 0
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0


def _ids(app, username: str) -> dict[str, int]:
    """An object of each kind the user may open, so the pages render rather than answer 404."""
    from app.calibration.models import CalibrationSession
    from app.cases.models import CaseType, GoldenCase
    from app.onboarding.models import GoldDispute
    from app.qa.audits.models import Audit
    from app.qa.decisions.models import LiveDecision
    from app.qa.sampling.models import Sample, SamplingPlan

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        attempt = db.session.scalar(select(func.min(Attempt.id)).where(Attempt.user_id == user.id))
        first = {
            "case_type_id": CaseType.id,
            "team_id": User.team_id,
            "user_id": User.id,
            "agent_id": User.id,
            "session_id": CalibrationSession.id,
            "case_id": GoldenCase.id,
            "dispute_id": GoldDispute.id,
            "audit_id": Audit.id,
            "plan_id": SamplingPlan.id,
            "sample_id": Sample.id,
            "decision_id": LiveDecision.id,
        }
        ids = {name: db.session.scalar(select(func.min(column))) or 1 for name, column in first.items()}
        ids["attempt_id"] = attempt or 1
        ids["item_id"] = (
            db.session.scalar(select(func.min(AttemptItem.id)).where(AttemptItem.attempt_id == attempt)) or 1
        )
        ids["position"] = ids["version"] = 1
        return ids


def _url(rule, values: dict) -> str:
    def value(match):
        name = match.group(1)
        return str(WORDS.get(name, values.get(name, 1)))

    url = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", rule.rule)
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", value, url)


def test_no_get_writes_a_row(app, client, auth, make_token, demo):
    """One demo organisation for every role: seeding it is the slow part."""
    for role in DEMO_LOGINS:
        _open_every_get_page(app, client, auth, make_token, role)
        auth.logout()


def _open_every_get_page(app, client, auth, make_token, role):
    username, password = DEMO_LOGINS[role]
    assert auth.login(username, password).status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
    headers = {"Authorization": f"Bearer {make_token(user)}"}
    values = _ids(app, username)
    with app.test_request_context():
        rules = [
            (rule, access_of(rule.endpoint))
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint != "static"
        ]
    writes: list[str] = []
    with app.app_context():
        engine = db.engine

    def watch(conn, cursor, statement, parameters, context, executemany):
        if WRITE.match(statement) and not BOOKKEEPING.match(" ".join(statement.split())):
            writes.append(statement.split("(")[0][:80])

    opened = 0
    event.listen(engine, "before_cursor_execute", watch)
    try:
        for rule, access in rules:
            if access.roles is not None and role not in access.roles:
                continue
            url = _url(rule, values)
            response = client.get(url, headers=headers if access.api else {})
            assert response.status_code < 500, url
            assert writes == [], f"GET {url} as {role} wrote: {writes}"
            opened += response.status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    assert opened >= 10  # the pages rendered, not just refused
