"""Sampling forms: a plan, and running it over a week."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp


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
