"""Migrations: empty to head matches the models, and a downgrade/upgrade round trip keeps the data."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from app.auth.models import Team, User
from app.extensions import db


def test_head_matches_the_models(app):
    # The session's database was built from empty by `upgrade()` alone (see the app fixture).
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def schema() -> dict[str, set[str]]:
    """Every table's column names, and the names of the triggers (under "triggers")."""
    inspector = inspect(db.engine)
    tables = {
        table: {c["name"] for c in inspector.get_columns(table)} for table in inspector.get_table_names()
    }
    return {**tables, "triggers": triggers()}


def triggers() -> set[str]:
    if db.engine.dialect.name == "postgresql":
        sql = "SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = current_schema()"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    with db.engine.connect() as connection:
        return set(connection.execute(text(sql)).scalars())


def test_downgrade_then_upgrade_keeps_data(app, make_team, make_user):
    team = make_team(name="Manila KYC")
    make_user("agent", username="kept", team=team)
    with app.app_context():
        at_head = schema()
        try:
            downgrade(revision="-1")
            assert schema() != at_head  # the newest revision's tables or columns went
        finally:
            upgrade()  # never leave the shared test database behind head
        assert schema() == at_head
        assert db.session.scalar(select(User.username).where(User.team_id == team.id)) == "kept"
        assert db.session.scalar(select(func.count(Team.id))) == 1
