"""Downgrade to base and back to head with a realistic database: the golden set, the demo organisation and
its twelve weeks of activity (decisions, audits, disputes, exams, closed calibration sessions over cases with
reference answers). Runs on a database of its own, never the session's: on SQLite a temporary file, on
PostgreSQL a schema of its own in the test database."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, func, inspect, select, text

import config as settings
from app import create_app
from app.auth.models import User
from app.calibration.models import CalibrationSession, SessionAnswer
from app.cases.models import GoldenCase, ReferenceAnswer
from app.demo import activity_services
from app.extensions import db
from app.onboarding.models import Attempt
from app.qa.audits.models import Audit
from app.qa.decisions.models import LiveDecision
from tests.conftest import PG_URL

SCHEMA = "migration_roundtrip"


@pytest.fixture
def fewer_demo_decisions(monkeypatch):
    """The demo's activity cut down to seed in seconds: 15 decisions per agent (600, not 33,600) and
    exams for 3 agents, not 40. The same shapes of row: audits, disputes, exams, calibration sessions."""
    decisions, exams = activity_services.decisions_for, activity_services._exams
    monkeypatch.setattr(activity_services, "decisions_for", lambda *args: decisions(*args)[:15])
    monkeypatch.setattr(activity_services, "_exams", lambda agents, rng: exams(agents[:3], rng))


@pytest.fixture
def own_app(tmp_path, fewer_demo_decisions):
    """An app on an empty database of its own."""
    config = settings.TestConfig()
    if PG_URL:
        admin = create_engine(config.SQLALCHEMY_DATABASE_URI)
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        config.SQLALCHEMY_ENGINE_OPTIONS = {
            **config.SQLALCHEMY_ENGINE_OPTIONS,
            "connect_args": {"options": f"-csearch_path={SCHEMA}"},
        }
    else:
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    application = create_app(config)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    if PG_URL:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        admin.dispose()


EVERY = (User, GoldenCase, ReferenceAnswer, Attempt, CalibrationSession, SessionAnswer, LiveDecision, Audit)
KEPT_AT_0002 = (User, GoldenCase, ReferenceAnswer)


def counts(models=EVERY) -> dict[str, int]:
    """Rows per table; the session is closed after, so no lock of its own holds up a migration."""
    try:
        return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) for m in models}
    finally:
        db.session.remove()


def seed(application) -> None:
    runner = application.test_cli_runner()
    for command in (["seed", "golden"], ["demo", "seed"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output


def test_downgrade_to_base_and_back_to_head_with_data(own_app):
    with own_app.app_context():
        upgrade()
        seed(own_app)
        seeded = counts()
        assert all(seeded.values()), seeded  # every kind of row is there to get in the way

        downgrade(revision="0002")  # users and the golden set survive this far, rebuilt on SQLite
        kept = {m.__tablename__: seeded[m.__tablename__] for m in KEPT_AT_0002}
        assert counts(KEPT_AT_0002) == kept
        upgrade()
        assert counts(KEPT_AT_0002) == kept

        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        if db.engine.dialect.name == "sqlite":  # the migrations' connections went back to the pool
            assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            db.session.remove()
        seed(own_app)
        assert counts() == seeded
