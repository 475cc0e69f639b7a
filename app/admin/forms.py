"""Admin forms: users, teams, case types and API tokens."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp

from app.auth.services import TOKEN_SCOPES
from app.navigation import ROLE_NAMES

ROLE_CHOICES = list(ROLE_NAMES.items())
LOCALE_CHOICES = [("en", "English"), ("zh_Hans", "简体中文")]


class UserCreateForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    display_name = StringField(_l("Display name"), validators=[Length(max=120)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    team = SelectField(_l("Team"), choices=[], coerce=int)
    locale = SelectField(_l("Language"), choices=LOCALE_CHOICES)
    password = PasswordField(_l("Initial password"), validators=[InputRequired(), Length(max=256)])


class UserEditForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    team = SelectField(_l("Team"), choices=[], coerce=int)


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(max=256)])


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=80)])
    vendor = StringField(_l("Vendor"), validators=[DataRequired(), Length(max=80)])
    site = StringField(_l("Site"), validators=[DataRequired(), Length(max=80)])


class CaseTypeForm(FlaskForm):
    """A case type and its certification rules."""

    slug = StringField(
        _l("Slug"),
        validators=[
            DataRequired(),
            Regexp(r"^[a-z][a-z0-9_]{1,39}$", message=_l("Lowercase letters, digits and _.")),
        ],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    sop_prefix = StringField(
        _l("SOP prefix"),
        validators=[
            DataRequired(),
            Regexp(r"^[A-Z0-9]{2,8}$", message=_l("2 to 8 capital letters or digits.")),
        ],
    )
    exam_size = IntegerField(_l("Exam cases"), default=50, validators=[InputRequired(), NumberRange(1, 500)])
    pass_mark = DecimalField(
        _l("Pass mark (decision accuracy, 0–1)"),
        default=0.98,
        places=3,
        validators=[InputRequired(), NumberRange(0.5, 1)],
    )
    cooldown_hours = IntegerField(
        _l("Cooldown before a retake (hours)"),
        default=24,
        validators=[InputRequired(), NumberRange(0, 24 * 90)],
    )
    max_attempts = IntegerField(
        _l("Attempts before a lead must reset"), default=3, validators=[InputRequired(), NumberRange(1, 50)]
    )
    validity_days = IntegerField(
        _l("Certification valid for (days)"), default=90, validators=[InputRequired(), NumberRange(1, 3650)]
    )

    def rules(self) -> dict:
        """The certification rules as column values."""
        return {
            "exam_size": self.exam_size.data,
            "pass_mark": float(self.pass_mark.data),
            "cooldown_hours": self.cooldown_hours.data,
            "max_attempts": self.max_attempts.data,
            "validity_days": self.validity_days.data,
        }


class TokenForm(FlaskForm):
    owner = SelectField(_l("Owner"), choices=[], coerce=int)
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=80)])
    scopes = SelectMultipleField(
        _l("Scopes"),
        choices=[(s, s) for s in TOKEN_SCOPES],
        default=["api"],
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
        validators=[DataRequired(message=_l("Choose at least one scope."))],
    )


class SettingsForm(FlaskForm):
    automatic_suspension = BooleanField(_l("Automatic suspension"))
