"""Feedback routing: FP and FN patterns back to the model (A), the decision rules (B) or the SOP (C).

A pattern's routing state is the latest audit event recorded for it, so marking a pattern routed or
resolved is itself the audit trail.
"""

from sqlalchemy import func, select, text

from app.audit.models import AuditEvent
from app.audit.services import record_event
from app.auth.models import User
from app.dashboard import queries
from app.dashboard.queries import Filters
from app.errors import DomainError
from app.extensions import db
from app.qa.decisions.models import ERRORS_ONLY, LiveDecision

ROUTES = {"A": "retrain", "B": "threshold_review", "C": "sop_gap"}
STATES = ("routed", "resolved")
OBJECT_TYPE = "feedback_pattern"
THRESHOLDS = (0.60, 0.65, 0.70, 0.75, 0.80, 0.85)


def pattern_key(case_type_id: int, scenario: str | None, root_cause: str | None) -> str:
    return f"{case_type_id}:{scenario or ''}:{root_cause or ''}"


def patterns(filters: Filters, minimum: int) -> list[dict]:
    """FP/FN groups by case type × scenario × root cause, with their route and state; recurring ones are
    those seen at least `minimum` times in the window."""
    grouped: dict[str, dict] = {}
    for case_type_id, scenario, root_cause, label, n in queries.error_pareto(filters):
        key = pattern_key(case_type_id, scenario, root_cause)
        entry = grouped.setdefault(
            key,
            {
                "key": key,
                "case_type_id": case_type_id,
                "scenario": scenario,
                "root_cause": root_cause,
                "FP": 0,
                "FN": 0,
                "route": ROUTES.get(root_cause or ""),
            },
        )
        entry[label] += n
    states = _states(list(grouped))
    rows = []
    for entry in grouped.values():
        entry["count"] = entry["FP"] + entry["FN"]
        entry["recurring"] = entry["count"] >= minimum
        entry["state"] = states.get(entry["key"], "open")
        rows.append(entry)
    rows.sort(key=lambda e: -e["count"])
    running = 0
    total = sum(e["count"] for e in rows) or 1
    for entry in rows:
        running += entry["count"]
        entry["cumulative"] = running / total
    return rows


def _states(keys: list[str]) -> dict[str, str]:
    events = db.session.execute(
        select(AuditEvent.object_id, AuditEvent.action)
        .where(AuditEvent.object_type == OBJECT_TYPE, AuditEvent.object_id.in_(keys))
        .order_by(AuditEvent.id)
    )
    return {key: action.removeprefix("feedback.") for key, action in events}


def set_state(key: str, state: str, actor: User, note: str = "") -> None:
    """Mark a pattern routed or resolved (recorded as an audit event, which is its state)."""
    if state not in STATES:
        raise DomainError("Choose routed or resolved.")
    parts = key.split(":")
    if len(parts) != 3 or not parts[0].isdigit():
        raise DomainError("Unknown pattern.")
    record_event(actor, f"feedback.{state}", (OBJECT_TYPE, key), {"note": note})


def pattern_decisions(case_type_id: int, scenario: str | None, root_cause: str | None, filters: Filters):
    """The live FP/FN decisions of one pattern (for the retraining batch and the threshold evidence)."""
    query = select(LiveDecision).where(
        LiveDecision.case_type_id == case_type_id,
        text(f"live_decisions.{ERRORS_ONLY}"),  # as the pattern index states it, so that it is used
        LiveDecision.scenario == scenario if scenario else LiveDecision.scenario.is_(None),
        LiveDecision.root_cause == root_cause if root_cause else LiveDecision.root_cause.is_(None),
    )
    return queries.scoped(query.order_by(LiveDecision.decided_at), filters)


BINS = 20


def pattern_histogram(
    case_type_id: int, scenario: str | None, root_cause: str | None, filters: Filters
) -> list[int]:
    """The pattern's wrong recommendations counted by confidence in 20 bins of 0.05 (one GROUP BY)."""
    decisions = pattern_decisions(case_type_id, scenario, root_cause, filters).subquery()
    bucket = func.floor(decisions.c.confidence * BINS)
    counts = [0] * BINS
    for value, n in db.session.execute(select(bucket, func.count()).group_by(bucket)):
        counts[min(int(value), BINS - 1)] += n
    return counts


def threshold_evidence(counts: list[int], auto_threshold: float) -> list[dict]:
    """For each candidate threshold (a bin edge): how many of the pattern's wrong recommendations would have
    been decided automatically, being at or above it. Lowering the threshold lets those through."""
    return [
        {
            "threshold": t,
            "auto_decided_wrongly": sum(counts[round(t * BINS) :]),
            "current": abs(t - auto_threshold) < 1e-9,
        }
        for t in THRESHOLDS
    ]
