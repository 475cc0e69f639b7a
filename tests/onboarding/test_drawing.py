"""Choosing exam and practice cases (pure)."""

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from app.onboarding.drawing import draw_exam, next_practice_case

SEEDS = [0, 1, 7, 42, 2026]


def pool(scenarios: int, per_scenario: int, first_id: int = 1) -> list[tuple[int, str]]:
    """Ids first_id, first_id + 1, ... dealt round the scenarios s0, s1, ..."""
    return [(first_id + i, f"s{i % scenarios}") for i in range(scenarios * per_scenario)]


def scenario_counts(chosen: list[int], cases: list[tuple[int, str]]) -> Counter:
    scenario_of = dict(cases)
    return Counter(scenario_of[case_id] for case_id in chosen)


@pytest.mark.parametrize("seed", SEEDS)
def test_exam_spreads_evenly_over_scenarios(seed):
    cases = pool(scenarios=5, per_scenario=10)
    chosen = draw_exam(cases, 10, set(), random.Random(seed))
    assert len(chosen) == len(set(chosen)) == 10
    assert scenario_counts(chosen, cases) == {f"s{i}": 2 for i in range(5)}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("size", [3, 7, 13])
def test_exam_spread_differs_by_at_most_one(seed, size):
    cases = pool(scenarios=5, per_scenario=10)
    counts = scenario_counts(draw_exam(cases, size, set(), random.Random(seed)), cases)
    per_scenario = [counts[f"s{i}"] for i in range(5)]
    assert sum(per_scenario) == size
    assert max(per_scenario) - min(per_scenario) <= 1


@pytest.mark.parametrize("seed", SEEDS)
def test_a_scenario_with_few_cases_still_gets_its_share(seed):
    cases = [(1, "rare"), *[(i, "common") for i in range(2, 30)]]
    chosen = draw_exam(cases, 4, set(), random.Random(seed))
    assert 1 in chosen


@pytest.mark.parametrize("seed", SEEDS)
def test_exam_avoids_the_previous_attempt_while_the_pool_allows(seed):
    cases = pool(scenarios=2, per_scenario=10)
    previous = set(range(1, 11))
    chosen = draw_exam(cases, 10, previous, random.Random(seed))
    assert set(chosen) == set(range(11, 21))


@pytest.mark.parametrize("seed", SEEDS)
def test_exam_reuses_previous_cases_only_when_the_pool_runs_short(seed):
    cases = pool(scenarios=2, per_scenario=6)  # ids 1..12
    previous = set(range(1, 11))
    chosen = draw_exam(cases, 10, previous, random.Random(seed))
    assert len(chosen) == len(set(chosen)) == 10
    assert {11, 12} <= set(chosen)
    assert len(set(chosen) & previous) == 8


def test_exam_smaller_pool_than_size_takes_every_case_once():
    cases = pool(scenarios=3, per_scenario=2)
    assert sorted(draw_exam(cases, 50, set(), random.Random(1))) == [1, 2, 3, 4, 5, 6]
    assert draw_exam([], 10, set(), random.Random(1)) == []


def test_exam_draw_is_deterministic_for_a_seeded_random():
    cases = pool(scenarios=5, per_scenario=10)
    draws = [draw_exam(cases, 10, {3, 4}, random.Random(seed)) for seed in (5, 5)]
    assert draws[0] == draws[1]
    # ...and the order of the pool does not matter, only the seed.
    assert draw_exam(list(reversed(cases)), 10, {3, 4}, random.Random(5)) == draws[0]
    assert len({tuple(draw_exam(cases, 10, set(), random.Random(seed))) for seed in SEEDS}) > 1


NOW = datetime(2026, 11, 2, tzinfo=UTC)


def test_practice_prefers_unseen_cases():
    last_seen = {1: NOW, 2: NOW - timedelta(days=30)}
    for seed in SEEDS:
        assert next_practice_case([1, 2, 3], last_seen, random.Random(seed)) == 3


def test_practice_choice_among_unseen_is_deterministic_and_varies_by_seed():
    choices = {next_practice_case([1, 2, 3, 4, 5], {}, random.Random(seed)) for seed in range(20)}
    assert choices <= {1, 2, 3, 4, 5}
    assert len(choices) > 1
    assert next_practice_case([5, 4, 3], {}, random.Random(3)) == next_practice_case(
        [3, 4, 5], {}, random.Random(3)
    )


@pytest.mark.parametrize(
    ("last_seen", "expected"),
    [
        ({1: NOW, 2: NOW - timedelta(hours=1), 3: NOW - timedelta(minutes=1)}, 2),
        ({1: NOW - timedelta(days=2), 2: NOW, 3: NOW}, 1),
        ({1: NOW, 2: NOW, 3: NOW}, 1),  # a tie goes to the lowest id
    ],
)
def test_practice_when_all_seen_takes_the_least_recently_seen(last_seen, expected):
    assert next_practice_case([3, 2, 1], last_seen, random.Random(0)) == expected


def test_practice_with_no_cases_gives_none():
    assert next_practice_case([], {}, random.Random(0)) is None
