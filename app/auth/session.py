"""Flask-Login wiring: users are loaded by their rotating alternative id."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db, login_manager

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """The active user whose current alternative id this is; a rotated id loads nobody."""
    return db.session.scalar(select(User).where(User.session_token == session_token, User.active.is_(True)))
