"""Admin forms: users, teams, case types and API tokens."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

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
