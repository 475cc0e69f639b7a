"""Idempotency keys for the batch endpoints: the first successful answer to (token, endpoint, key) is
stored with a hash of the body, and replayed for a repeat of the same body."""

import hashlib
from typing import Any

from sqlalchemy import select

from app.errors import Conflict
from app.extensions import db
from app.qa.decisions.models import IdempotencyRecord

MAX_KEY = 200


def body_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def recorded_answer(token_id: int, endpoint: str, key: str, digest: str) -> tuple[int, dict] | None:
    """The stored (status, answer) for this key, or None when the key is new. The same key with another
    body is a Conflict."""
    record = db.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.token_id == token_id,
            IdempotencyRecord.endpoint == endpoint,
            IdempotencyRecord.key == key,
        )
    )
    if record is None:
        return None
    if record.body_hash != digest:
        raise Conflict("This Idempotency-Key was used with a different body.")
    return record.status, record.response


def claim_key(token_id: int, endpoint: str, key: str, digest: str) -> IdempotencyRecord:
    """Insert the key before doing the work: a concurrent request with the same key then waits on the
    unique constraint and fails with IntegrityError once this one commits, instead of doing it twice."""
    record = IdempotencyRecord(
        token_id=token_id, endpoint=endpoint, key=key, body_hash=digest, status=0, response={}
    )
    db.session.add(record)
    db.session.flush()
    return record


def settle_key(record: IdempotencyRecord, status: int, answer: dict[str, Any]) -> None:
    """Store the answer that repeats of this request will get."""
    record.status, record.response = status, answer
    db.session.flush()
