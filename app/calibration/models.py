"""Calibration sessions: blind multi-rater labeling of a batch of cases, and the stored report."""

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.auth.models import User
from app.cases.models import CaseType, GoldenCase
from app.database import JSONType, UTCDateTime, sql_in
from app.extensions import db

SESSION_STATUSES = ("open", "closed")
CASE_SOURCES = ("golden", "live")


class CalibrationSession(db.Model):
    __tablename__ = "calibration_sessions"
    __table_args__ = (CheckConstraint(sql_in("status", SESSION_STATUSES), name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    case_type_id: Mapped[int] = mapped_column(ForeignKey("case_types.id"), index=True)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(8), default="open", index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seed: Mapped[int] = mapped_column(Integer)  # the bootstrap's seed, so a report can be recomputed exactly
    # Computed once at close (and again on reopen-and-close or an amendment); pages read it as stored.
    report: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    report_computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Decision alpha and its interval copied out of the report, so the trend needn't load whole reports.
    alpha_decision: Mapped[float | None] = mapped_column(Float)
    alpha_low: Mapped[float | None] = mapped_column(Float)
    alpha_high: Mapped[float | None] = mapped_column(Float)

    case_type: Mapped[CaseType] = relationship()
    created_by: Mapped[User] = relationship()
    cases: Mapped[list["SessionCase"]] = relationship(
        order_by="SessionCase.position", back_populates="session"
    )
    participants: Mapped[list["SessionParticipant"]] = relationship(back_populates="session")


class SessionParticipant(db.Model):
    __tablename__ = "session_participants"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("calibration_sessions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    session: Mapped[CalibrationSession] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()


class SessionCase(db.Model):
    """A case in a session: a golden case, or a live decision without a reference answer yet. The content
    is a snapshot, so later edits to the source don't change what participants labelled."""

    __tablename__ = "session_cases"
    __table_args__ = (
        UniqueConstraint("session_id", "position"),
        CheckConstraint(sql_in("source", CASE_SOURCES), name="source_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("calibration_sessions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(8))
    golden_case_id: Mapped[int | None] = mapped_column(ForeignKey("golden_cases.id"))
    live_ref: Mapped[str | None] = mapped_column(String(64))  # the live decision's id, for live cases
    content: Mapped[dict[str, Any]] = mapped_column(JSONType)
    note: Mapped[str] = mapped_column(Text, default="")
    final_decision: Mapped[str | None] = mapped_column(String(16))
    final_label: Mapped[str | None] = mapped_column(String(4))
    final_root_cause: Mapped[str | None] = mapped_column(String(4))
    final_rationale: Mapped[str | None] = mapped_column(Text)
    final_sop_ref: Mapped[str | None] = mapped_column(String(32))
    settled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promoted_case_id: Mapped[int | None] = mapped_column(ForeignKey("golden_cases.id"))

    session: Mapped[CalibrationSession] = relationship(back_populates="cases")
    golden_case: Mapped[GoldenCase | None] = relationship(foreign_keys=[golden_case_id])


class SessionAnswer(db.Model):
    __tablename__ = "session_answers"
    __table_args__ = (UniqueConstraint("session_case_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_case_id: Mapped[int] = mapped_column(ForeignKey("session_cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(4))
    root_cause: Mapped[str | None] = mapped_column(String(4))
    rationale: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
