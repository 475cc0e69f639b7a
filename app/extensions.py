"""Unbound extensions; create_app binds them. Nothing here imports from app/__init__.py."""

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from app.database import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[], strategy="moving-window")


def client_ip() -> str:
    """The address rate limits count against (the proxy must set REMOTE_ADDR correctly)."""
    return request.remote_addr or "unknown"
