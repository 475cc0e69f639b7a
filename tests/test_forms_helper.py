"""The browser-form helper itself: it sends what a browser sends and refuses what a user could not do."""

import pytest

from tests.forms import BrowserForm, parse_forms

PAGE = """
<form method="post" action="/lang"><input type="hidden" name="csrf_token" value="t"></form>
<form method="post" action="/things/3/edit" id="edit">
  <input type="hidden" name="csrf_token" value="t">
  <input name="title" value="Old &amp; tired">
  <input name="fixed" value="x" readonly>
  <input name="off" value="y" disabled>
  <textarea name="body">
line one</textarea>
  <select name="kind"><option value="a">A</option><option value="b" selected>B</option></select>
  <select name="first"><option value="1">one</option><option value="2">two</option></select>
  <select name="tags" multiple><option selected>red</option><option>blue</option></select>
  <input type="radio" name="verdict" value="correct"><input type="radio" name="verdict" value="incorrect">
  <input type="checkbox" name="remember">
  <input type="checkbox" name="pick" value="1" checked><input type="checkbox" name="pick" value="2">
  <button type="submit" name="action" value="save">Save</button>
  <button type="submit" name="action" value="discard">Discard</button>
  <button type="button" name="ignored">JS only</button>
</form>
<input name="outside" value="o" form="edit">
"""


class RecordingClient:
    def __init__(self):
        self.sent = None

    def post(self, url, data, content_type, **_):
        self.sent = (url, data, content_type)
        return self.sent

    def get(self, url, query_string, **_):
        self.sent = (url, query_string)
        return self.sent


@pytest.fixture
def form():
    parsed = parse_forms(PAGE)[1]
    return BrowserForm(RecordingClient(), "/things/3/edit", parsed)


def test_untouched_form_sends_the_rendered_values_and_the_first_button(form):
    url, data, content_type = form.submit()
    assert url == "/things/3/edit"
    assert content_type == "application/x-www-form-urlencoded"
    assert data == {
        "csrf_token": ["t"],
        "title": ["Old & tired"],
        "fixed": ["x"],
        "body": ["line one"],
        "kind": ["b"],
        "first": ["1"],
        "tags": ["red"],
        "pick": ["1"],
        "action": ["save"],
        "outside": ["o"],
    }


def test_changes_a_user_can_make(form):
    form.fill(
        title="New",
        body="two\nlines",
        kind="a",
        tags=["red", "blue"],
        verdict="incorrect",
        remember=True,
        pick=["2"],
    )
    _url, data, _ = form.submit("action=discard")
    assert data["title"] == ["New"] and data["body"] == ["two\r\nlines"] and data["kind"] == ["a"]
    assert data["tags"] == ["red", "blue"] and data["verdict"] == ["incorrect"]
    assert data["remember"] == ["on"] and data["pick"] == ["2"] and data["action"] == ["discard"]


@pytest.mark.parametrize(
    "name, value, complaint",
    [
        ("key", "ignored", "renders no field named 'key'"),
        ("kind", "z", "offers"),
        ("verdict", "maybe", "offers"),
        ("fixed", "changed", "read-only"),
        ("off", "changed", "read-only"),
        ("csrf_token", "forged", "hidden"),
        ("ignored", "x", "renders no field"),
    ],
)
def test_what_no_browser_can_send_fails_the_test(form, name, value, complaint):
    with pytest.raises(AssertionError, match=complaint):
        form.set(name, value)


def test_an_unknown_button_fails_the_test(form):
    with pytest.raises(AssertionError, match="no button"):
        form.submit("action=delete")


def test_line_breaks_are_sent_as_a_browser_sends_them():
    # WTForms writes "\r\n" after <textarea>; the HTML parser turns every CR LF into LF and drops that
    # first newline, and a submitted form carries every line break as CR LF.
    page = '<form method="post" action="/x"><textarea name="body">\r\nfirst\r\nsecond</textarea></form>'
    form = BrowserForm(RecordingClient(), "/x", parse_forms(page)[0])
    assert form["body"] == "first\nsecond"
    assert form.submit()[1] == {"body": ["first\r\nsecond"]}
    form["body"] = "typed\nlines"
    assert form.submit()[1] == {"body": ["typed\r\nlines"]}
