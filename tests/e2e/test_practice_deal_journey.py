"""Practice deals a case only when the agent asks: opened cold, the page offers a deal, in both languages."""

import pytest

from app.demo.people import DEMO_PASSWORDS
from tests.e2e.conftest import sign_in


@pytest.mark.parametrize(
    "locale,practise,deal", [("en", "Practise", "Deal a case"), ("zh_Hans", "练习", "发一个案例")]
)
def test_opening_practice_cold_offers_a_deal_and_the_button_deals(page, live_app, locale, practise, deal):
    sign_in(page, "agent07" if locale == "en" else "agent08", DEMO_PASSWORDS["agent"])
    page.goto("/learn")
    page.locator(f"form[action='/language'] button[value={locale}]").click()
    page.wait_for_load_state()
    page.goto("/learn/withdrawal_anomaly/practice")
    assert page.locator("form.answer-form").count() == 0  # opening the page dealt nothing
    page.get_by_role("button", name=deal).click()
    page.wait_for_url("**/learn/withdrawal_anomaly/practice")
    assert page.locator("form.answer-form").count() == 1
    page.goto("/learn")
    assert page.locator("[data-case-type=withdrawal_anomaly] [data-action=practice]").inner_text() == practise
    page.locator("form[action='/language'] button[value=en]").click()  # leave the language as found
