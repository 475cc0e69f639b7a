"""The answer form shared by practice and exams, and the lead's forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.cases.golden_format import FieldError
from app.display import DECISION_NAMES, ROOT_CAUSE_NAMES
from app.forms import show_field_errors

LABEL_CHOICES = [("TP", "TP"), ("TN", "TN"), ("FP", "FP"), ("FN", "FN")]


class AnswerForm(FlaskForm):
    """Decision, label, root cause and rationale. Whether it is well-formed is checked by the service
    (app.cases.answer_rules), the same rules everywhere a case is answered."""

    decision = RadioField(_l("Decision"), choices=list(DECISION_NAMES.items()), validate_choice=False)
    label = RadioField(
        _l("Label of the agent's recommendation"), choices=LABEL_CHOICES, validate_choice=False
    )
    root_cause = RadioField(
        _l("Root cause (FP and FN only)"),
        choices=[("", _l("None")), *ROOT_CAUSE_NAMES.items()],
        validate_choice=False,
        default="",
    )
    rationale = TextAreaField(
        _l("Rationale (three sentences at most)"), validators=[Optional(), Length(max=1200)]
    )

    def answer(self) -> dict:
        return {
            "decision": self.decision.data,
            "label": self.label.data,
            "root_cause": self.root_cause.data or None,
            "rationale": self.rationale.data or "",
        }

    def show_errors(self, errors: list[FieldError]) -> None:
        """Put shared-validation errors next to the fields they concern."""
        show_field_errors(self, errors)


class ContestForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the reference answer wrong?"), validators=[DataRequired(), Length(max=2000)]
    )


class ResolveForm(FlaskForm):
    note = StringField(_l("Note to the agent"), validators=[DataRequired(), Length(max=300)])


class SuspendForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=300)])
