"""Fixtures in the flaskr style: app, client, runner, auth, and factories that are callables.

The suite runs on SQLite by default and on PostgreSQL when TOUCHSTONE_TEST_DATABASE_URL is set. In CI an
unreachable PostgreSQL fails the run; elsewhere the tests skip with a message saying why.
"""

import os
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db as _db
from app.extensions import limiter
from config import TestConfig
from tests.forms import page_form

PG_URL = os.environ.get("TOUCHSTONE_TEST_DATABASE_URL", "")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PASSWORD = "correct-horse-battery"


def _postgres_problem() -> str | None:
    """Why PostgreSQL can't be used, or None when it can."""
    if not PG_URL:
        return None
    try:
        import psycopg

        dsn = PG_URL.replace("postgresql+psycopg://", "postgresql://")
        psycopg.connect(dsn, connect_timeout=3).close()
    except Exception as error:  # any failure means the same thing here: no database to test on
        return f"PostgreSQL at {PG_URL} is unreachable: {error}"
    return None


def pytest_collection_modifyitems(config, items):
    problem = _postgres_problem()
    if problem is None:
        return
    if IN_CI:
        pytest.exit(f"{problem}. PostgreSQL is mandatory in CI.", returncode=1)
    skip = pytest.mark.skip(reason=f"{problem} (set CI=true to make this fail)")
    for item in items:
        item.add_marker(skip)


def pytest_report_header(config):
    return f"database: {PG_URL or 'SQLite (temporary file)'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """One app and one migrated database for the session; every test starts from empty tables."""
    config = TestConfig()
    if not PG_URL:
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    application = create_app(config)
    with application.app_context():
        if PG_URL:
            with _db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        from flask_migrate import upgrade

        upgrade()
    return application


@pytest.fixture(autouse=True)
def _push_request_context():
    """Override pytest-flask's: a context held open for the whole test would make every request share
    `g` (so Flask-Login's cached user) and one database session. Each request gets its own instead."""
    yield


@pytest.fixture(autouse=True)
def _clean_state(request):
    """Empty every table and the rate limiter after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        _db.session.remove()
        tables = list(reversed(_db.metadata.sorted_tables))
        with _db.engine.begin() as connection:
            # DELETE, not TRUNCATE: on tables holding a handful of rows it is many times faster on PostgreSQL.
            for table in tables:
                if table.name == "audit_events":
                    empty_audit_trail(connection)
                else:
                    connection.execute(table.delete())
        limiter.reset()


def empty_audit_trail(connection) -> None:
    """Empty audit_events, whose triggers (migration 0008) refuse DELETE.

    PostgreSQL's TRUNCATE fires no row trigger; its lock_timeout turns a lock a test left behind into an
    error instead of a hang. SQLite has no TRUNCATE and no way to switch triggers off for one connection
    in Python 3.11, so its triggers are dropped and created again from their own stored SQL, inside the
    transaction the deletes of the tables before this one have opened: no other connection ever sees the
    trail unguarded, and a failure rolls the drop back.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL lock_timeout = '10s'"))
        connection.execute(text("TRUNCATE audit_events"))
        return
    assert connection.connection.driver_connection.in_transaction, "would drop the triggers outside one"
    triggers = connection.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'")
    ).all()
    for name, _sql in triggers:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    connection.execute(text("DELETE FROM audit_events"))
    for _name, sql in triggers:
        connection.exec_driver_sql(sql)


@pytest.fixture
def client(app):
    """Override pytest-flask's, which holds the last request's context open (`with app.test_client()`)
    and so would let a second client's requests see the first one's user."""
    return app.test_client()


@pytest.fixture
def db(app, request):
    """An app context with the database session, for service tests (which use no client)."""
    if "client" in request.fixturenames:
        raise RuntimeError("view tests use factories, not the db fixture: a shared context would leak g")
    with app.app_context():
        yield _db
        _db.session.rollback()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _detached(app, build):
    """Run `build` in its own app context, commit, and hand back the object with its attributes loaded."""
    with app.app_context():
        obj = build()
        _db.session.commit()
        _db.session.refresh(obj)
        _db.session.expunge(obj)
        return obj


@pytest.fixture
def make_team(app):
    counter = iter(range(1, 10_000))

    def make(name=None, vendor="Northwind BPO", site="Manila"):
        from app.auth.models import Team

        def build():
            team = Team(name=name or f"Team {next(counter)}", vendor=vendor, site=site)
            _db.session.add(team)
            return team

        return _detached(app, build)

    return make


@pytest.fixture
def make_user(app):
    counter = iter(range(1, 10_000))

    def make(role="agent", username=None, password=PASSWORD, team=None, locale="en", active=True):
        from app.auth.models import User
        from app.auth.passwords import hash_password

        def build():
            user = User(
                username=username or f"{role}{next(counter)}",
                display_name=(username or role).title(),
                role=role,
                team_id=team.id if team else None,
                locale=locale,
                active=active,
                password_hash=hash_password(password),
            )
            _db.session.add(user)
            return user

        return _detached(app, build)

    return make


@pytest.fixture
def make_token(app):
    def make(user, scopes=("api",), name="test token"):
        from app.auth import services
        from app.auth.models import User

        with app.app_context():
            _token, secret = services.create_token(_db.session.get(User, user.id), name, list(scopes), None)
            _db.session.commit()
        return secret

    return make


def golden_item(key="kyc_audit-900", **overrides) -> dict:
    """A valid golden case in the seed_cases/ format; override any top-level field or `answer`."""
    item = {
        "key": key,
        "case_type": "kyc_audit",
        "scenario": "kyc.doc_tamper",
        "difficulty": "medium",
        "status": "active",
        "signals": {"document_type": "passport", "tamper_score": 0.91, "name_match_score": 0.97},
        "recommendation": "pass",
        "confidence": 0.62,
        "reasoning": ["Name matches the declared name.", "Tamper score was weighted low."],
        "priority": 30,
        "opened_at": "2026-10-01T08:00:00Z",
        "answer": {
            "decision": "block",
            "label": "FN",
            "root_cause": "A",
            "rationale": "Tamper score 0.91 shows an edited MRZ. The model under-weights tamper signals.",
            "sop_ref": "KYC-3.2",
        },
    }
    item.update(overrides)
    return item


@pytest.fixture
def make_case_type(app):
    def make(slug="kyc_audit", name="KYC Audit", sop_prefix="KYC"):
        from app.cases.models import CaseType

        def build():
            case_type = CaseType(slug=slug, name=name, description=f"{name} cases.", sop_prefix=sop_prefix)
            _db.session.add(case_type)
            return case_type

        return _detached(app, build)

    return make


@pytest.fixture
def make_golden_case(app, make_case_type):
    """Import one golden case through the real import; returns its id."""

    def make(**overrides):
        from sqlalchemy import select

        from app.cases import services
        from app.cases.models import CaseType, GoldenCase

        item = golden_item(**overrides)
        with app.app_context():
            if not _db.session.scalar(select(CaseType).where(CaseType.slug == item["case_type"])):
                make_case_type(slug=item["case_type"], name=item["case_type"].replace("_", " ").title())
            services.import_golden_cases({"cases": [item]}, None)
            _db.session.commit()
            return _db.session.scalar(select(GoldenCase.id).where(GoldenCase.key == item["key"]))

    return make


class AuthActions:
    """Sign in and out through the real login form."""

    def __init__(self, client, make_user):
        self._client = client
        self._make_user = make_user

    def login(self, username, password=PASSWORD):
        """Fill in and send the sign-in page's form, as a browser does; returns the answer to the POST."""
        form = page_form(self._client, "/login")
        form.fill(username=username, password=password)
        return form.submit()

    def login_as(self, role, **kwargs):
        """Create a user with this role, sign in as them, and return the user."""
        user = self._make_user(role, **kwargs)
        response = self.login(user.username)
        assert response.status_code == 302, response.data
        return user

    def logout(self):
        """Press the page chrome's sign-out button; returns the answer to the POST."""
        landing = self._client.get("/", follow_redirects=True)
        return page_form(self._client, landing.request.path, action="/logout").submit()


@pytest.fixture
def auth(client, make_user):
    return AuthActions(client, make_user)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def utcnow() -> datetime:
    """The system clock, for tests that build data relative to the real now (the app reads app.clock)."""
    return datetime.now(UTC)
