"""Optimistic locking of golden cases: a save from an editor opened before another change is refused with
409, keeps what the lead typed and shows what changed meanwhile; nothing of it is stored."""

import threading
from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, update

from app.auth.models import User
from app.cases import editing, services
from app.cases.editing import StaleEdit
from app.cases.models import GoldenCase, ReferenceAnswer
from app.extensions import db as _db
from tests.conftest import PASSWORD, PG_URL, golden_item
from tests.forms import BrowserForm, page_form, parse_forms

WHEN = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)
THEIRS = "Tamper score 0.91 shows an edited MRZ. Block it."
MINE = "The MRZ was edited. Retrain on tamper signals."


def signed_in(app, username: str):
    """A browser of its own, signed in through the login page."""
    browser = app.test_client()
    response = page_form(browser, "/login").fill(username=username, password=PASSWORD).submit()
    assert response.status_code == 302
    return browser


def editor(client, case_id: int):
    return page_form(client, f"/golden/{case_id}/edit")


def form_on(client, response, url: str):
    """The editor as a page answered by a save shows it (the browser stays on that page)."""
    [form] = [f for f in parse_forms(response.get_data(as_text=True)) if f.action == ""]
    return BrowserForm(client, url, form)


def stored(app, case_id: int) -> tuple:
    """(lock_version, priority, difficulty, [(answer version, rationale)]) of a case."""
    with app.app_context():
        case = _db.session.get(GoldenCase, case_id)
        return (
            case.lock_version,
            case.priority,
            case.difficulty,
            [(a.version, a.rationale) for a in case.answers],
        )


@pytest.fixture
def two_leads(app, make_user, make_golden_case, monkeypatch):
    """A golden case and two leads, each in a browser of their own; the clock pinned."""
    monkeypatch.setitem(app.config, "CLOCK", lambda: WHEN)
    case_id = make_golden_case()
    make_user("qa_lead", username="lena")
    make_user("qa_lead", username="omar")
    return case_id, signed_in(app, "lena"), signed_in(app, "omar")


# --- through the editor ---


def test_the_editor_carries_the_case_version(app, two_leads):
    case_id, lena, _omar = two_leads
    form = editor(lena, case_id)
    assert form["lock_version"] == "1"
    assert form.fill(rationale=THEIRS).submit().status_code == 302
    assert editor(lena, case_id)["lock_version"] == "2"
    assert stored(app, case_id)[0] == 2


def test_a_stale_save_is_refused_with_what_changed_and_can_be_saved_again(app, two_leads):
    case_id, lena, omar = two_leads
    original = golden_item()["answer"]["rationale"]
    lenas, omars = editor(lena, case_id), editor(omar, case_id)
    assert lenas.fill(rationale=THEIRS, difficulty="hard").submit().status_code == 302

    url = f"/golden/{case_id}/edit"
    response = omars.fill(rationale=MINE, priority="40").submit()
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This case changed after you opened it" in page
    assert "Lena saved a change at 2026-12-01 10:30 UTC, so nothing of yours was saved." in page
    rows = {f"{n}|{s}|{t}" for n, s, t in _conflict_rows(page)}
    assert rows == {f"rationale|{MINE}|{THEIRS}", "difficulty|Medium|Hard", "priority|40|30"}
    assert stored(app, case_id) == (2, 30, "hard", [(1, original), (2, THEIRS)])  # nothing of Omar's

    again = form_on(omar, response, url)
    assert (again["rationale"], again["priority"], again["difficulty"]) == (MINE, "40", "medium")
    assert again["lock_version"] == "2"  # the version Omar has now seen
    assert again.fill(difficulty="hard").submit().status_code == 302  # reconciled: Lena's difficulty
    assert stored(app, case_id) == (3, 40, "hard", [(1, original), (2, THEIRS), (3, MINE)])


def _conflict_rows(page: str) -> list[tuple[str, str, str]]:
    """(field, what the lead sends, what is stored) of each row of the "changed meanwhile" table."""
    import re
    from html import unescape

    found = re.findall(
        r'<tr data-field="(\w+)"><th>[^<]*</th>\s*<td data-sent><pre class="draft">(.*?)</pre></td>'
        r'<td data-stored><pre class="draft">(.*?)</pre></td>',
        page,
        re.S,
    )
    return [(name, unescape(sent), unescape(kept)) for name, sent, kept in found]


def test_an_amendment_made_elsewhere_makes_an_open_editor_stale(app, two_leads):
    case_id, lena, _omar = two_leads
    form = editor(lena, case_id).fill(rationale=MINE)
    with app.app_context():  # as a gold-dispute resolution or a calibration promotion does
        case = _db.session.get(GoldenCase, case_id)
        omar = _db.session.scalar(select(User).where(User.username == "omar"))
        services.amend_answer(case, {**golden_item()["answer"], "rationale": THEIRS}, omar, "dispute #1")
        _db.session.commit()
    response = form.submit()
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Omar saved a change at 2026-12-01 10:30 UTC" in page
    assert [row[0] for row in _conflict_rows(page)] == ["rationale"]
    assert [v for v, _r in stored(app, case_id)[3]] == [1, 2]


def test_a_post_without_the_version_is_refused(app, two_leads):
    case_id, lena, _omar = two_leads
    pairs = [(k, v) for k, v in editor(lena, case_id).fill(rationale=MINE).pairs() if k != "lock_version"]
    # Tampered: the hidden lock_version removed, which no browser does.
    response = lena.post(f"/golden/{case_id}/edit", data=dict(pairs))
    assert response.status_code == 400
    assert stored(app, case_id)[0] == 1 and len(stored(app, case_id)[3]) == 1


# --- the service ---


@pytest.fixture
def lead_and_case(db, make_golden_case, make_user):
    case_id = make_golden_case()
    return db.session.get(User, make_user("qa_lead", username="lena").id), db.session.get(GoldenCase, case_id)


def edited(**answer) -> dict:
    return golden_item(difficulty="hard", answer={**golden_item()["answer"], **answer})


def test_a_save_at_the_current_version_bumps_it_once(db, lead_and_case):
    lead, case = lead_and_case
    editing.save_case_edit(case, edited(rationale=MINE), "", lead, seen_version=1)
    db.session.commit()
    db.session.expire_all()
    assert (case.lock_version, case.difficulty, case.current_answer.rationale) == (2, "hard", MINE)


def test_a_stale_save_raises_with_the_differences_and_writes_nothing(db, lead_and_case):
    lead, case = lead_and_case
    services.amend_answer(case, {**golden_item()["answer"], "rationale": THEIRS}, lead, "")
    db.session.commit()
    with pytest.raises(StaleEdit) as refused:
        editing.save_case_edit(case, edited(rationale=MINE), "", lead, seen_version=1)
    db.session.rollback()
    stale = refused.value
    assert stale.status == 409 and stale.lock_version == 2 and stale.last_change.who == "Lena"
    assert [(c.field, c.sent, c.stored) for c in stale.changes] == [
        ("difficulty", "hard", "medium"),
        ("rationale", MINE, THEIRS),
    ]
    assert (case.lock_version, case.difficulty, len(case.answers)) == (2, "medium", 2)


def test_a_save_overtaken_between_its_check_and_its_write_is_stale(app, db, lead_and_case):
    lead, case = lead_and_case
    assert case.lock_version == 1  # loaded by this request
    with _db.engine.begin() as other:  # another request's save commits now
        other.execute(update(GoldenCase).where(GoldenCase.id == case.id).values(lock_version=2, priority=20))
    with pytest.raises(StaleEdit) as refused:
        editing.save_case_edit(case, edited(rationale=MINE), "", lead, seen_version=1)
    db.session.rollback()
    assert [c.field for c in refused.value.changes] == ["difficulty", "priority", "rationale"]
    db.session.expire_all()
    assert (case.lock_version, case.priority, case.difficulty, len(case.answers)) == (2, 20, "medium", 1)


@pytest.mark.skipif(not PG_URL, reason="concurrent writers are tested on PostgreSQL")
def test_leads_saving_the_same_version_at_once_store_one_save(app, monkeypatch, make_user, make_golden_case):
    case_id = make_golden_case()
    names = [f"lead{n}" for n in range(4)]
    forms = []
    for name in names:
        make_user("qa_lead", username=name)
        forms.append(editor(signed_in(app, name), case_id).fill(rationale=f"Saved by {name}. Block it."))
    # Every save passes its version check before any of them writes: the worst interleaving, every time.
    everyone_checked = threading.Barrier(len(forms))
    claim = editing._claim

    def claim_after_everyone(case, seen):
        everyone_checked.wait(timeout=30)
        return claim(case, seen)

    monkeypatch.setattr(editing, "_claim", claim_after_everyone)
    statuses = {}

    def save(index):
        statuses[index] = forms[index].submit().status_code

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses.values()) == [302, 409, 409, 409], statuses
    [winner] = [names[i] for i, status in statuses.items() if status == 302]
    lock_version, _priority, _difficulty, answers = stored(app, case_id)
    assert lock_version == 2 and [rationale for _v, rationale in answers][1:] == [
        f"Saved by {winner}. Block it."
    ]


# --- the migration ---


def test_the_migration_gives_stored_cases_a_version_and_its_downgrade_drops_it(app, make_golden_case):
    case_id = make_golden_case()
    with app.app_context():
        _db.session.execute(update(GoldenCase).values(lock_version=7))
        _db.session.commit()
        try:
            downgrade(revision="0006")
            assert "lock_version" not in {c["name"] for c in inspect(_db.engine).get_columns("golden_cases")}
        finally:
            upgrade()
        assert _db.session.scalar(select(GoldenCase.lock_version).where(GoldenCase.id == case_id)) == 1
        assert _db.session.scalar(select(ReferenceAnswer.golden_case_id)) == case_id  # the rest is kept
