"""Live decisions, their automated findings, and the idempotency records of the batch API."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
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
from app.auth.models import User
from app.cases.models import CaseType
from app.database import JSONType, UTCDateTime
from app.extensions import db

BigId = BigInteger().with_variant(Integer(), "sqlite")  # SQLite only autoincrements INTEGER keys
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
