"""Practice and exam attempts, their items, certifications, and contested golden answers."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.auth.models import User
from app.cases.models import CaseType, GoldenCase, ReferenceAnswer
from app.database import UTCDateTime, sql_in
from app.extensions import db

ATTEMPT_KINDS = ("practice", "exam")
ATTEMPT_STATUSES = ("open", "submitted")
DISPUTE_STATUSES = ("open", "upheld", "amended")


class Attempt(db.Model):
    """A practice run or a certification exam of one agent on one case type."""

    __tablename__ = "attempts"
    __table_args__ = (
        CheckConstraint(sql_in("kind", ATTEMPT_KINDS), name="kind_known"),
        CheckConstraint(sql_in("status", ATTEMPT_STATUSES), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    case_type_id: Mapped[int] = mapped_column(ForeignKey("case_types.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="open")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pass_mark: Mapped[float] = mapped_column(Float, default=0.98)
    # Grading, filled in at submission (exams) and kept current on re-scoring.
    decision_correct: Mapped[int | None] = mapped_column(Integer)
    label_correct: Mapped[int | None] = mapped_column(Integer)
    root_cause_correct: Mapped[int | None] = mapped_column(Integer)
    root_cause_total: Mapped[int | None] = mapped_column(Integer)
    cost_total: Mapped[float | None] = mapped_column(Float)
    cost_normalised: Mapped[float | None] = mapped_column(Float)
    key_user_missed: Mapped[int | None] = mapped_column(Integer)
    passed: Mapped[bool | None] = mapped_column(Boolean)

    user: Mapped[User] = relationship()
    case_type: Mapped[CaseType] = relationship()
    items: Mapped[list["AttemptItem"]] = relationship(
        order_by="AttemptItem.position", cascade="all, delete-orphan", back_populates="attempt"
    )


class AttemptItem(db.Model):
    """One case shown in an attempt and the answer given to it."""

    __tablename__ = "attempt_items"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        UniqueConstraint("attempt_id", "golden_case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    golden_case_id: Mapped[int] = mapped_column(ForeignKey("golden_cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    shown_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The reference version the answer is scored against: current when the answer was given.
    reference_answer_id: Mapped[int | None] = mapped_column(ForeignKey("reference_answers.id"))
    decision: Mapped[str | None] = mapped_column(String(16))
    label: Mapped[str | None] = mapped_column(String(4))
    root_cause: Mapped[str | None] = mapped_column(String(4))
    rationale: Mapped[str] = mapped_column(Text, default="")
    decision_ok: Mapped[bool | None] = mapped_column(Boolean)
    label_ok: Mapped[bool | None] = mapped_column(Boolean)
    root_cause_ok: Mapped[bool | None] = mapped_column(Boolean)

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    golden_case: Mapped[GoldenCase] = relationship()
    reference: Mapped[ReferenceAnswer | None] = relationship()


class Certification(db.Model):
    """An agent's standing on one case type: certified until a date, or suspended; attempts since reset."""

    __tablename__ = "certifications"
    __table_args__ = (UniqueConstraint("user_id", "case_type_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    case_type_id: Mapped[int] = mapped_column(ForeignKey("case_types.id"), index=True)
    certified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id"))
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_reason: Mapped[str] = mapped_column(Text, default="")
    attempts_reset_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    case_type: Mapped[CaseType] = relationship()


class GoldDispute(db.Model):
    """An agent contesting a golden case's reference answer after seeing their result."""

    __tablename__ = "gold_disputes"
    __table_args__ = (CheckConstraint(sql_in("status", DISPUTE_STATUSES), name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_item_id: Mapped[int] = mapped_column(ForeignKey("attempt_items.id"), index=True)
    golden_case_id: Mapped[int] = mapped_column(ForeignKey("golden_cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    resolver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    new_answer_id: Mapped[int | None] = mapped_column(ForeignKey("reference_answers.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    item: Mapped[AttemptItem] = relationship()
    golden_case: Mapped[GoldenCase] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    resolver: Mapped[User | None] = relationship(foreign_keys=[resolver_id])
