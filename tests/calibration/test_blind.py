"""The blind rule: before close, no participant sees another's answers or any reference answer, in the
pages or the API. Every answer carries a unique marker in its rationale, every reference rationale too;
the tests read every response a participant can get and look for markers that aren't theirs."""

import re
import uuid

import pytest

from tests.calibration.conftest import ANSWERS, sign_in, sign_out, submit_answer

# Each participant answers every case with one distinctive decision.
STYLE = {"ana": "pass", "ben": "block", "cai": "escalate"}


@pytest.fixture
def blind(app, make_world, make_token, give):
    """Three agents who answered every case (four golden, one live) with their marker and decision."""
    world = make_world(agents=3, kinds=("fn", "tp", "tn", "key"), live=1, names=list(STYLE))
    world.markers = {p.username: f"ANSMARK{uuid.uuid4().hex[:12]}" for p in world.people}
    world.tokens = {p.username: make_token(p) for p in world.people}
    world.references = [c["marker"] for c in world.cases]
    for person in world.people:
        for position in world.positions:
            give(world.session_id, person, position, own_answer(world, person.username, position))
    return world


def own_answer(world, name: str, position: int) -> dict:
    return {**ANSWERS[STYLE[name]], "rationale": f"{world.markers[name]} on case {position}."}


def foreign_markers(world, name: str) -> list[str]:
    return [m for other, m in world.markers.items() if other != name] + world.references


def checked_decisions(page: str) -> list[str]:
    radios = re.findall(r'<input[^>]*name="decision"[^>]*>', page)
    return [re.search(r'value="(\w+)"', r).group(1) for r in radios if "checked" in r]


def assert_blind(world, name: str, bodies: dict[str, str]) -> None:
    for where, body in bodies.items():
        for marker in foreign_markers(world, name):
            assert marker not in body, f"{name} sees {marker} at {where}"


def ui_bodies(client, world, name: str) -> dict[str, str]:
    """Every page a participant can reach about the session, with the status each must answer."""
    sid, bodies = world.session_id, {}

    def get(path: str, status: int) -> None:
        response = client.get(path)
        assert response.status_code == status, path
        bodies[f"GET {path}"] = response.get_data(as_text=True)

    get("/calibration", 200)
    get(f"/calibration/{sid}", 200)
    for position in world.positions:
        path = f"/calibration/{sid}/cases/{position}"
        get(path, 200)
        page = bodies[f"GET {path}"]
        # Their own answer is shown back to them, and nothing else is.
        assert world.markers[name] in page
        assert checked_decisions(page) == [STYLE[name]]
    bad = submit_answer(client, sid, 1, {"label": "FP", "rationale": "One. Two. Three. Four."})
    assert bad.status_code == 422
    bodies["POST bad answer"] = bad.get_data(as_text=True)
    for path in ("report", "report.json", "reliability.csv"):
        get(f"/calibration/{sid}/{path}", 404)
    get(f"/calibration/{sid}/cases/1/settle", 403)
    get("/calibration/trend", 403)
    for case in world.cases:
        get(f"/golden/{case['id']}", 403)
    get("/golden/export", 403)
    return bodies


def api_bodies(client, world, name: str) -> dict[str, str]:
    sid, bodies = world.session_id, {}
    headers = {"Authorization": f"Bearer {world.tokens[name]}"}

    def call(method: str, path: str, status: int, **kwargs) -> None:
        response = client.open(path, method=method, headers=headers, **kwargs)
        assert response.status_code == status, (path, response.get_json())
        bodies[f"{method} {path}"] = response.get_data(as_text=True)

    call("GET", f"/api/v1/calibration/sessions/{sid}/report", 409)
    golden_id = world.cases[0]["id"]
    call(
        "POST",
        f"/api/v1/calibration/sessions/{sid}/answers",
        200,
        json={"case_id": golden_id, **own_answer(world, name, 1)},
    )
    call(
        "POST",
        f"/api/v1/calibration/sessions/{sid}/answers",
        200,
        json={"case_id": "D-1", **own_answer(world, name, 5)},
    )
    call(
        "POST",
        f"/api/v1/calibration/sessions/{sid}/answers",
        422,
        json={"case_id": golden_id, "decision": "maybe"},
    )
    call("GET", "/api/v1/cases?case_type=kyc_audit&status=active", 403)
    call("GET", f"/api/v1/cases/{golden_id}", 403)
    return bodies


def test_participants_see_nothing_of_others_before_close(client, blind):
    for person in blind.people:
        name = person.username
        sign_in(client, person)
        bodies = ui_bodies(client, blind, name)
        sign_out(client)
        bodies |= api_bodies(client, blind, name)
        assert_blind(blind, name, bodies)


def test_the_markers_are_visible_where_they_may_be(client, blind, close):
    """The control: after close the lead's settling pages show every marker, so their absence above
    means the participant pages hide them, not that markers never render."""
    close(blind.session_id, blind.lead)
    sign_in(client, blind.lead)
    pages = "".join(
        client.get(f"/calibration/{blind.session_id}/cases/{p}/settle").get_data(as_text=True)
        for p in blind.positions
    )
    for marker in [*blind.markers.values(), *blind.references]:
        assert marker in pages


def test_after_close_participants_read_the_report(client, blind, close):
    close(blind.session_id, blind.lead)
    for person in blind.people:
        sign_in(client, person)
        for path in ("report", "report.json", "reliability.csv"):
            assert client.get(f"/calibration/{blind.session_id}/{path}").status_code == 200, path
        sign_out(client)
        headers = {"Authorization": f"Bearer {blind.tokens[person.username]}"}
        response = client.get(f"/api/v1/calibration/sessions/{blind.session_id}/report", headers=headers)
        assert response.status_code == 200
        assert [p["participant"] for p in response.get_json()["participants"]] == list(STYLE)
        # Closed is closed: no more answers.
        late = client.post(
            f"/api/v1/calibration/sessions/{blind.session_id}/answers",
            headers=headers,
            json={"case_id": "D-1", **ANSWERS["pass"]},
        )
        assert late.status_code == 409


def test_a_lead_who_participates_sees_no_other_answers_before_close(
    app, client, make_user, make_cases, make_token, give
):
    """Leads may take part; while the session is open the lead's own pages must not show the others."""
    from tests.calibration.conftest import create_session

    creator = make_user("qa_lead")
    lead = make_user("qa_lead", username="lena")
    agents = [make_user("agent", username=name) for name in ("ana", "ben")]
    cases = make_cases(("fn", "tp"))
    sid = create_session(app, creator, [lead, *agents], [c["id"] for c in cases])
    markers = {}
    for person in agents:
        markers[person.username] = f"ANSMARK{uuid.uuid4().hex[:12]}"
        for position in (1, 2):
            give(sid, person, position, {**ANSWERS["block"], "rationale": f"{markers[person.username]}."})
    sign_in(client, lead)
    bodies = {}
    for path, status in [
        (f"/calibration/{sid}", 200),
        (f"/calibration/{sid}/cases/1", 200),
        (f"/calibration/{sid}/report", 404),
        (f"/calibration/{sid}/report.json", 404),
        (f"/calibration/{sid}/reliability.csv", 404),
    ]:
        response = client.get(path)
        assert response.status_code == status, path
        bodies[path] = response.get_data(as_text=True)
    settle = client.get(f"/calibration/{sid}/cases/1/settle", follow_redirects=True)
    bodies["settle"] = settle.get_data(as_text=True)
    sign_out(client)
    token = make_token(lead)
    report = client.get(
        f"/api/v1/calibration/sessions/{sid}/report", headers={"Authorization": f"Bearer {token}"}
    )
    assert report.status_code == 409
    bodies["api report"] = report.get_data(as_text=True)
    for where, body in bodies.items():
        for marker in markers.values():
            assert marker not in body, where
        assert "ANSMARK" not in body, where
