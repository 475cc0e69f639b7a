"""Golden-case forms: the library filters, the case editor and the JSON import."""

import json

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DecimalField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.cases.golden_format import FieldError
from app.display import DECISION_NAMES, DIFFICULTY_NAMES, ROOT_CAUSE_NAMES
from app.forms import lf_line_breaks, show_field_errors
from app.inputs import parse_json, to_int

DECISION_CHOICES = list(DECISION_NAMES.items())
LABEL_CHOICES = [("TP", "TP"), ("TN", "TN"), ("FP", "FP"), ("FN", "FN")]
ROOT_CAUSE_CHOICES = [("", _l("None (TP or TN)")), *ROOT_CAUSE_NAMES.items()]
DIFFICULTY_CHOICES = list(DIFFICULTY_NAMES.items())
STATUS_CHOICES = [("", _l("Any status")), ("active", _l("Active")), ("retired", _l("Retired"))]


class LibraryFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    case_type = SelectField(_l("Case type"), choices=[], validate_choice=False)
    scenario = SelectField(_l("Scenario"), choices=[], validate_choice=False)
    status = SelectField(_l("Status"), choices=STATUS_CHOICES, validate_choice=False)
    q = StringField(_l("Text"), validators=[Optional(), Length(max=100)])


class GoldenCaseForm(FlaskForm):
    key = StringField(_l("Key"), validators=[InputRequired(), Length(max=64)])
    case_type = SelectField(_l("Case type"), choices=[])
    scenario = StringField(_l("Scenario tag"), validators=[InputRequired(), Length(max=64)])
    difficulty = SelectField(_l("Difficulty"), choices=DIFFICULTY_CHOICES)
    signals = TextAreaField(_l("Signals (JSON object)"), validators=[InputRequired()])
    recommendation = SelectField(_l("Decision agent's recommendation"), choices=DECISION_CHOICES)
    # No fixed places: imports keep any precision, and an editor that rounded it would change it on save.
    confidence = DecimalField(
        _l("Confidence (0–1)"), places=None, validators=[InputRequired(), NumberRange(0, 1)]
    )
    reasoning = TextAreaField(_l("Reasoning steps (one per line)"), validators=[InputRequired()])
    priority = IntegerField(_l("Priority (0–100)"), validators=[InputRequired(), NumberRange(0, 100)])
    opened_at = StringField(_l("Opened at (ISO 8601, UTC)"), validators=[InputRequired()])
    decision = SelectField(_l("Reference decision"), choices=DECISION_CHOICES)
    label = SelectField(_l("Label"), choices=LABEL_CHOICES)
    root_cause = SelectField(_l("Root cause"), choices=ROOT_CAUSE_CHOICES)
    rationale = TextAreaField(
        _l("Rationale (three sentences at most)"), validators=[InputRequired()], filters=[lf_line_breaks]
    )
    sop_ref = StringField(_l("SOP reference"), validators=[InputRequired(), Length(max=32)])
    note = StringField(_l("Why this change (kept with the new answer version)"), validators=[Length(max=300)])

    def to_item(self) -> dict:
        """The form as a seed-format case item, for the shared validation."""
        return self.item_for((self.key.data or "").strip(), self.case_type.data)

    def item_for(self, key: str, case_type: str) -> dict:
        """The form's fields as a seed-format item of the case with this key and case type."""
        try:
            signals = parse_json(self.signals.data or "")
        except ValueError:
            signals = "invalid"
        return {
            "key": key,
            "case_type": case_type,
            "scenario": (self.scenario.data or "").strip(),
            "difficulty": self.difficulty.data,
            "signals": signals,
            "recommendation": self.recommendation.data,
            "confidence": float(self.confidence.data) if self.confidence.data is not None else None,
            "reasoning": [line.strip() for line in (self.reasoning.data or "").splitlines() if line.strip()],
            "priority": self.priority.data,
            "opened_at": (self.opened_at.data or "").strip(),
            "answer": {
                "decision": self.decision.data,
                "label": self.label.data,
                "root_cause": self.root_cause.data or None,
                "rationale": (self.rationale.data or "").strip(),
                "sop_ref": (self.sop_ref.data or "").strip(),
            },
        }

    def show_errors(self, errors: list[FieldError]) -> None:
        """Put shared-validation errors next to the fields they concern."""
        show_field_errors(self, errors)

    def fill(self, case) -> None:
        """Load an existing case into the form."""
        answer = case.current_answer
        self.scenario.data = case.scenario
        self.difficulty.data, self.recommendation.data = case.difficulty, case.recommendation
        self.signals.data = json.dumps(case.signals, indent=2, ensure_ascii=False)
        self.confidence.data, self.priority.data = case.confidence, case.priority
        self.reasoning.data = "\n".join(case.reasoning)
        self.opened_at.data = case.opened_at.isoformat().replace("+00:00", "Z")
        self.decision.data, self.label.data = answer.decision, answer.label
        self.root_cause.data, self.rationale.data, self.sop_ref.data = (
            answer.root_cause or "",
            answer.rationale,
            answer.sop_ref,
        )


class GoldenCaseEditForm(GoldenCaseForm):
    """The editor of an existing case: its key and case type are fixed once created, so the page shows
    them as text and the form neither renders nor expects them. It carries the case's lock_version as it
    was when the page was opened, so a save from a page left open while the case changed is refused."""

    key = None
    case_type = None
    lock_version = HiddenField()

    def fill(self, case) -> None:
        super().fill(case)
        self.lock_version.data = str(case.lock_version)

    def seen_version(self) -> int | None:
        """The lock_version the page was opened at; None when the post carries none (no page sends that)."""
        return to_int(self.lock_version.data)


class ImportForm(FlaskForm):
    file = FileField(_l("Golden cases file (JSON)"), validators=[FileRequired()])
