"""Live decisions and their automated findings; sampling plans and runs; the audit queue, audits and
audit disputes."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.auth.models import Team, User
from app.cases.models import CaseType
from app.database import JSONType, UTCDateTime, sql_in
from app.extensions import db

BigId = BigInteger().with_variant(Integer(), "sqlite")  # SQLite only autoincrements INTEGER keys
SAMPLE_STATUSES = ("queued", "claimed", "done")
VERDICTS = ("correct", "incorrect")
AUDIT_SEVERITIES = ("critical", "major", "minor")
AUDIT_ROOT_CAUSES = ("A", "B", "C", "agent_error")
DISPUTE_OUTCOMES = ("open", "upheld", "overturned", "partial")
ERRORS_ONLY = "label IN ('FP', 'FN')"  # the decision agent's false positives and false negatives


class LiveDecision(db.Model):
    """A decision made in production by a reviewer, ingested for QA."""

    __tablename__ = "live_decisions"
    __table_args__ = (
        UniqueConstraint("decision_id"),
        Index("ix_live_decisions_agent_decided", "agent_id", "decided_at"),
        Index("ix_live_decisions_type_decided", "case_type_id", "decided_at"),
        # The FP/FN decisions of one pattern (threshold evidence, retraining batches), without reading the
        # case type's other decisions. Queries must repeat ERRORS_ONLY as written for the index to apply.
        Index(
            "ix_live_decisions_error_patterns",
            "case_type_id",
            "scenario",
            "root_cause",
            "decided_at",
            postgresql_where=text(ERRORS_ONLY),
            sqlite_where=text(ERRORS_ONLY),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    decision_id: Mapped[str] = mapped_column(String(64))
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    case_type_id: Mapped[int] = mapped_column(ForeignKey("case_types.id"))
    scenario: Mapped[str | None] = mapped_column(String(64))
    case_ref: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(16))
    agent_recommendation: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    priority: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    label: Mapped[str | None] = mapped_column(String(4))
    root_cause: Mapped[str | None] = mapped_column(String(4))
    rationale: Mapped[str] = mapped_column(Text, default="")
    signals: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # Copied from the findings at ingest so sampling can filter set-based without joining them.
    has_critical: Mapped[bool] = mapped_column(Boolean, default=False)
    high_confidence_override: Mapped[bool] = mapped_column(Boolean, default=False)
    ingested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    agent: Mapped[User] = relationship()
    case_type: Mapped[CaseType] = relationship()


class LiveFinding(db.Model):
    __tablename__ = "live_findings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    live_decision_id: Mapped[int] = mapped_column(ForeignKey("live_decisions.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    severity: Mapped[str] = mapped_column(String(10))


class IdempotencyRecord(db.Model):
    """The first answer to a request sent with an Idempotency-Key, replayed for repeats of the same body."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("token_id", "endpoint", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id"))
    endpoint: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(200))
    body_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class SamplingPlan(db.Model):
    __tablename__ = "sampling_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))  # None: every team
    case_type_id: Mapped[int] = mapped_column(ForeignKey("case_types.id"))
    base_rate: Mapped[float] = mapped_column(Float, default=0.02)
    weekly_min_per_agent: Mapped[int] = mapped_column(Integer, default=5)
    new_agent_rate: Mapped[float] = mapped_column(Float, default=0.10)
    low_confidence_below: Mapped[float] = mapped_column(Float, default=0.6)
    low_confidence_weight: Mapped[float] = mapped_column(Float, default=2.0)
    override_weight: Mapped[float] = mapped_column(Float, default=3.0)
    weekly_capacity: Mapped[int] = mapped_column(Integer, default=500)
    second_review_share: Mapped[float] = mapped_column(Float, default=0.05)
    version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    team: Mapped[Team | None] = relationship()
    case_type: Mapped[CaseType] = relationship()


class PlanRun(db.Model):
    """One run of a plan over one ISO week: reproducible from its seed and the plan as it was."""

    __tablename__ = "plan_runs"
    __table_args__ = (UniqueConstraint("plan_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("sampling_plans.id"), index=True)
    plan_version: Mapped[int] = mapped_column(Integer)
    plan_snapshot: Mapped[dict[str, Any]] = mapped_column(JSONType)
    week: Mapped[str] = mapped_column(String(10))  # ISO week, e.g. 2026-W47
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
    seed: Mapped[int] = mapped_column(BigInteger)
    sampled: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    plan: Mapped[SamplingPlan] = relationship()


class Sample(db.Model):
    """A decision in the audit queue. A decision is sampled at most once."""

    __tablename__ = "samples"
    __table_args__ = (
        UniqueConstraint("live_decision_id"),
        CheckConstraint(sql_in("status", SAMPLE_STATUSES), name="status_known"),
        Index("ix_samples_status_priority", "status", "priority"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("plan_runs.id"), index=True)
    live_decision_id: Mapped[int] = mapped_column(ForeignKey("live_decisions.id"))
    reason: Mapped[str] = mapped_column(String(20))
    priority: Mapped[int] = mapped_column(Integer, default=0)  # critical first
    status: Mapped[str] = mapped_column(String(8), default="queued")
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    needs_second_review: Mapped[bool] = mapped_column(Boolean, default=False)
    second_reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    decision: Mapped[LiveDecision] = relationship()


class Audit(db.Model):
    """A lead's verdict on a live decision; one per decision per auditor. `version` guards stale edits."""

    __tablename__ = "audits"
    __table_args__ = (
        UniqueConstraint("live_decision_id", "auditor_id"),
        CheckConstraint(sql_in("verdict", VERDICTS), name="verdict_known"),
        CheckConstraint(sql_in("severity", AUDIT_SEVERITIES), name="severity_known"),
        Index("ix_audits_decision", "live_decision_id"),
        # One first audit per decision: two auditors racing to be first (the queue and a vendor's batch)
        # would otherwise both count towards accuracy.
        Index(
            "uq_audits_first_review",
            "live_decision_id",
            unique=True,
            postgresql_where=text("NOT is_second_review"),
            sqlite_where=text("NOT is_second_review"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    live_decision_id: Mapped[int] = mapped_column(ForeignKey("live_decisions.id"))
    sample_id: Mapped[int | None] = mapped_column(ForeignKey("samples.id"))
    auditor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    verdict: Mapped[str] = mapped_column(String(10))
    corrected_decision: Mapped[str | None] = mapped_column(String(16))
    corrected_label: Mapped[str | None] = mapped_column(String(4))
    severity: Mapped[str | None] = mapped_column(String(10))
    root_cause: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")
    is_second_review: Mapped[bool] = mapped_column(Boolean, default=False)
    external: Mapped[bool] = mapped_column(Boolean, default=False)
    # After a dispute is overturned the verdict that counts for accuracy flips; the original stays here.
    effective_verdict: Mapped[str] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    decision: Mapped[LiveDecision] = relationship()
    auditor: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}


class AuditDispute(db.Model):
    __tablename__ = "audit_disputes"
    __table_args__ = (CheckConstraint(sql_in("status", DISPUTE_OUTCOMES), name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    resolver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    audit: Mapped[Audit] = relationship()
    agent: Mapped[User] = relationship(foreign_keys=[agent_id])


class DailyQuality(db.Model):
    """Counts per agent, case type and UTC day of decision, kept current by every write that changes them
    (app/qa/quality/rollup.py), so dashboards sum a few rows per agent-day instead of scanning every
    decision."""

    __tablename__ = "daily_quality"

    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    case_type_id: Mapped[int] = mapped_column(ForeignKey("case_types.id"), primary_key=True)
    day: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True, index=True)  # UTC midnight
    decisions: Mapped[int] = mapped_column(Integer, default=0)
    within_sla: Mapped[int] = mapped_column(Integer, default=0)
    critical: Mapped[int] = mapped_column(Integer, default=0)  # decisions with a critical finding
    tp: Mapped[int] = mapped_column(Integer, default=0)  # reviewer labels on the decision agent's call
    fp: Mapped[int] = mapped_column(Integer, default=0)
    fn: Mapped[int] = mapped_column(Integer, default=0)
    tn: Mapped[int] = mapped_column(Integer, default=0)
    audited: Mapped[int] = mapped_column(Integer, default=0)  # first audits, not second reviews
    correct: Mapped[int] = mapped_column(Integer, default=0)  # of those, counted correct after disputes


class DailyScenario(db.Model):
    """Decisions per team, case type, UTC day, scenario and (for FP/FN) root cause and label: what SOP
    coverage and the FP/FN Pareto sum. Decisions count for their agent's current team (a move moves them);
    '' stands for no scenario, no root cause, and "not FP or FN"."""

    __tablename__ = "daily_scenarios"

    team_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0: the agent had no team
    case_type_id: Mapped[int] = mapped_column(ForeignKey("case_types.id"), primary_key=True)
    day: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True, index=True)
    scenario: Mapped[str] = mapped_column(String(64), primary_key=True)
    root_cause: Mapped[str] = mapped_column(String(4), primary_key=True)
    label: Mapped[str] = mapped_column(String(4), primary_key=True)
    decisions: Mapped[int] = mapped_column(Integer, default=0)


class DailyErrorConfidence(db.Model):
    """FP and FN decisions per team, case type, UTC day, label and decision-agent confidence bin (0.05
    wide): the confidence histogram against the auto-decision threshold."""

    __tablename__ = "daily_error_confidence"

    team_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0: the agent had no team
    case_type_id: Mapped[int] = mapped_column(ForeignKey("case_types.id"), primary_key=True)
    day: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True, index=True)
    label: Mapped[str] = mapped_column(String(4), primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    decisions: Mapped[int] = mapped_column(Integer, default=0)
