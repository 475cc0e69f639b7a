"""Shared by the rollup tests: every rollup row, the check that incremental counts equal a rebuild, and a
`flask qa import` of generated rows."""

from sqlalchemy import select

from app.extensions import db as _db
from app.qa.quality import rollup
from app.qa.quality.models import DailyErrorConfidence, DailyQuality, DailyScenario
from tests.qa.decisions.ingest_support import csv_bytes

TABLES = (DailyQuality, DailyScenario, DailyErrorConfidence)


def all_rollup_rows() -> list[list[tuple]]:
    """The rows of the three rollups, each table's sorted."""
    return [sorted(tuple(row) for row in _db.session.execute(select(*table.__table__.c))) for table in TABLES]


def assert_same_as_rebuild() -> None:
    """Commit, then compare every rollup row with a rebuild from scratch; roll the rebuild back so the
    next step keeps building on the incremental counts."""
    _db.session.commit()
    incremental = all_rollup_rows()
    rollup.rebuild()
    rebuilt = all_rollup_rows()
    _db.session.rollback()
    assert incremental == rebuilt


def cli_import(runner, path, items, created: int, duplicates: int) -> None:
    """Write `items` as a CSV file and load it with `flask qa import` in batches of 100."""
    path.write_bytes(csv_bytes(items))
    result = runner.invoke(args=["qa", "import", str(path), "--batch-size", "100"])
    assert result.exit_code == 0, result.output
    assert f"Decisions: {created} created, {duplicates} duplicates skipped." in result.output
