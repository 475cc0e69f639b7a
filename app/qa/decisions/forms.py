"""Decisions forms: the CSV upload."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class DecisionUploadForm(FlaskForm):
    file = FileField(_l("Decisions file (CSV, UTF-8)"), validators=[FileRequired(_l("Choose a CSV file."))])
