"""No gold before submission: every page, API answer, error page and script an agent can reach before
submitting, and every static script, is searched for unique markers planted in the reference answers."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cases.models import CaseType
from app.extensions import db
from app.onboarding.models import Attempt, AttemptItem
from app.sop import services as sop_services
from tests.forms import page_form
from tests.onboarding.conftest import answer_page, choose, deal_form, form, right

# What a graded case looks like on a page: none of it may show before the result is due.
GRADED_TELLS = ['class="badge ok"', 'class="badge bad"', "Reference (v", "reference-rationale", "data-result"]
BAD_ANSWER = {"decision": "block", "label": "TP", "root_cause": "A", "rationale": "一。二！三？四。"}


class Visits:
    """Every response the agent received: status, headers and body."""

    def __init__(self, client):
        self.client = client
        self.seen: list[tuple[str, str, str]] = []  # (request, mimetype, headers and body)

    def __call__(self, method: str, url: str, status: int, **kwargs):
        response = getattr(self, method)(url, **kwargs)
        assert response.status_code == status, (method, url, response.status_code)
        return response

    # A client's get and post, so page_form can open pages and submit forms through the visits.
    def get(self, url: str, **kwargs):
        return self._keep("get", url, self.client.get(url, **kwargs))

    def post(self, url: str, **kwargs):
        return self._keep("post", url, self.client.post(url, **kwargs))

    def _keep(self, method: str, url: str, response):
        text = f"{response.headers}\n{response.get_data(as_text=True)}"
        self.seen.append((f"{method.upper()} {url} {response.status_code}", response.mimetype, text))
        return response

    def submitted(self, response, status: int):
        """A form's response, checked for its status."""
        assert response.status_code == status, (response.request.path, response.status_code)
        return response

    def follow(self, response):
        """Fetch where a redirect leads, and keep it."""
        return self("get", response.location, 200)

    def assets(self, static_folder: str) -> set[str]:
        """Every script and stylesheet the pages loaded, and every script in the static folder."""
        urls = {
            u
            for _label, _type, text in self.seen
            for u in re.findall(r'(?:src|href)="(/static/[^"]+)"', text)
        }
        urls |= {f"/static/js/{path.name}" for path in Path(static_folder, "js").glob("*.js")}
        for url in sorted(urls):
            self("get", url, 200)
        return urls

    def leaks(self, needles) -> list[tuple[str, str]]:
        return [(label, needle) for label, _type, text in self.seen for needle in needles if needle in text]


@pytest.fixture
def world(app, golden_set, make_case_type, make_user, make_token):
    """An SOP, six KYC cases (exam of four) and two ATO cases, all with markers; an agent with a token."""
    make_case_type()
    with app.app_context():
        kyc = db.session.scalar(select(CaseType))
        sop_services.save_sop(kyc, "# KYC\n\n## 3. Documents\n\n### 3.2 Tampered\nBlock them.\n", "v1", None)
        sop_services.save_sop(
            kyc, "# KYC\n\n## 3. Documents\n\n### 3.2 Tampered\nBlock them all.\n", "v2", None
        )
        db.session.commit()
    cases = golden_set(kinds=("fn", "tp", "tn", "fp", "key", "fn"), scenarios=3, exam_size=4)
    cases += golden_set(kinds=("tp", "tn"), case_type="ato_investigation")
    agent = make_user("agent")
    return {"cases": cases, "agent": agent, "token": make_token(agent)}


def secrets(cases) -> list[str]:
    """Per case: the marker in its reference rationale and its distinctive SOP reference."""
    return [needle for case in cases for needle in (case["marker"], case["sop_ref"])]


def practice_item(app, agent_id) -> AttemptItem:
    with app.app_context():
        return db.session.scalar(
            select(AttemptItem)
            .join(Attempt)
            .where(Attempt.user_id == agent_id, Attempt.kind == "practice", AttemptItem.answered_at.is_(None))
        )


def exam_items(app, attempt_id) -> list[AttemptItem]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AttemptItem).where(AttemptItem.attempt_id == attempt_id).order_by(AttemptItem.position)
            )
        )


def test_no_reference_answer_reaches_the_agent_before_submission(app, client, auth, world):
    cases, agent = world["cases"], world["agent"]
    by_id = {c["id"]: c for c in cases}
    auth.login(agent.username)
    visit = Visits(client)
    api = {"Authorization": f"Bearer {world['token']}"}

    # Home, curriculum and the SOP library.
    visit.follow(visit("get", "/", 302))
    for url in ["/sop", "/sop/kyc_audit", "/sop/kyc_audit/v/1", "/sop/kyc_audit/compare?a=1&b=2"]:
        visit("get", url, 200)
    for case in cases:
        slug = case["key"].rsplit("-", 1)[0]
        visit("get", f"/sop/{slug}/gaps/new?case={case['id']}", 200)

    # Practice before answering, and a refused answer.
    visit("get", "/learn/kyc_audit/practice", 200)
    visit.follow(visit.submitted(deal_form(visit, "kyc_audit").submit(), 302))
    practised = practice_item(app, agent.id)
    visit.submitted(choose(answer_page(visit, "/learn/kyc_audit/practice"), BAD_ANSWER).submit(), 422)
    visit.follow(visit("get", f"/learn/practice/{practised.id}", 302))  # no feedback before an answer
    # Crafted: no page offers to contest a case before its result; a prober might try.
    visit("post", f"/learn/items/{practised.id}/contest", 302, data={"reason": "Peek."})

    # The exam: every position before and after answering, refused answers, the submit page.
    start = page_form(visit, "/learn", action="/learn/kyc_audit/exam")
    attempt_id = int(
        re.search(r"/learn/exams/(\d+)/", visit.submitted(start.submit(), 302).location).group(1)
    )
    items = exam_items(app, attempt_id)
    for item in items:
        url = f"/learn/exams/{attempt_id}/{item.position}"
        visit.submitted(choose(answer_page(visit, url), BAD_ANSWER).submit(), 422)
        visit.follow(
            visit.submitted(choose(answer_page(visit, url), right(by_id[item.golden_case_id])).submit(), 302)
        )
        visit("get", url, 200)
        # An answered exam item is not a practice item, so it has no feedback page of its own.
        visit("get", f"/learn/practice/{item.id}", 404)
        # Crafted: a prober sends the exam item to the practice and contest routes, which no page does.
        visit("post", f"/learn/practice/{item.id}", 404, data=form(right(by_id[item.golden_case_id])))
        visit.follow(visit("post", f"/learn/items/{item.id}/contest", 302, data={"reason": "Peek."}))
    visit("get", f"/learn/exams/{attempt_id}", 200)
    resume = page_form(visit, "/learn", action="/learn/kyc_audit/exam")
    visit.follow(visit.submitted(resume.submit(), 302))
    visit("get", "/learn", 200)
    # Practice while the exam is open never deals one of the exam's cases. The KYC case dealt before the
    # exam is still waiting unless the exam drew it (then it is withdrawn, and the page offers a new deal).
    for slug in ("kyc_audit", "ato_investigation"):
        if 'data-action="deal"' in visit("get", f"/learn/{slug}/practice", 200).get_data(as_text=True):
            visit.follow(visit.submitted(deal_form(visit, slug).submit(), 302))

    # Error pages.
    visit("get", f"/learn/exams/{attempt_id}/99", 404)
    visit("get", "/learn/exams/999999", 404)
    visit("get", f"/learn/exams/{attempt_id}/submit", 405)
    visit("post", "/learn/practice/999999", 404, data=BAD_ANSWER)  # crafted: no such item

    # Staff pages and the golden library: refused.
    for url in [
        "/golden",
        "/golden/export",
        "/golden/new",
        "/golden/import",
        "/onboarding",
        "/onboarding/disputes",
        "/onboarding/exposure",
        "/onboarding/disputes/1",
        f"/onboarding/agents/{agent.id}",
        "/sop/gaps",
        "/sop/kyc_audit/edit",
    ]:
        visit("get", url, 403)
    for case in cases:
        visit("get", f"/golden/{case['id']}", 403)
        visit("get", f"/golden/{case['id']}/edit", 403)

    # The JSON API with the agent's token, and without.
    visit("get", "/api/v1/me", 200, headers=api)
    visit("get", "/api/v1/cases", 403, headers=api)
    visit("get", "/api/v1/cases?case_type=kyc_audit", 403, headers=api)
    for case in cases:
        visit("get", f"/api/v1/cases/{case['id']}", 403, headers=api)
        visit("get", f"/api/v1/cases/{case['id']}", 401)
    visit("get", "/api/v1/nope", 404, headers=api)

    # The same pages in Chinese.
    page_form(visit, "/learn", action="/language").submit("locale=zh_Hans")
    assert '<html lang="zh-Hans">' in visit("get", f"/learn/exams/{attempt_id}/1", 200).get_data(as_text=True)
    visit("get", f"/learn/exams/{attempt_id}", 200)
    in_chinese = answer_page(visit, f"/learn/exams/{attempt_id}/2")
    visit.submitted(choose(in_chinese, BAD_ANSWER).submit(), 422)
    page_form(visit, "/learn", action="/language").submit("locale=en")

    assets = visit.assets(app.static_folder)
    assert {"/static/js/case_form.js", "/static/js/feedback.js", "/static/css/app.css"} <= assets
    assert visit.leaks(secrets(cases)) == []
    assert visit.leaks(GRADED_TELLS) == []
    # Nothing can hide in inline scripts: every script is a file from /static.
    inline = [
        label
        for label, mimetype, text in visit.seen
        if mimetype == "text/html" and re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
    ]
    assert inline == []

    # After answering a practice case, its feedback shows that case's reference, and only that one.
    practised = practice_item(app, agent.id)
    answer_form = choose(
        answer_page(visit, "/learn/kyc_audit/practice"), right(by_id[practised.golden_case_id])
    )
    feedback = visit.follow(visit.submitted(answer_form.submit(), 302))
    page = feedback.get_data(as_text=True)
    shown = by_id[practised.golden_case_id]
    assert shown["marker"] in page and shown["sop_ref"] in page
    assert practised.golden_case_id not in {i.golden_case_id for i in items}
    assert [s for s in secrets(cases) if s in page] == [shown["marker"], shown["sop_ref"]]
    answered_twice = visit.submitted(answer_form.submit(), 409)  # the same page sent again
    assert [s for s in secrets(cases) if s in answered_twice.get_data(as_text=True)] == []

    # After submitting, the review shows every exam case's reference.
    submit = page_form(visit, f"/learn/exams/{attempt_id}", action=f"/learn/exams/{attempt_id}/submit")
    visit.follow(visit.submitted(submit.submit(), 302))
    review = client.get(f"/learn/exams/{attempt_id}").get_data(as_text=True)
    for item in items:
        assert by_id[item.golden_case_id]["marker"] in review
    others = [c for c in cases if c["id"] not in {i.golden_case_id for i in items}]
    assert [c["marker"] for c in others if c["marker"] in review] == []


def test_a_practice_page_never_carries_its_own_reference(app, client, auth, world):
    cases, agent = world["cases"], world["agent"]
    by_id = {c["id"]: c for c in cases}
    auth.login(agent.username)
    for _ in range(6):  # every KYC case comes round once
        deal_form(client, "kyc_audit").submit()
        page = client.get("/learn/kyc_audit/practice").get_data(as_text=True)
        item = practice_item(app, agent.id)
        case = by_id[item.golden_case_id]
        assert case["marker"] not in page and case["sop_ref"] not in page
        assert case["answer"]["rationale"] not in page
        assert (
            choose(answer_page(client, "/learn/kyc_audit/practice"), right(case)).submit().status_code == 302
        )


def test_the_agent_api_answer_carries_no_gold(client, world):
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {world['token']}"})
    assert response.status_code == 200
    assert set(response.get_json()) == {"username", "display_name", "role", "team", "scopes"}
