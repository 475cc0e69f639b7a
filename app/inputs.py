"""The input layer: every value a request carries is checked here before a view or service sees it.

Hostile input is refused with a clear message, never a 500, and identically on SQLite and PostgreSQL:
- integers in paths (`<int:...>`, bounded by IdConverter: past the column's range there is nothing, 404)
  and in query strings (`query_int`, 400 with a message) never reach the database out of range;
- NUL characters and lone surrogates, which PostgreSQL cannot store, are refused wherever they come in:
  the path, the query string, headers and form fields (`refuse_unstorable_text`, 400), and JSON strings;
- JSON bodies are parsed by `parse_json`: strict UTF-8, at most MAX_JSON_DEPTH levels deep, no NUL or
  lone surrogate anywhere (400 with a message);
- a body over MAX_CONTENT_LENGTH answers 413 whether or not it announced its length (InputRequest).

Views read query integers through `query_int` and form integers through `to_int`; none parses by hand.
"""

from typing import Any

from flask import Flask, Request, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream, get_input_stream

from app.strict_parsing import MAX_INT, UNSTORABLE, JSONRejected, Rejected, is_id, parse_json, to_int

__all__ = [
    "MAX_INT",
    "InputRejected",
    "JSONRejected",
    "is_id",
    "parse_json",
    "query_int",
    "register",
    "rejection_text",
    "to_int",
]


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class InputRejected(HTTPException):
    """A request refused by the input layer; the message says which value and why."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(description=str(message))
        self.code = status


class IdConverter(IntegerConverter):
    """`<int:...>` limited to what an integer column can hold: a larger number names no row, so the URL
    matches no route (404) instead of reaching the database (OverflowError on SQLite, out of range on
    PostgreSQL)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_INT):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max)


def query_int(name: str, default: int | None = None, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
    """The query argument `name` as an int; `default` when absent or empty. Anything else answers 400
    with a message naming the argument and its range."""
    raw = request.args.get(name, "")
    if not raw.strip():
        return default
    number = to_int(raw, minimum, maximum)
    if number is None:
        raise InputRejected(
            _("%(name)s must be a whole number from %(min)s to %(max)s.", name=name, min=minimum, max=maximum)
        )
    return number


def rejection_text(error: Rejected) -> str:
    """A strict reader's refusal (app.strict_parsing), in the user's language."""
    return _(error.message, **error.params)


class _MaxStream(LimitedStream):
    """Werkzeug's stream for a body of unannounced length stops silently at the limit when read whole, so
    a chunked body over MAX_CONTENT_LENGTH reached the JSON parser truncated ("not a JSON object"). This
    one answers 413 when anything is left past the limit."""

    def readall(self) -> bytes:
        data = super().readall()
        if self.is_exhausted and self._stream.read(1):
            raise RequestEntityTooLarge()
        return data


class InputRequest(Request):
    """The app's request: bodies over the limit answer 413 however they are sent, and JSON goes through
    parse_json (malformed JSON is None under silent=True as before; over-deep or unstorable JSON is 400
    with its message either way)."""

    @cached_property
    def stream(self):
        limit = self.max_content_length
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        if chunked and self.content_length is None and "wsgi.input_terminated" not in self.environ:
            # The server passed a chunked body on without terminating it: it cannot be read safely, and
            # reading nothing (Werkzeug's fallback) would misreport the body as empty.
            raise InputRejected(_("Send the body with a Content-Length header."), 411)
        stream = get_input_stream(self.environ, max_content_length=limit)
        if isinstance(stream, LimitedStream) and stream._limit_is_max:
            return _MaxStream(stream._stream, stream.limit, is_max=True)
        return stream

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        if cache and self._cached_json[silent] is not Ellipsis:
            return self._cached_json[silent]
        if not (force or self.is_json):
            return None if silent else self.on_json_loading_failed(None)
        try:
            value = parse_json(self.get_data(cache=cache))
        except JSONRejected as error:
            if not (silent and error.malformed):
                raise InputRejected(rejection_text(error)) from None
            if cache:
                self._cached_json = (self._cached_json[0], None)
            return None
        if cache:
            self._cached_json = (value, value)
        return value


def refuse_unstorable_text() -> None:
    """before_request: 400 for a NUL (or lone surrogate) in the path, the query string, a header or a form
    field, names included. PostgreSQL refuses such text, so it would otherwise fail deep in a query."""
    if UNSTORABLE.search(request.path):
        raise InputRejected(_("The address holds a NUL character."))
    # Only form bodies are parsed here: touching request.form opens the body stream at the app's limit,
    # before a view can set its own (the decision batches' MAX_BODY).
    form = request.form if request.mimetype in FORM_TYPES else {}
    for values, message in (
        (request.args, _l("The query argument %(name)s holds a NUL character.")),
        (form, _l("The form field %(name)s holds a NUL character.")),
    ):
        for key, value in values.items(multi=True) if values else ():
            if UNSTORABLE.search(key) or UNSTORABLE.search(value):
                raise InputRejected(str(message) % {"name": _shown(key)})
    for key, value in request.headers.items():
        if UNSTORABLE.search(value):
            raise InputRejected(_("The %(name)s header holds a NUL character.", name=_shown(key)))
    for upload in request.files.values() if form else ():
        if upload.filename and UNSTORABLE.search(upload.filename):
            raise InputRejected(_("The uploaded file's name holds a NUL character."))


def _shown(name: str) -> str:
    return UNSTORABLE.sub("\N{REPLACEMENT CHARACTER}", name)[:40]


def register(app: Flask) -> None:
    """Install the layer: the bounded int converter (before any blueprint adds its rules), the request
    class, the text check, and the answer for refusals."""
    app.url_map.converters["int"] = IdConverter
    app.request_class = InputRequest
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_unstorable_text)

    @app.errorhandler(InputRejected)
    def input_rejected(error: InputRejected):
        from app.errorpages import render_error

        return render_error(error.code or 400, error.description)
