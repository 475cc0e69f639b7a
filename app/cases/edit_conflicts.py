"""What differs between the golden case a lead sends from the editor and the case as stored now, field by
field. Pure: two seed-format items in, plain data out."""

import json
from dataclasses import dataclass
from typing import Any

from app.cases.golden_format import ANSWER_FIELDS, parse_timestamp

# The editor's fields, in the order the page shows them.
EDITOR_FIELDS = (
    "scenario",
    "difficulty",
    "priority",
    "opened_at",
    "signals",
    "recommendation",
    "confidence",
    "reasoning",
    "decision",
    "label",
    "root_cause",
    "sop_ref",
    "rationale",
)


@dataclass(frozen=True)
class FieldChange:
    """One editor field whose value the lead sends differs from the stored one; both as the editor's text."""

    field: str
    sent: str
    stored: str


def _value(item: dict, name: str) -> Any:
    """A field's value for comparison: the same case compares equal however its text was written."""
    value = item["answer"].get(name) if name in ANSWER_FIELDS else item.get(name)
    if name == "opened_at":
        return parse_timestamp(value)
    if name == "confidence":
        return float(value)
    if name in ("rationale", "sop_ref", "scenario"):
        return (value or "").strip()
    if name == "root_cause":
        return value or None
    return value


def _text(item: dict, name: str) -> str:
    """A field's value as the editor shows it."""
    value = item["answer"].get(name) if name in ANSWER_FIELDS else item.get(name)
    if name == "signals":
        return json.dumps(value, indent=2, ensure_ascii=False)
    if name == "reasoning":
        return "\n".join(value)
    return "" if value is None else str(value)


def differences(sent: dict, stored: dict) -> list[FieldChange]:
    """The editor fields whose value in `sent` differs from `stored` (both valid seed-format items)."""
    return [
        FieldChange(name, _text(sent, name), _text(stored, name))
        for name in EDITOR_FIELDS
        if _value(sent, name) != _value(stored, name)
    ]
