"""The daily quality rollup: counts per agent, case type and UTC day of decision (DailyQuality).

Dashboards at production volume (millions of decisions) sum these rows instead of scanning decisions,
so their time follows the number of agent-days in the period, not the number of decisions. Every write
that changes a count adds its change here, in the same transaction:

- ingest adds the decisions it created (`decision_counts_sql`, run by the bulk path itself);
- a first audit, an audit edit and a dispute outcome add their change to audited/correct
  (`count_audit_change`); a batch of external audits adds its first audits (`count_audits`).

Changes are added with INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n, which the database
applies atomically, so concurrent writers never lose each other's counts; keys go in sorted order so
that two writers cannot deadlock. `rebuild` recomputes the whole table from decisions and audits: the
repair command, and the reference the tests hold the incremental counts to.
"""

from datetime import UTC, datetime

from sqlalchemy import case, delete, func, select, text

from app.extensions import db
from app.qa.models import Audit, DailyQuality, LiveDecision
from app.sql import day_start, dialect, upsert

SLA_HOURS = 4
KEY = ("agent_id", "case_type_id", "day")
LABELS = ("TP", "FP", "FN", "TN")  # in the order of the tp .. tn columns
COUNTS = ("decisions", "within_sla", "critical", "tp", "fp", "fn", "tn", "audited", "correct")


def day_of(moment: datetime) -> datetime:
    """The UTC midnight starting the day of `moment` (a rollup row's `day`)."""
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def decision_counts_sql(dialect_name: str, source: str = "live_decisions", where: str = "true") -> str:
    """One INSERT ... SELECT that adds the decisions of `source` (a table or CTE with live_decisions'
    columns) matching `where` to the rollup. Raw SQL, because the bulk ingest path runs it on a DBAPI
    cursor (inside its PostgreSQL CTE, or by id range on SQLite)."""
    if dialect_name == "postgresql":
        day = "date_trunc('day', decided_at, 'UTC')"
        within_sla = f"decided_at - opened_at <= interval '{SLA_HOURS} hours'"
    else:
        day = "substr(decided_at, 1, 10) || ' 00:00:00.000000'"
        # julianday() differences carry microsecond float error; compare whole milliseconds.
        within_sla = (
            f"round((julianday(decided_at) - julianday(opened_at)) * 86400000.0) <= {SLA_HOURS * 3_600_000}"
        )
    labels = ", ".join(f"sum(CASE WHEN label = '{tag}' THEN 1 ELSE 0 END)" for tag in LABELS)
    added = ", ".join(f"{name} = daily_quality.{name} + excluded.{name}" for name in COUNTS[:7])
    return (
        f"INSERT INTO daily_quality ({', '.join(KEY + COUNTS)}) "
        f"SELECT agent_id, case_type_id, {day}, count(*), sum(CASE WHEN {within_sla} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN has_critical THEN 1 ELSE 0 END), {labels}, 0, 0 "
        f"FROM {source} WHERE {where} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 "
        f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {added}"
    )


def count_audit_change(decision: LiveDecision, audited: int = 0, correct: int = 0) -> None:
    """Add a change in first audits (+1 for a new one) and in those counted correct to the decision's day."""
    if audited or correct:
        key = {"agent_id": decision.agent_id, "case_type_id": decision.case_type_id}
        _add([{**key, "day": day_of(decision.decided_at), "audited": audited, "correct": correct}])


def counts_correct(verdict: str) -> int:
    return int(verdict == "correct")


def count_audits(condition) -> None:
    """Add the first audits matching `condition` (a clause on Audit) to their decisions' days."""
    day = day_start(LiveDecision.decided_at).label("day")
    query = (
        select(
            LiveDecision.agent_id,
            LiveDecision.case_type_id,
            day,
            func.count(Audit.id),
            func.sum(case((Audit.effective_verdict == "correct", 1), else_=0)),
        )
        .join(Audit, Audit.live_decision_id == LiveDecision.id)
        .where(Audit.is_second_review.is_(False), condition)
        .group_by(LiveDecision.agent_id, LiveDecision.case_type_id, day)
        .order_by(LiveDecision.agent_id, LiveDecision.case_type_id, day)
    )
    table = DailyQuality.__table__
    statement = upsert(table).from_select([*KEY, "audited", "correct"], query)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=list(KEY),
            set_={name: table.c[name] + statement.excluded[name] for name in ("audited", "correct")},
        )
    )


def rebuild() -> None:
    """Recompute the whole rollup from decisions and audits (in the caller's transaction)."""
    db.session.execute(delete(DailyQuality))
    db.session.execute(text(decision_counts_sql(dialect())))
    count_audits(Audit.id.is_not(None))


def _add(rows: list[dict]) -> None:
    table = DailyQuality.__table__
    names = [name for name in COUNTS if name in rows[0]]
    ordered = sorted(rows, key=lambda row: tuple(row[name] for name in KEY))
    values = [{**dict.fromkeys(COUNTS, 0), **row} for row in ordered]
    statement = upsert(table).values(values)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=list(KEY), set_={name: table.c[name] + statement.excluded[name] for name in names}
        )
    )
