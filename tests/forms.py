"""Submit forms the way a browser does: GET the page, parse its form, change only what a user could, and
send exactly what the browser would send.

    form = page_form(client, "/golden/3/edit")
    form["rationale"] = "New wording."
    response = form.submit()

Setting a field that the page does not render, choosing an option it does not offer, or typing into a
disabled or read-only field fails the test, so a view test cannot pass by posting a field no browser sends.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import urljoin, urlsplit

# Forms every page's chrome carries; page_form skips them unless asked for by action.
CHROME_ACTIONS = ("/language", "/logout")
TEXT_LIKE = {
    "text",
    "hidden",
    "password",
    "email",
    "number",
    "date",
    "datetime-local",
    "time",
    "search",
    "url",
    "tel",
    "range",
    "color",
    "month",
    "week",
}


@dataclass
class Control:
    """One successful-control candidate: an input, select or textarea."""

    name: str
    kind: str  # an input type, "select", "select-multiple" or "textarea"
    value: str = ""
    checked: bool = False
    disabled: bool = False
    readonly: bool = False
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    form_id: str | None = None


@dataclass
class ParsedForm:
    action: str
    method: str
    enctype: str
    form_id: str | None
    controls: list[Control] = field(default_factory=list)


class _FormParser(HTMLParser):
    """Collects every <form> with its controls, as the HTML tree (plus form="id" attributes) assigns them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[ParsedForm] = []
        self.loose: list[Control] = []  # controls outside any form (they may name one with form="id")
        self._form: ParsedForm | None = None
        self._select: Control | None = None
        self._option: dict | None = None
        self._textarea: Control | None = None

    def _add(self, control: Control) -> None:
        if control.form_id is not None or self._form is None:
            self.loose.append(control)
        else:
            self._form.controls.append(control)

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = ParsedForm(
                a.get("action", ""),
                a.get("method", "get").lower(),
                a.get("enctype", "application/x-www-form-urlencoded"),
                a.get("id"),
            )
            self.forms.append(self._form)
        elif tag in ("input", "button"):
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            if tag == "button" and kind not in ("submit",):
                return
            control = Control(
                a.get("name", ""),
                kind,
                a.get("value", "on" if kind in ("checkbox", "radio") else ""),
                "checked" in a,
                "disabled" in a,
                "readonly" in a,
                form_id=a.get("form"),
            )
            self._add(control)
        elif tag == "select":
            self._select = Control(
                a.get("name", ""),
                "select-multiple" if "multiple" in a else "select",
                disabled="disabled" in a,
                form_id=a.get("form"),
            )
            self._add(self._select)
        elif tag == "option" and self._select is not None:
            self._finish_option()
            self._option = {
                "value": a.get("value"),
                "selected": "selected" in a,
                "text": "",
                "disabled": "disabled" in a,
            }
        elif tag == "textarea":
            self._textarea = Control(
                a.get("name", ""),
                "textarea",
                "",
                disabled="disabled" in a,
                readonly="readonly" in a,
                form_id=a.get("form"),
            )
            self._add(self._textarea)

    def _finish_option(self):
        option, self._option = self._option, None
        if option is None or self._select is None:
            return
        value = option["value"] if option["value"] is not None else option["text"].strip()
        if not option["disabled"]:
            self._select.options.append(value)
        if option["selected"]:
            self._select.selected.append(value)

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._finish_option()
        elif tag == "select":
            self._finish_option()
            select, self._select = self._select, None
            if select is not None and select.kind == "select" and not select.selected and select.options:
                select.selected = [select.options[0]]  # a single select shows (and sends) its first option
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser drops one newline straight after <textarea>.
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None


def _lf(text: str) -> str:
    """Every line break as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _crlf(text: str) -> str:
    """Every line break as CR LF, as a submitted form carries them."""
    return _lf(text).replace("\n", "\r\n")


class BrowserForm:
    """A parsed form bound to a test client; change it like a user, then submit()."""

    def __init__(self, client, page_url: str, parsed: ParsedForm):
        self._client = client
        self.page_url = page_url
        self.action = urljoin(page_url, parsed.action) if parsed.action else page_url
        self.method = parsed.method
        self.enctype = parsed.enctype
        self.form_id = parsed.form_id
        self.controls = parsed.controls
        self._files: dict[str, tuple[bytes, str]] = {}

    # What the page offers
    def names(self) -> set[str]:
        return {c.name for c in self.controls if c.name}

    def _named(self, name: str) -> list[Control]:
        found = [c for c in self.controls if c.name == name and c.kind not in ("submit", "image")]
        assert found, (
            f"the form at {self.page_url} renders no field named {name!r}: it has {sorted(self.names())}"
        )
        return found

    def options(self, name: str) -> list[str]:
        """The values a user can pick for a select, radio group or checkbox group."""
        controls = self._named(name)
        if controls[0].kind.startswith("select"):
            return list(controls[0].options)
        return [c.value for c in controls]

    def __getitem__(self, name: str):
        values = [value for key, value in self.pairs() if key == name]
        self._named(name)
        return values[0] if len(values) == 1 else values or None

    # What a user can change
    def __setitem__(self, name: str, value) -> None:
        self.set(name, value)

    def set(self, name: str, value) -> "BrowserForm":
        """Type into a field, pick an option (or options), or tick checkboxes (True/False, or values)."""
        controls = self._named(name)
        first = controls[0]
        editable = [c for c in controls if not c.disabled and not c.readonly]
        assert editable, f"{name!r} is disabled or read-only on {self.page_url}: a user cannot change it"
        if first.kind == "hidden":
            raise AssertionError(f"{name!r} is a hidden field on {self.page_url}: a user cannot change it")
        if first.kind == "file":
            raise AssertionError(f"use attach() for the file field {name!r}")
        if first.kind in ("select", "select-multiple"):
            chosen = [str(v) for v in (value if isinstance(value, list | tuple | set) else [value])]
            missing = [v for v in chosen if v not in first.options]
            assert not missing, f"{name!r} offers {first.options}, not {missing}"
            assert first.kind == "select-multiple" or len(chosen) == 1, f"{name!r} takes one option"
            first.selected = chosen
        elif first.kind == "radio":
            values = [c.value for c in controls]
            assert str(value) in values, f"the radio group {name!r} offers {values}, not {value!r}"
            for c in controls:
                c.checked = c.value == str(value)
        elif first.kind == "checkbox":
            if isinstance(value, bool):
                assert len(controls) == 1, f"{name!r} has {len(controls)} boxes: pass the values to tick"
                first.checked = value
            else:
                wanted = {str(v) for v in (value if isinstance(value, list | tuple | set) else [value])}
                values = {c.value for c in controls}
                assert wanted <= values, (
                    f"the checkboxes {name!r} offer {sorted(values)}, not {sorted(wanted)}"
                )
                for c in controls:
                    c.checked = c.value in wanted
        else:
            assert len(editable) == 1, f"{name!r} names {len(editable)} fields; this helper sets one"
            editable[0].value = "" if value is None else str(value)
        return self

    def fill(self, **values) -> "BrowserForm":
        """set() each keyword."""
        for name, value in values.items():
            self.set(name, value)
        return self

    def attach(self, name: str, content: bytes | str, filename: str) -> "BrowserForm":
        """Choose a file for a file input."""
        controls = self._named(name)
        assert controls[0].kind == "file", f"{name!r} is not a file field"
        self._files[name] = (content.encode() if isinstance(content, str) else content, filename)
        return self

    # What the browser sends
    def _submitter(self, button: str | None) -> Control | None:
        buttons = [c for c in self.controls if c.kind in ("submit", "image") and not c.disabled]
        if button is None:
            return buttons[0] if buttons else None
        name, _, value = button.partition("=")
        for c in buttons:
            if c.name == name and (not value or c.value == value):
                return c
        offered = [f"{c.name}={c.value}" for c in buttons]
        raise AssertionError(f"the form at {self.page_url} has no button {button!r}: it has {offered}")

    def pairs(self, button: str | None = None) -> list[tuple[str, str]]:
        """The name/value pairs the browser sends, in document order (HTML's form data set)."""
        submitter = self._submitter(button) if button is not None else None
        pairs = []
        for c in self.controls:
            if not c.name or c.disabled:
                continue
            if c.kind in ("submit", "image"):
                if c is submitter:
                    pairs.append((c.name, c.value))
            elif c.kind in ("checkbox", "radio"):
                if c.checked:
                    pairs.append((c.name, c.value))
            elif c.kind in ("select", "select-multiple"):
                pairs.extend((c.name, v) for v in c.selected)
            elif c.kind == "file":
                continue
            elif c.kind in TEXT_LIKE or c.kind == "textarea":
                pairs.append((c.name, c.value))
        return pairs

    def submit(self, button: str | None = None, **kwargs):
        """Send the form as a browser would (button "name" or "name=value" picks the one clicked; by default
        the first submit button, as pressing Enter does), line breaks as CR LF."""
        submitter = self._submitter(button)
        pairs = self.pairs(f"{submitter.name}={submitter.value}" if submitter and submitter.name else None)
        if self.method == "get":
            query = [(_crlf(key), _crlf(value)) for key, value in pairs]
            return self._client.get(urlsplit(self.action).path, query_string=query, **kwargs)
        data: dict[str, list] = {}
        for key, value in pairs:
            data.setdefault(_crlf(key), []).append(_crlf(value))
        multipart = self.enctype == "multipart/form-data"
        for name in {c.name for c in self.controls if c.kind == "file" and c.name and not c.disabled}:
            if name in self._files:
                content, filename = self._files[name]
                data.setdefault(name, []).append((BytesIO(content), filename))
            elif multipart:
                data.setdefault(name, []).append((BytesIO(b""), ""))  # no file chosen
        content_type = "multipart/form-data" if multipart else "application/x-www-form-urlencoded"
        return self._client.post(self.action, data=data, content_type=content_type, **kwargs)


def parse_forms(html: str) -> list[ParsedForm]:
    """Every form in a page, controls associated by nesting or by their form="id" attribute."""
    parser = _FormParser()
    parser.feed(_lf(html))  # as the HTML parser's input preprocessing does
    parser.close()
    by_id = {form.form_id: form for form in parser.forms if form.form_id}
    for control in parser.loose:
        if control.form_id in by_id:
            by_id[control.form_id].controls.append(control)
    return parser.forms


def page_form(
    client,
    url: str,
    *,
    action: str | None = None,
    form_id: str | None = None,
    having: str | None = None,
    index: int | None = None,
    status: int = 200,
) -> BrowserForm:
    """GET `url` and return one of its forms: the one with this action path, id, or field name, or at
    this index among the page's own forms (not the language switch and sign-out every page carries);
    with no choice given the page must have exactly one form of its own."""
    response = client.get(url)
    assert response.status_code == status, f"GET {url} answered {response.status_code}"
    forms = [BrowserForm(client, url, parsed) for parsed in parse_forms(response.get_data(as_text=True))]
    if action is not None:
        chosen = [f for f in forms if urlsplit(f.action).path == action]
    else:
        chosen = [f for f in forms if urlsplit(f.action).path not in CHROME_ACTIONS]
        if form_id is not None:
            chosen = [f for f in forms if f.form_id == form_id]
        if having is not None:
            chosen = [f for f in chosen if having in f.names()]
    if index is not None:
        return chosen[index]
    described = [f"{f.method.upper()} {f.action} {sorted(f.names())}" for f in forms]
    assert len(chosen) == 1, f"{url} has {len(chosen)} matching forms; pick one. Forms: {described}"
    return chosen[0]


def submit_form(client, url: str, fields: dict | None = None, *, button: str | None = None, **choice):
    """page_form(), set `fields`, and submit: the one-line form of the common case."""
    form = page_form(client, url, **choice)
    form.fill(**(fields or {}))
    return form.submit(button)
