"""Exports with the page's filters, streamed as CSV or JSON Lines: labelled live decisions (for the model's
learning pipeline), audits, and agent scores."""

import csv
import io
import json
from collections.abc import Iterator

from sqlalchemy import select

from app.auth.models import User
from app.cases.models import CaseType
from app.dashboard import reports
from app.dashboard.queries import Filters, scoped
from app.exports import csv_safe
from app.extensions import db
from app.qa.audits.models import Audit
from app.qa.decisions.ingest_format import DECISION_FIELDS
from app.qa.decisions.models import LiveDecision

KINDS = ("decisions", "audits", "scores")


BATCH = 2000


def in_batches(query, key) -> Iterator[tuple]:
    """Run a query in keyset pages ordered by `key`, so a large export never holds a server-side cursor
    open across the streamed response, nor loads everything at once. Rows come without the key."""
    query = query.add_columns(key).order_by(None).order_by(key)
    last = None
    while True:
        page = query if last is None else query.where(key > last)
        rows = db.session.execute(page.limit(BATCH)).all()
        if not rows:
            return
        for row in rows:
            yield tuple(row)[:-1]
        last = rows[-1][-1]


def _decision_rows(filters: Filters) -> tuple[list[str], Iterator[dict]]:
    # The ingest format's columns (less signals), so labelled decisions read like what was ingested.
    columns = [name for name in DECISION_FIELDS if name != "signals"]
    query = scoped(
        select(
            LiveDecision.decision_id,
            User.username,
            CaseType.slug,
            LiveDecision.scenario,
            LiveDecision.case_ref,
            LiveDecision.decision,
            LiveDecision.agent_recommendation,
            LiveDecision.confidence,
            LiveDecision.priority,
            LiveDecision.opened_at,
            LiveDecision.decided_at,
            LiveDecision.label,
            LiveDecision.root_cause,
            LiveDecision.rationale,
        )
        .join(User, User.id == LiveDecision.agent_id)
        .join(CaseType, CaseType.id == LiveDecision.case_type_id)
        .where(LiveDecision.label.is_not(None))
        .order_by(LiveDecision.id),
        filters,
    )
    rows = in_batches(query, LiveDecision.id)
    return columns, (dict(zip(columns, row, strict=True)) for row in rows)


def _audit_rows(filters: Filters) -> tuple[list[str], Iterator[dict]]:
    columns = [
        "decision_id",
        "agent",
        "auditor",
        "verdict",
        "effective_verdict",
        "corrected_decision",
        "corrected_label",
        "severity",
        "root_cause",
        "second_review",
        "external",
        "note",
        "audited_at",
    ]
    auditor = User.__table__.alias("auditor")
    query = scoped(
        select(
            LiveDecision.decision_id,
            User.username,
            auditor.c.username,
            Audit.verdict,
            Audit.effective_verdict,
            Audit.corrected_decision,
            Audit.corrected_label,
            Audit.severity,
            Audit.root_cause,
            Audit.is_second_review,
            Audit.external,
            Audit.note,
            Audit.created_at,
        )
        .join(LiveDecision, LiveDecision.id == Audit.live_decision_id)
        .join(User, User.id == LiveDecision.agent_id)
        .join(auditor, auditor.c.id == Audit.auditor_id)
        .order_by(Audit.id),
        filters,
    )
    rows = in_batches(query, Audit.id)
    return columns, (dict(zip(columns, row, strict=True)) for row in rows)


def _score_rows(filters: Filters, viewer: User) -> tuple[list[str], Iterator[dict]]:
    columns = [
        "agent",
        "team",
        "vendor",
        "audited",
        "correct",
        "accuracy",
        "ci95_low",
        "ci95_high",
        "status",
        "critical_findings",
        "sla_share",
        "certifications",
    ]
    board = reports.leaderboard(filters, viewer, "agent")
    rows = (
        {
            "agent": r["agent"].username,
            "team": r["team"].name if r["team"] else None,
            "vendor": r["team"].vendor if r["team"] else None,
            "audited": r["n"],
            "correct": r["correct"],
            "accuracy": r["estimate"],
            "ci95_low": r["low"],
            "ci95_high": r["high"],
            "status": r["status"],
            "critical_findings": r["critical"],
            "sla_share": r["sla"],
            "certifications": r["certifications"],
        }
        for r in board
    )
    return columns, rows


def restricted(filters: Filters, viewer: User) -> Filters:
    """A lead's exports cover their own vendor only."""
    if viewer.role != "qa_lead":
        return filters
    vendor = viewer.team.vendor if viewer.team else "—"
    return Filters(**{**filters.__dict__, "vendor": vendor})


def export(kind: str, fmt: str, filters: Filters, viewer: User) -> Iterator[str]:
    """The export as chunks of text."""
    filters = restricted(filters, viewer)
    columns, rows = {
        "decisions": lambda: _decision_rows(filters),
        "audits": lambda: _audit_rows(filters),
        "scores": lambda: _score_rows(filters, viewer),
    }[kind]()
    return _jsonl(rows) if fmt == "jsonl" else _csv(columns, rows)


def _text(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _csv(columns: list[str], rows: Iterator[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for number, row in enumerate(rows, 1):
        writer.writerow([csv_safe(_text(row[c])) for c in columns])
        if number % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _jsonl(rows: Iterator[dict]) -> Iterator[str]:
    for row in rows:
        yield (
            json.dumps(
                {k: (_text(v) if hasattr(v, "isoformat") else v) for k, v in row.items()}, ensure_ascii=False
            )
            + "\n"
        )


def decision_lines(query) -> Iterator[str]:
    """A retraining batch: each decision with its labels and rationale, as JSON Lines."""
    for (decision,) in in_batches(query, LiveDecision.id):
        yield (
            json.dumps(
                {
                    "decision_id": decision.decision_id,
                    "case_type_id": decision.case_type_id,
                    "scenario": decision.scenario,
                    "signals": decision.signals,
                    "agent_recommendation": decision.agent_recommendation,
                    "confidence": decision.confidence,
                    "decision": decision.decision,
                    "label": decision.label,
                    "root_cause": decision.root_cause,
                    "rationale": decision.rationale,
                    "decided_at": decision.decided_at.isoformat(),
                },
                ensure_ascii=False,
            )
            + "\n"
        )
