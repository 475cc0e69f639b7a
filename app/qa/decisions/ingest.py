"""The one bulk write path for live decisions (API, CSV upload, `flask qa import`).

Writes are set-based Core statements in the caller's transaction; nothing here commits. A decision_id
already stored is skipped by the database itself (ON CONFLICT DO NOTHING), and the database says which
rows it created, so `created` is exact even when identical batches race. Rows are inserted in
decision_id order so that overlapping batches lock keys in the same order and cannot deadlock.

On PostgreSQL the rows go through COPY into a temporary table, then one INSERT ... SELECT ... ON CONFLICT
DO NOTHING ... RETURNING that also attaches the findings of the rows it created and adds them to the
dashboards' daily rollups. On SQLite through multi-row INSERT ... ON CONFLICT DO NOTHING statements,
whose new rows are one range of ids, then that range's findings and rollup counts. Both use the DBAPI
cursor of the session's connection with values shaped here once, rather than SQLAlchemy's per-value type
processing, which costs more than the database's own work at a million rows.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain
from operator import itemgetter

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import clock
from app.audit.services import record_event
from app.auth.models import User
from app.cases.models import CaseType
from app.errors import DomainError, ImportRejected
from app.extensions import db
from app.qa.decisions.ingest_format import (
    DUPLICATE_OF_ROW,
    Known,
    check_header,
    csv_records,
    template_csv,
    username_key,
    validate_decisions,
)
from app.qa.decisions.models import LiveDecision
from app.qa.decisions.rules import CRITICAL, Thresholds, check_decision
from app.qa.quality import rollup
from app.strict_parsing import CSVRejected, csv_rows

DECISION_COLUMNS = (
    "decision_id",
    "agent_id",
    "case_type_id",
    "scenario",
    "case_ref",
    "decision",
    "agent_recommendation",
    "confidence",
    "priority",
    "opened_at",
    "decided_at",
    "label",
    "root_cause",
    "rationale",
    "signals",
    "has_critical",
    "high_confidence_override",
    "ingested_at",
)
_COLUMNS = ", ".join(DECISION_COLUMNS)
_PG_STAGING = """
CREATE TEMPORARY TABLE IF NOT EXISTS ingest_decisions (
    decision_id text, agent_id integer, case_type_id integer, scenario text, case_ref text,
    decision text, agent_recommendation text, confidence float8, priority integer,
    opened_at timestamptz, decided_at timestamptz, label text, root_cause text, rationale text,
    signals jsonb, has_critical boolean, high_confidence_override boolean, ingested_at timestamptz
) ON COMMIT DROP;
CREATE TEMPORARY TABLE IF NOT EXISTS ingest_findings (decision_id text, code text, severity text)
    ON COMMIT DROP;
TRUNCATE ingest_decisions, ingest_findings
"""
# The created rows go straight into the rollups, as CTEs of the same statement.
_PG_COUNTED = ", ".join(
    f"counted_{i} AS ({statement})"
    for i, statement in enumerate(rollup.decision_counts_sql("postgresql", source="created", day="day"))
)
_PG_MOVE = f"""
WITH created AS (
    INSERT INTO live_decisions ({_COLUMNS})
    SELECT {_COLUMNS} FROM ingest_decisions ORDER BY decision_id
    ON CONFLICT (decision_id) DO NOTHING
    RETURNING id, decision_id, agent_id, case_type_id, scenario, confidence, opened_at, decided_at, label,
        root_cause, has_critical, date_trunc('day', decided_at, 'UTC') AS day
), attached AS (
    INSERT INTO live_findings (live_decision_id, code, severity)
    SELECT created.id, f.code, f.severity FROM created JOIN ingest_findings f USING (decision_id)
), {_PG_COUNTED}
SELECT count(*) FROM created
"""
# SQLite binds at most 32,766 parameters a statement: 1,800 rows of 18 columns.
SQLITE_PAGE = 1800
_SQLITE_INSERT = (
    f"INSERT INTO live_decisions ({_COLUMNS}) VALUES {{values}} ON CONFLICT (decision_id) DO NOTHING"
)
_SQLITE_ROLLUP = rollup.decision_counts_sql("sqlite", where="s.id BETWEEN ? AND ?")
_SQLITE_FINDING = (
    "INSERT INTO live_findings (live_decision_id, code, severity) "
    "SELECT id, ?, ? FROM live_decisions WHERE decision_id = ? AND id BETWEEN ? AND ?"
)
_SQLITE_ROW = f"({', '.join('?' * len(DECISION_COLUMNS))})"


@dataclass(frozen=True)
class Stored:
    created: int
    duplicates: int

    def answer(self) -> dict[str, int]:
        return {"created": self.created, "duplicates": self.duplicates}


def thresholds() -> Thresholds:
    """The automated-QA thresholds, from the app config where it sets them."""
    config = current_app.config
    return Thresholds(
        key_user_priority=config.get("KEY_USER_PRIORITY", 75),
        sla=timedelta(hours=config.get("QA_SLA_HOURS", 4)),
        override_confidence=config.get("QA_OVERRIDE_CONFIDENCE", 0.8),
    )


def known_people_and_types(usernames: Iterable | None = None) -> Known:
    """The maps validation needs: every user (or only those named) and every case type, by key."""
    query = select(User.username, User.id)
    if usernames is not None:
        wanted = {username_key(name) for name in usernames if isinstance(name, str)}
        query = query.where(User.username.in_(wanted))
    agents = dict(db.session.execute(query).all())
    case_types = dict(db.session.execute(select(CaseType.slug, CaseType.id)).all())
    return Known(agents, case_types)


def _sqlite_time(value: datetime) -> str:
    """What SQLAlchemy's DateTime stores on SQLite for this UTC time (naive, with microseconds), so raw
    and ORM writes and range queries compare alike."""
    text = value.isoformat(" ")  # ends with +00:00; has .ffffff only when there are microseconds
    return text[:-6] if len(text) == 32 else text[:19] + ".000000"


@dataclass(frozen=True)
class Prepared:
    """A batch ready to write: rows as tuples in DECISION_COLUMNS order, sorted by decision_id, and their
    findings as (decision_id, code, severity)."""

    dialect: str
    rows: list[tuple]
    findings: list[tuple]


def prepare_decisions(rows: list[dict], limits: Thresholds, dialect: str) -> Prepared:
    """Run the rules on each validated row and shape the batch for `write_prepared`. No database."""
    sqlite = dialect == "sqlite"
    staged, findings = [], []
    now = _sqlite_time(clock.now()) if sqlite else clock.now()
    plain = itemgetter(*DECISION_COLUMNS[:9])  # decision_id .. priority
    for row in rows:
        found = check_decision(
            decision=row["decision"],
            recommendation=row["agent_recommendation"],
            confidence=row["confidence"],
            priority=row["priority"],
            opened_at=row["opened_at"],
            decided_at=row["decided_at"],
            label=row["label"],
            root_cause=row["root_cause"],
            rationale=row["rationale"],
            thresholds=limits,
        )
        critical = override = False
        for finding in found:
            findings.append((row["decision_id"], finding.code, finding.severity))
            critical = critical or finding.severity == CRITICAL
            override = override or finding.code == "high_confidence_override"
        opened_at, decided_at, signals = row["opened_at"], row["decided_at"], row["signals"]
        if sqlite:
            opened_at, decided_at = _sqlite_time(opened_at), _sqlite_time(decided_at)
        staged.append(
            (
                *plain(row),
                opened_at,
                decided_at,
                row["label"],
                row["root_cause"],
                row["rationale"],
                signals,
                critical,
                override,
                now,
            )
        )
    staged.sort(key=itemgetter(0))
    return Prepared(dialect, staged, findings)


def raw_cursor():
    """A DBAPI cursor on the session's connection, inside its transaction."""
    return db.session.connection().connection.driver_connection.cursor()


def write_prepared(cursor, prepared: Prepared) -> int:
    """Insert a prepared batch through `cursor`, skipping decision_ids already stored; returns how many
    it created. Touches nothing but the cursor, so a loader may run it in a writer thread."""
    if not prepared.rows:
        return 0
    write = _pg_move if prepared.dialect == "postgresql" else _sqlite_insert
    return write(cursor, prepared.rows, prepared.findings)


def store_decisions(rows: list[dict], limits: Thresholds | None = None) -> Stored:
    """Insert the validated rows whose decision_id isn't stored yet, with their automated findings.
    Adds rows to live_decisions, live_findings and the daily rollups in the caller's transaction;
    returns the counts."""
    if not rows:
        return Stored(0, 0)
    prepared = prepare_decisions(rows, limits or thresholds(), db.session.get_bind().dialect.name)
    cursor = raw_cursor()
    try:
        created = write_prepared(cursor, prepared)
    finally:
        cursor.close()
    return Stored(created, len(rows) - created)


def _pg_move(cursor, staged: list[tuple], findings: list[tuple]) -> int:
    """COPY into the staging tables, then one statement moves the new rows and attaches their findings."""
    cursor.execute(_PG_STAGING)
    with cursor.copy(f"COPY ingest_decisions ({_COLUMNS}) FROM STDIN") as copy:
        for values in staged:
            copy.write_row(values)
    with cursor.copy("COPY ingest_findings (decision_id, code, severity) FROM STDIN") as copy:
        for finding in findings:
            copy.write_row(finding)
    cursor.execute(_PG_MOVE)
    return cursor.fetchone()[0]


def _sqlite_insert(cursor, staged: list[tuple], findings: list[tuple]) -> int:
    """Multi-row INSERT ... ON CONFLICT DO NOTHING, a page at a time (what SQLAlchemy's insertmanyvalues
    does, without its per-value type processing), then the created rows' findings and rollup counts.

    SQLite has one writer: from the first row this call inserts, the transaction holds the write lock,
    and each new row takes the next id (skipped duplicates take none). So the rows it created are exactly
    the ids from the first page's first new id to the last new id, with no RETURNING rows to collect."""
    first = last = None
    for start in range(0, len(staged), SQLITE_PAGE):
        page = staged[start : start + SQLITE_PAGE]
        statement = _SQLITE_INSERT.format(values=", ".join([_SQLITE_ROW] * len(page)))
        cursor.execute(statement, list(chain.from_iterable(page)))
        if cursor.rowcount > 0:
            last = cursor.lastrowid
            first = first if first is not None else last - cursor.rowcount + 1
    if first is None:
        return 0
    for statement in _SQLITE_ROLLUP:
        cursor.execute(statement, (first, last))
    cursor.executemany(_SQLITE_FINDING, [(*finding[1:], finding[0], first, last) for finding in findings])
    return last - first + 1


def ingest_decisions(rows: list[dict], actor: User | None, source: str, repeats: int = 0) -> Stored:
    """Store a validated batch and record one audit event for it, with its counts."""
    stored = store_decisions(rows)
    stored = Stored(stored.created, stored.duplicates + repeats)
    record_event(actor, "qa.ingest", "live_decisions", {"source": source, **stored.answer()})
    return stored


MAX_UPLOAD_ROWS = 50_000


def ingest_csv_upload(data: bytes, actor: User) -> Stored:
    """Check a whole uploaded CSV file and, when every row is clean, store it through the bulk path.
    Raises ImportRejected (problems by row and column; nothing written) or DomainError (unreadable)."""
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(
            _l("The file is not UTF-8 text. Save it as CSV UTF-8 and try again."), "file"
        ) from None
    reader = csv_rows(io.StringIO(content, newline=""))
    try:
        header = [name.strip() for name in next(reader, [])]
        if not header:
            raise DomainError(_l("The file is empty."), "file")
        problems = check_header(header)
        if problems:
            raise ImportRejected(problems)
        records = list(csv_records(header, reader))
    except CSVRejected as error:
        raise DomainError(
            _l("The file is not valid CSV: %(error)s", error=gettext(error.message, **error.params)), "file"
        ) from None
    if not records:
        raise DomainError(_l("The file has a header but no decisions."), "file")
    if len(records) > MAX_UPLOAD_ROWS:
        raise DomainError(
            _l("Upload at most %(n)s rows; load larger files with flask qa import.", n=MAX_UPLOAD_ROWS),
            "file",
        )
    known = known_people_and_types(item.get("agent") for _, item in records if isinstance(item, dict))
    checked = validate_decisions(records, known, duplicate_message=DUPLICATE_OF_ROW)
    if checked.errors:
        raise ImportRejected(checked.errors)
    return ingest_decisions(checked.rows, actor, "csv")


def upload_template() -> str:
    """The template CSV, its example row naming a real agent and case type when there are some."""
    agent = db.session.scalar(select(User.username).where(User.role == "agent").order_by(User.id).limit(1))
    case_type = db.session.scalar(select(CaseType.slug).order_by(CaseType.id).limit(1))
    return template_csv(agent or "agent.username", case_type or "kyc_audit")


def decision_keys(decision_ids: Iterable) -> dict[str, int]:
    """Stored decisions among these producer ids: decision_id to row id."""
    wanted = {value for value in decision_ids if isinstance(value, str)}
    if not wanted:
        return {}
    query = select(LiveDecision.decision_id, LiveDecision.id).where(LiveDecision.decision_id.in_(wanted))
    return dict(db.session.execute(query).all())
