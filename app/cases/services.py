"""Golden cases: import, export, create, amend (a new answer version) and retire. Views commit.

Editing from the editor, with its optimistic locking, is in app.cases.editing."""

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, insert, or_, select, update
from sqlalchemy.orm import selectinload

from app import clock
from app.audit.services import record_event
from app.auth.models import User
from app.cases.golden_format import (
    ANSWER_FIELDS,
    FORMAT,
    FieldError,
    answer_problems,
    parse_timestamp,
    validate_golden_payload,
)
from app.cases.models import CaseType, GoldenCase, ReferenceAnswer
from app.cases.vocabulary import CaseStatus
from app.errors import DomainError, ImportRejected
from app.extensions import db
from app.sop.services import current_version_ids

CASE_TYPES_FORMAT = "touchstone-case-types/1"
CERTIFICATION_RULES = ("exam_size", "pass_mark", "cooldown_hours", "max_attempts", "validity_days")


def case_type_slugs() -> set[str]:
    """Slugs of every case type."""
    return set(db.session.scalars(select(CaseType.slug)))


def import_golden_cases(payload: Any, actor: User | None, *, skip_existing: bool = False) -> dict[str, int]:
    """Validate a whole golden file, then insert all of it or nothing.

    Keys already in the library are an error, or with `skip_existing` (the seed command) left alone.
    Returns counts of created and skipped cases. Raises ImportRejected listing every problem.
    """
    cases, errors = validate_golden_payload(payload, case_type_slugs())
    if errors:
        raise ImportRejected(errors)
    keys = [item["key"] for item in cases]
    existing = set(db.session.scalars(select(GoldenCase.key).where(GoldenCase.key.in_(keys))))
    if existing and not skip_existing:
        raise ImportRejected(
            [
                FieldError(i, "key", "A golden case with this key already exists.")
                for i, item in enumerate(cases)
                if item["key"] in existing
            ]
        )
    fresh = [item for item in cases if item["key"] not in existing]
    _insert_cases(fresh, actor)
    record_event(actor, "golden.import", "golden_cases", {"created": len(fresh), "skipped": len(existing)})
    return {"created": len(fresh), "skipped": len(existing)}


def _insert_cases(items: list[dict], actor: User | None) -> None:
    """Bulk insert cases and their first answer versions with two set-based statements."""
    if not items:
        return
    type_ids = dict(db.session.execute(select(CaseType.slug, CaseType.id)).all())
    sop_versions = current_version_ids()
    now = clock.now()
    db.session.execute(insert(GoldenCase), [_case_row(item, type_ids, now) for item in items])
    ids = dict(
        db.session.execute(
            select(GoldenCase.key, GoldenCase.id).where(GoldenCase.key.in_([i["key"] for i in items]))
        ).all()
    )
    rows = [
        _answer_row(
            item["answer"],
            ids[item["key"]],
            1,
            actor,
            now,
            note="imported",
            sop_version_id=sop_versions.get(type_ids[item["case_type"]]),
        )
        for item in items
    ]
    db.session.execute(insert(ReferenceAnswer), rows)


def _case_row(item: dict, type_ids: dict[str, int], now: datetime) -> dict:
    # `pool` is validated but not stored yet: the column comes with the pools change.
    status = item.get("status", CaseStatus.ACTIVE.value)
    return {
        "key": item["key"],
        "case_type_id": type_ids[item["case_type"]],
        "scenario": item["scenario"],
        "difficulty": item["difficulty"],
        "status": status,
        "signals": item["signals"],
        "recommendation": item["recommendation"],
        "confidence": float(item["confidence"]),
        "reasoning": item["reasoning"],
        "priority": item["priority"],
        "opened_at": parse_timestamp(item["opened_at"]),
        "created_at": now,
        "retired_at": now if status == CaseStatus.RETIRED else None,
    }


def _answer_row(
    answer: dict, case_id: int, version: int, actor, now, note: str = "", sop_version_id=None
) -> dict:
    return {
        "golden_case_id": case_id,
        "version": version,
        "decision": answer["decision"],
        "label": answer["label"],
        "root_cause": answer.get("root_cause") or None,
        "rationale": answer["rationale"].strip(),
        "sop_ref": answer["sop_ref"],
        "author_id": getattr(actor, "id", None),
        "sop_version_id": sop_version_id,
        "note": note,
        "created_at": now,
    }


def case_to_item(case: GoldenCase) -> dict:
    """A golden case, with its current answer, in the seed_cases/ format."""
    answer = case.current_answer
    return {
        "key": case.key,
        "case_type": case.case_type.slug,
        "scenario": case.scenario,
        "difficulty": case.difficulty,
        "status": case.status,
        "signals": case.signals,
        "recommendation": case.recommendation,
        "confidence": case.confidence,
        "reasoning": case.reasoning,
        "priority": case.priority,
        "opened_at": case.opened_at.isoformat().replace("+00:00", "Z"),
        "answer": {
            "decision": answer.decision,
            "label": answer.label,
            "root_cause": answer.root_cause,
            "rationale": answer.rationale,
            "sop_ref": answer.sop_ref,
        },
    }


def export_golden_cases(filters: dict[str, str]) -> dict:
    """The filtered library as a golden file that import accepts back."""
    query = filtered_cases(filters).options(
        selectinload(GoldenCase.answers), selectinload(GoldenCase.case_type)
    )
    return {"format": FORMAT, "cases": [case_to_item(c) for c in db.session.scalars(query)]}


def filtered_cases(filters: dict[str, str]) -> Select:
    """Cases matching the library filters: case type slug, scenario, status and free text."""
    query = select(GoldenCase).join(GoldenCase.case_type).order_by(CaseType.slug, GoldenCase.key)
    if filters.get("case_type"):
        query = query.where(CaseType.slug == filters["case_type"])
    if filters.get("scenario"):
        query = query.where(GoldenCase.scenario == filters["scenario"])
    if filters.get("status"):
        query = query.where(GoldenCase.status == filters["status"])
    if filters.get("q"):
        text = f"%{filters['q'].strip().lower()}%"
        rationale_match = (
            select(ReferenceAnswer.id)
            .where(
                ReferenceAnswer.golden_case_id == GoldenCase.id,
                func.lower(ReferenceAnswer.rationale).like(text),
            )
            .exists()
        )
        query = query.where(
            or_(
                func.lower(GoldenCase.key).like(text),
                func.lower(GoldenCase.scenario).like(text),
                rationale_match,
            )
        )
    return query


def scenarios_by_type() -> dict[str, list[str]]:
    """Distinct scenario tags per case type slug, for the filter menus."""
    rows = db.session.execute(
        select(CaseType.slug, GoldenCase.scenario)
        .join(GoldenCase.case_type)
        .distinct()
        .order_by(GoldenCase.scenario)
    )
    result: dict[str, list[str]] = {}
    for slug, scenario in rows:
        result.setdefault(slug, []).append(scenario)
    return result


def create_case(item: dict, actor: User) -> GoldenCase:
    """Create one golden case from a seed-format item (validated like an import)."""
    import_golden_cases({"format": FORMAT, "cases": [item]}, actor)
    case = db.session.scalar(select(GoldenCase).where(GoldenCase.key == item["key"]))
    record_event(actor, "golden.create", case, {"key": case.key})
    return case


def amend_answer(case: GoldenCase, answer: dict, actor: User, note: str = "") -> ReferenceAnswer:
    """Add a new reference-answer version; earlier versions stay, and answers given meanwhile keep theirs.
    Bumps the case's lock_version, so an editor opened before this amendment is stale."""
    bump_lock_version(case)
    return add_answer_version(case, answer, actor, note)


def bump_lock_version(case: GoldenCase) -> None:
    """Count one more change of the case. The UPDATE holds the row until commit, so concurrent
    amendments of one case take turns; its answers are read again after it, so a version another
    amendment added meanwhile is seen and numbered past."""
    db.session.execute(
        update(GoldenCase)
        .where(GoldenCase.id == case.id)
        .values(lock_version=GoldenCase.lock_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(case, ["lock_version", "answers"])


def add_answer_version(case: GoldenCase, answer: dict, actor: User, note: str = "") -> ReferenceAnswer:
    """Add the next reference-answer version, leaving lock_version to the caller."""
    problems = answer_problems(case.recommendation, case.priority, answer)
    if problems:
        raise ImportRejected(problems)
    current = case.current_answer
    if current and all((getattr(current, f) or None) == (answer.get(f) or None) for f in ANSWER_FIELDS):
        raise DomainError(_l("The answer is unchanged, so no new version was made."))
    version = (current.version if current else 0) + 1
    sop_version_id = current_version_ids().get(case.case_type_id)
    new = ReferenceAnswer(**_answer_row(answer, case.id, version, actor, clock.now(), note, sop_version_id))
    case.answers.append(new)
    db.session.flush()
    record_event(actor, "golden.amend", case, {"version": version, "note": note})
    return new


def set_status(case: GoldenCase, status: str, actor: User) -> None:
    """Retire a case (no longer drawn for practice or exams) or bring it back."""
    if status not in (CaseStatus.ACTIVE, CaseStatus.RETIRED):
        raise DomainError(_l("Unknown status."))
    case.status = status
    case.retired_at = clock.now() if status == CaseStatus.RETIRED else None
    record_event(actor, "golden.retire" if status == CaseStatus.RETIRED else "golden.restore", case)


def load_case_types(payload: Any, actor: User | None) -> int:
    """Create case types from a case-types file, leaving existing slugs alone; returns how many were made."""
    if not isinstance(payload, dict) or payload.get("format") != CASE_TYPES_FORMAT:
        raise DomainError(_l("Expected a %(format)s file.", format=CASE_TYPES_FORMAT))
    existing = case_type_slugs()
    created = 0
    for item in payload.get("case_types", []):
        if item["slug"] not in existing:
            save_case_type(
                None, item["slug"], item["name"], item.get("description", ""), item["sop_prefix"], actor
            )
            created += 1
    return created


def save_case_type(
    case_type: CaseType | None,
    slug: str,
    name: str,
    description: str,
    sop_prefix: str,
    actor,
    rules: dict | None = None,
):
    """Create a case type, or edit one (its slug is fixed once cases use it); `rules` sets its
    certification rules (exam_size, pass_mark, cooldown_hours, max_attempts, validity_days)."""
    clash = select(CaseType).where(CaseType.slug == slug)
    if case_type is not None:
        clash = clash.where(CaseType.id != case_type.id)
    if db.session.scalar(clash):
        raise DomainError(_l("A case type with that slug exists."), "slug")
    if case_type is None:
        case_type = CaseType(slug=slug)
        db.session.add(case_type)
    elif case_type.slug != slug:
        in_use = db.session.scalar(select(func.count()).where(GoldenCase.case_type_id == case_type.id))
        if in_use:
            raise DomainError(_l("Golden cases use this slug, so it cannot change."), "slug")
        case_type.slug = slug
    case_type.name, case_type.description, case_type.sop_prefix = (
        name.strip(),
        description.strip(),
        sop_prefix,
    )
    for rule, value in (rules or {}).items():
        if rule not in CERTIFICATION_RULES:
            raise ValueError(f"unknown certification rule {rule!r}")
        setattr(case_type, rule, value)
    db.session.flush()
    record_event(actor, "case_type.save", case_type, {"slug": slug})
    return case_type


def rest_case(case: GoldenCase, until: datetime, actor: User) -> None:
    """Rotate an over-exposed case out of exams until a date (practice still uses it)."""
    case.rested_until = until
    record_event(actor, "golden.rest", case, {"until": until.isoformat()})
