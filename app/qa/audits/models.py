"""Audits (a lead's or a vendor's verdict on a live decision) and agents' disputes of them."""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
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
from app.auth.models import User
from app.database import UTCDateTime, sql_in
from app.extensions import db
from app.qa.decisions.models import BigId, LiveDecision

VERDICTS = ("correct", "incorrect")
AUDIT_SEVERITIES = ("critical", "major", "minor")
AUDIT_ROOT_CAUSES = ("A", "B", "C", "agent_error")
DISPUTE_OUTCOMES = ("open", "upheld", "overturned", "partial")


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
