"""An earlier exam's review (with reference answers) stays closed while a new exam, which may reuse its
cases, is in progress."""

import re

from tests.onboarding.conftest import WRONG, answer_exam_item, start_exam_form, submit_exam_form


def test_earlier_review_is_sealed_during_a_new_exam(app, client, auth, golden_set, clock):
    cases = golden_set(kinds=("tp", "tn"), cooldown_hours=1)
    auth.login_as("agent")
    start = start_exam_form(client).submit()
    first = int(re.search(r"/learn/exams/(\d+)/", start.location).group(1))
    for position in (1, 2):
        assert answer_exam_item(client, first, position, WRONG["pass"]).status_code == 302
    submit_exam_form(client, first).submit()
    review = client.get(f"/learn/exams/{first}")
    assert any(case["marker"] in review.get_data(as_text=True) for case in cases)  # the review shows gold

    clock.advance(hours=2)
    second = start_exam_form(client).submit()
    assert second.status_code == 302
    sealed = client.get(f"/learn/exams/{first}")
    assert sealed.status_code == 302 and "/learn/exams/" in sealed.location
    page = client.get(f"/learn/exams/{first}", follow_redirects=True).get_data(as_text=True)
    assert not any(case["marker"] in page for case in cases)
