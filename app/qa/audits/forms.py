"""QA forms: verdicts, sampling plans and runs, disputes, misclassification batches."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import HiddenInput

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


class PlanForm(FlaskForm):
    name = StringField(_l("Plan name"), validators=[DataRequired(), Length(max=120)])
    case_type = SelectField(_l("Case type"), choices=[])
    team = SelectField(_l("Team"), choices=[], coerce=int)
    base_rate = DecimalField(_l("Base rate (0–1)"), places=3, validators=[InputRequired(), NumberRange(0, 1)])
    weekly_min_per_agent = IntegerField(
        _l("Weekly minimum per agent"), validators=[InputRequired(), NumberRange(0, 1000)]
    )
    new_agent_rate = DecimalField(
        _l("Rate in an agent's first 30 days after certification"),
        places=3,
        validators=[InputRequired(), NumberRange(0, 1)],
    )
    low_confidence_below = DecimalField(
        _l("Low confidence means below"), places=2, validators=[InputRequired(), NumberRange(0, 1)]
    )
    low_confidence_weight = DecimalField(
        _l("Weight for low confidence"), places=2, validators=[InputRequired(), NumberRange(1, 100)]
    )
    override_weight = DecimalField(
        _l("Weight for high-confidence overrides"),
        places=2,
        validators=[InputRequired(), NumberRange(1, 100)],
    )
    weekly_capacity = IntegerField(
        _l("QA leads' weekly capacity (audits)"), validators=[InputRequired(), NumberRange(1, 10**6)]
    )
    second_review_share = DecimalField(
        _l("Share sent to a second lead blind"), places=3, validators=[InputRequired(), NumberRange(0, 1)]
    )

    def values(self) -> dict:
        floats = (
            "base_rate",
            "new_agent_rate",
            "low_confidence_below",
            "low_confidence_weight",
            "override_weight",
            "second_review_share",
        )
        values = {name: float(getattr(self, name).data) for name in floats}
        values.update(
            weekly_min_per_agent=self.weekly_min_per_agent.data,
            weekly_capacity=self.weekly_capacity.data,
            name=self.name.data.strip(),
        )
        return values


class RunForm(FlaskForm):
    week = StringField(
        _l("ISO week"), validators=[DataRequired(), Regexp(r"^\d{4}-W\d{2}$", message=_l("Like 2026-W47."))]
    )


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


class BatchSessionForm(FlaskForm):
    """One batch's "Make a calibration session" form. The page holds one per batch, each naming its batch
    in hidden inputs of its own, so the template renders only the CSRF token of hidden_tag()."""

    case_type_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    scenario = HiddenField()
    root_cause = HiddenField()
    name = StringField(
        _l("Session name"), validators=[DataRequired(message=_l("Name the session.")), Length(max=120)]
    )
    deadline = DateTimeLocalField(
        _l("Deadline (UTC)"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(message=_l("Give the deadline as a date and time."))],
    )
    participants = SelectMultipleField(
        _l("Participants"), choices=[], coerce=int, validate_choice=False, validators=[Optional()]
    )
