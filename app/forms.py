"""Forms shared by every domain."""

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """A button-only POST: the form exists for its CSRF token."""


def apply_domain_error(form: FlaskForm, error) -> None:
    """Show a service's DomainError next to its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]
    else:
        form.form_errors.append(error.message)
