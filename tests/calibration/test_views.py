"""Calibration pages through the test client: create, label, close, report, exports, settle, trend."""

import csv
import io
import json
import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from app.calibration.models import CalibrationSession, SessionAnswer, SessionCase, SessionParticipant
from app.cases.models import GoldenCase, ReferenceAnswer
from app.extensions import db as _db
from app.sop.models import SopGap
from tests.calibration.conftest import ANSWERS, create_session, live_content
from tests.conftest import PASSWORD, utcnow

LATER = (utcnow() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")


def count(app, model, **where) -> int:
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def load(app, session_id: int) -> dict:
    with app.app_context():
        session = _db.session.get(CalibrationSession, session_id)
        return {
            "status": session.status,
            "report": session.report,
            "alpha": session.alpha_decision,
            "cases": [
                {
                    "position": c.position,
                    "note": c.note,
                    "final": c.final_decision,
                    "promoted": c.promoted_case_id,
                }
                for c in session.cases
            ],
        }


def field_errors(page: str) -> dict[str, list[str]]:
    """Errors the form macro shows under each field (`<p class="error" id="<field>-error">`)."""
    found: dict[str, list[str]] = {}
    for name, message in re.findall(r'<p class="error" id="([\w-]+)-error">(.*?)</p>', page, re.S):
        found.setdefault(name, []).append(unescape(message))
    return found


def answer_errors(page: str) -> dict[str, list[str]]:
    """The answer form's errors by the fieldset (or rationale field) they are shown in."""
    found: dict[str, list[str]] = {}
    for name, body in re.findall(r'<fieldset class="choices ([\w-]+)[^"]*">(.*?)</fieldset>', page, re.S):
        found[name] = re.findall(r'<p class="error">(.*?)</p>', body)
    rationale = re.search(r'<label for="rationale">(.*?)<p class="draft-note', page, re.S)
    found["rationale"] = re.findall(r'<p class="error">(.*?)</p>', rationale.group(1))
    return {name: [unescape(m) for m in messages] for name, messages in found.items() if messages}


def sign_in(client, user) -> None:
    client.post("/logout")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def form_answer(decision: str, **changes) -> dict:
    answer = {**ANSWERS[decision], **changes}
    return {**answer, "root_cause": answer["root_cause"] or ""}


# --- creating a session -----------------------------------------------------------------------------


@pytest.fixture
def new_session_form(make_user, make_cases):
    """A valid new-session form over four golden cases and two agents; returns (form, cases, agents)."""
    cases = make_cases(("fn", "tp", "tn", "fp"))
    agents = [make_user("agent", username=name) for name in ("ana", "ben")]
    form = {
        "name": "Week 45 KYC",
        "case_type": "kyc_audit",
        "deadline": LATER,
        "participants": [str(a.id) for a in agents],
        "case_keys": "\n".join(c["key"] for c in cases[:3]),
    }
    return form, cases, agents


def test_lead_creates_a_session_from_keys(app, client, auth, new_session_form):
    form, cases, agents = new_session_form
    auth.login_as("qa_lead")
    assert client.get("/calibration/new").status_code == 200
    response = client.post("/calibration/new", data=form)
    assert response.status_code == 302
    with app.app_context():
        session = _db.session.scalar(select(CalibrationSession))
        assert response.headers["Location"].endswith(f"/calibration/{session.id}")
        assert session.name == "Week 45 KYC" and session.status == "open"
        assert [c.golden_case_id for c in session.cases] == [c["id"] for c in cases[:3]]
        assert sorted(p.user_id for p in session.participants) == sorted(a.id for a in agents)
        assert session.deadline.strftime("%Y-%m-%dT%H:%M") == LATER


def test_lead_creates_a_session_by_scenario_and_count(app, client, auth, new_session_form):
    form, cases, _agents = new_session_form
    auth.login_as("qa_lead")
    form = {**form, "case_keys": "", "scenario": "kyc.scenario_1", "count": "1"}
    assert client.post("/calibration/new", data=form).status_code == 302
    with app.app_context():
        (case,) = _db.session.scalars(select(SessionCase))
        assert case.golden_case_id in {c["id"] for c in cases if c["scenario"] == "kyc.scenario_1"}


BAD_SESSION_FORMS = [
    ({"name": ""}, "name"),
    ({"deadline": "2020-01-01T10:00"}, "deadline"),
    ({"deadline": "next week"}, "deadline"),
    ({"participants": []}, "participants"),
    ({"participants": ["manager"]}, "participants"),
    ({"case_keys": "kyc_audit-does-not-exist"}, "case_keys"),
    ({"case_keys": "", "scenario": "kyc.nothing_here"}, "scenario"),
    ({"case_keys": "", "count": "0"}, "count"),
    ({"case_type": "reset_2fa"}, "case_type"),
]


def test_bad_session_forms_show_field_errors_and_write_nothing(
    app, client, auth, new_session_form, make_user
):
    form, _cases, _agents = new_session_form
    manager = make_user("manager")
    auth.login_as("qa_lead")
    for changes, field in BAD_SESSION_FORMS:
        if changes.get("participants") == ["manager"]:
            changes = {"participants": [str(manager.id)]}
        response = client.post("/calibration/new", data={**form, **changes})
        assert response.status_code == 422, changes
        assert field in field_errors(response.get_data(as_text=True)), changes
    for model in (CalibrationSession, SessionCase, SessionParticipant):
        assert count(app, model) == 0


def test_only_leads_create_sessions(app, client, new_session_form, make_user):
    form, _cases, _agents = new_session_form
    for role in ("agent", "manager"):
        sign_in(client, make_user(role))
        assert client.get("/calibration/new").status_code == 403, role
        assert client.post("/calibration/new", data=form).status_code == 403, role
    assert count(app, CalibrationSession) == 0


# --- labelling --------------------------------------------------------------------------------------


def test_participants_label_case_after_case(app, client, make_world):
    world = make_world(agents=2, kinds=("fn", "tp"), live=1)
    ana = world.people[0]
    sign_in(client, ana)
    page = client.get(f"/calibration/{world.session_id}/cases/1")
    assert page.status_code == 200
    assert "Tamper score was weighted low." in page.get_data(as_text=True)  # the case's reasoning
    response = client.post(f"/calibration/{world.session_id}/cases/1", data=form_answer("block"))
    assert response.status_code == 302
    assert f"/calibration/{world.session_id}/cases/2" in response.headers["Location"]
    client.post(f"/calibration/{world.session_id}/cases/3", data=form_answer("pass"))
    response = client.post(f"/calibration/{world.session_id}/cases/2", data=form_answer("escalate"))
    assert response.headers["Location"].split("?")[0].endswith(f"/calibration/{world.session_id}")
    # Changing an answer keeps one row per case.
    client.post(f"/calibration/{world.session_id}/cases/1", data=form_answer("pass"))
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
    for data, fields in BAD_ANSWERS:
        response = client.post(f"/calibration/{world.session_id}/cases/1", data=data)
        assert response.status_code == 422, data
        assert set(answer_errors(response.get_data(as_text=True))) == fields, data
    assert count(app, SessionAnswer) == 0


def test_answers_after_close_are_refused(app, client, make_world, give, close):
    world = make_world(agents=1, kinds=("fn",))
    give(world.session_id, world.people[0], 1, ANSWERS["pass"])
    close(world.session_id, world.lead)
    sign_in(client, world.people[0])
    response = client.post(f"/calibration/{world.session_id}/cases/1", data=form_answer("block"))
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
            response = client.post(f"/calibration/{world.session_id}{path}", data=form_answer("pass"))
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
    assert 'data-action="close"' in client.get(f"/calibration/{world.session_id}").get_data(as_text=True)
    response = client.post(f"/calibration/{world.session_id}/close")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/{world.session_id}/report"
    )
    stored = load(app, world.session_id)
    assert stored["status"] == "closed" and stored["report"]["size"]["answers"] == 2
    again = client.post(f"/calibration/{world.session_id}/close", follow_redirects=True)
    assert "already closed" in again.get_data(as_text=True)
    assert load(app, world.session_id)["report"] == stored["report"]
    response = client.post(f"/calibration/{world.session_id}/reopen")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/calibration/{world.session_id}"
    )
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
            assert client.post(f"/calibration/{world.session_id}/{action}").status_code == 403, person.role
            assert load(app, world.session_id)["status"] == status
            page = client.get(f"/calibration/{world.session_id}").get_data(as_text=True)
            assert 'data-action="close"' not in page


# --- the report -------------------------------------------------------------------------------------


@pytest.fixture
def closed_world(make_world, give, close):
    """Three agents (ana, ben, cai) who split on two of four cases, then a close."""
    world = make_world(agents=3, kinds=("fn", "tp", "tn", "fp"), names=["ana", "ben", "cai"])
    decisions = [
        ["block", "block", "pass"],
        ["block", "block", "block"],
        ["pass", "pass", "escalate"],
        ["pass"] * 3,
    ]
    for position, row in enumerate(decisions, start=1):
        for person, decision in zip(world.people, row, strict=True):
            give(world.session_id, person, position, ANSWERS[decision])
    world.report = close(world.session_id, world.lead)
    return world


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
    assert "no answers yet" in re.search(r'data-alpha="root_cause">(.*?)</article>', page, re.S).group(1)


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


def test_lead_saves_a_discussion_note(app, client, closed_world):
    sign_in(client, closed_world.lead)
    response = client.post(
        f"/calibration/{closed_world.session_id}/cases/2/settle",
        data={"action": "note", "note": " Ask the SOP owner. "},
    )
    assert response.status_code == 302
    assert load(app, closed_world.session_id)["cases"][1]["note"] == "Ask the SOP owner."


@pytest.mark.parametrize("amend", [False, True])
def test_lead_settles_a_case_and_may_amend_the_golden_answer(app, client, closed_world, amend):
    sign_in(client, closed_world.lead)
    data = {"action": "settle", **SETTLE, **({"amend": "1"} if amend else {})}
    response = client.post(f"/calibration/{closed_world.session_id}/cases/1/settle", data=data)
    assert response.status_code == 302
    stored = load(app, closed_world.session_id)
    assert stored["cases"][0]["final"] == "block"
    golden_id = closed_world.cases[0]["id"]
    assert count(app, ReferenceAnswer, golden_case_id=golden_id) == (2 if amend else 1)
    assert count(app, SopGap, golden_case_id=golden_id, status="open") == 1
    page = client.get(f"/calibration/{closed_world.session_id}/cases/1/settle").get_data(as_text=True)
    assert "Edited MRZ. The SOP does not cover it." in page


def test_a_bad_settlement_is_422_and_changes_nothing(app, client, closed_world):
    sign_in(client, closed_world.lead)
    data = {"action": "settle", **SETTLE, "label": "TP", "root_cause": ""}  # recommended pass + block is FN
    response = client.post(f"/calibration/{closed_world.session_id}/cases/1/settle", data=data)
    assert response.status_code == 422
    assert "label" in field_errors(response.get_data(as_text=True))
    assert load(app, closed_world.session_id)["cases"][0]["final"] is None
    assert count(app, SopGap) == 0


def test_lead_promotes_a_settled_live_case(app, client, make_world, give, close):
    world = make_world(agents=2, kinds=("fn",), live=1)
    give(world.session_id, world.people[0], 2, ANSWERS["block"])
    close(world.session_id, world.lead)
    sign_in(client, world.lead)
    url = f"/calibration/{world.session_id}/cases/2/settle"
    refused = client.post(url, data={"action": "promote", "key": "kyc_audit-555", "difficulty": "hard"})
    assert refused.status_code == 422 and "Settle the case before promoting it." in refused.get_data(
        as_text=True
    )
    settled = {**SETTLE, "root_cause": "B"}
    assert client.post(url, data={"action": "settle", **settled}).status_code == 302
    assert "Promote to gold" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"action": "promote", "key": "kyc_audit-555", "difficulty": "hard"})
    assert response.status_code == 302
    with app.app_context():
        golden = _db.session.scalar(select(GoldenCase).where(GoldenCase.key == "kyc_audit-555"))
        assert golden.scenario == "kyc.live_mismatch" and golden.difficulty == "hard"
        assert golden.current_answer.decision == "block" and golden.current_answer.root_cause == "B"
    assert load(app, world.session_id)["cases"][1]["promoted"] == golden.id
    assert f'href="/golden/{golden.id}"' in client.get(url).get_data(as_text=True)


def test_only_leads_settle(app, client, closed_world, make_user):
    url = f"/calibration/{closed_world.session_id}/cases/1/settle"
    for person in (closed_world.people[0], make_user("manager")):
        sign_in(client, person)
        assert client.get(url).status_code == 403, person.role
        assert client.post(url, data={"action": "settle", **SETTLE}).status_code == 403, person.role
    assert load(app, closed_world.session_id)["cases"][0]["final"] is None


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


def test_settling_waits_for_the_close(app, client, make_world, give):
    world = make_world(agents=1, kinds=("fn",))
    give(world.session_id, world.people[0], 1, ANSWERS["pass"])
    sign_in(client, world.lead)
    url = f"/calibration/{world.session_id}/cases/1/settle"
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/calibration/{world.session_id}"
    )
    page = client.post(url, data={"action": "note", "note": "Too early."}, follow_redirects=True)
    assert "Close the session before settling its cases." in page.get_data(as_text=True)
    assert "Nothing stands out." not in page.get_data(as_text=True)
    assert load(app, world.session_id)["cases"][0]["note"] == ""


def test_a_refused_promotion_says_why(app, client, make_world, give, close):
    world = make_world(agents=1, kinds=("fn",), live=1)
    give(world.session_id, world.people[0], 2, ANSWERS["block"])
    close(world.session_id, world.lead)
    sign_in(client, world.lead)
    url = f"/calibration/{world.session_id}/cases/2/settle"
    assert client.post(url, data={"action": "settle", **SETTLE, "root_cause": "B"}).status_code == 302
    refusals = [
        (world.cases[0]["key"], "A golden case with this key already exists."),
        ("Bad key!", "Use 3-64 lowercase letters"),
    ]
    for key, message in refusals:
        response = client.post(url, data={"action": "promote", "key": key, "difficulty": "hard"})
        assert response.status_code == 422, key
        errors = field_errors(response.get_data(as_text=True))
        assert any(message in text for text in errors["key"]), key
    assert count(app, GoldenCase) == 1
    assert load(app, world.session_id)["cases"][1]["promoted"] is None
