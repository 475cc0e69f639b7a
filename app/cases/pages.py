"""View-models of the golden-case pages, so templates receive ready values."""

from dataclasses import dataclass
from datetime import datetime

from app.cases.editing import StaleEdit
from app.cases.forms import GoldenCaseEditForm


@dataclass(frozen=True)
class ChangedField:
    """One row of the "changed meanwhile" table: the field's label, what the lead sends, what is stored."""

    field: str
    label: str
    sent: str
    stored: str


@dataclass(frozen=True)
class EditConflict:
    """What the editor shows when a save was refused because the case changed after the page was opened."""

    who: str | None
    when: datetime | None
    fields: list[ChangedField]


def conflict(form: GoldenCaseEditForm, stale: StaleEdit) -> EditConflict:
    """The refused save's differences, labelled as the editor labels its fields, with menu values shown
    by the names the menus show."""
    rows = []
    for change in stale.changes:
        field = form[change.field]
        names = {str(value): str(name) for value, name in getattr(field, "choices", None) or []}
        rows.append(
            ChangedField(
                change.field,
                str(field.label.text),
                names.get(change.sent, change.sent),
                names.get(change.stored, change.stored),
            )
        )
    last = stale.last_change
    return EditConflict(last.who if last else None, last.when if last else None, rows)
