"""Case types, golden cases and their versioned reference answers."""

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.auth.models import User
from app.cases.vocabulary import DECISIONS, LABELS, ROOT_CAUSES, CaseStatus, Difficulty, is_key_user
from app.database import JSONType, UTCDateTime, sql_in
from app.extensions import db


class CaseType(db.Model):
    __tablename__ = "case_types"
    __table_args__ = (UniqueConstraint("slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    sop_prefix: Mapped[str] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Certification rules, per case type.
    exam_size: Mapped[int] = mapped_column(Integer, default=50, server_default="50")
    pass_mark: Mapped[float] = mapped_column(Float, default=0.98, server_default="0.98")
    cooldown_hours: Mapped[int] = mapped_column(Integer, default=24, server_default="24")
    max_attempts: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    validity_days: Mapped[int] = mapped_column(Integer, default=90, server_default="90")


class ReferenceAnswer(db.Model):
    """One version of a golden case's validated answer. Never edited: a change is a new version."""

    __tablename__ = "reference_answers"
    __table_args__ = (
        UniqueConstraint("golden_case_id", "version"),
        CheckConstraint(sql_in("decision", DECISIONS), name="decision_known"),
        CheckConstraint(sql_in("label", LABELS), name="label_known"),
        CheckConstraint(
            f"(label IN ('FP', 'FN') AND {sql_in('root_cause', ROOT_CAUSES)})"
            " OR (label IN ('TP', 'TN') AND root_cause IS NULL)",
            name="root_cause_matches_label",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    golden_case_id: Mapped[int] = mapped_column(ForeignKey("golden_cases.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(4))
    root_cause: Mapped[str | None] = mapped_column(String(4))
    rationale: Mapped[str] = mapped_column(Text)
    sop_ref: Mapped[str] = mapped_column(String(32))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sop_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("sop_versions.id")
    )  # SOP current when written
    note: Mapped[str] = mapped_column(Text, default="")  # why this version was made
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    author: Mapped[User | None] = relationship()


class GoldenCase(db.Model):
    __tablename__ = "golden_cases"
    __table_args__ = (
        UniqueConstraint("key"),
        CheckConstraint(sql_in("recommendation", DECISIONS), name="recommendation_known"),
        CheckConstraint(sql_in("difficulty", [d.value for d in Difficulty]), name="difficulty_known"),
        CheckConstraint(sql_in("status", [s.value for s in CaseStatus]), name="status_known"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
        CheckConstraint("priority >= 0 AND priority <= 100", name="priority_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    case_type_id: Mapped[int] = mapped_column(ForeignKey("case_types.id"), index=True)
    scenario: Mapped[str] = mapped_column(String(64), index=True)
    difficulty: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(8), default=CaseStatus.ACTIVE.value, index=True)
    signals: Mapped[dict[str, Any]] = mapped_column(JSONType)
    recommendation: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    reasoning: Mapped[list[str]] = mapped_column(JSONType)
    priority: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rested_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # rotated out of exams until then
    # Optimistic locking: bumped by every content edit and every answer amendment, and carried by the
    # editor, so a save from a page opened before another change is refused instead of replacing it.
    lock_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    case_type: Mapped[CaseType] = relationship()
    answers: Mapped[list[ReferenceAnswer]] = relationship(
        order_by=ReferenceAnswer.version, cascade="all, delete-orphan"
    )

    @property
    def current_answer(self) -> ReferenceAnswer | None:
        return self.answers[-1] if self.answers else None

    @property
    def is_key_user(self) -> bool:
        return is_key_user(self.priority)
