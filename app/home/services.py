"""What each role's home page summarises."""

from sqlalchemy import func, select

from app.auth.models import Team, User
from app.cases.models import CaseType, GoldenCase
from app.extensions import db


def case_type_overview() -> list[dict]:
    """Each case type with its number of active and retired golden cases."""
    rows = db.session.execute(
        select(
            CaseType.slug, CaseType.name, CaseType.description, GoldenCase.status, func.count(GoldenCase.id)
        )
        .outerjoin(GoldenCase, GoldenCase.case_type_id == CaseType.id)
        .group_by(CaseType.slug, CaseType.name, CaseType.description, GoldenCase.status)
        .order_by(CaseType.name)
    )
    overview: dict[str, dict] = {}
    for slug, name, description, status, count in rows:
        entry = overview.setdefault(
            slug, {"slug": slug, "name": name, "description": description, "active": 0, "retired": 0}
        )
        if status:
            entry[status] = count
    return list(overview.values())


def team_roster() -> list[dict]:
    """Every team with its vendor, site and number of active people by role."""
    rows = db.session.execute(
        select(Team.id, Team.name, Team.vendor, Team.site, User.role, func.count(User.id))
        .outerjoin(User, (User.team_id == Team.id) & User.active.is_(True))
        .group_by(Team.id, Team.name, Team.vendor, Team.site, User.role)
        .order_by(Team.vendor, Team.site, Team.name)
    )
    roster: dict[int, dict] = {}
    for team_id, name, vendor, site, role, count in rows:
        entry = roster.setdefault(team_id, {"name": name, "vendor": vendor, "site": site, "roles": {}})
        if role:
            entry["roles"][role] = count
    return list(roster.values())
