"""Recording audit events, in the caller's transaction."""

from typing import Any

from app.audit.models import AuditEvent
from app.extensions import db


def record_event(actor, action: str, obj, detail: dict[str, Any] | None = None) -> AuditEvent:
    """Add an audit event to the current session, so it commits (or not) with the change it records.

    `obj` is a model instance, or a table name for changes that touch many rows.
    """
    if isinstance(obj, str):
        object_type, object_id = obj, ""
    else:
        object_type, object_id = type(obj).__tablename__, str(obj.id)
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail or {},
    )
    db.session.add(event)
    return event
