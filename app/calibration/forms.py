"""Calibration forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.cases.forms import DIFFICULTY_CHOICES


class SessionForm(FlaskForm):
    name = StringField(_l("Session name"), validators=[DataRequired(), Length(max=120)])
    case_type = SelectField(_l("Case type"), choices=[])
    deadline = DateTimeLocalField(_l("Deadline (UTC)"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    participants = SelectMultipleField(_l("Participants"), choices=[], coerce=int, validate_choice=False)
    scenario = StringField(_l("Scenario filter (optional)"), validators=[Optional(), Length(max=64)])
    count = IntegerField(_l("How many golden cases to draw"), validators=[Optional(), NumberRange(1, 1000)])
    case_keys = TextAreaField(_l("Or pick golden cases by key (one per line)"), validators=[Optional()])


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Discussion note"), validators=[Length(max=4000)])


class PromoteForm(FlaskForm):
    key = StringField(_l("New golden case key"), validators=[DataRequired(), Length(max=64)])
    difficulty = SelectField(_l("Difficulty"), choices=DIFFICULTY_CHOICES)
    # A live decision may arrive without a scenario, and always without the agent's reasoning text; a golden
    # case needs both, so the lead confirms or supplies them.
    scenario = StringField(_l("Scenario tag"), validators=[Length(max=64)])
    reasoning = TextAreaField(_l("Reasoning steps (one per line)"), validators=[Length(max=6000)])

    def steps(self) -> list[str]:
        return [line.strip() for line in (self.reasoning.data or "").splitlines() if line.strip()]
