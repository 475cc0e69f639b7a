"""Run-time settings: read with their defaults, changed by an admin with an audit event."""

from typing import Any

from app import clock
from app.admin.models import Setting
from app.audit.services import record_event
from app.extensions import db

AUTOMATIC_SUSPENSION = "automatic_suspension"
# When on, the monitoring rule suspends by itself; off, it only proposes and a person decides.
DEFAULTS: dict[str, Any] = {AUTOMATIC_SUSPENSION: False}


def get_setting(key: str) -> Any:
    """A setting's value, or its default when no admin has set it."""
    row = db.session.get(Setting, key)
    return DEFAULTS[key] if row is None else row.value


def set_setting(key: str, value: Any, actor) -> None:
    """Store a setting and record who changed it from what to what (an audit event)."""
    if key not in DEFAULTS:
        raise KeyError(key)
    before = get_setting(key)
    row = db.session.get(Setting, key) or Setting(key=key)
    row.value, row.updated_at, row.updated_by_id = value, clock.now(), getattr(actor, "id", None)
    db.session.add(row)
    db.session.flush()
    record_event(actor, "settings.change", ("settings", key), {"key": key, "from": before, "to": value})


def automatic_suspension() -> bool:
    return bool(get_setting(AUTOMATIC_SUSPENSION))
