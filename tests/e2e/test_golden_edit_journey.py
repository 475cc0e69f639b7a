"""Journey: a lead edits a golden case's rationale in the browser and sees the new version in its answer
history; a second tab opened before that save is refused with 409 and shown what changed. In English and
in Chinese, chosen with the language switch every page carries."""

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.auth.models import User
from app.cases import services
from app.cases.models import GoldenCase
from app.demo.people import DEMO_PASSWORDS
from app.extensions import db
from tests.conftest import golden_item
from tests.e2e.conftest import shot, sign_in

pytestmark = pytest.mark.e2e
LANGUAGE_BUTTONS = {"en": "English", "zh_Hans": "简体中文"}
LEAD = "lead3"  # a lead no other journey signs in as: the language chosen here is saved for the user
ORIGINAL = "Tamper score 0.91 shows an edited MRZ. The model under-weights tamper signals."
SAVED = "The MRZ was edited; the tamper score is 0.91.\nRetrain on tamper signals."
STALE = "Block: the document was tampered with."


def a_golden_case(live_app, key: str) -> int:
    """A golden case of the journey's own, so no other journey's cases change."""
    with live_app.app_context():
        item = golden_item(key, answer={**golden_item()["answer"], "rationale": ORIGINAL})
        services.import_golden_cases({"cases": [item]}, None)
        db.session.commit()
        return db.session.scalar(select(GoldenCase.id).where(GoldenCase.key == key))


def in_locale(live_app, locale: str):
    """gettext in the page's language, so the journey reads the page as its user does."""

    def translate(message: str, **params) -> str:
        with live_app.test_request_context(), force_locale(locale):
            return gettext(message, **params)

    return translate


def saved_language(live_app, username: str) -> str:
    with live_app.app_context():
        return db.session.scalar(select(User.locale).where(User.username == username))


def rationale_box(page):
    return page.locator("textarea[name=rationale]")


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_lead_edits_a_rationale_and_a_stale_tab_is_shown_the_difference(page, live_app, locale):
    _ = in_locale(live_app, locale)
    key = f"kyc_audit-e2e-lock-{locale.lower()}"
    case_id = a_golden_case(live_app, key)
    before = saved_language(live_app, LEAD)
    sign_in(page, LEAD, DEMO_PASSWORDS["qa_lead"])
    page.get_by_role("button", name=LANGUAGE_BUTTONS[locale]).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == ("zh-Hans" if locale == "zh_Hans" else "en")

    # The lead finds the case in the library and opens its editor, in two tabs.
    page.goto(f"/golden?q={key}")
    page.get_by_role("link", name=key, exact=True).click()
    page.wait_for_url(f"**/golden/{case_id}")
    page.get_by_role("link", name=_("Edit"), exact=True).click()
    page.wait_for_url(f"**/golden/{case_id}/edit")
    second = page.context.new_page()
    second.goto(f"/golden/{case_id}/edit")
    assert rationale_box(second).input_value() == ORIGINAL

    # First tab: a new rationale, saved; the detail page shows it as version 2 in the answer history.
    rationale_box(page).fill(SAVED)
    page.get_by_role("button", name=_("Save"), exact=True).click()
    page.wait_for_url(f"**/golden/{case_id}")
    assert page.get_by_text(_("Saved. The answer is at version %(v)s.", v=2)).is_visible()
    history = page.locator("section", has=page.get_by_role("heading", name=_("Answer history")))
    newest = history.locator("tbody tr").first
    assert newest.locator("td").first.inner_text() == "v2"
    assert newest.locator("td").nth(4).inner_text() == " ".join(SAVED.split())  # a table cell joins lines
    assert history.locator("tbody tr").nth(1).locator("td").nth(4).inner_text() == ORIGINAL
    shot(page, f"golden-edit-saved-{locale}")

    # Second tab, opened before that save: its own change is refused and shown against the saved one.
    rationale_box(second).fill(STALE)
    with second.expect_response(lambda r: r.request.method == "POST") as refused:
        second.get_by_role("button", name=_("Save"), exact=True).click()
    assert refused.value.status == 409
    second.wait_for_load_state()
    conflict = second.locator("[data-conflict]")
    assert conflict.get_by_role("heading", name=_("This case changed after you opened it")).is_visible()
    row = conflict.locator("tr[data-field=rationale]")
    assert row.locator("th").inner_text() == _("Rationale (three sentences at most)")
    assert row.locator("[data-sent]").inner_text() == STALE
    assert row.locator("[data-stored]").inner_text() == SAVED
    assert rationale_box(second).input_value() == STALE  # what the lead typed is kept
    shot(second, f"golden-edit-stale-{locale}")
    second.close()
    with live_app.app_context():
        case = db.session.get(GoldenCase, case_id)
        assert [a.rationale for a in case.answers] == [ORIGINAL, SAVED]  # nothing of the stale tab's
    page.get_by_role("button", name=LANGUAGE_BUTTONS[before]).click()  # leave the lead's language as it was
    page.wait_for_load_state()
    assert saved_language(live_app, LEAD) == before
