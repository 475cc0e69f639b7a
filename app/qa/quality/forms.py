"""Deciding a suspension proposal."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import lf_line_breaks


class ConfirmProposalForm(FlaskForm):
    note = TextAreaField(
        _l("Note (optional)"), validators=[Optional(), Length(max=2000)], filters=[lf_line_breaks]
    )


class DismissProposalForm(FlaskForm):
    reason = TextAreaField(
        _l("Why dismiss it"),
        validators=[DataRequired(message=_l("Say why the proposal is dismissed.")), Length(max=2000)],
        filters=[lf_line_breaks],
    )
