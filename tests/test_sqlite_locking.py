"""On SQLite a writing request takes the write lock when its transaction begins (BEGIN IMMEDIATE), so a
concurrent writer waits at BEGIN under busy_timeout instead of failing "database is locked" when a
deferred transaction that has already read tries to write. Reading requests stay deferred."""

import sqlite3

import pytest
from sqlalchemy import select, text

from app.auth.models import User
from app.extensions import db
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="SQLite's locking; PostgreSQL locks rows")


def other_writer_can_begin(app) -> bool:
    """Whether a second connection to the same file gets the write lock now, without waiting."""
    path = db.engine.url.database
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        assert "database is locked" in str(error)
        return False
    else:
        other.execute("ROLLBACK")
        return True
    finally:
        other.close()


@pytest.mark.parametrize(("method", "holds_write_lock"), [("POST", True), ("GET", False)])
def test_a_writing_request_holds_the_write_lock_from_its_first_read(app, make_user, method, holds_write_lock):
    make_user("agent", username="ana")
    with app.test_request_context("/calibration/1/cases/1", method=method):
        assert db.session.scalar(select(User.username)) == "ana"  # a read, nothing written yet
        assert other_writer_can_begin(app) is not holds_write_lock
        db.session.rollback()
    with app.app_context():
        assert other_writer_can_begin(app)


def test_a_writing_request_never_reads_a_snapshot_another_writer_makes_stale(app, make_user):
    user = make_user("agent", username="ana")
    with app.test_request_context("/account", method="POST"):
        db.session.scalar(select(User.username))
        path = db.engine.url.database
        other = sqlite3.connect(path, timeout=0.2, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            other.execute("UPDATE users SET display_name = 'Changed' WHERE id = ?", (user.id,))
        other.close()
        # Without the lock taken at BEGIN, this write failed at once: the other update had committed.
        db.session.execute(text("UPDATE users SET display_name = 'Ana' WHERE id = :id"), {"id": user.id})
        db.session.commit()
    with app.app_context():
        assert db.session.get(User, user.id).display_name == "Ana"
