"""Settling a closed session's cases and promoting live ones to gold, through the settling page's forms as
a browser submits them (tests/forms.py)."""

import re

import pytest
from sqlalchemy import select

from app.cases.models import GoldenCase, ReferenceAnswer
from app.extensions import db as _db
from app.sop.models import SopGap
from tests.calibration.conftest import ANSWERS, count, field_errors, load, sign_in
from tests.forms import page_form

# The settling page has three forms; each is found by a field only it renders.
NOTE, SETTLE_FORM, PROMOTE = {"index": 0}, {"having": "rationale"}, {"having": "key"}


def settle_page_form(client, url: str, which: dict):
    form = page_form(client, url, **which)
    if which is NOTE:
        assert form.names() == {"note", "action"}, form.names()
    return form


# --- settling ---------------------------------------------------------------------------------------

SETTLE = {
    "decision": "block",
    "label": "FN",
    "root_cause": "C",
    "rationale": "Edited MRZ. The SOP does not cover it.",
    "sop_ref": "KYC-3.9",
}


def test_settle_page_shows_every_answer_after_close(client, closed_world):
    sign_in(client, closed_world.lead)
    page = client.get(f"/calibration/{closed_world.session_id}/cases/1/settle").get_data(as_text=True)
    answers = re.search(r"What the participants said.*?<tbody>(.*?)</tbody>", page, re.S).group(1)
    assert re.findall(r"<tr><td>(\w+)</td><td>(\w+)</td>", answers) == [
        ("Ana", "Block"),
        ("Ben", "Block"),
        ("Cai", "Pass"),
    ]
    assert closed_world.cases[0]["marker"] in page  # the form starts from the golden reference


def settle_url(session_id: int, position: int) -> str:
    return f"/calibration/{session_id}/cases/{position}/settle"


def test_lead_saves_a_discussion_note(app, client, closed_world):
    sign_in(client, closed_world.lead)
    form = settle_page_form(client, settle_url(closed_world.session_id, 2), NOTE)
    form["note"] = " Ask the SOP owner. "
    assert form.submit().status_code == 302
    assert load(app, closed_world.session_id)["cases"][1]["note"] == "Ask the SOP owner."


@pytest.mark.parametrize("amend", [False, True])
def test_lead_settles_a_case_and_may_amend_the_golden_answer(app, client, closed_world, amend):
    sign_in(client, closed_world.lead)
    url = settle_url(closed_world.session_id, 1)
    form = settle_page_form(client, url, SETTLE_FORM).fill(**SETTLE, amend=amend)
    response = form.submit()
    assert response.status_code == 302
    stored = load(app, closed_world.session_id)
    assert stored["cases"][0]["final"] == "block"
    golden_id = closed_world.cases[0]["id"]
    assert count(app, ReferenceAnswer, golden_case_id=golden_id) == (2 if amend else 1)
    assert count(app, SopGap, golden_case_id=golden_id, status="open") == 1
    page = client.get(url).get_data(as_text=True)
    assert "Edited MRZ. The SOP does not cover it." in page


def test_a_bad_settlement_is_422_and_changes_nothing(app, client, closed_world):
    sign_in(client, closed_world.lead)
    form = settle_page_form(client, settle_url(closed_world.session_id, 1), SETTLE_FORM)
    form.fill(**{**SETTLE, "label": "TP", "root_cause": ""})  # recommended pass + block is FN
    response = form.submit()
    assert response.status_code == 422
    assert "label" in field_errors(response.get_data(as_text=True))
    assert load(app, closed_world.session_id)["cases"][0]["final"] is None
    assert count(app, SopGap) == 0


def test_lead_promotes_a_settled_live_case(app, client, make_world, give, close):
    world = make_world(agents=2, kinds=("fn",), live=1)
    give(world.session_id, world.people[0], 2, ANSWERS["block"])
    close(world.session_id, world.lead)
    sign_in(client, world.lead)
    url = settle_url(world.session_id, 2)
    assert "Promote to gold" not in client.get(url).get_data(as_text=True)
    # Forged: the page offers no promotion before the case is settled.
    refused = client.post(url, data={"action": "promote", "key": "kyc_audit-555", "difficulty": "hard"})
    assert refused.status_code == 422 and "Settle the case before promoting it." in refused.get_data(
        as_text=True
    )
    settled = settle_page_form(client, url, SETTLE_FORM).fill(**{**SETTLE, "root_cause": "B"}).submit()
    assert settled.status_code == 302
    promote = settle_page_form(client, url, PROMOTE).fill(key="kyc_audit-555", difficulty="hard")
    response = promote.submit()
    assert response.status_code == 302
    with app.app_context():
        golden = _db.session.scalar(select(GoldenCase).where(GoldenCase.key == "kyc_audit-555"))
        assert golden.scenario == "kyc.live_mismatch" and golden.difficulty == "hard"
        assert golden.current_answer.decision == "block" and golden.current_answer.root_cause == "B"
        assert golden.reasoning == ["Face match passed.", "Name mismatch was weighted low."]
    assert load(app, world.session_id)["cases"][1]["promoted"] == golden.id
    assert f'href="/golden/{golden.id}"' in client.get(url).get_data(as_text=True)


def test_only_leads_settle(app, client, closed_world, make_user):
    url = settle_url(closed_world.session_id, 1)
    for person in (closed_world.people[0], make_user("manager")):
        sign_in(client, person)
        assert client.get(url).status_code == 403, person.role
        # Forged: the page is refused to these people, so no browser of theirs has this form.
        assert client.post(url, data={"action": "settle", **SETTLE}).status_code == 403, person.role
    assert load(app, closed_world.session_id)["cases"][0]["final"] is None


def test_settling_waits_for_the_close(app, client, make_world, give, close):
    world = make_world(agents=1, kinds=("fn",))
    give(world.session_id, world.people[0], 1, ANSWERS["pass"])
    sign_in(client, world.lead)
    url = settle_url(world.session_id, 1)
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/calibration/{world.session_id}"
    )
    # A settling page opened while the session was closed, submitted after a reopen:
    close(world.session_id, world.lead)
    stale = settle_page_form(client, url, NOTE)
    detail = f"/calibration/{world.session_id}"
    assert page_form(client, detail, action=f"{detail}/reopen").submit().status_code == 302
    stale["note"] = "Too early."
    page = stale.submit(follow_redirects=True)
    assert "Close the session before settling its cases." in page.get_data(as_text=True)
    assert "Nothing stands out." not in page.get_data(as_text=True)
    assert load(app, world.session_id)["cases"][0]["note"] == ""


def test_a_refused_promotion_says_why(app, client, make_world, give, close):
    world = make_world(agents=1, kinds=("fn",), live=1)
    give(world.session_id, world.people[0], 2, ANSWERS["block"])
    close(world.session_id, world.lead)
    sign_in(client, world.lead)
    url = settle_url(world.session_id, 2)
    settled = settle_page_form(client, url, SETTLE_FORM).fill(**{**SETTLE, "root_cause": "B"}).submit()
    assert settled.status_code == 302
    refusals = [
        (world.cases[0]["key"], "A golden case with this key already exists."),
        ("Bad key!", "Use 3-64 lowercase letters"),
    ]
    for key, message in refusals:
        response = settle_page_form(client, url, PROMOTE).fill(key=key, difficulty="hard").submit()
        assert response.status_code == 422, key
        errors = field_errors(response.get_data(as_text=True))
        assert any(message in text for text in errors["key"]), key
    assert count(app, GoldenCase) == 1
    assert load(app, world.session_id)["cases"][1]["promoted"] is None
