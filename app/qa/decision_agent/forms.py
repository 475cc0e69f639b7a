"""Decision-agent forms: a misclassification batch made into a calibration session."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput


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
