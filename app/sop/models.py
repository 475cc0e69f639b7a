"""SOPs: one per case type, every edit a new version; sections parsed per version; proposed gap fixes."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.auth.models import User
from app.cases.models import CaseType
from app.database import JSONType, UTCDateTime, sql_in
from app.extensions import db

GAP_STATUSES = ("open", "accepted", "rejected")


class SopVersion(db.Model):
    __tablename__ = "sop_versions"
    __table_args__ = (UniqueConstraint("case_type_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_type_id: Mapped[int] = mapped_column(ForeignKey("case_types.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    case_type: Mapped[CaseType] = relationship()
    author: Mapped[User | None] = relationship()
    sections: Mapped[list["SopSection"]] = relationship(
        order_by="SopSection.position", cascade="all, delete-orphan"
    )


class SopSection(db.Model):
    __tablename__ = "sop_sections"
    __table_args__ = (UniqueConstraint("sop_version_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sop_version_id: Mapped[int] = mapped_column(ForeignKey("sop_versions.id"), index=True)
    number: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    scenarios: Mapped[list[str]] = mapped_column(JSONType, default=list)

    @property
    def anchor(self) -> str:
        return "sec-" + self.number.replace(".", "-")


class SopGap(db.Model):
    """A flagged gap in an SOP, with a draft addition for a lead to accept (a new version) or reject."""

    __tablename__ = "sop_gaps"
    __table_args__ = (CheckConstraint(sql_in("status", GAP_STATUSES), name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_type_id: Mapped[int] = mapped_column(ForeignKey("case_types.id"), index=True)
    scenario: Mapped[str | None] = mapped_column(String(64))
    section_number: Mapped[str | None] = mapped_column(String(8))
    draft: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    golden_case_id: Mapped[int | None] = mapped_column(ForeignKey("golden_cases.id"))
    proposer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    result_version_id: Mapped[int | None] = mapped_column(ForeignKey("sop_versions.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    case_type: Mapped[CaseType] = relationship()
    proposer: Mapped[User] = relationship(foreign_keys=[proposer_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
