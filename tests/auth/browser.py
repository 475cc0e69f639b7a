"""What a browser does around signing in, through the pages' own forms (tests/forms.py)."""

from tests.conftest import PASSWORD
from tests.forms import page_form


def sign_in(client, username: str, password: str = PASSWORD, *, remember=False, page="/login", **kwargs):
    """Fill in the sign-in form on `page` (a /login URL, perhaps with ?next=) and send it."""
    form = page_form(client, page)
    form.fill(username=username, password=password)
    if remember:
        form["remember"] = True
    return form.submit(**kwargs)


def chrome_form(client, action: str):
    """The language switch or sign-out form on the page this browser lands on."""
    landing = client.get("/", follow_redirects=True)
    return page_form(client, landing.request.path, action=action)


def sign_out(client):
    return chrome_form(client, "/logout").submit()


def choose_language(client, locale: str):
    return chrome_form(client, "/language").submit(f"locale={locale}")
