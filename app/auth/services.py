"""Users, teams and API tokens: the writes, which flush and raise; views commit."""

import hashlib
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import clock
from app.audit.services import record_event
from app.auth.models import ApiToken, Team, User, new_session_token, normalise_username
from app.auth.passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password
from app.auth.roles import ROLES
from app.errors import DomainError
from app.extensions import db
from app.qa.quality import rollup

TOKEN_SCOPES = ("api", "ingest")
TOKEN_PREFIX = "tst_"


def find_user(username: str) -> User | None:
    """The user with this username, compared in normalised form."""
    return db.session.scalar(select(User).where(User.username == normalise_username(username)))


def authenticate(username: str, password: str) -> User | None:
    """The active user these credentials belong to, or None (same cost for every failure)."""
    user = find_user(username)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        return None
    user.last_login_at = clock.now()
    return user


def _check_password(password: str, field: str = "password") -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(_l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH), field)


def create_user(
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    team: Team | None = None,
    locale: str = "en",
    actor: User | None = None,
) -> User:
    """Create a user (username normalised and unique); records an audit event."""
    name = normalise_username(username)
    if not name or len(name) > 64:
        raise DomainError(_l("Give a username of 1 to 64 characters."), "username")
    if role not in ROLES:
        raise DomainError(_l("Unknown role."), "role")
    if find_user(name):
        raise DomainError(_l("That username is taken."), "username")
    _check_password(password)
    user = User(
        username=name,
        display_name=display_name.strip() or username.strip(),
        role=role,
        team=team,
        locale=locale,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    record_event(actor, "user.create", user, {"username": name, "role": role})
    return user


def update_user(user: User, *, display_name: str, role: str, team: Team | None, actor: User) -> User:
    """Change a user's display name, role and team (moving their decisions to the new team in the
    dashboards' team rollups); records what changed."""
    if role not in ROLES:
        raise DomainError(_l("Unknown role."), "role")
    if user.id == actor.id and role != user.role:
        raise DomainError(_l("You cannot change your own role."), "role")
    before = {"display_name": user.display_name, "role": user.role, "team_id": user.team_id}
    user.display_name, user.role, user.team = display_name.strip() or user.username, role, team
    db.session.flush()
    if user.team_id != before["team_id"]:
        rollup.move_agent(user.id, before["team_id"])  # team figures follow the agent's current team
    after = {"display_name": user.display_name, "role": user.role, "team_id": user.team_id}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if role != before["role"]:
        user.session_token = new_session_token()  # a new role starts a fresh session
    record_event(actor, "user.update", user, changes)
    return user


def _revoke_tokens(user: User) -> int:
    """Revoke every live API token of the user; returns how many."""
    now = clock.now()
    tokens = list(
        db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    )
    for token in tokens:
        token.revoked_at = now
    return len(tokens)


def reset_password(user: User, password: str, actor: User | None) -> None:
    """An admin sets a new password: the user's sessions end and their API tokens are revoked, since
    whoever knew the old password may have made either."""
    _check_password(password)
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    revoked = _revoke_tokens(user)
    record_event(actor, "user.reset_password", user, {"tokens_revoked": revoked})


def change_password(user: User, current_password: str, new_password: str) -> None:
    """The user changes their own password: the current one must match. Every session of the user ends
    (the view signs the browser that asked in again) and their API tokens are revoked."""
    if not verify_password(user.password_hash, current_password or ""):
        raise DomainError(_l("That is not your current password."), "current_password")
    _check_password(new_password, "new_password")
    user.password_hash = hash_password(new_password)
    user.session_token = new_session_token()
    revoked = _revoke_tokens(user)
    record_event(user, "user.change_password", user, {"tokens_revoked": revoked})


def set_active(user: User, active: bool, actor: User) -> None:
    """Deactivate (ending sessions and revoking tokens) or reactivate a user."""
    if user.id == actor.id and not active:
        raise DomainError(_l("You cannot deactivate yourself."))
    user.active = active
    if not active:
        user.session_token = new_session_token()
        _revoke_tokens(user)
    record_event(actor, "user.activate" if active else "user.deactivate", user)


def end_sessions(user: User) -> None:
    """Rotate the alternative id so every cookie of this user stops working (logout everywhere)."""
    user.session_token = new_session_token()


def set_locale(user: User, locale: str) -> None:
    """Remember the user's language."""
    user.locale = locale


def hash_token(token: str) -> str:
    """The stored form of an API token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(owner: User, name: str, scopes: list[str], actor: User | None) -> tuple[ApiToken, str]:
    """Create an API token; returns the row and the token itself, which is never stored or shown again."""
    unknown = sorted(set(scopes) - set(TOKEN_SCOPES))
    if not scopes or unknown:
        raise DomainError(_l("Choose scopes from: api, ingest."), "scopes")
    if not name.strip():
        raise DomainError(_l("Name the token."), "name")
    if not owner.active:
        raise DomainError(_l("That user is deactivated."), "owner")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=owner,
        name=name.strip()[:80],
        scopes=" ".join(sorted(set(scopes))),
        token_hash=hash_token(secret),
        prefix=secret[:12],
    )
    db.session.add(token)
    db.session.flush()
    record_event(actor, "token.create", token, {"owner": owner.username, "scopes": token.scopes})
    return token, secret


def revoke_token(token: ApiToken, actor: User) -> None:
    """Revoke a token; it stops working at once."""
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        record_event(actor, "token.revoke", token, {"owner": token.user.username})


def token_user(secret: str, now: datetime | None = None) -> tuple[User, ApiToken] | None:
    """The live token and its active owner for a presented secret, stamping last use; None otherwise."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or not token.is_live:
        return None
    token.last_used_at = now or clock.now()
    return token.user, token


def create_team(name: str, vendor: str, site: str, actor: User | None) -> Team:
    """Create a team (names are unique)."""
    if not name.strip():
        raise DomainError(_l("Name the team."), "name")
    if db.session.scalar(select(Team).where(Team.name == name.strip())):
        raise DomainError(_l("A team with that name exists."), "name")
    team = Team(name=name.strip(), vendor=vendor.strip(), site=site.strip())
    db.session.add(team)
    db.session.flush()
    record_event(actor, "team.create", team, {"name": team.name})
    return team


def update_team(team: Team, name: str, vendor: str, site: str, actor: User) -> Team:
    """Rename or move a team."""
    clash = db.session.scalar(select(Team).where(Team.name == name.strip(), Team.id != team.id))
    if clash:
        raise DomainError(_l("A team with that name exists."), "name")
    team.name, team.vendor, team.site = name.strip(), vendor.strip(), site.strip()
    record_event(actor, "team.update", team, {"name": team.name})
    return team
