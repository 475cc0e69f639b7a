"""Forms shared by every domain."""

from flask_babel import gettext
from flask_wtf import FlaskForm


def lf_line_breaks(value):
    """A field filter: browsers send a textarea's line breaks as CR LF; keep them as LF, like stored text."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class EmptyForm(FlaskForm):
    """A button-only POST: the form exists for its CSRF token."""


def apply_domain_error(form: FlaskForm, error) -> None:
    """Show a service's DomainError next to its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]
    else:
        form.form_errors.append(error.message)


def show_field_errors(form: FlaskForm, errors) -> None:
    """Put shared-validation errors (FieldError: field, translatable message, params) next to their form
    fields; "answer.label" and "signals.x" land on `label` and `signals`, the rest above the form."""
    for error in errors:
        name = error.field.removeprefix("answer.").split(".")[0]
        field = getattr(form, name, None) if name else None
        message = gettext(error.message, **error.params)
        if field is None:
            form.form_errors.append(message)
        else:
            field.errors = [*list(field.errors), message]
