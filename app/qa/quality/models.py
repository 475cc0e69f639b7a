"""The daily rollups behind the dashboards, kept current by app/qa/quality/rollup.py, and the monitoring
rule's suspension proposals."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.auth.models import User
from app.cases.models import CaseType
from app.database import UTCDateTime, sql_in
from app.extensions import db


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


class DailyAuditCell(db.Model):
    """First audits per agent, case type, UTC day of decision, stratum (the sample's reason) and inclusion
    probability: the cells the design-based accuracy (app/metrics/design.py) weights. Audits of decisions
    no plan drew (external audits of unsampled decisions) are stratum 'unplanned', probability 0: no
    weight can stand for them, so they are counted beside the estimate, not in it."""

    __tablename__ = "daily_audit_cells"

    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    case_type_id: Mapped[int] = mapped_column(ForeignKey("case_types.id"), primary_key=True)
    day: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True, index=True)
    stratum: Mapped[str] = mapped_column(String(20), primary_key=True)
    probability: Mapped[float] = mapped_column(Float, primary_key=True)
    audited: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)


PROPOSAL_STATUSES = ("pending", "suspended", "dismissed", "withdrawn", "lifted")


class SuspensionProposal(db.Model):
    """The monitoring rule's case for suspending an agent on a case type, and what became of it.

    pending: waiting for a lead or manager; suspended: confirmed by one (or automatic, when the admin
    setting allows it); dismissed: a lead or manager said no, with a reason; withdrawn: a pending proposal
    whose evidence no longer holds; lifted: a suspension whose evidence no longer holds, or that a lead
    lifted. The numbers are the evidence when it was proposed; the page shows the current audits too.
    """

    __tablename__ = "suspension_proposals"
    __table_args__ = (
        CheckConstraint(sql_in("status", PROPOSAL_STATUSES), name="status_known"),
        Index("ix_suspension_proposals_agent_case_type", "agent_id", "case_type_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    case_type_id: Mapped[int] = mapped_column(ForeignKey("case_types.id"))
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    # Monitoring counts only first audits with an id above this: a fresh start after a dismissal or a
    # lead's lift, so one run of evidence is not used twice.
    window_after_audit_id: Mapped[int] = mapped_column(Integer, default=0)
    audits: Mapped[int] = mapped_column(Integer)
    errors: Mapped[int] = mapped_column(Integer)
    alarm_at: Mapped[int] = mapped_column(Integer)  # 1-based audit at which the rule crossed
    evidence: Mapped[float] = mapped_column(Float)  # the e-value at the crossing
    threshold: Mapped[float] = mapped_column(Float)
    last_audit_id: Mapped[int] = mapped_column(Integer)  # the newest audit seen when proposed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # withdrawn or lifted
    closed_because: Mapped[str] = mapped_column(String(16), default="")  # overturned, regraded, by_lead

    agent: Mapped[User] = relationship(foreign_keys=[agent_id])
    case_type: Mapped[CaseType] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
