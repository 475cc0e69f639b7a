"""SOP versions and gap proposals. Services flush and raise; views commit."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import clock
from app.audit.services import record_event
from app.auth.models import User
from app.cases.models import CaseType
from app.errors import Conflict, DomainError
from app.extensions import db
from app.sop.models import SopGap, SopSection, SopVersion
from app.sop.parsing import parse_sections

MAX_SOP_LENGTH = 200_000


def current_version(case_type_id: int) -> SopVersion | None:
    """The newest SOP version of a case type."""
    return db.session.scalar(
        select(SopVersion)
        .where(SopVersion.case_type_id == case_type_id)
        .order_by(SopVersion.version.desc())
        .limit(1)
    )


def current_version_ids() -> dict[int, int]:
    """Case type id → id of its newest SOP version, for every case type that has one."""
    newest = (
        select(SopVersion.case_type_id, func.max(SopVersion.version).label("version"))
        .group_by(SopVersion.case_type_id)
        .subquery()
    )
    rows = db.session.execute(
        select(SopVersion.case_type_id, SopVersion.id).join(
            newest,
            (newest.c.case_type_id == SopVersion.case_type_id) & (newest.c.version == SopVersion.version),
        )
    )
    return dict(rows.all())


def get_version(case_type_id: int, version: int) -> SopVersion | None:
    return db.session.scalar(
        select(SopVersion).where(SopVersion.case_type_id == case_type_id, SopVersion.version == version)
    )


def list_versions(case_type_id: int) -> list[SopVersion]:
    return list(
        db.session.scalars(
            select(SopVersion)
            .where(SopVersion.case_type_id == case_type_id)
            .order_by(SopVersion.version.desc())
        )
    )


def save_sop(case_type: CaseType, body: str, note: str, actor: User | None) -> SopVersion:
    """Store an edited SOP as a new version with its parsed sections; earlier versions stay."""
    body = (body or "").replace("\r\n", "\n").strip() + "\n"
    if len(body.strip()) < 20:
        raise DomainError(_l("Write the SOP: it is empty or too short."), "body")
    if len(body) > MAX_SOP_LENGTH:
        raise DomainError(_l("The SOP is too long."), "body")
    sections = parse_sections(body)
    numbers = [s.number for s in sections]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise DomainError(_l("Section numbers must be unique: %(n)s.", n=", ".join(duplicates)), "body")
    current = current_version(case_type.id)
    if current and current.body == body:
        raise DomainError(_l("Nothing changed, so no new version was made."), "body")
    version = SopVersion(
        case_type_id=case_type.id,
        version=(current.version if current else 0) + 1,
        body=body,
        note=(note or "").strip(),
        author_id=getattr(actor, "id", None),
    )
    version.sections = [
        SopSection(
            number=s.number, title=s.title[:200], level=s.level, position=i, scenarios=list(s.scenarios)
        )
        for i, s in enumerate(sections)
    ]
    db.session.add(version)
    db.session.flush()
    record_event(actor, "sop.save", version, {"case_type": case_type.slug, "version": version.version})
    return version


def propose_gap(
    case_type: CaseType,
    draft: str,
    reason: str,
    actor: User,
    *,
    scenario: str | None = None,
    section_number: str | None = None,
    golden_case_id: int | None = None,
) -> SopGap:
    """Flag an SOP gap with a draft addition, for a lead to accept or reject."""
    if not (draft or "").strip():
        raise DomainError(_l("Write the draft addition."), "draft")
    if not (reason or "").strip():
        raise DomainError(_l("Say what the SOP misses."), "reason")
    gap = SopGap(
        case_type_id=case_type.id,
        draft=draft.strip(),
        reason=reason.strip(),
        proposer_id=actor.id,
        scenario=(scenario or None),
        section_number=(section_number or None),
        golden_case_id=golden_case_id,
    )
    db.session.add(gap)
    db.session.flush()
    record_event(actor, "sop.gap_flag", gap, {"case_type": case_type.slug, "scenario": scenario})
    return gap


def decide_gap(gap: SopGap, accept: bool, note: str, actor: User) -> SopGap:
    """Accept (appending the draft as a new SOP version) or reject an open gap."""
    if gap.status != "open":
        raise Conflict(_l("This gap was already decided."))
    if accept:
        current = current_version(gap.case_type_id)
        body = (current.body.rstrip() + "\n\n" if current else "") + gap.draft.strip() + "\n"
        version = save_sop(gap.case_type, body, note or f"SOP gap #{gap.id}: {gap.reason[:120]}", actor)
        gap.result_version_id = version.id
    gap.status = "accepted" if accept else "rejected"
    gap.decided_by_id, gap.decided_at, gap.decision_note = actor.id, clock.now(), (note or "").strip()
    record_event(actor, "sop.gap_" + gap.status, gap, {"note": gap.decision_note})
    return gap


def list_gaps(status: str | None = "open") -> list[SopGap]:
    query = select(SopGap).order_by(SopGap.created_at.desc())
    if status:
        query = query.where(SopGap.status == status)
    return list(db.session.scalars(query))
