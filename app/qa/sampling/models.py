"""Sampling plans, their weekly runs, and the samples a run puts in the audit queue."""

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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.auth.models import Team
from app.cases.models import CaseType
from app.database import JSONType, UTCDateTime, sql_in
from app.extensions import db
from app.qa.decisions.models import BigId, LiveDecision

SAMPLE_STATUSES = ("queued", "claimed", "done")


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
    reason: Mapped[str] = mapped_column(String(20))  # the stratum: why the plan drew it (selection.REASONS)
    # Its chance of being drawn under the plan, recorded when drawn (app/qa/sampling/selection.py); an
    # audit of it stands for 1/inclusion_probability decisions in the design-based accuracy.
    inclusion_probability: Mapped[float] = mapped_column(Float)
    priority: Mapped[int] = mapped_column(Integer, default=0)  # critical first
    status: Mapped[str] = mapped_column(String(8), default="queued")
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    needs_second_review: Mapped[bool] = mapped_column(Boolean, default=False)
    second_reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    decision: Mapped[LiveDecision] = relationship()
