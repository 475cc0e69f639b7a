"""Time comes from app.clock: pinning config["CLOCK"] moves every part of the app, and nothing else reads
the system clock, so no figure or rule can drift with the calendar the tests run on."""

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app import clock

APP = Path(__file__).resolve().parents[1] / "app"
# Calls that read the system clock. Only app/clock.py may make them.
CLOCK_READS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("func", "now"),
    ("func", "current_timestamp"),
}


def clock_reads(path: Path) -> list[str]:
    """`owner.name(...)` calls in a module that read the system clock, as "line: owner.name"."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
            if (name, node.func.attr) in CLOCK_READS:
                found.append(f"{node.lineno}: {name}.{node.func.attr}")
    return found


@pytest.mark.parametrize(
    "path",
    sorted(p for p in APP.rglob("*.py") if p != APP / "clock.py"),
    ids=lambda p: str(p.relative_to(APP)),
)
def test_only_app_clock_reads_the_system_clock(path):
    assert clock_reads(path) == []


def test_the_guard_sees_a_system_clock_read(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from datetime import datetime, UTC\nstamp = datetime.now(UTC)\n")
    assert clock_reads(sample) == ["2: datetime.now"]


def test_a_pinned_clock_moves_column_defaults(app, monkeypatch):
    from app.auth.models import Team
    from app.extensions import db

    pinned = datetime(2031, 2, 3, 4, 5, tzinfo=UTC)
    monkeypatch.setitem(app.config, "CLOCK", lambda: pinned)
    with app.app_context():
        team = Team(name="Pinned", vendor="V", site="S")
        db.session.add(team)
        db.session.commit()
        assert clock.now() == pinned
        assert db.session.get(Team, team.id).created_at == pinned


def test_outside_an_app_the_clock_is_the_system_clock():
    before = datetime.now(UTC)
    assert before <= clock.now() <= datetime.now(UTC)
