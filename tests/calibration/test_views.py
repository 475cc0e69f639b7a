"""Calibration pages through the test client: create, label, close, report, exports, trend. Forms are
submitted as a browser sends them (tests/forms.py); settling and promoting are in test_settle_views.py."""

import csv
import io
import json
import re
from datetime import timedelta
from html import unescape

import krippendorff
import numpy as np
import pytest
from sqlalchemy import select

from app.calibration.models import CalibrationSession, SessionAnswer, SessionCase, SessionParticipant
from app.extensions import db as _db
from tests.calibration.conftest import (
    ANSWERS,
    answer_form,
    count,
    create_session,
    field_errors,
    live_content,
    load,
    sign_in,
    submit_answer,
)
from tests.conftest import utcnow
from tests.forms import page_form

LATER = (utcnow() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")


def answer_errors(page: str) -> dict[str, list[str]]:
    """The answer form's errors by the fieldset (or rationale field) they are shown in."""
    found: dict[str, list[str]] = {}
    for name, body in re.findall(r'<fieldset class="choices ([\w-]+)[^"]*">(.*?)</fieldset>', page, re.S):
        found[name] = re.findall(r'<p class="error">(.*?)</p>', body)
    rationale = re.search(r'<label for="rationale">(.*?)<p class="draft-note', page, re.S)
    found["rationale"] = re.findall(r'<p class="error">(.*?)</p>', rationale.group(1))
    return {name: [unescape(m) for m in messages] for name, messages in found.items() if messages}


# --- creating a session -----------------------------------------------------------------------------


@pytest.fixture
def new_session_form(make_user, make_cases):
    """What a lead types into the new-session form: four golden cases, two agents; (fields, cases, agents)."""
    cases = make_cases(("fn", "tp", "tn", "fp"))
    agents = [make_user("agent", username=name) for name in ("ana", "ben")]
    fields = {
        "name": "Week 45 KYC",
        "case_type": "kyc_audit",
        "deadline": LATER,
        "participants": [str(a.id) for a in agents],
        "case_keys": "\n".join(c["key"] for c in cases[:3]),
    }
    return fields, cases, agents


def create_from_page(client, fields: dict):
    form = page_form(client, "/calibration/new")
    form.fill(**fields)
    return form.submit()


def test_lead_creates_a_session_from_keys(app, client, auth, new_session_form):
    fields, cases, agents = new_session_form
    auth.login_as("qa_lead")
    response = create_from_page(client, fields)
    assert response.status_code == 302
    with app.app_context():
        session = _db.session.scalar(select(CalibrationSession))
        assert response.headers["Location"].endswith(f"/calibration/{session.id}")
        assert session.name == "Week 45 KYC" and session.status == "open"
        assert [c.golden_case_id for c in session.cases] == [c["id"] for c in cases[:3]]
        assert sorted(p.user_id for p in session.participants) == sorted(a.id for a in agents)
        assert session.deadline.strftime("%Y-%m-%dT%H:%M") == LATER


def test_lead_creates_a_session_by_scenario_and_count(app, client, auth, new_session_form):
    fields, cases, _agents = new_session_form
    auth.login_as("qa_lead")
    fields = {**fields, "case_keys": "", "scenario": "kyc.scenario_1", "count": "1"}
    assert create_from_page(client, fields).status_code == 302
    with app.app_context():
        (case,) = _db.session.scalars(select(SessionCase))
        assert case.golden_case_id in {c["id"] for c in cases if c["scenario"] == "kyc.scenario_1"}


BAD_SESSION_FORMS = [
    ({"name": ""}, "name"),
    ({"deadline": "2020-01-01T10:00"}, "deadline"),
    ({"deadline": "next week"}, "deadline"),
    ({"deadline": ""}, "deadline"),
    ({"participants": []}, "participants"),
    ({"case_keys": "kyc_audit-does-not-exist"}, "case_keys"),
    ({"case_keys": "", "scenario": "kyc.nothing_here"}, "scenario"),
    ({"case_keys": "", "count": "0"}, "count"),
]


def test_bad_session_forms_show_field_errors_and_write_nothing(app, client, auth, new_session_form):
    fields, _cases, _agents = new_session_form
    auth.login_as("qa_lead")
    for changes, field in BAD_SESSION_FORMS:
        response = create_from_page(client, {**fields, **changes})
        assert response.status_code == 422, changes
        assert field in field_errors(response.get_data(as_text=True)), changes
    for model in (CalibrationSession, SessionCase, SessionParticipant):
        assert count(app, model) == 0


@pytest.mark.parametrize(
    "forged, field",
    [
        ("manager", "participants"),  # a participant the page does not offer (managers don't label)
        ({"case_type": "reset_2fa"}, "case_type"),  # a case type the page does not offer
    ],
)
def test_forged_session_forms_are_refused(app, client, auth, new_session_form, make_user, forged, field):
    fields, _cases, _agents = new_session_form
    if forged == "manager":
        forged = {"participants": [str(make_user("manager").id)]}
    auth.login_as("qa_lead")
    response = client.post("/calibration/new", data={**fields, **forged})  # tampered: not among the options
    assert response.status_code == 422
    assert field in field_errors(response.get_data(as_text=True))
    assert count(app, CalibrationSession) == 0


def test_only_leads_create_sessions(app, client, new_session_form, make_user):
    fields, _cases, _agents = new_session_form
    for role in ("agent", "manager"):
        sign_in(client, make_user(role))
        assert client.get("/calibration/new").status_code == 403, role
        # Forged: the page is refused, so this is a hand-made post from a role that may not create.
        assert client.post("/calibration/new", data=fields).status_code == 403, role
    assert count(app, CalibrationSession) == 0


# --- labelling --------------------------------------------------------------------------------------


def test_participants_label_case_after_case(app, client, make_world):
    world = make_world(agents=2, kinds=("fn", "tp"), live=1)
    ana = world.people[0]
    sign_in(client, ana)
    page = client.get(f"/calibration/{world.session_id}/cases/1")
    assert page.status_code == 200
    assert "Tamper score was weighted low." in page.get_data(as_text=True)  # the case's reasoning
    response = submit_answer(client, world.session_id, 1, answer_form("block"))
    assert response.status_code == 302
    assert f"/calibration/{world.session_id}/cases/2" in response.headers["Location"]
    submit_answer(client, world.session_id, 3, answer_form("pass"))
    response = submit_answer(client, world.session_id, 2, answer_form("escalate"))
    assert response.headers["Location"].split("?")[0].endswith(f"/calibration/{world.session_id}")
    # Changing an answer keeps one row per case.
    submit_answer(client, world.session_id, 1, answer_form("pass"))
    with app.app_context():
        rows = _db.session.execute(
            select(SessionCase.position, SessionAnswer.decision)
            .join(SessionCase)
            .order_by(SessionCase.position)
        ).all()
    assert rows == [(1, "pass"), (2, "escalate"), (3, "pass")]
    detail = client.get(f"/calibration/{world.session_id}").get_data(as_text=True)
    assert "3 of 3 labelled" in detail


BAD_ANSWERS = [
    ({"label": "TN", "rationale": ""}, {"decision"}),
    ({"decision": "pass", "label": "FP", "root_cause": "", "rationale": "Fine."}, {"root-cause"}),
    ({"decision": "pass", "label": "TN", "root_cause": "B", "rationale": ""}, {"root-cause"}),
    ({"decision": "block", "label": "TP", "root_cause": "", "rationale": ""}, {"rationale"}),
    ({"decision": "pass", "label": "TN", "root_cause": "", "rationale": "A. B. C. D."}, {"rationale"}),
]


def test_bad_answers_are_422_and_nothing_is_saved(app, client, make_world):
    world = make_world(agents=1, kinds=("fn",))
    sign_in(client, world.people[0])
    for fields, shown in BAD_ANSWERS:
        response = submit_answer(client, world.session_id, 1, fields)
        assert response.status_code == 422, fields
        assert set(answer_errors(response.get_data(as_text=True))) == shown, fields
    assert count(app, SessionAnswer) == 0


def test_answers_after_close_are_refused(app, client, make_world, give, close):
    world = make_world(agents=1, kinds=("fn",))
    give(world.session_id, world.people[0], 1, ANSWERS["pass"])
    sign_in(client, world.people[0])
    form = page_form(client, f"/calibration/{world.session_id}/cases/1")  # opened while still open
    close(world.session_id, world.lead)
    form.fill(**answer_form("block"))
    response = form.submit()
    assert response.status_code == 409
    with app.app_context():
        assert _db.session.scalars(select(SessionAnswer.decision)).all() == ["pass"]


@pytest.mark.parametrize("closed", [False, True])
def test_a_non_participant_agent_gets_404_everywhere(app, client, make_world, make_user, give, close, closed):
    world = make_world(agents=2, kinds=("fn", "tp"))
    give(world.session_id, world.people[0], 1, ANSWERS["block"])
    if closed:
        close(world.session_id, world.lead)
    sign_in(client, make_user("agent"))
    for path in ("", "/cases/1", "/cases/2", "/report", "/report.json", "/reliability.csv"):
        assert client.get(f"/calibration/{world.session_id}{path}").status_code == 404, path
        if path.startswith("/cases"):
            # Forged: an outsider posts an answer to a session whose pages they were never shown.
            response = client.post(f"/calibration/{world.session_id}{path}", data=answer_form("pass"))
            assert response.status_code == 404, path
    assert count(app, SessionAnswer) == 1


def test_the_session_list_shows_agents_only_their_sessions(client, make_world, make_user):
    mine = make_world(agents=1, kinds=("fn",))
    other = make_world(agents=1, kinds=("tp",))
    with client.application.app_context():
        names = {s.id: s.name for s in _db.session.scalars(select(CalibrationSession))}
    sign_in(client, mine.people[0])
    page = client.get("/calibration").get_data(as_text=True)
    assert f'/calibration/{mine.session_id}"' in page
    assert f'/calibration/{other.session_id}"' not in page
    assert names[mine.session_id] in page


# --- close and reopen -------------------------------------------------------------------------------


def test_lead_closes_and_reopens(app, client, auth, make_world, give):
    world = make_world(agents=2, kinds=("fn", "tp"))
    give(world.session_id, world.people[0], 1, ANSWERS["block"])
    give(world.session_id, world.people[1], 1, ANSWERS["pass"])
    sign_in(client, world.lead)
    detail = f"/calibration/{world.session_id}"
    close_form = page_form(client, detail, action=f"{detail}/close")
    response = close_form.submit()
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/{world.session_id}/report"
    )
    stored = load(app, world.session_id)
    assert stored["status"] == "closed" and stored["report"]["size"]["answers"] == 2
    # The same button again, from a tab opened before the close:
    again = close_form.submit(follow_redirects=True)
    assert "already closed" in again.get_data(as_text=True)
    assert load(app, world.session_id)["report"] == stored["report"]
    response = page_form(client, detail, action=f"{detail}/reopen").submit()
    assert response.status_code == 302 and response.headers["Location"].endswith(detail)
    assert load(app, world.session_id)["status"] == "open"


def test_only_leads_close_and_reopen(app, client, make_world, make_user, close):
    world = make_world(agents=1, kinds=("fn",))
    others = [world.people[0], make_user("manager")]
    for action in ("close", "reopen"):
        if action == "reopen":
            close(world.session_id, world.lead)
        status = load(app, world.session_id)["status"]
        for person in others:
            sign_in(client, person)
            page = client.get(f"/calibration/{world.session_id}").get_data(as_text=True)
            assert f"/calibration/{world.session_id}/{action}" not in page
            assert 'data-action="close"' not in page
            # Forged: the page offers these people no such button.
            assert client.post(f"/calibration/{world.session_id}/{action}").status_code == 403, person.role
            assert load(app, world.session_id)["status"] == status


# --- the report -------------------------------------------------------------------------------------


def chart(page: str, target: str) -> dict:
    found = re.search(
        rf'<script type="application/json" data-chart-for="{target}">(.*?)</script>', page, re.S
    )
    return json.loads(found.group(1))


def test_report_page_shows_alpha_people_cases_and_the_heatmap(client, closed_world, make_user):
    report = closed_world.report
    readers = [make_user(role) for role in ("qa_lead", "manager", "admin")] + [closed_world.people[1]]
    for reader in readers:
        sign_in(client, reader)
        response = client.get(f"/calibration/{closed_world.session_id}/report")
        assert response.status_code == 200, reader.role
        page = response.get_data(as_text=True)
        assert ("/settle" in page) is (reader.role in ("qa_lead", "admin"))
    # The page as the participant sees it:
    for field in ("decision", "label", "root_cause"):
        card = re.search(rf'data-alpha="{field}">(.*?)</article>', page, re.S).group(1)
        value = report["alpha"][field]["value"]
        assert (f"α = {value:.3f}" if value is not None else "α —") in card
    participants = re.search(r'data-table="participants">(.*?)</table>', page, re.S).group(1)
    assert re.findall(r"<tr><td>(\w+)</td>", participants) == ["ana", "ben", "cai"]
    cases = re.search(r'data-table="cases">(.*?)</table>', page, re.S).group(1)
    assert re.findall(r"<tr><td>(\d+)</td>", cases) == [str(row["position"]) for row in report["cases"]]
    figure = chart(page, "kappa-heatmap")
    assert figure["data"][0]["type"] == "heatmap"
    assert figure["data"][0]["z"] == report["kappa"]["matrix"]
    assert figure["data"][0]["x"] == ["ana", "ben", "cai"]
    table = re.search(r"<summary>.*?</summary>(.*?)</details>", page, re.S).group(1)
    shown = re.findall(r'<td class="num">([^<]+)</td>', table)
    assert shown == [f"{v:.2f}" if v is not None else "—" for row in report["kappa"]["matrix"] for v in row]


def test_report_page_of_a_degenerate_session_gives_reasons(client, make_world, give, close):
    world = make_world(agents=2, kinds=("fn", "tp"))
    for person in world.people:
        for position in (1, 2):
            give(world.session_id, person, position, ANSWERS["pass"])
    close(world.session_id, world.lead)
    sign_in(client, world.lead)
    response = client.get(f"/calibration/{world.session_id}/report")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    card = re.search(r'data-alpha="decision">(.*?)</article>', page, re.S).group(1)
    assert "α —" in card and "can't be told from chance" in unescape(card)
    # Everyone answered "no root cause": that is one shared category, not a lack of answers.
    root_cause = re.search(r'data-alpha="root_cause">(.*?)</article>', page, re.S).group(1)
    assert "α —" in root_cause and "can't be told from chance" in unescape(root_cause)


def test_report_page_counts_no_root_cause_as_a_category(client, closed_world):
    # ana, ben and cai gave root causes A A none none / A A none none / none A C none (TN answers have
    # none): with "none" as a category alpha is defined; with "none" as missing only A's would pair.
    coded = np.array([[0, 0, 3, 3], [0, 0, 3, 3], [3, 0, 2, 3]], dtype=float)  # A=0, C=2, none=3
    expected = krippendorff.alpha(reliability_data=coded, level_of_measurement="nominal")
    sign_in(client, closed_world.lead)
    page = unescape(client.get(f"/calibration/{closed_world.session_id}/report").get_data(as_text=True))
    card = re.search(r'data-alpha="root_cause">(.*?)</article>', page, re.S).group(1)
    assert f"α = {expected:.3f}" in card
    assert "Definitions, version 2: for root cause, “no root cause” (a TP or TN answer) counts as a" in page


def test_a_report_stored_under_the_old_definition_says_so(app, client, closed_world):
    with app.app_context():
        session = _db.session.get(CalibrationSession, closed_world.session_id)
        session.report = {key: value for key, value in session.report.items() if key != "definition"}
        _db.session.commit()
    sign_in(client, closed_world.lead)
    page = unescape(client.get(f"/calibration/{closed_world.session_id}/report").get_data(as_text=True))
    assert "Definitions, version 1: this report was stored before “no root cause” counted" in page
    assert "Definitions, version 2" not in page


def test_no_report_before_the_first_close(client, make_world, make_user):
    world = make_world(agents=1, kinds=("fn",))
    sign_in(client, make_user("qa_lead"))
    for path in ("/report", "/report.json", "/reliability.csv"):
        assert client.get(f"/calibration/{world.session_id}{path}").status_code == 404


# --- exports ----------------------------------------------------------------------------------------


def test_reliability_csv_is_case_by_participant_with_cells_neutralised(
    app, client, make_user, make_cases, give, close
):
    lead = make_user("qa_lead")
    people = [make_user("agent", username=name) for name in ("=cmd", "ben")]
    cases = make_cases(("fn", "tp"))
    live = [{"live_ref": "+SUM(A1:A9)", "content": live_content()}]
    session_id = create_session(app, lead, people, [c["id"] for c in cases], live)
    give(session_id, people[0], 1, ANSWERS["block"])
    give(session_id, people[1], 1, ANSWERS["pass"])
    give(session_id, people[1], 3, ANSWERS["escalate"])
    close(session_id, lead)
    sign_in(client, lead)
    response = client.get(f"/calibration/{session_id}/reliability.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f'filename="calibration-{session_id}-reliability.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [
        ["position", "case", "'=cmd", "ben"],
        ["1", str(cases[0]["id"]), "block", "pass"],
        ["2", str(cases[1]["id"]), "", ""],
        ["3", "'+SUM(A1:A9)", "", "escalate"],
    ]


def test_report_json_is_the_stored_report(client, closed_world):
    sign_in(client, closed_world.people[0])
    response = client.get(f"/calibration/{closed_world.session_id}/report.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    body = json.loads(response.get_data(as_text=True))
    assert body.pop("session") == {"id": closed_world.session_id, "name": "Week 45"}
    assert body == closed_world.report


# --- trend and assets -------------------------------------------------------------------------------


def test_trend_page_charts_closed_sessions(client, closed_world, make_world, make_user):
    still_open = make_world(agents=1, kinds=("fn",))
    sign_in(client, make_user("manager"))
    response = client.get("/calibration/trend")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    figure = chart(page, "alpha-trend")
    (trace,) = figure["data"]
    assert trace["name"] == "Kyc Audit"
    assert trace["y"] == [pytest.approx(closed_world.report["alpha"]["decision"]["value"])]
    assert sorted(shape["y0"] for shape in figure["layout"]["shapes"]) == [0.667, 0.8]
    assert f'/calibration/{closed_world.session_id}"' in page
    assert f'/calibration/{still_open.session_id}"' not in page
    sign_in(client, closed_world.people[0])
    assert client.get("/calibration/trend").status_code == 403


def test_plotly_is_served_as_javascript_with_a_long_cache(client):
    response = client.get("/assets/plotly.min.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert b"plotly" in response.get_data()[:2000].lower()
    assert len(response.get_data()) > 1_000_000
