"""The daily rollups behind the dashboards: counts per agent, case type and UTC day of decision
(DailyQuality), and per team, case type and day, by scenario and error pattern (DailyScenario) and by
the decision agent's confidence on FP and FN (DailyErrorConfidence).

Dashboards at production volume (millions of decisions) sum these rows instead of scanning decisions,
so their time follows the number of agent- or team-days in the period, not the number of decisions.
Every write that changes a count adds its change here, in the same transaction:

- ingest adds the decisions it created to all three (`decision_counts_sql`, run by the bulk path
  itself); nothing changes a decision's scenario, label, root cause or confidence afterwards, and an
  agent's change of team moves their decisions between teams (`move_agent`);
- a first audit, an audit edit and a dispute outcome add their change to audited/correct
  (`count_audit_change`); a batch of external audits adds its first audits (`count_audits`). Both also
  add them to the audit cells (DailyAuditCell: by the sample's stratum and inclusion probability), which
  the design-based accuracy weights.

Changes are added with INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n, which the database
applies atomically, so concurrent writers never lose each other's counts; keys go in sorted order so
that two writers cannot deadlock. `rebuild` recomputes every rollup from decisions and audits: the
repair command, and the reference the tests hold the incremental counts to.
"""

from datetime import UTC, datetime

from sqlalchemy import case, delete, func, select, text

from app.extensions import db
from app.qa.audits.models import Audit
from app.qa.decisions.models import ERRORS_ONLY, LiveDecision
from app.qa.quality.models import DailyAuditCell, DailyErrorConfidence, DailyQuality, DailyScenario
from app.qa.sampling.models import Sample
from app.sql import day_start, dialect, upsert

SLA_HOURS = 4
KEY = ("agent_id", "case_type_id", "day")
LABELS = ("TP", "FP", "FN", "TN")  # in the order of the tp .. tn columns
SCENARIO_KEY = ("team_id", "case_type_id", "day", "scenario", "root_cause", "label")
CONFIDENCE_KEY = ("team_id", "case_type_id", "day", "label", "bucket")
CONFIDENCE_BINS = 20
COUNTS = ("decisions", "within_sla", "critical", "tp", "fp", "fn", "tn", "audited", "correct")


def day_of(moment: datetime) -> datetime:
    """The UTC midnight starting the day of `moment` (a rollup row's `day`)."""
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _dialect_sql(dialect_name: str) -> dict[str, str]:
    """The SQL fragments that differ by dialect, over a decisions source aliased `s`."""
    if dialect_name == "postgresql":
        return {
            "day": "date_trunc('day', s.decided_at, 'UTC')",
            # Under 4 h complies, 4 h or more is a breach (the rule in app/qa/decisions/rules.py).
            "within_sla": f"s.decided_at - s.opened_at < interval '{SLA_HOURS} hours'",
            "bucket": f"least(floor(s.confidence * {CONFIDENCE_BINS})::integer, {CONFIDENCE_BINS - 1})",
        }
    return {
        "day": "substr(s.decided_at, 1, 10) || ' 00:00:00.000000'",
        # julianday() differences carry microsecond float error; compare whole milliseconds.
        "within_sla": (
            "round((julianday(s.decided_at) - julianday(s.opened_at)) * 86400000.0) "
            f"< {SLA_HOURS * 3_600_000}"
        ),
        "bucket": f"min(CAST(s.confidence * {CONFIDENCE_BINS} AS INTEGER), {CONFIDENCE_BINS - 1})",
    }


def _upsert_sql(table: str, key: tuple[str, ...], counts: tuple[str, ...], select: str) -> str:
    added = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in counts)
    order = ", ".join(str(i) for i in range(1, len(key) + 1))
    return (
        f"INSERT INTO {table} ({', '.join(key + counts)}) {select} GROUP BY {order} ORDER BY {order} "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {added}"
    )


def decision_counts_sql(
    dialect_name: str, source: str = "live_decisions", where: str = "true", day: str | None = None
) -> list[str]:
    """The INSERT ... SELECT statements that add the decisions of `source` (a table or CTE with
    live_decisions' columns, aliased s) matching `where` to the three rollups; `day` names a column of
    `source` that already holds the UTC day. Raw SQL, because the bulk ingest path runs them on a DBAPI
    cursor (inside its PostgreSQL CTE, or by id range on SQLite)."""
    sql = _dialect_sql(dialect_name)
    if day:
        sql["day"] = f"s.{day}"
    labels = ", ".join(f"sum(CASE WHEN s.label = '{tag}' THEN 1 ELSE 0 END)" for tag in LABELS)
    source_rows = f"FROM {source} s JOIN users u ON u.id = s.agent_id WHERE {where}"
    agent_days = _upsert_sql(
        "daily_quality",
        KEY,
        COUNTS,
        f"SELECT s.agent_id, s.case_type_id, {sql['day']}, count(*), "
        f"sum(CASE WHEN {sql['within_sla']} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN s.has_critical THEN 1 ELSE 0 END), {labels}, 0, 0 "  # no audits yet
        f"FROM {source} s WHERE {where}",
    )
    return [agent_days, *_team_counts_sql(sql, source_rows)]


def _team_counts_sql(
    sql: dict[str, str], source_rows: str, team: str = "coalesce(u.team_id, 0)", sign: str = ""
) -> list[str]:
    """The statements adding (or, with sign '-', taking away) decisions in the two team-day rollups."""
    error = f"s.{ERRORS_ONLY}"
    return [
        _upsert_sql(
            "daily_scenarios",
            SCENARIO_KEY,
            ("decisions",),
            f"SELECT {team}, s.case_type_id, {sql['day']}, coalesce(s.scenario, ''), "
            f"CASE WHEN {error} THEN coalesce(s.root_cause, '') ELSE '' END, "
            f"CASE WHEN {error} THEN s.label ELSE '' END, {sign}count(*) {source_rows}",
        ),
        _upsert_sql(
            "daily_error_confidence",
            CONFIDENCE_KEY,
            ("decisions",),
            f"SELECT {team}, s.case_type_id, {sql['day']}, s.label, {sql['bucket']}, "
            f"{sign}count(*) {source_rows} AND {error}",
        ),
    ]


def move_agent(agent_id: int, old_team_id: int | None) -> None:
    """Move an agent's decisions in the team-day rollups from `old_team_id` to their current team (call
    after the change is flushed), so team figures follow the agent's team as the agent-day ones do."""
    sql = _dialect_sql(dialect())
    source_rows = "FROM live_decisions s JOIN users u ON u.id = s.agent_id WHERE s.agent_id = :agent"
    for statement in _team_counts_sql(sql, source_rows, team=":old_team", sign="-") + _team_counts_sql(
        sql, source_rows
    ):
        db.session.execute(text(statement), {"agent": agent_id, "old_team": old_team_id or 0})
    for table in (DailyScenario, DailyErrorConfidence):
        db.session.execute(delete(table).where(table.team_id == (old_team_id or 0), table.decisions == 0))


UNPLANNED = ("unplanned", 0.0)  # the cell of audits of decisions no plan drew


def count_audit_change(decision: LiveDecision, audited: int = 0, correct: int = 0) -> None:
    """Add a change in first audits (+1 for a new one) and in those counted correct to the decision's day
    and to its audit cell."""
    if audited or correct:
        key = {"agent_id": decision.agent_id, "case_type_id": decision.case_type_id}
        change = {**key, "day": day_of(decision.decided_at), "audited": audited, "correct": correct}
        _add([change])
        drawn = db.session.execute(
            select(Sample.reason, Sample.inclusion_probability).where(Sample.live_decision_id == decision.id)
        ).first()
        stratum, probability = tuple(drawn) if drawn else UNPLANNED
        _add_cell({**change, "stratum": stratum, "probability": probability})


def _add_cell(row: dict) -> None:
    table = DailyAuditCell.__table__
    statement = upsert(table).values([row])
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[*KEY, "stratum", "probability"],
            set_={name: table.c[name] + statement.excluded[name] for name in ("audited", "correct")},
        )
    )


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
    _count_audit_cells(condition)


def _count_audit_cells(condition) -> None:
    day = day_start(LiveDecision.decided_at).label("day")
    stratum = func.coalesce(Sample.reason, UNPLANNED[0]).label("stratum")
    probability = func.coalesce(Sample.inclusion_probability, UNPLANNED[1]).label("probability")
    groups = (LiveDecision.agent_id, LiveDecision.case_type_id, day, stratum, probability)
    query = (
        select(
            *groups,
            func.count(Audit.id),
            func.sum(case((Audit.effective_verdict == "correct", 1), else_=0)),
        )
        .join(Audit, Audit.live_decision_id == LiveDecision.id)
        .outerjoin(Sample, Sample.live_decision_id == LiveDecision.id)
        .where(Audit.is_second_review.is_(False), condition)
        .group_by(*groups)
        .order_by(*groups)
    )
    table = DailyAuditCell.__table__
    statement = upsert(table).from_select([*KEY, "stratum", "probability", "audited", "correct"], query)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[*KEY, "stratum", "probability"],
            set_={name: table.c[name] + statement.excluded[name] for name in ("audited", "correct")},
        )
    )


def rebuild() -> None:
    """Recompute the rollups from decisions and audits (in the caller's transaction)."""
    for table in (DailyQuality, DailyScenario, DailyErrorConfidence, DailyAuditCell):
        db.session.execute(delete(table))
    for statement in decision_counts_sql(dialect()):
        db.session.execute(text(statement))
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
