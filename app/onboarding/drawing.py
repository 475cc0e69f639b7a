"""Choosing which golden cases an agent sees. Pure; randomness comes in as a random.Random."""

import random
from collections import defaultdict
from datetime import datetime


def draw_exam(pool: list[tuple[int, str]], size: int, avoid: set[int], rng: random.Random) -> list[int]:
    """Up to `size` case ids from (id, scenario) pairs, spread evenly over scenarios; cases in `avoid` (the
    agent's previous attempt) are used only when the pool runs short."""
    fresh = [case for case in pool if case[0] not in avoid]
    chosen = _round_robin(fresh, size, rng)
    if len(chosen) < size:
        reused = [case for case in pool if case[0] in avoid]
        chosen += _round_robin(reused, size - len(chosen), rng)
    rng.shuffle(chosen)
    return chosen


def _round_robin(cases: list[tuple[int, str]], size: int, rng: random.Random) -> list[int]:
    """Take one case per scenario in turn (scenarios in random order) until `size` are taken."""
    by_scenario: dict[str, list[int]] = defaultdict(list)
    for case_id, scenario in sorted(cases):
        by_scenario[scenario].append(case_id)
    queues = list(by_scenario.values())
    for queue in queues:
        rng.shuffle(queue)
    rng.shuffle(queues)
    chosen: list[int] = []
    while len(chosen) < size and any(queues):
        for queue in queues:
            if queue and len(chosen) < size:
                chosen.append(queue.pop())
    return chosen


def next_practice_case(pool: list[int], last_seen: dict[int, datetime], rng: random.Random) -> int | None:
    """A case the agent has never seen, else the one they saw longest ago."""
    if not pool:
        return None
    unseen = [case_id for case_id in pool if case_id not in last_seen]
    if unseen:
        return rng.choice(sorted(unseen))
    return min(pool, key=lambda case_id: (last_seen[case_id], case_id))
