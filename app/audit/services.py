"""Recording audit events, in the caller's transaction."""

from typing import Any

from app.audit.models import AuditEvent
from app.extensions import db


def record_event(actor, action: str, obj, detail: dict[str, Any] | None = None) -> AuditEvent:
    """Add an audit event to the current session, so it commits (or not) with the change it records.

    `obj` is a model instance, a table name for changes that touch many rows, or an (object type, id)
    pair for things that are not rows.
    """
    if isinstance(obj, tuple):
        object_type, object_id = obj
    elif isinstance(obj, str):
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
