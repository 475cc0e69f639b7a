"""Where an agent stands on a case type, and whether they may sit the exam now. Pure."""

from dataclasses import dataclass
from datetime import datetime, timedelta

RECERTIFY_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class Standing:
    certified_at: datetime | None = None
    expires_at: datetime | None = None
    suspended_at: datetime | None = None
    practice_answered: int = 0


@dataclass(frozen=True)
class ExamGate:
    """Whether an exam may start; `reason` is a code the page explains, `wait_until` for the cooldown."""

    allowed: bool
    reason: str
    wait_until: datetime | None = None


def progress_status(standing: Standing, now: datetime) -> str:
    """not_started, practising, certified, expiring (inside the re-certification window), expired or
    suspended."""
    if standing.suspended_at is not None:
        return "suspended"
    if standing.expires_at is not None:
        if standing.expires_at <= now:
            return "expired"
        return "expiring" if standing.expires_at - now <= RECERTIFY_WINDOW else "certified"
    return "practising" if standing.practice_answered else "not_started"


def exam_gate(
    now: datetime,
    status: str,
    failed_since_reset: int,
    max_attempts: int,
    last_failed_at: datetime | None,
    cooldown: timedelta,
    has_open_exam: bool,
) -> ExamGate:
    """May the agent start (or resume) an exam now?"""
    if has_open_exam:
        return ExamGate(True, "resume")
    if status == "certified":
        return ExamGate(False, "certified")
    if status == "suspended":
        return ExamGate(False, "suspended")
    if failed_since_reset >= max_attempts:
        return ExamGate(False, "locked")
    if last_failed_at is not None and now < last_failed_at + cooldown:
        return ExamGate(False, "cooldown", last_failed_at + cooldown)
    return ExamGate(True, "recertify" if status in ("expiring", "expired") else "ready")
