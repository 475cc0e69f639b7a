"""Errors the services raise and the views turn into form errors or HTTP answers."""

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

if TYPE_CHECKING:
    from app.cases.golden_format import FieldError


class DomainError(ValueError):
    """A request the domain refuses; `field` names the form field it belongs to, when there is one."""

    def __init__(self, message, field: str | None = None, status: int = 400):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.status = status


class NotFound(DomainError):
    """The object does not exist, or is not the caller's to see (both answer 404)."""

    def __init__(self, message="Not found."):
        super().__init__(message, status=404)


class Conflict(DomainError):
    """The change clashes with the current state (answered 409)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message, field, status=409)


class ImportRejected(DomainError):
    """A file or batch with problems (golden cases, sessions, live decisions); nothing was written.
    `errors` lists them per item and field."""

    def __init__(self, errors: list["FieldError"]):
        super().__init__(
            _l("The file has %(n)s problem(s); nothing was imported.", n=len(errors)), status=422
        )
        self.errors = errors
