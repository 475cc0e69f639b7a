"""SOP forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class SopEditForm(FlaskForm):
    body = TextAreaField(_l("SOP (Markdown; raw HTML is shown as text)"), validators=[DataRequired()])
    note = StringField(_l("What changed"), validators=[DataRequired(), Length(max=300)])


class GapForm(FlaskForm):
    scenario = StringField(_l("Scenario tag it concerns"), validators=[Optional(), Length(max=64)])
    section_number = StringField(_l("Section it extends (optional)"), validators=[Optional(), Length(max=8)])
    reason = TextAreaField(_l("What the SOP misses"), validators=[DataRequired(), Length(max=2000)])
    draft = TextAreaField(_l("Draft addition (Markdown)"), validators=[DataRequired(), Length(max=20000)])
    golden_case_id = HiddenField()


class GapDecisionForm(FlaskForm):
    note = StringField(_l("Note"), validators=[Length(max=300)])
