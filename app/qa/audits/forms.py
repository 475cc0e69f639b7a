"""Audit forms: verdicts, disputes and their resolution."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length

from app.display import DECISION_NAMES

BLANK = [("", "—")]
LABELS = [(x, x) for x in ("TP", "TN", "FP", "FN")]


class VerdictForm(FlaskForm):
    verdict = RadioField(
        _l("Verdict"),
        choices=[("correct", _l("Correct")), ("incorrect", _l("Incorrect"))],
        validators=[InputRequired(message=_l("Choose correct or incorrect."))],
    )
    corrected_decision = SelectField(
        _l("Corrected decision"), choices=BLANK + list(DECISION_NAMES.items()), validate_choice=False
    )
    corrected_label = SelectField(_l("Corrected label"), choices=BLANK + LABELS, validate_choice=False)
    severity = SelectField(
        _l("Severity"),
        choices=BLANK + [("critical", _l("Critical")), ("major", _l("Major")), ("minor", _l("Minor"))],
        validate_choice=False,
    )
    root_cause = SelectField(
        _l("Root cause"),
        choices=BLANK + [("A", "A"), ("B", "B"), ("C", "C"), ("agent_error", _l("Agent error"))],
        validate_choice=False,
    )
    note = TextAreaField(_l("Note"), validators=[Length(max=4000)])
    version = HiddenField()

    def values(self) -> dict:
        return {
            name: getattr(self, name).data
            for name in ("verdict", "corrected_decision", "corrected_label", "severity", "root_cause", "note")
        }


class DisputeForm(FlaskForm):
    reason = TextAreaField(_l("Why is the verdict wrong?"), validators=[DataRequired(), Length(max=2000)])


class ResolveDisputeForm(FlaskForm):
    outcome = RadioField(
        _l("Outcome"),
        choices=[
            ("upheld", _l("Uphold the verdict")),
            ("overturned", _l("Overturn it")),
            ("partial", _l("Partly accept (severity to minor)")),
        ],
        validators=[InputRequired()],
    )
    note = StringField(_l("Note to the agent"), validators=[DataRequired(), Length(max=2000)])
