"""Saving a golden case from its editor: changed content in place, a changed answer as a new version.

Optimistic locking: the editor carries the case's lock_version as it was when the page was opened. A save
goes through only if the case is still at that version, checked and bumped in one UPDATE, so of two saves
made from the same version exactly one wins and the other is told what changed meanwhile. Every answer
amendment, wherever it is made (a gold dispute, a calibration session), bumps the version too.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.audit.models import AuditEvent
from app.audit.services import record_event
from app.auth.models import User
from app.cases.edit_conflicts import FieldChange, differences
from app.cases.golden_format import ANSWER_FIELDS, parse_timestamp, validate_golden_payload
from app.cases.models import GoldenCase
from app.cases.services import add_answer_version, case_to_item
from app.errors import Conflict, DomainError, ImportRejected
from app.extensions import db

CONTENT_FIELDS = (
    "scenario",
    "difficulty",
    "signals",
    "recommendation",
    "confidence",
    "reasoning",
    "priority",
)
# The audit actions that change what the editor shows (each bumps lock_version).
CHANGE_ACTIONS = ("golden.edit", "golden.amend")


@dataclass(frozen=True)
class LastChange:
    """Who made the newest change to a case, and when."""

    who: str | None  # None when the change was made by no signed-in user (an import, a command)
    when: datetime


class StaleEdit(Conflict):
    """The case changed after the editor was opened, so nothing was saved. Carries the version the case
    is at now, who changed it last, and the fields where what the lead sent differs from what is stored."""

    def __init__(self, lock_version: int, last_change: LastChange | None, changes: list[FieldChange]):
        super().__init__(_l("This case was changed after you opened it, so nothing of yours was saved."))
        self.lock_version = lock_version
        self.last_change = last_change
        self.changes = changes


def save_case_edit(case: GoldenCase, item: dict, note: str, actor: User, seen_version: int) -> None:
    """Apply an edited item made on the editor opened at `seen_version`: changed content in place, a changed
    answer as a new version, lock_version bumped once; all or nothing. Raises ImportRejected for bad input,
    StaleEdit when the case changed since `seen_version`, DomainError when nothing changed."""
    _cases, errors = validate_golden_payload({"cases": [item]}, {case.case_type.slug})
    if errors:
        raise ImportRejected(errors)
    if case.lock_version != seen_version:
        raise _stale(case, item)
    changed = {name: item[name] for name in CONTENT_FIELDS if getattr(case, name) != item[name]}
    opened_at = parse_timestamp(item["opened_at"])
    if opened_at != case.opened_at:
        changed["opened_at"] = opened_at
    current, answer = case.current_answer, item["answer"]
    answer_changed = any((getattr(current, f) or None) != (answer.get(f) or None) for f in ANSWER_FIELDS)
    if not changed and not answer_changed:
        raise DomainError(_l("Nothing changed."))
    if not _claim(case, seen_version):  # another save got in between the check above and now
        raise _stale(case, item)
    for name, value in changed.items():
        setattr(case, name, value)
    if changed:
        record_event(actor, "golden.edit", case, {"fields": sorted(changed)})
    if answer_changed:
        add_answer_version(case, answer, actor, note)


def _claim(case: GoldenCase, seen_version: int) -> bool:
    """Compare and set: bump lock_version only if it is still `seen_version`. The UPDATE waits for (and
    then holds) the row, so a concurrent save is either seen here or sees this one."""
    result = db.session.execute(
        update(GoldenCase)
        .where(GoldenCase.id == case.id, GoldenCase.lock_version == seen_version)
        .values(lock_version=GoldenCase.lock_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(case, ["lock_version"])
    return result.rowcount == 1


def _stale(case: GoldenCase, sent: dict) -> StaleEdit:
    """The refusal of a stale save, comparing what was sent with the case as stored now."""
    db.session.expire(case)  # what this request loaded may predate the change that made it stale
    return StaleEdit(case.lock_version, last_change(case.id), differences(sent, case_to_item(case)))


def last_change(case_id: int) -> LastChange | None:
    """Who made the newest content edit or answer amendment of a case, and when."""
    event = db.session.scalar(
        select(AuditEvent)
        .where(
            AuditEvent.object_type == GoldenCase.__tablename__,
            AuditEvent.object_id == str(case_id),
            AuditEvent.action.in_(CHANGE_ACTIONS),
        )
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(1)
    )
    if event is None:
        return None
    return LastChange(event.actor.display_name if event.actor else None, event.created_at)
