"""Writing the demo organisation into the database."""

from sqlalchemy import insert, select

from app import clock
from app.auth.models import Team, User, new_session_token
from app.auth.passwords import hash_password
from app.demo.people import DEMO_PASSWORDS, TEAMS, demo_people
from app.extensions import db


def seed_demo_people() -> dict[str, int]:
    """Create the demo teams and people unless they exist; returns how many of each were created."""
    if db.session.scalar(select(User.id).where(User.username == "admin")):
        return {"teams": 0, "users": 0}
    existing = set(db.session.scalars(select(Team.name)))
    new_teams = [
        {"name": name, "vendor": vendor, "site": site, "created_at": clock.now()}
        for name, vendor, site, _locale, _n in TEAMS
        if name not in existing
    ]
    if new_teams:
        db.session.execute(insert(Team), new_teams)
    team_ids = dict(db.session.execute(select(Team.name, Team.id)).all())
    # One hash per role keeps seeding fast; every user still gets their own session token.
    hashes = {role: hash_password(password) for role, password in DEMO_PASSWORDS.items()}
    taken = set(db.session.scalars(select(User.username)))
    rows = [
        {
            "username": person["username"],
            "display_name": person["display_name"],
            "role": person["role"],
            "team_id": team_ids.get(person["team"]) if person["team"] else None,
            "locale": person["locale"],
            "active": True,
            "password_hash": hashes[person["role"]],
            "session_token": new_session_token(),
            "created_at": clock.now(),
        }
        for person in demo_people()
        if person["username"] not in taken
    ]
    db.session.execute(insert(User), rows)
    return {"teams": len(new_teams), "users": len(rows)}
