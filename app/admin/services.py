"""Admin queries."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import ApiToken, Team, User
from app.cases.models import CaseType
from app.extensions import db


def team_choices(blank_label) -> list[tuple[int, str]]:
    """Teams for a select box, with a 'no team' entry (0) first."""
    teams = db.session.scalars(select(Team).order_by(Team.vendor, Team.name))
    return [(0, str(blank_label)), *[(t.id, f"{t.name} ({t.vendor}, {t.site})") for t in teams]]


def team_or_none(team_id: int) -> Team | None:
    """The chosen team, or None for 'no team'."""
    return db.session.get(Team, team_id) if team_id else None


def list_users(role: str | None = None, team_id: int | None = None):
    """Users ordered by role and username, optionally filtered."""
    query = select(User).options(selectinload(User.team)).order_by(User.role, User.username)
    if role:
        query = query.where(User.role == role)
    if team_id:
        query = query.where(User.team_id == team_id)
    return query


def list_teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.vendor, Team.site, Team.name)))


def list_case_types() -> list[CaseType]:
    return list(db.session.scalars(select(CaseType).order_by(CaseType.name)))


def list_tokens() -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).options(selectinload(ApiToken.user)).order_by(ApiToken.created_at.desc())
        )
    )


def token_owner_choices() -> list[tuple[int, str]]:
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.username))
    return [(u.id, f"{u.username} ({u.role})") for u in users]
