"""The audit trail is append-only in the database itself (migration 0008): raw SQL that updates or deletes
an audit event is refused on SQLite and PostgreSQL alike, and inserting still works."""

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import DBAPIError

from app.audit.models import AuditEvent
from app.extensions import db
from tests.conftest import utcnow

REFUSALS = {
    "update": "UPDATE audit_events SET action = 'nothing.happened' WHERE id = :id",
    "update every row": "UPDATE audit_events SET detail = '{}'",
    "delete": "DELETE FROM audit_events WHERE id = :id",
    "delete every row": "DELETE FROM audit_events",
}


def record(action: str) -> int:
    row = {"action": action, "object_type": "user", "object_id": "7", "created_at": utcnow(), "detail": {}}
    event_id = db.session.execute(insert(AuditEvent).returning(AuditEvent.id), [row]).scalar_one()
    db.session.commit()
    return event_id


def trail() -> list[tuple[str, dict]]:
    return [tuple(r) for r in db.session.execute(select(AuditEvent.action, AuditEvent.detail))]


@pytest.mark.parametrize("sql", REFUSALS.values(), ids=REFUSALS.keys())
def test_raw_sql_cannot_rewrite_or_erase_the_trail(db, sql):
    event_id = record("user.password_reset")
    record("token.revoked")
    with pytest.raises(DBAPIError, match="audit events are append-only"), db.engine.begin() as connection:
        connection.execute(text(sql), {"id": event_id})
    assert trail() == [("user.password_reset", {}), ("token.revoked", {})]


def test_the_trail_still_grows(db):
    record("user.created")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_events (action, object_type, object_id, created_at, detail) "
                "VALUES ('user.updated', 'user', '7', :at, '{}')"
            ),
            {"at": utcnow().replace(tzinfo=None) if connection.dialect.name == "sqlite" else utcnow()},
        )
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 2
